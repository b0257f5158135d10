package channel_test

// Linearizability: short concurrent histories of one sender goroutine and
// one receiver goroutine, checked with porcupine against a sequential
// FIFO-with-close model written from the doc comments of Sender and
// Receiver.

import (
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
	"github.com/stretchr/testify/require"
)

type linOp uint8

const (
	opTrySend linOp = iota
	opSend
	opSendClose // Sender.Close
	opTryRecv
	opRecv
	opRecvBatch
	opRecvClose // Receiver.Close (disconnect)
)

func (o linOp) String() string {
	return [...]string{"TrySend", "Send", "tx.Close", "TryRecv", "Recv", "RecvBatch", "rx.Close"}[o]
}

// linErr is an operation's error, reduced to what the model distinguishes.
type linErr uint8

const (
	errNil linErr = iota
	errClosed
	errFull
	errEmpty
	errOther // never legal
)

func (e linErr) String() string {
	return [...]string{"nil", "ErrClosed", "ErrFull", "ErrEmpty", "other error"}[e]
}

func classify(err error) linErr {
	switch {
	case err == nil:
		return errNil
	case errors.Is(err, handoff.ErrClosed):
		return errClosed
	case errors.Is(err, handoff.ErrFull):
		return errFull
	case errors.Is(err, handoff.ErrEmpty):
		return errEmpty
	}
	return errOther
}

const linMaxCap = 3

type linInput struct {
	op linOp
	v  int // value sent
	k  int // RecvBatch: len(dst)
}

type linOutput struct {
	err linErr         // Recv and RecvBatch: errNil for ok, errClosed for !ok
	msg string         // the text of an unexpected error
	n   int            // values received
	vs  [linMaxCap]int // the values, in order
}

// linState is the model's state. It is a comparable value: porcupine
// compares states with ==.
type linState struct {
	q        [linMaxCap]int
	n, cap   int
	txClosed bool // the sender closed
	rxClosed bool // the receiver disconnected
	// rendezvous: an unbuffered channel (capacity 0), modelled with one
	// slot that a successful send fills and the receive that takes its
	// item empties; TrySend may report ErrFull with the slot empty (no
	// receiver was waiting). That the send and its receive overlap in
	// time is TestRendezvousIntervalsOverlap's check.
	rendezvous bool
}

func (s linState) closed() bool { return s.txClosed || s.rxClosed }

func (s linState) push(v int) linState {
	s.q[s.n] = v
	s.n++
	return s
}

func (s linState) pop(k int) linState {
	copy(s.q[:], s.q[k:s.n])
	for i := s.n - k; i < s.n; i++ {
		s.q[i] = 0
	}
	s.n -= k
	return s
}

// linStep is the sequential specification, from the doc comments:
//
//   - TrySend: ErrClosed if either endpoint closed (closed wins over full);
//     else ErrFull exactly when full; else enqueued.
//   - Send: enqueued when not closed and not full; ErrClosed when closed.
//     A full open channel blocks: no step (it linearizes later).
//   - Sender.Close / Receiver.Close: ErrClosed exactly when that endpoint
//     already closed; each endpoint's close is separate.
//   - Receiver.Close (disconnect) discards whatever is buffered; every
//     later receive reports closed at once. A send that raced with it and
//     returned nil linearizes before it (its item is among the discarded).
//   - TryRecv: ErrClosed once the receiver closed; else the oldest item if
//     any (after the sender's close too); else ErrClosed if the sender
//     closed; else ErrEmpty.
//   - Recv: as TryRecv, except that it blocks instead of ErrEmpty.
//   - RecvBatch(dst): the k oldest items, 1 <= k <= min(len(dst), buffered),
//     when at least one is buffered; ok=false (n 0) when closed as above;
//     blocks otherwise. k may be short of min(len(dst), buffered): the
//     batch pop reads the producer's index, then releases the slots with
//     one later store, and linearizes at that store, so items published
//     in between are left for the next receive (as documented on
//     Receiver.RecvBatch). A short batch is still a FIFO prefix.
func linStep(state, input, output any) (bool, any) {
	s := state.(linState)
	in := input.(linInput)
	out := output.(linOutput)
	switch in.op {
	case opTrySend:
		switch {
		case s.closed():
			return out.err == errClosed, s
		case s.n == s.cap:
			return out.err == errFull, s
		case s.rendezvous && out.err == errFull:
			return true, s // no receiver was waiting
		}
		return out.err == errNil, s.push(in.v)
	case opSend:
		switch out.err {
		case errNil:
			if s.closed() || s.n == s.cap {
				return false, s
			}
			return true, s.push(in.v)
		case errClosed:
			return s.closed(), s
		}
		return false, s
	case opSendClose:
		if s.txClosed {
			return out.err == errClosed, s
		}
		s.txClosed = true
		return out.err == errNil, s
	case opRecvClose:
		if s.rxClosed {
			return out.err == errClosed, s
		}
		s.rxClosed = true
		s = s.pop(s.n) // discarded
		return out.err == errNil, s
	case opTryRecv, opRecv, opRecvBatch:
		if s.rxClosed {
			return out.err == errClosed && out.n == 0, s
		}
		if s.n == 0 {
			switch {
			case s.closed():
				return out.err == errClosed && out.n == 0, s
			case in.op == opTryRecv:
				return out.err == errEmpty && out.n == 0, s
			}
			return false, s // blocks
		}
		k := 1
		if in.op == opRecvBatch {
			k = out.n // any non-empty FIFO prefix that fits: see above
			if k < 1 || k > min(in.k, s.n) {
				return false, s
			}
		}
		if out.err != errNil || out.n != k {
			return false, s
		}
		for i := 0; i < k; i++ {
			if out.vs[i] != s.q[i] {
				return false, s
			}
		}
		return true, s.pop(k)
	}
	return false, s
}

func linModel(capacity int) porcupine.Model {
	return porcupine.Model{
		Init: func() any {
			if capacity == 0 {
				return linState{cap: 1, rendezvous: true}
			}
			return linState{cap: capacity}
		},
		Step: linStep,
		DescribeOperation: func(input, output any) string {
			in, out := input.(linInput), output.(linOutput)
			switch in.op {
			case opTrySend, opSend:
				if out.msg != "" {
					return fmt.Sprintf("%v(%d) -> %q", in.op, in.v, out.msg)
				}
				return fmt.Sprintf("%v(%d) -> %v", in.op, in.v, out.err)
			case opTryRecv, opRecv:
				if out.err == errNil {
					return fmt.Sprintf("%v() -> %d", in.op, out.vs[0])
				}
				return fmt.Sprintf("%v() -> %v", in.op, out.err)
			case opRecvBatch:
				return fmt.Sprintf("RecvBatch(len %d) -> %v %v", in.k, out.vs[:out.n], out.err)
			}
			return fmt.Sprintf("%v() -> %v", in.op, out.err)
		},
		DescribeState: func(state any) string {
			s := state.(linState)
			var b strings.Builder
			fmt.Fprintf(&b, "%v cap %d", s.q[:s.n], s.cap)
			if s.txClosed {
				b.WriteString(" tx-closed")
			}
			if s.rxClosed {
				b.WriteString(" rx-closed")
			}
			return b.String()
		},
	}
}

// linElem adapts an element type to the recorder: make a fresh value
// carrying id (owned by the sender's owner, for owned types), and read the
// id back on the receiving side.
type linElem[T any] struct {
	make func(tx *sender.Sender[T], id int) T
	id   func(rx *receiver.Receiver[T], v T) int
}

// linMix says who may close when in a recorded history. The sender's
// goroutine and the receiver's goroutine always close their own endpoint
// as their last operation.
type linMix struct {
	// senderClosesEarly: the sender may close at any point of its
	// sequence (then its later sends fail); without it, only last.
	senderClosesEarly bool
	// earlyDisconnect: the receiver may close at any point of its
	// sequence; without it, only last.
	earlyDisconnect bool
	// closer, if not nil, is a third goroutine (client 2) that closes the
	// sender and/or the receiver while the two endpoints' goroutines run.
	closer linCloser
	// histories is how many histories checkHistories records per
	// GOMAXPROCS (50 with -short).
	histories int
	// unbuffered: every history runs on a channel of capacity 0.
	unbuffered bool
}

// linCloser is the third goroutine of a history: with its own random
// source, it calls closeTx and closeRx (each closes that endpoint and
// records the close as client 2) as and when it will.
type linCloser func(r *rand.Rand, closeTx, closeRx func())

// recordHistory runs one random history on a fresh channel and returns it.
// Timestamps come from one sequentially consistent counter read just
// before each call and just after each return, so they order the events
// as they really happened.
func recordHistory[T any](capacity int, seed uint64, mix linMix, el linElem[T]) []porcupine.Operation {
	tx, rx := channel.Make[T](capacity)
	var h linRecorder
	start := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // the sender's goroutine
		defer wg.Done()
		r := rand.New(rand.NewPCG(seed, 1))
		<-start
		nops := 10 + r.IntN(8)
		for i := 1; i <= nops+1; i++ {
			in := linInput{v: i, op: opSendClose}
			if i <= nops {
				switch p := r.IntN(20); {
				case p < 9:
					in.op = opTrySend
				case p < 18:
					in.op = opSend
				case !mix.senderClosesEarly: // half and half, as above
					in.op = [...]linOp{opTrySend, opSend}[p-18]
				}
			}
			call, out := linSend(&h, tx, el, in)
			h.done(0, in, call, out)
			if r.IntN(3) == 0 {
				runtime.Gosched()
			}
		}
	}()
	go func() { // the receiver's goroutine
		defer wg.Done()
		r := rand.New(rand.NewPCG(seed, 2))
		dst := make([]T, linMaxCap)
		<-start
		nops := 10 + r.IntN(8)
		for i := 0; i <= nops; i++ {
			in := linInput{op: opRecvClose}
			if i < nops {
				switch p := r.IntN(20); {
				case p < 7:
					in.op = opTryRecv
				case p < 14:
					in.op = opRecv
				case p < 18 || !mix.earlyDisconnect:
					in.op = opRecvBatch
					in.k = 1 + r.IntN(linMaxCap)
				}
			}
			call, out := linRecv(&h, rx, el, in, dst)
			h.done(1, in, call, out)
			if r.IntN(3) == 0 {
				runtime.Gosched()
			}
		}
	}()
	if mix.closer != nil {
		closeEnd := func(op linOp, close func() error) {
			call := h.call()
			err := close()
			h.done(2, linInput{op: op}, call, errOut(err))
		}
		wg.Add(1)
		go func() { // the closing goroutine
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 3))
			<-start
			mix.closer(r, func() { closeEnd(opSendClose, tx.Close) }, func() { closeEnd(opRecvClose, rx.Close) })
		}()
	}
	close(start)
	wg.Wait()
	return h.hist
}

func checkHistories[T any](t *testing.T, mix linMix, el linElem[T]) {
	histories := mix.histories
	if testing.Short() {
		histories = 50
	}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			for h := 0; h < histories; h++ {
				capacity := 1 + h%linMaxCap
				if mix.unbuffered {
					capacity = 0
				}
				seed := uint64(procs*1_000_000 + h)
				hist := recordHistory(capacity, seed, mix, el)
				requireLinearizable(t, linModel(capacity), hist, []string{"tx", "rx", "closer"},
					fmt.Sprintf("history %d (capacity %d, seed %d) against the FIFO-with-close model", h, capacity, seed))
			}
		})
	}
}

var intElem = linElem[int]{
	make: func(_ *sender.Sender[int], id int) int { return id },
	id:   func(_ *receiver.Receiver[int], v int) int { return v },
}

// ownedElem: owned objects take the transfer path (one more CAS between
// the closed check and the publish), which widens the windows between the
// steps of a send. The receiver checks that each object arrives already
// its own.
var ownedElem = linElem[*Msg]{
	make: func(tx *sender.Sender[*Msg], id int) *Msg {
		m := &Msg{n: id}
		// A sender that closed retires its owner at its next operation;
		// a closed owner adopts nothing, and the send fails with ErrClosed
		// whatever the object's state.
		if err := tx.Owner().Adopt(&m.Header); err != nil && !errors.Is(err, ownership.ErrOwnerClosed) {
			panic(err)
		}
		return m
	},
	id: func(rx *receiver.Receiver[*Msg], m *Msg) int {
		if !rx.Owner().Owns(&m.Header) {
			return -m.n // shows up as a wrong value in the history
		}
		return m.n
	},
}

// The receiver closes only as its last operation: sender close (at any
// point), full and empty channels, blocking and non-blocking forms,
// batches.
var lastDisconnect = linMix{senderClosesEarly: true, histories: 200}

func TestLinearizableInts(t *testing.T)         { checkHistories(t, lastDisconnect, intElem) }
func TestLinearizableOwnedObjects(t *testing.T) { checkHistories(t, lastDisconnect, ownedElem) }

// The receiver may disconnect in the middle of its sequence, while the
// sender keeps sending: a send that already passed its closed check may
// publish after the close (see TestReceiverCloseRacingSendIsFinal for a
// deterministic version); its item must never be delivered.
var earlyDisconnect = linMix{senderClosesEarly: true, earlyDisconnect: true, histories: 200}

func TestLinearizableIntsEarlyDisconnect(t *testing.T) { checkHistories(t, earlyDisconnect, intElem) }
func TestLinearizableOwnedEarlyDisconnect(t *testing.T) {
	checkHistories(t, earlyDisconnect, ownedElem)
}

// Unbuffered channels (capacity 0), with both kinds of close anywhere.
var unbuffered = linMix{senderClosesEarly: true, earlyDisconnect: true, histories: 200, unbuffered: true}

func TestLinearizableIntsUnbuffered(t *testing.T)  { checkHistories(t, unbuffered, intElem) }
func TestLinearizableOwnedUnbuffered(t *testing.T) { checkHistories(t, unbuffered, ownedElem) }

// The model itself must reject what the specification forbids; otherwise
// the histories above prove nothing.
func TestLinearizabilityModelRejects(t *testing.T) {
	op, ok := linOperation, linGot
	bad := map[string][]porcupine.Operation{
		"ErrFull when not full": {
			op(0, 1, 2, linInput{op: opTrySend, v: 1}, linOutput{err: errFull}),
		},
		"reorder": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(0, 3, 4, linInput{op: opSend, v: 2}, linOutput{}),
			op(1, 5, 6, linInput{op: opRecv}, ok(2)),
		},
		"duplicate": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(1, 3, 4, linInput{op: opRecv}, ok(1)),
			op(1, 5, 6, linInput{op: opTryRecv}, ok(1)),
		},
		"closed before drained": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(0, 3, 4, linInput{op: opSendClose}, linOutput{}),
			op(1, 5, 6, linInput{op: opRecv}, linOutput{err: errClosed}),
		},
		"item after closed and drained": {
			op(1, 1, 2, linInput{op: opRecvClose}, linOutput{}),
			op(1, 3, 4, linInput{op: opTryRecv}, linOutput{err: errClosed}),
			op(0, 1, 6, linInput{op: opTrySend, v: 1}, linOutput{}),
			op(1, 7, 8, linInput{op: opTryRecv}, ok(1)),
		},
		"delivered after receiver close": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(1, 3, 4, linInput{op: opRecvClose}, linOutput{}),
			op(1, 5, 6, linInput{op: opTryRecv}, ok(1)),
		},
		"send after receiver close": {
			op(1, 1, 2, linInput{op: opRecvClose}, linOutput{}),
			op(0, 3, 4, linInput{op: opTrySend, v: 1}, linOutput{}),
		},
		"batch out of order": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(0, 3, 4, linInput{op: opSend, v: 2}, linOutput{}),
			op(1, 5, 6, linInput{op: opRecvBatch, k: 3}, ok(2)),
		},
		"batch longer than dst": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(0, 3, 4, linInput{op: opSend, v: 2}, linOutput{}),
			op(1, 5, 6, linInput{op: opRecvBatch, k: 1}, ok(1, 2)),
		},
		"double close accepted": {
			op(0, 1, 2, linInput{op: opSendClose}, linOutput{}),
			op(0, 3, 4, linInput{op: opSendClose}, linOutput{}),
		},
	}
	for name, hist := range bad {
		require.False(t, porcupine.CheckOperations(linModel(2), hist), name)
	}
	good := []porcupine.Operation{
		op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
		op(0, 3, 4, linInput{op: opSend, v: 2}, linOutput{}),
		op(0, 5, 6, linInput{op: opTrySend, v: 3}, linOutput{err: errFull}),
		op(1, 5, 8, linInput{op: opRecvBatch, k: 3}, ok(1, 2)),
		op(0, 9, 10, linInput{op: opSendClose}, linOutput{}),
		op(1, 11, 12, linInput{op: opTryRecv}, linOutput{err: errClosed}),
	}
	require.True(t, porcupine.CheckOperations(linModel(2), good))

	// Unbuffered: two sends cannot both complete before any receive, and
	// an item is received once; a TrySend may fail with nobody waiting.
	badUnbuffered := map[string][]porcupine.Operation{
		"two sends completed, no receive": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(0, 3, 4, linInput{op: opSend, v: 2}, linOutput{}),
		},
		"duplicate": {
			op(0, 1, 4, linInput{op: opSend, v: 1}, linOutput{}),
			op(1, 2, 3, linInput{op: opRecv}, ok(1)),
			op(1, 5, 6, linInput{op: opTryRecv}, ok(1)),
		},
		"received what a failed TrySend offered": {
			op(0, 1, 2, linInput{op: opTrySend, v: 1}, linOutput{err: errFull}),
			op(1, 3, 4, linInput{op: opTryRecv}, ok(1)),
		},
	}
	for name, hist := range badUnbuffered {
		require.False(t, porcupine.CheckOperations(linModel(0), hist), name)
	}
	require.True(t, porcupine.CheckOperations(linModel(0), []porcupine.Operation{
		op(0, 1, 2, linInput{op: opTrySend, v: 1}, linOutput{err: errFull}),
		op(0, 3, 6, linInput{op: opSend, v: 2}, linOutput{}),
		op(1, 4, 5, linInput{op: opRecv}, ok(2)),
	}))
}
