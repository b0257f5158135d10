package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Record is one parsed line. It embeds ownership.Header: a *Record sent
// on a handoff channel moves to the receiving stage's owner, so exactly
// one stage may touch it at a time, and Check tells a stage whether it
// still may.
type Record struct {
	ownership.Header
	ID, Qty, Price uint64
	Name           []byte // reused: parse appends into it
	Amount         uint64 // set by transform: Qty*Price
	Tag            uint64 // set by transform: hash of the upper-cased name
}

type (
	tx = sender.Sender[*Record]
	rx = receiver.Receiver[*Record]
)

// parse reads lines from in into records and sends them on out. Records
// come from its pool first, then back from the sink over free. It closes
// out when the input ends or on error.
func parse(in io.Reader, me *ownership.Owner, out *tx, free *rx, pool int) error {
	defer out.Close()
	sc := bufio.NewScanner(in)
	made := 0
	for line := 1; sc.Scan(); line++ {
		var r *Record
		if made < pool {
			r = &Record{Name: make([]byte, 0, 16)}
			if err := me.Adopt(&r.Header); err != nil {
				return err
			}
			made++
		} else {
			var ok bool
			if r, ok = free.Recv(); !ok {
				return errors.New("parse: the free list closed (the sink stopped)")
			}
		}
		if err := me.Check(&r.Header); err != nil { // ours before we fill it
			return fmt.Errorf("parse: %w", err)
		}
		if err := r.parse(sc.Bytes()); err != nil {
			return fmt.Errorf("parse: line %d: %w", line, err)
		}
		if err := out.Send(r); err != nil { // r belongs to transform now
			return fmt.Errorf("parse: %w (transform stopped)", err)
		}
	}
	return sc.Err()
}

func (r *Record) parse(line []byte) error {
	id, rest, ok1 := bytes.Cut(line, []byte{','})
	name, rest, ok2 := bytes.Cut(rest, []byte{','})
	qty, price, ok3 := bytes.Cut(rest, []byte{','})
	if !ok1 || !ok2 || !ok3 || len(name) == 0 {
		return fmt.Errorf("want id,name,qty,price, got %q", line)
	}
	var err1, err2, err3 error
	r.ID, err1 = atou(id)
	r.Qty, err2 = atou(qty)
	r.Price, err3 = atou(price)
	if err := errors.Join(err1, err2, err3); err != nil {
		return fmt.Errorf("%q: %w", line, err)
	}
	r.Name = append(r.Name[:0], name...)
	return nil
}

// atou parses a decimal number without allocating.
func atou(b []byte) (uint64, error) {
	if len(b) == 0 || len(b) > 19 {
		return 0, fmt.Errorf("bad number %q", b)
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad number %q", b)
		}
		v = v*10 + uint64(c-'0')
	}
	return v, nil
}

// UseAfterSendError is what transform reports when -bug makes it touch a
// record it already sent.
type UseAfterSendError struct {
	Stage  string
	Record uint64 // the record's ID, read before the send
	Err    error  // from Owner.Check: wraps ownership.ErrNotOwner
}

func (e *UseAfterSendError) Error() string {
	return fmt.Sprintf("%s: record %d used after it was sent: %v", e.Stage, e.Record, e.Err)
}

func (e *UseAfterSendError) Unwrap() error { return e.Err }

// transform computes each record's amount, upper-cases its name in place
// and passes it on. With bug set it keeps using a record after sending it
// (it wants to clear the amount "for the next round"): Check catches that
// before the write happens, and transform stops with the error, instead
// of racing with the sink, which owns the record by then.
func transform(me *ownership.Owner, in *rx, out *tx, bug bool) error {
	defer out.Close()
	for r := range in.All() {
		if err := me.Check(&r.Header); err != nil {
			in.Close()
			return fmt.Errorf("transform: %w", err)
		}
		r.Amount = r.Qty * r.Price
		for i, c := range r.Name {
			if 'a' <= c && c <= 'z' {
				r.Name[i] = c - 'a' + 'A'
			}
		}
		r.Tag = fnv(r.Name)
		id := r.ID                          // read while we own it
		if err := out.Send(r); err != nil { // r belongs to the sink now
			in.Close()
			return fmt.Errorf("transform: %w (the sink stopped)", err)
		}
		if bug {
			// The deliberate use-after-send. Without the check, this
			// write would race with the sink reading r.Amount.
			if err := me.Check(&r.Header); err != nil {
				in.Close() // disconnect: parse's next Send fails, it stops
				return &UseAfterSendError{Stage: "transform", Record: id, Err: err}
			}
			r.Amount = 0
		}
	}
	return nil
}

// sink adds up the records and returns each to parse over free.
func sink(me *ownership.Owner, in *rx, free *tx, got *total) error {
	defer free.Close()
	for r := range in.All() {
		if err := me.Check(&r.Header); err != nil {
			in.Close()
			return fmt.Errorf("sink: %w", err)
		}
		got.add(r.Amount, r.Tag)
		// Back to parse. Never blocks: the free list has room for every
		// record there is, and parse never closes it.
		if err := free.Send(r); err != nil {
			return fmt.Errorf("sink: %w", err)
		}
	}
	return nil
}
