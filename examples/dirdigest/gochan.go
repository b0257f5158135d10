package main

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
)

// digestChan is the blog's bounded.go ("Go Concurrency Patterns: Pipelines
// and cancellation", bounded parallelism) on plain Go channels, the
// reference the handoff version is checked against: a walker feeds paths
// to n digesters over one channel, their results are fanned back in over
// another, and the first error cancels the rest (the blog's done channel
// is ctx here).
func digestChan(ctx context.Context, root string, n int, fail string) (map[string]Sum, int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	paths, errc := walkChan(ctx, root)
	type result struct {
		path string
		sum  Sum
		size int64
		err  error
	}
	c := make(chan result)
	var wg sync.WaitGroup
	wg.Add(n)
	for range n {
		go func() {
			defer wg.Done()
			buf := make([]byte, bufSize)
			for path := range paths {
				sum, size, err := digestFile(path, buf, fail)
				select {
				case c <- result{path, sum, size, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(c) }()
	m := make(map[string]Sum)
	var total int64
	var first error
	for r := range c {
		if r.err != nil && first == nil {
			first = r.err
			cancel() // the walker and the digesters stop; c closes once they have
		}
		if first == nil {
			m[r.path] = r.sum
			total += r.size
		}
	}
	if err := <-errc; first == nil && err != nil {
		first = err
	}
	if first != nil {
		return nil, 0, first
	}
	return m, total, nil
}

// walkChan is the blog's walkFiles: it sends the path of every regular
// file under root on paths until the walk ends or ctx is done, then closes
// paths and reports the walk's error on errc.
func walkChan(ctx context.Context, root string) (<-chan string, <-chan error) {
	paths := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(paths)
		errc <- filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			select {
			case paths <- path:
				return nil
			case <-ctx.Done():
				return errWalkCanceled
			}
		})
	}()
	return paths, errc
}

// errWalkCanceled ends a walk whose consumers gave up (the blog's "walk
// canceled").
var errWalkCanceled = errors.New("walk canceled")
