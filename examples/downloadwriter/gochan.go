package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// runChan is runHandoff with plain Go channels: the same two goroutines,
// the same buffers ping-ponging, and nothing that stops the downloader
// from scribbling on a chunk it already sent (the race detector would
// catch it in a test, if the test hit the interleaving).
func runChan(ctx context.Context, url, path string, cfg config) (result, error) {
	res := result{mode: "chan"}
	full := make(chan *Chunk, cfg.pool)
	free := make(chan *Chunk, cfg.pool)
	stop := make(chan struct{}) // closed by the writer if it fails

	f, err := os.Create(path)
	if err != nil {
		return res, err
	}
	start := time.Now()
	body, err := get(ctx, url, cfg.size)
	if err != nil {
		f.Close()
		return res, err
	}

	var wg sync.WaitGroup
	var dlErr, wrErr error
	wg.Add(1)
	go func() { // the downloader
		defer wg.Done()
		defer body.Close()
		defer close(full)
		pool := make([]*Chunk, cfg.pool)
		for i := range pool {
			pool[i] = &Chunk{buf: make([]byte, cfg.chunk)}
		}
		for taken := 0; ; taken++ {
			var c *Chunk
			if taken < len(pool) {
				c = pool[taken]
			} else {
				if taken == len(pool) {
					res.steady.begin()
				}
				var ok bool
				select {
				case c, ok = <-free:
				case <-stop:
				}
				if !ok {
					dlErr = errors.New("downloader: the writer stopped")
					return
				}
			}
			n, err := io.ReadFull(body, c.buf)
			c.n = n
			if n > 0 {
				select {
				case full <- c:
				case <-stop:
					dlErr = fmt.Errorf("downloader: the writer stopped")
					return
				}
				res.bytes += int64(n)
				res.steady.tick()
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				res.steady.end()
				return
			}
			if err != nil {
				dlErr = err
				return
			}
		}
	}()
	wg.Add(1)
	go func() { // the writer
		defer wg.Done()
		for c := range full {
			if wrErr != nil {
				continue // drain, so the downloader's sends finish
			}
			if _, err := f.Write(c.buf[:c.n]); err != nil {
				wrErr = err
				close(stop)
				continue
			}
			free <- c // never blocks: room for the whole pool
		}
	}()
	wg.Wait()
	if err := f.Close(); err != nil && wrErr == nil {
		wrErr = err
	}
	res.elapsed = time.Since(start)
	return res, errors.Join(wrErr, dlErr)
}
