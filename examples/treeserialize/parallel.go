package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/handoff-go/handoff"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Chunk is a frame buffer. It embeds ownership.Header, so sending a
// *Chunk moves it to the writer's owner, and sending it back moves it to
// its walker's owner again: only the side that owns a chunk may fill or
// write it, and Check says so.
type Chunk struct {
	ownership.Header
	walker int    // whose pool it belongs to: the writer sends it back there
	buf    []byte // a sealed frame while it travels to the writer
}

// outcome is one serialization's result.
type outcome struct {
	bytes int64
	chans []handoff.Stats // the data channel, then each walker's free list
	// handed is how many shard regions the caller handed to the walkers
	// (one Transfer each), and handOut how long that took.
	handed  int
	handOut time.Duration
}

var errWriterStopped = errors.New("the writer stopped")

// serializeParallel writes the tree with walker goroutines and one
// writer goroutine. The walkers split the root's subtrees and
// each encodes its own into frames, in chunks from a pool of its own; the
// writer writes frames as they come and sends each chunk back to its
// walker.
//
//	walker 0 --lane 0--\                      /--free 0--> walker 0
//	walker 1 --lane 1---+--> one receiver --> writer --free 1--> walker 1
//	  ...     (Clone)  /                      \   ...
//
// Lanes: the data channel's sender is cloned once per walker, so each
// walker has a ring of its own (no contention between walkers) and the
// writer is one plain loop over rx.All(), served fairly (runs of up to
// 32 items per lane, lanes in turn), that ends when every walker has
// closed its sender. Each walker's free list is a channel of its own,
// from the writer's owner to the walker's owner.
//
// shards is the plan: shards[i] lists walker i's subtrees (see assign).
//
// The tree: loader, the caller's owner, owns every region (claimTree).
// Each walker owns the regions of the shards it walks: the caller hands
// each shard to its walker with one Transfer of the shard's region (not
// one per node), and the walker hands it back when it is done, so loader
// owns the whole tree again when serializeParallel returns. The walkers
// never read the root node (its region stays loader's): the caller encodes
// the file header and picks out each walker's shard roots before they
// start.
func serializeParallel(loader *ownership.Owner, root *Node, nodes int, path string, shards [][]int, chunk, pool int) (outcome, error) {
	var out outcome
	w := len(shards)
	writer := ownership.NewOwner()
	owners := make([]*ownership.Owner, w)
	for i := range owners {
		owners[i] = ownership.NewOwner()
	}
	defer func() { // after every goroutine has finished: retire the owners
		writer.Close()
		for _, o := range owners {
			o.Close()
		}
	}()
	tx0, rx := channel.Make[*Chunk](pool,
		channel.WithSenderOwner(owners[0]), channel.WithReceiverOwner(writer))
	lanes := []*senderOf{tx0}
	for i := 1; i < w; i++ {
		tx, err := tx0.CloneOwned(owners[i])
		if err != nil {
			return out, err
		}
		lanes = append(lanes, tx)
	}
	freeTx := make([]*senderOf, w)
	freeRx := make([]*receiverOf, w)
	for i := range w {
		freeTx[i], freeRx[i] = channel.Make[*Chunk](pool,
			channel.WithSenderOwner(writer), channel.WithReceiverOwner(owners[i]))
	}

	f, err := os.Create(path)
	if err != nil {
		return out, err
	}
	header := appendHeader(nil, root) // loader's: the walkers never read the root
	mine := make([][]*Node, w)        // each walker's shard roots
	for i, idxs := range shards {
		for _, idx := range idxs {
			mine[i] = append(mine[i], root.Children[idx])
		}
	}
	// Hand each shard to its walker: one Transfer per region. The
	// Transfer's CAS orders the loader's earlier writes of the nodes
	// before the walker's reads (ownership's happens-before list), and the
	// go statements below come after it anyway.
	start := time.Now()
	for i, sh := range mine {
		for _, nd := range sh {
			if err := loader.Transfer(&nd.Header, owners[i]); err != nil {
				f.Close()
				// No walker runs yet: this goroutine hands back, for
				// them, what it handed out.
				for j, back := range mine[:i+1] {
					for _, b := range back {
						_ = owners[j].Transfer(&b.Header, loader) // fails for those never handed
					}
				}
				return out, fmt.Errorf("handing shard to walker %d: %w", i, err)
			}
			out.handed++
		}
	}
	out.handOut = time.Since(start)
	walkerErr := make([]error, w)
	var wrErr error
	var wg sync.WaitGroup
	for i := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			walkerErr[i] = walk(mine[i], shards[i], i, owners[i], loader, lanes[i], freeRx[i], chunk, pool)
		}()
	}
	wg.Add(1)
	go func() { // the writer
		defer wg.Done()
		defer func() {
			for _, tx := range freeTx {
				tx.Close()
			}
		}()
		write := func(b []byte) error {
			n, err := f.Write(b)
			out.bytes += int64(n)
			return err
		}
		if wrErr = write(header); wrErr != nil {
			rx.Close() // disconnect: every walker's next Send fails
			return
		}
		for c := range rx.All() {
			if err := writer.Check(&c.Header); err != nil {
				wrErr = err
				break
			}
			if err := write(c.buf); err != nil {
				wrErr = err
				break
			}
			// Back to its walker. Never blocks: the free list has room
			// for the walker's whole pool.
			if err := freeTx[c.walker].Send(c); err != nil {
				wrErr = err
				break
			}
		}
		if wrErr != nil {
			rx.Close() // disconnect: every walker's next Send fails
			return
		}
		wrErr = write(appendTrailer(nil, nodes))
	}()
	wg.Wait()
	if err := f.Close(); err != nil && wrErr == nil {
		wrErr = err
	}
	out.chans = append(out.chans, rx.Stats())
	for _, r := range freeRx {
		out.chans = append(out.chans, r.Stats())
	}
	if wrErr != nil {
		return out, fmt.Errorf("writer: %w", wrErr) // the walkers' errors just echo it
	}
	for i, err := range walkerErr {
		if err != nil {
			return out, fmt.Errorf("walker %d: %w", i, err)
		}
	}
	return out, nil
}

// walk is walker i: it encodes its shards (roots[j] is the root of shard
// idx[j], in a region own owns), one chunk at a time, and closes its lane
// when done (or on error). Then it hands its shards' regions back to
// loader, one Transfer each, whatever happened.
func walk(roots []*Node, idx []int, i int, own, loader *ownership.Owner, tx *senderOf, free *receiverOf, chunk, pool int) (err error) {
	defer func() {
		for _, nd := range roots {
			if e := own.Transfer(&nd.Header, loader); e != nil && err == nil {
				err = fmt.Errorf("handing a shard back: %w", e)
			}
		}
	}()
	defer tx.Close()
	fresh := pool // chunks not made yet
	get := func() (*Chunk, error) {
		if fresh > 0 {
			fresh--
			c := &Chunk{walker: i, buf: make([]byte, 0, chunk)}
			return c, own.Adopt(&c.Header)
		}
		c, ok := free.Recv()
		if !ok {
			return nil, errWriterStopped
		}
		return c, nil
	}
	cur, err := get()
	if err != nil {
		return err
	}
	enc := encoder{own: own, stream: uint32(i)}
	enc.next = func(frame []byte, last bool) ([]byte, error) {
		cur.buf = frame
		if err := tx.Send(cur); err != nil { // cur is the writer's from here on
			return nil, fmt.Errorf("%w (%w)", errWriterStopped, err)
		}
		cur = nil
		if last {
			return nil, nil
		}
		var err error
		if cur, err = get(); err != nil {
			return nil, err
		}
		// Back from the writer: ours again, so we may fill it.
		if err := own.Check(&cur.Header); err != nil {
			return nil, err
		}
		return cur.buf[:0], nil
	}
	enc.start(cur.buf)
	for j, nd := range roots {
		if err := enc.shard(idx[j], nd); err != nil {
			return err
		}
	}
	return enc.finish()
}

// The endpoint types, named once: channel.Make returns them, but naming
// them (for a slice of lanes) needs the sender and receiver packages.
type (
	senderOf   = sender.Sender[*Chunk]
	receiverOf = receiver.Receiver[*Chunk]
)
