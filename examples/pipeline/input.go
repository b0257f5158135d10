package main

import (
	"io"
	"math/rand/v2"
	"strconv"
)

// The input: n generated lines "id,name,qty,price\n" (price in cents),
// the same for the same seed. Its expected result is computed from the
// generated values directly (expect), not by parsing the text, so a bug
// in any stage shows up as a mismatch.

type row struct {
	id, qty, price uint64
	name           []byte
}

// rows generates the input's values, in order.
type rows struct {
	rng  *rand.Rand
	next uint64
	name [16]byte
}

func newRows(seed uint64) *rows { return &rows{rng: rand.New(rand.NewPCG(seed, 0xc0ffee))} }

func (g *rows) row() row {
	r := row{id: g.next, qty: 1 + g.rng.Uint64N(100), price: 1 + g.rng.Uint64N(100_000)}
	g.next++
	n := 3 + g.rng.IntN(10)
	for i := range n {
		g.name[i] = byte('a' + g.rng.IntN(26))
	}
	r.name = g.name[:n]
	return r
}

// inputReader is an io.Reader over the input's text, generated as it is
// read.
type inputReader struct {
	g    *rows
	left int
	buf  []byte // formatted, not yet read
}

func newInput(n int, seed uint64) io.Reader {
	return &inputReader{g: newRows(seed), left: n, buf: make([]byte, 0, 4096)}
}

func (in *inputReader) Read(p []byte) (int, error) {
	for len(in.buf) < len(p) && in.left > 0 && len(in.buf) < cap(in.buf)-64 {
		r := in.g.row()
		in.left--
		b := strconv.AppendUint(in.buf, r.id, 10)
		b = append(b, ',')
		b = append(b, r.name...)
		b = append(b, ',')
		b = strconv.AppendUint(b, r.qty, 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, r.price, 10)
		in.buf = append(b, '\n')
	}
	if len(in.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, in.buf)
	in.buf = in.buf[:copy(in.buf, in.buf[n:])]
	return n, nil
}

// total is what the sink computes: the number of records, the sum of
// qty*price, and an order-sensitive checksum of the upper-cased names.
type total struct {
	Records  uint64
	Sum      uint64
	Checksum uint64
}

func (t *total) add(amount uint64, tag uint64) {
	t.Records++
	t.Sum += amount
	t.Checksum = t.Checksum*1099511628211 ^ tag
}

// expect computes the result of n records without the pipeline.
func expect(n int, seed uint64) total {
	var t total
	g := newRows(seed)
	var upper [16]byte
	for range n {
		r := g.row()
		for i, c := range r.name {
			upper[i] = c - 'a' + 'A'
		}
		t.add(r.qty*r.price, fnv(upper[:len(r.name)]))
	}
	return t
}

func fnv(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
