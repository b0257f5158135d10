package main

import (
	"os"

	"github.com/handoff-go/handoff/ownership"
)

// serializeSingle is the baseline: one goroutine walks the whole tree,
// encodes it into the same frames (all in stream 0) and writes each frame
// itself, reusing one buffer. own must own every region of the tree
// (claimTree); every node is checked against it, as the walkers check
// theirs.
func serializeSingle(own *ownership.Owner, root *Node, nodes int, path string, chunk int) (outcome, error) {
	var out outcome
	f, err := os.Create(path)
	if err != nil {
		return out, err
	}
	write := func(b []byte) error {
		n, err := f.Write(b)
		out.bytes += int64(n)
		return err
	}
	err = write(appendHeader(nil, root))
	enc := encoder{own: own, next: func(frame []byte, _ bool) ([]byte, error) {
		return frame[:0], write(frame)
	}}
	enc.start(make([]byte, 0, chunk))
	for idx, sh := range root.Children {
		if err != nil {
			break
		}
		err = enc.shard(idx, sh)
	}
	if err == nil {
		err = enc.finish()
	}
	if err == nil {
		err = write(appendTrailer(nil, nodes))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return out, err
}
