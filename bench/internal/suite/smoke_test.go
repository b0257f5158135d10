package suite_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSmoke runs the whole suite in smoke mode, as CI does, and checks
// the output folder.
func TestSmoke(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := suite.Main([]string{"-smoke", "-out", dir}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	require.NoError(t, suite.CheckOutput(dir))

	// results.json: plain JSON with every scenario.
	data, err := os.ReadFile(filepath.Join(dir, suite.ResultsFile))
	require.NoError(t, err)
	var raw struct {
		Machine map[string]any   `json:"machine"`
		Rows    []map[string]any `json:"rows"`
	}
	require.NoError(t, json.Unmarshal(data, &raw))
	assert.NotEmpty(t, raw.Machine["cpu"])
	assert.NotEmpty(t, raw.Machine["go_version"])
	seen := map[string]bool{}
	for _, r := range raw.Rows {
		seen[r["scenario"].(string)] = true
		assert.NotEmpty(t, r["samples"])
	}
	for _, name := range suite.ScenarioNames() {
		assert.True(t, seen[name], "scenario %s in results.json", name)
	}

	// Charts.
	for _, name := range []string{"throughput-spsc", "throughput-fanin", "throughput-fanin-batch", "scaling",
		"e2-transfer-steal", "e3-resteal"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		require.NoError(t, err, name)
		require.NotEmpty(t, b, name)
		assert.True(t, bytes.HasPrefix(b, []byte("<?xml")) || bytes.HasPrefix(b, []byte("<svg")), name)
		assert.NotContains(t, string(b), "<text", "%s: text is drawn as glyph outlines", name)
		b, err = os.ReadFile(filepath.Join(dir, name+".png"))
		require.NoError(t, err, name)
		assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG")), name)
	}

	// The report on stdout is the one saved.
	saved, err := os.ReadFile(filepath.Join(dir, suite.ReportFile))
	require.NoError(t, err)
	assert.Equal(t, string(saved), stdout.String())
	assert.Contains(t, stdout.String(), "| spsc | handoff |")
	assert.True(t, strings.Contains(stderr.String(), "spsc"), "line progress on a non-terminal")

	// The idle receivers of handoff and chan are measured.
	res, err := suite.LoadResults(filepath.Join(dir, suite.ResultsFile))
	require.NoError(t, err)
	for _, r := range res.Rows {
		if r.Scenario == "idlecpu" && (r.Impl == "handoff" || r.Impl == "chan") {
			_, ok := r.Metrics[suite.MetricCPUPercent]
			assert.True(t, ok, "idlecpu %s has a CPU figure", r.Impl)
		}
	}
}

// TestCompareEndToEnd runs one scenario twice, the second with -compare.
func TestCompareEndToEnd(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	args := []string{"-duration", "1ms", "-reps", "1", "-scenarios", "e1-tax"}
	require.Equal(t, 0, suite.Main(append(args, "-out", first), &bytes.Buffer{}, &bytes.Buffer{}))
	var out bytes.Buffer
	old := filepath.Join(first, suite.ResultsFile)
	require.Equal(t, 0, suite.Main(append(args, "-out", second, "-compare", old), &out, &bytes.Buffer{}))
	assert.Contains(t, out.String(), "## Compared with "+old)
	assert.Contains(t, out.String(), "| e1-tax | ownership Owns |")
}
