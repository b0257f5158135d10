package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"time"
)

// config is what the flags decided.
type config struct {
	size  int64  // bytes to download
	chunk int    // bytes per chunk buffer
	pool  int    // chunk buffers in circulation
	seed  uint64 // which generated object
}

// result is one mode's run.
type result struct {
	mode    string
	bytes   int64
	elapsed time.Duration // GET to file closed
	steady  allocWindow   // allocations once every buffer has been used once
	sum     [32]byte      // SHA-256 of the file read back
	ok      bool          // sum matches the generator's
}

func (r result) mbps() float64 { return float64(r.bytes) / 1e6 / r.elapsed.Seconds() }

// get starts the download and returns its body.
func get(ctx context.Context, url string, size int64) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || resp.ContentLength != size {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s, %d bytes (want 200 OK, %d bytes)", url, resp.Status, resp.ContentLength, size)
	}
	return resp.Body, nil
}

// allocWindow counts the process's heap allocations between begin and
// end: runtime.MemStats.Mallocs and TotalAlloc, every goroutine included
// (HTTP client and server too). begin is called when the downloader takes
// its first recycled buffer, so the window is the steady state.
type allocWindow struct {
	start   runtime.MemStats
	open    bool
	chunks  int    // chunks downloaded inside the window
	mallocs uint64 // objects allocated inside the window
	bytes   uint64 // bytes allocated inside the window
}

func (w *allocWindow) begin() {
	runtime.ReadMemStats(&w.start)
	w.open = true
}

// tick counts a chunk downloaded inside the window.
func (w *allocWindow) tick() {
	if w.open {
		w.chunks++
	}
}

func (w *allocWindow) end() {
	if !w.open {
		return
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.mallocs = m.Mallocs - w.start.Mallocs
	w.bytes = m.TotalAlloc - w.start.TotalAlloc
	w.open = false
}

func (w allocWindow) String() string {
	if w.chunks == 0 {
		return "n/a (no buffer was reused)"
	}
	return fmt.Sprintf("%d allocs, %d B over %d chunks", w.mallocs, w.bytes, w.chunks)
}
