package suite

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The C++ peer: boost::lockfree::spsc_queue, the queue the design's batch
// target names ("no slower per item than boost's batches on the same
// machine"). It is measured in the same run as handoff when the machine
// can build it (g++ and boost's headers, Debian's libboost-dev), so that
// the comparison is made on one CPU in one run; where it cannot, the
// report says why and falls back to the figure kept in targets.go.

//go:embed peers/boost_spsc.cpp
var boostSource []byte

// boostProbe builds peers/boost_spsc.cpp once per process and returns the
// binary's path, or why it could not.
var boostProbe = sync.OnceValues(func() (string, error) {
	cxx, err := exec.LookPath("g++")
	if err != nil {
		return "", errors.New("g++ not found")
	}
	sum := sha256.Sum256(boostSource)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	// Keyed by the source's hash: a changed probe is rebuilt, an unchanged
	// one is reused by the next run.
	dir := filepath.Join(cache, "handoffbench", hex.EncodeToString(sum[:8]))
	bin := filepath.Join(dir, "boost_spsc")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	src := filepath.Join(dir, "boost_spsc.cpp")
	if err := os.WriteFile(src, boostSource, 0o644); err != nil {
		return "", err
	}
	tmp := bin + ".tmp"
	out, err := exec.Command(cxx, "-O2", "-std=c++17", "-pthread", "-o", tmp, src).CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "boost/lockfree") {
			return "", errors.New("boost's headers not found (Debian: libboost-dev)")
		}
		return "", fmt.Errorf("g++ failed: %v: %s", err, firstLine(out))
	}
	return bin, os.Rename(tmp, bin)
})

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

// boostImpl is the row label of boost's case with the given batch (1:
// item by item).
func boostImpl(batch int) string {
	if batch == 1 {
		return "boost spsc_queue"
	}
	return "boost spsc_queue batch " + strconv.Itoa(batch)
}

// boostCases returns boost's cases for the given batches, or none if the
// probe cannot be built here.
func boostCases(scenario string, batches ...int) []Case {
	bin, err := boostProbe()
	if err != nil {
		return nil
	}
	var cs []Case
	for _, b := range batches {
		cs = append(cs, Case{
			Scenario: scenario,
			Impl:     boostImpl(b),
			MinItems: max(b, 1),
			Run:      func(t *Timer, n int) { runBoost(t, bin, b, n) },
		})
	}
	return cs
}

// runBoost runs one sample of the probe: it moves n items and reports the
// time its consumer took, which the sample records as its timed part (the
// process's start and exit are not timed).
func runBoost(t *Timer, bin string, batch, n int) {
	out, err := exec.Command(bin, strconv.Itoa(batch), strconv.Itoa(n)).Output()
	if err != nil {
		t.Fail(fmt.Errorf("boost probe: %w", err))
		return
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil || ns <= 0 {
		t.Fail(fmt.Errorf("boost probe printed %q", out))
		return
	}
	t.Record(time.Duration(ns))
}
