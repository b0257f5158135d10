package main

import (
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"os"
	"sync"

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
// writer is one plain loop over rx.All(), served round robin, that ends
// when every walker has closed its sender. Each walker's free list is a
// channel of its own, from the writer's owner to the walker's owner.
//
// shards is the plan: shards[i] lists walker i's subtrees (see assign).
func serializeParallel(root *Node, nodes int, path string, shards [][]int, chunk, pool int) (outcome, error) {
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
	walkerErr := make([]error, w)
	var wrErr error
	var wg sync.WaitGroup
	for i := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			walkerErr[i] = walk(root, shards[i], i, owners[i], lanes[i], freeRx[i], chunk, pool)
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
		if wrErr = write(appendHeader(nil, root)); wrErr != nil {
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

// walk is walker i: it encodes its shards, one chunk at a time, and
// closes its lane when done (or on error).
func walk(root *Node, shards []int, i int, own *ownership.Owner, tx *senderOf, free *receiverOf, chunk, pool int) error {
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
	enc := encoder{stream: uint32(i)}
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
	for _, idx := range shards {
		if err := enc.shard(idx, root.Children[idx]); err != nil {
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
