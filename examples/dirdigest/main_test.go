package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Every goroutine of both modes must have exited after each test,
// cancelled runs included.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The CI command, go run ./examples/dirdigest -smoke, in-process.
func TestSmoke(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-smoke"}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	out := stdout.String()
	assert.Regexp(t, `(?m)^handoff +300 files .* [0-9a-f]{8}\.\.\.$`, out)
	assert.Regexp(t, `(?m)^chan +300 files .* [0-9a-f]{8}\.\.\.$`, out)
	assert.Contains(t, out, "verified: handoff and chan agree on 300 files")
	assert.Contains(t, out, "cancellation: both modes stop at the first error")
	assert.NotContains(t, out, "MISMATCH")
}

// Both modes give the same digests as a plain loop, for trees of several
// shapes and pools of one digester and of more digesters than files.
func TestModesAgreeWithSequential(t *testing.T) {
	root := t.TempDir()
	_, err := makeTree(root, 120, 5000, 3)
	require.NoError(t, err)
	want := map[string]Sum{}
	buf := make([]byte, 100)
	require.NoError(t, filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			want[p], _, err = digestFile(p, buf, "")
		}
		return err
	}))
	for _, n := range []int{1, 3, 200} {
		for _, m := range modes {
			got, _, err := m.run(context.Background(), root, n, "")
			require.NoError(t, err, "%s n=%d", m.name, n)
			assert.Equal(t, want, got, "%s n=%d", m.name, n)
		}
	}
}

// An empty directory has no digests, and a missing one is an error.
func TestEmptyAndMissing(t *testing.T) {
	for _, m := range modes {
		got, n, err := m.run(context.Background(), t.TempDir(), 4, "")
		require.NoError(t, err, m.name)
		assert.Empty(t, got, m.name)
		assert.Zero(t, n, m.name)
		_, _, err = m.run(context.Background(), filepath.Join(t.TempDir(), "missing"), 4, "")
		assert.Error(t, err, m.name)
	}
}

// The first error cancels the run, whichever file fails, with one
// digester or many: both modes report it, and nothing leaks.
func TestFirstErrorCancels(t *testing.T) {
	root := t.TempDir()
	_, err := makeTree(root, 200, 2000, 4)
	require.NoError(t, err)
	for _, fail := range []string{"f00000.bin", "f00123.bin", ".bin"} {
		for _, n := range []int{1, 4, 50} {
			for _, m := range modes {
				_, _, err := m.run(context.Background(), root, n, fail)
				require.ErrorContains(t, err, "injected failure", "%s n=%d fail=%s", m.name, n, fail)
			}
		}
	}
}

// A context cancelled from outside stops both modes.
func TestOuterCancel(t *testing.T) {
	root := t.TempDir()
	_, err := makeTree(root, 50, 100, 5)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, m := range modes {
		_, _, err := m.run(ctx, root, 4, "")
		assert.Error(t, err, "%s: a cancelled run reports it", m.name)
	}
}

func TestBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run([]string{"-digesters", "0"}, &out, &errb))
	assert.Equal(t, 2, run([]string{"extra"}, &out, &errb))
	assert.Equal(t, 0, run([]string{"-h"}, &out, &errb))
}
