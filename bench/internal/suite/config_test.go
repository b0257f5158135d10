package suite_test

import (
	"bytes"
	"errors"
	"flag"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlagsDefaults(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := suite.ParseFlags(nil, &stderr)
	require.NoError(t, err)
	assert.Equal(t, suite.DefaultConfig(), cfg)
	assert.Equal(t, []int{runtime.GOMAXPROCS(0)}, cfg.Procs)
	assert.Empty(t, stderr.String())
}

func TestParseFlagsGood(t *testing.T) {
	cfg, err := suite.ParseFlags([]string{
		"-duration", "20ms", "-reps", "3", "-scenarios", "spsc, batch*",
		"-procs", "1,2,4", "-out", "x", "-compare", "old.json",
	}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, 20*time.Millisecond, cfg.Duration)
	assert.Equal(t, 3, cfg.Reps)
	assert.Equal(t, []string{"spsc", "batch*"}, cfg.Scenarios)
	assert.Equal(t, []int{1, 2, 4}, cfg.Procs)
	assert.Equal(t, "x", cfg.Out)
	assert.Equal(t, "old.json", cfg.Compare)
	assert.False(t, cfg.Smoke)
}

func TestParseFlagsSmoke(t *testing.T) {
	cfg, err := suite.ParseFlags([]string{"-smoke", "-out", "o"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.True(t, cfg.Smoke)
	assert.Equal(t, 1, cfg.Reps)
	assert.Less(t, cfg.Duration, suite.DefaultConfig().Duration)
	assert.Equal(t, []string{"*"}, cfg.Scenarios)
}

func TestParseFlagsBad(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown flag":        {"-nope"},
		"duration not a time": {"-duration", "fast"},
		"duration zero":       {"-duration", "0s"},
		"duration negative":   {"-duration", "-1s"},
		"reps zero":           {"-reps", "0"},
		"reps not a number":   {"-reps", "x"},
		"procs zero":          {"-procs", "0"},
		"procs not a number":  {"-procs", "2,x"},
		"procs empty item":    {"-procs", "1,,2"},
		"procs empty":         {"-procs", ""},
		"unknown scenario":    {"-scenarios", "spsc,nosuch"},
		"glob matches none":   {"-scenarios", "zz*"},
		"bad glob":            {"-scenarios", "[x"},
		"empty scenarios":     {"-scenarios", ""},
		"empty out":           {"-out", ""},
		"smoke with duration": {"-smoke", "-duration", "1s"},
		"smoke with reps":     {"-smoke", "-reps", "3"},
		"positional argument": {"extra"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := suite.ParseFlags(args, &stderr)
			require.Error(t, err)
			assert.ErrorIs(t, err, suite.ErrUsage)
			assert.Contains(t, stderr.String(), "usage: handoffbench [flags]")

			var out bytes.Buffer
			assert.Equal(t, 2, suite.Main(args, &out, &bytes.Buffer{}), "exit code for bad flags")
			assert.Empty(t, out.String(), "nothing on stdout")
		})
	}
}

// TestUsageErrorMessage: one line naming the command and the problem,
// then the usage; no prefix twice.
func TestUsageErrorMessage(t *testing.T) {
	var stderr bytes.Buffer
	_, err := suite.ParseFlags([]string{"-scenarios", "nope"}, &stderr)
	require.ErrorIs(t, err, suite.ErrUsage)
	first, _, _ := strings.Cut(stderr.String(), "\n")
	assert.True(t, strings.HasPrefix(first, "handoffbench: -scenarios: no scenario matches \"nope\""), first)
	assert.Equal(t, 1, strings.Count(first, "handoffbench"), first)
	assert.NotContains(t, first, ": bench:", first)
}

func TestScenarioGroups(t *testing.T) {
	ex, err := suite.SelectScenarios([]string{"experiments"})
	require.NoError(t, err)
	ch, err := suite.SelectScenarios([]string{"channels"})
	require.NoError(t, err)
	for _, s := range ex {
		assert.Equal(t, suite.Experiment, s.Kind, s.Name)
	}
	for _, s := range ch {
		assert.NotEqual(t, suite.Experiment, s.Kind, s.Name)
	}
	assert.Equal(t, len(suite.Scenarios()), len(ex)+len(ch), "the two groups cover every scenario")
}

func TestFromRefusesMeasuringFlags(t *testing.T) {
	_, err := suite.ParseFlags([]string{"-from", "x.json", "-reps", "3"}, &bytes.Buffer{})
	assert.ErrorIs(t, err, suite.ErrUsage)
	cfg, err := suite.ParseFlags([]string{"-from", "x.json", "-out", "o"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, "x.json", cfg.From)
}

func TestHelp(t *testing.T) {
	var stderr bytes.Buffer
	_, err := suite.ParseFlags([]string{"-h"}, &stderr)
	assert.True(t, errors.Is(err, flag.ErrHelp))
	assert.Contains(t, stderr.String(), "-scenarios")
	assert.Equal(t, 0, suite.Main([]string{"-help"}, &bytes.Buffer{}, &bytes.Buffer{}))
}

func TestCompareFileMissing(t *testing.T) {
	var stderr bytes.Buffer
	code := suite.Main([]string{"-smoke", "-out", t.TempDir(), "-compare", "/nonexistent/results.json"}, &bytes.Buffer{}, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "-compare")
}

func TestSelectScenarios(t *testing.T) {
	names := func(ss []suite.Scenario) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	got, err := suite.SelectScenarios([]string{"batch*"})
	require.NoError(t, err)
	assert.Equal(t, []string{"batch16", "batch64", "batch256"}, names(got))

	got, err = suite.SelectScenarios([]string{"e?-*", "spsc", "spsc"})
	require.NoError(t, err)
	assert.Equal(t, []string{"spsc", "e1-tax", "e2-transfer-steal", "e3-resteal", "e4-readonly", "e5-thaw"}, names(got),
		"report order, no duplicates")

	got, err = suite.SelectScenarios([]string{"*"})
	require.NoError(t, err)
	assert.Equal(t, suite.ScenarioNames(), names(got))

	_, err = suite.SelectScenarios([]string{"fan-out"})
	assert.ErrorContains(t, err, "no scenario matches")
}

func TestScenarioNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range suite.ScenarioNames() {
		assert.False(t, seen[n], "duplicate scenario %s", n)
		seen[n] = true
	}
	for _, want := range []string{"spsc", "batch16", "batch64", "batch256", "pingpong", "pairs",
		"ownership", "idlecpu", "e1-tax", "e2-transfer-steal", "e3-resteal", "e4-readonly"} {
		assert.True(t, seen[want], "scenario %s", want)
	}
}
