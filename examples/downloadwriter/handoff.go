package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// Chunk is a download buffer. It embeds ownership.Header, so a *Chunk sent
// on a handoff channel moves to the receiver's owner: whoever does not own
// it gets ownership.ErrNotOwner from Check instead of racing on buf.
type Chunk struct {
	ownership.Header
	buf []byte // capacity: the chunk size
	n   int    // bytes of buf in use
}

// runHandoff is the pipeline with handoff channels. Two owners, one per
// goroutine; two channels, one each way:
//
//	downloader --full--> writer    (a filled chunk moves to the writer)
//	downloader <--free-- writer    (an emptied chunk moves back)
//
// Both channels have room for the whole pool, so the writer's send back
// never blocks, and after the first pool-full of chunks the downloader
// allocates nothing: the same buffers ping-pong, and so does their
// ownership.
func runHandoff(ctx context.Context, url, path string, cfg config) (result, error) {
	res := result{mode: "handoff"}
	dl, wr := ownership.NewOwner(), ownership.NewOwner()
	full, fullRx := channel.Make[*Chunk](cfg.pool,
		channel.WithSenderOwner(dl), channel.WithReceiverOwner(wr))
	freeTx, free := channel.Make[*Chunk](cfg.pool,
		channel.WithSenderOwner(wr), channel.WithReceiverOwner(dl))

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
		defer full.Close() // the writer's loop ends after the last chunk
		pool := make([]*Chunk, cfg.pool)
		for i := range pool {
			pool[i] = &Chunk{buf: make([]byte, cfg.chunk)}
			if err := dl.Adopt(&pool[i].Header); err != nil {
				dlErr = err
				return
			}
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
				if c, ok = free.Recv(); !ok {
					dlErr = errors.New("downloader: the writer stopped")
					return
				}
			}
			// The downloader owns c now: filling it is safe.
			if err := dl.Check(&c.Header); err != nil {
				dlErr = err
				return
			}
			n, err := io.ReadFull(body, c.buf)
			c.n = n
			if n > 0 {
				if err := full.Send(c); err != nil { // c is the writer's from here on
					dlErr = fmt.Errorf("downloader: %w (the writer stopped)", err)
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
		defer freeTx.Close()
		for c := range fullRx.All() {
			if err := wr.Check(&c.Header); err != nil {
				wrErr = err
				break
			}
			if _, err := f.Write(c.buf[:c.n]); err != nil {
				wrErr = err
				break
			}
			if err := freeTx.Send(c); err != nil { // back to the downloader; never blocks
				wrErr = err
				break
			}
		}
		if wrErr != nil {
			fullRx.Close() // disconnect: the downloader's next Send fails
		}
	}()
	wg.Wait()
	// Every goroutine that used the owners has finished: retire them.
	dl.Close()
	wr.Close()
	if err := f.Close(); err != nil && wrErr == nil {
		wrErr = err
	}
	res.elapsed = time.Since(start)
	return res, errors.Join(wrErr, dlErr)
}
