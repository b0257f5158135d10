package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// Digest is a digester's result: an owned object (it embeds
// ownership.Header). A fixed pool of them circulates: a digester takes a
// free one, fills it and sends it to the collector, which records it and
// sends it back on the free list. Each send moves its ownership, so a
// digester that touched a Digest after sending it would get
// ownership.ErrNotOwner instead of racing with the collector.
type Digest struct {
	ownership.Header
	path string
	sum  Sum
	size int64
	err  error
}

// digestHandoff is digestChan on handoff channels, with the same shape:
//
//	walk --paths--> n digesters --results--> collect
//	                  ^                         |
//	                  +---------- free ---------+
//
// paths is one channel with n receivers (Receiver.Clone: a worker pool),
// results one channel with n senders (Sender.Clone, a lane each), free one
// channel of owned Digests with n receivers. Each digester has an owner of
// its own, for the Digests it receives from free and sends on results.
// The first error cancels ctx: the walker's send fails, the digesters
// stop at their next step, and the collector drains what is in flight.
func digestHandoff(ctx context.Context, root string, n int, fail string) (map[string]Sum, int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	collector := ownership.NewNamedOwner("collector")
	defer collector.Close() // after every goroutine has returned (below)

	pathsTx, pathsRx := channel.Make[string](n)
	resultsTx, resultsRx := channel.Make[*Digest](n, channel.WithReceiverOwner(collector))
	pool := 2 * n
	freeTx, freeRx := channel.Make[*Digest](pool, channel.WithSenderOwner(collector))

	// The endpoints of the digesters. The receivers are cloned before
	// anything is sent, as a worker pool does: from the first clone on,
	// the receiver that gets an object takes it with one CAS.
	type worker struct {
		owner   *ownership.Owner
		paths   *channel.Receiver[string]
		free    *channel.Receiver[*Digest]
		results *channel.Sender[*Digest]
	}
	workers := make([]worker, n)
	for i := range workers {
		w := &workers[i]
		w.owner = ownership.NewNamedOwner(fmt.Sprintf("digester %d", i))
		var err error
		if w.paths, err = pathsRx.Clone(); err == nil {
			if w.free, err = freeRx.CloneOwned(w.owner); err == nil {
				w.results, err = resultsTx.CloneOwned(w.owner)
			}
		}
		if err != nil {
			panic(err) // fresh, open channels: cannot happen
		}
	}
	// The originals have no goroutine of their own: close them (a
	// receiver closing while its clones are open only stops receiving; a
	// sender's close counts it out).
	_ = pathsRx.Close()
	_ = freeRx.Close()
	_ = resultsTx.Close()
	for range pool {
		d := new(Digest)
		if err := collector.Adopt(&d.Header); err != nil {
			panic(err)
		}
		if err := freeTx.Send(d); err != nil {
			panic(err)
		}
	}

	var wg sync.WaitGroup
	var walkErr error
	wg.Add(1 + n)
	go func() { defer wg.Done(); walkErr = walkHandoff(ctx, root, pathsTx) }()
	for _, w := range workers {
		go func() {
			defer wg.Done()
			digester(ctx, w.owner, w.paths, w.free, w.results, fail)
		}()
	}

	m := make(map[string]Sum)
	var total int64
	var first error
	for d := range resultsRx.All() { // until every digester has closed its sender
		if err := collector.Check(&d.Header); err != nil {
			panic(err) // the receive made it ours
		}
		switch {
		case d.err != nil && first == nil:
			first = d.err
			cancel()
		case first == nil:
			m[d.path] = d.sum
			total += d.size
		}
		d.path, d.err = "", nil
		_ = freeTx.Send(d) // ErrClosed once every digester has gone: the pool is dropped
	}
	_ = freeTx.Close()
	wg.Wait()
	for _, w := range workers {
		w.owner.Close()
	}
	switch {
	case first != nil:
	case walkErr != nil && !errors.Is(walkErr, context.Canceled):
		first = walkErr
	case ctx.Err() != nil:
		first = ctx.Err() // cancelled from outside: the result is partial
	}
	if first != nil {
		return nil, 0, first
	}
	return m, total, nil
}

// digester takes paths until the walk is over or ctx is done; for each it
// takes a free Digest (owned by this digester's owner once received),
// fills it, and sends it on results (owned by the collector from then on).
func digester(ctx context.Context, o *ownership.Owner, paths *channel.Receiver[string],
	free *channel.Receiver[*Digest], results *channel.Sender[*Digest], fail string) {
	defer func() {
		_ = results.Close()
		_ = paths.Close()
		_ = free.Close()
	}()
	buf := make([]byte, bufSize) // this digester's own read buffer
	for ctx.Err() == nil {
		path, err := paths.RecvContext(ctx)
		if err != nil {
			return // the walk is over (ErrClosed), or ctx is done
		}
		d, err := free.RecvContext(ctx)
		if err != nil {
			return
		}
		if err := o.Check(&d.Header); err != nil {
			panic(err) // the receive made it ours
		}
		d.path = path
		d.sum, d.size, d.err = digestFile(path, buf, fail)
		if err := results.SendContext(ctx, d); err != nil {
			return // cancelled: d stays ours, and is dropped with us
		}
	}
}

// walkHandoff sends the path of every regular file under root on paths,
// until the walk ends, ctx is done or every digester has gone, and closes
// paths.
func walkHandoff(ctx context.Context, root string, paths *channel.Sender[string]) error {
	defer func() { _ = paths.Close() }()
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if err := paths.SendContext(ctx, path); err != nil {
			if errors.Is(err, handoff.ErrClosed) {
				return context.Canceled // the digesters have gone: they were cancelled
			}
			return err
		}
		return nil
	})
}
