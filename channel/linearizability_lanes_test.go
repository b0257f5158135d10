package channel_test

// Linearizability with two senders (Sender.Clone): two sender goroutines,
// each on its own sender and so on its own lane, and one or two receiver
// goroutines (Receiver.Clone), checked with porcupine against a sequential
// model with one FIFO queue of capacity items per lane:
//
//   - TrySend on lane s: ErrClosed once s closed or the channel is
//     disconnected (closed wins over full); else ErrFull exactly when s's
//     queue is full; else enqueued on s.
//   - Send on lane s: enqueued when open and not full; ErrClosed when
//     closed; blocks (no step) when open and full.
//   - Sender.Close of s: ErrClosed exactly when s already closed.
//   - Receiver.Close: ErrClosed exactly when that receiver already closed;
//     the close of the last open receiver disconnects the channel, which
//     discards every lane's items (as in linearizability_multi_test.go).
//   - A receive on a receiver that closed (or on a disconnected channel)
//     reports ErrClosed. Otherwise, with some item buffered, it takes
//     items from the heads of the lanes: one for TryRecv and Recv, and for
//     RecvBatch and TryRecvBatch k of them, 1 <= k <= min(len(dst),
//     buffered), each item the head of its lane when it is taken, so that
//     each lane's items come in that lane's order while the lanes may be
//     interleaved in dst in any way (a short batch is allowed as in
//     linStep). With every lane empty: ErrClosed if every sender has
//     closed; else ErrEmpty for TryRecv and TryRecvBatch, and Recv and
//     RecvBatch block.
//
// A receive is one step: what it returns must have been the lanes' heads
// at one instant, and ErrEmpty needs an instant at which every lane was
// empty at once, with some sender open. The one exception is a batch that
// took items from both lanes: it is one step per lane, each at its own
// instant within the call (a batch sweeps the lanes, one lane's claim at
// a time: see linLanesAtomicBatches and splitBatchesByLane).
//
// The lane of a value is known from the value: sender s sends
// s*linLaneValues + i (see linLaneValue), and all the values of a history
// are distinct, so a received value matches the head of one lane at most.

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/require"
)

// linLanes is how many senders (lanes) the histories of this file have.
const linLanes = 2

// linLaneValues spaces the lanes' values: sender s sends
// s*linLaneValues + i for its i-th operation (i from 1).
const linLaneValues = 1000

func linLaneValue(lane, i int) int { return lane*linLaneValues + i }

type linLanesInput struct {
	linInput
	lane int // the sender (0 or 1); -1 for a receiver
	rx   int // the receiver (0 or 1); -1 for a sender
	// part: this is the part of a batch that came from one lane (see
	// splitBatchesByLane).
	part bool
}

// linLanesState is the model's state; comparable, for porcupine.
type linLanesState struct {
	q            [linLanes][linMaxCap]int
	n            [linLanes]int
	cap          int
	txClosed     [linLanes]bool // that sender closed
	rxs          int            // how many receivers the history has
	rxDone       [2]bool        // that receiver closed
	disconnected bool           // every receiver closed: items discarded
}

func (s linLanesState) laneClosed(l int) bool { return s.txClosed[l] || s.disconnected }

func (s linLanesState) buffered() int {
	t := 0
	for _, n := range s.n {
		t += n
	}
	return t
}

func (s linLanesState) allSendersClosed() bool {
	for _, c := range s.txClosed {
		if !c {
			return false
		}
	}
	return true
}

func (s linLanesState) push(l, v int) linLanesState {
	s.q[l][s.n[l]] = v
	s.n[l]++
	return s
}

// popValue takes v from the head of the lane whose head it is, and
// reports whether there was one.
func (s linLanesState) popValue(v int) (linLanesState, bool) {
	for l := range s.q {
		if s.n[l] > 0 && s.q[l][0] == v {
			copy(s.q[l][:], s.q[l][1:s.n[l]])
			s.n[l]--
			s.q[l][s.n[l]] = 0
			return s, true
		}
	}
	return s, false
}

func linLanesStep(state, input, output any) (bool, any) {
	s := state.(linLanesState)
	in := input.(linLanesInput)
	out := output.(linOutput)
	switch in.op {
	case opTrySend:
		switch {
		case s.laneClosed(in.lane):
			return out.err == errClosed, s
		case s.n[in.lane] == s.cap:
			return out.err == errFull, s
		}
		return out.err == errNil, s.push(in.lane, in.v)
	case opSend:
		switch out.err {
		case errNil:
			if s.laneClosed(in.lane) || s.n[in.lane] == s.cap {
				return false, s // a full open lane blocks
			}
			return true, s.push(in.lane, in.v)
		case errClosed:
			return s.laneClosed(in.lane), s
		}
		return false, s
	case opSendClose:
		if s.txClosed[in.lane] {
			return out.err == errClosed, s
		}
		s.txClosed[in.lane] = true
		return out.err == errNil, s
	case opRecvClose:
		if s.rxDone[in.rx] {
			return out.err == errClosed, s
		}
		s.rxDone[in.rx] = true
		last := true
		for j := 0; j < s.rxs; j++ {
			last = last && s.rxDone[j]
		}
		if last { // the last open receiver: disconnect, discard
			s.disconnected = true
			s.q, s.n = [linLanes][linMaxCap]int{}, [linLanes]int{}
		}
		return out.err == errNil, s
	case opTryRecv, opRecv, opRecvBatch, opTryRecvBatch:
		if s.rxDone[in.rx] || s.disconnected {
			return out.err == errClosed && out.n == 0, s
		}
		buffered := s.buffered()
		if buffered == 0 {
			switch {
			case s.allSendersClosed():
				return out.err == errClosed && out.n == 0, s
			case in.op == opTryRecv || in.op == opTryRecvBatch:
				return out.err == errEmpty && out.n == 0, s
			}
			return false, s // blocks
		}
		k := 1
		if in.op == opRecvBatch || in.op == opTryRecvBatch {
			k = out.n // a short batch is allowed: see linStep
			if k < 1 || k > min(in.k, buffered) {
				return false, s
			}
		}
		if out.err != errNil || out.n != k {
			return false, s
		}
		for _, v := range out.vs[:k] {
			var ok bool
			if s, ok = s.popValue(v); !ok {
				return false, s
			}
		}
		return true, s
	}
	return false, s
}

func linLanesModel(capacity, receivers int) porcupine.Model {
	return porcupine.Model{
		Init: func() any { return linLanesState{cap: capacity, rxs: receivers} },
		Step: linLanesStep,
		DescribeOperation: func(input, output any) string {
			in, out := input.(linLanesInput), output.(linOutput)
			switch in.op {
			case opTrySend, opSend:
				if out.msg != "" {
					return fmt.Sprintf("%v(%d) -> %q", in.op, in.v, out.msg)
				}
				return fmt.Sprintf("%v(%d) -> %v", in.op, in.v, out.err)
			case opSendClose:
				return fmt.Sprintf("tx%d.Close() -> %v", in.lane, out.err)
			case opRecvClose:
				return fmt.Sprintf("rx%d.Close() -> %v", in.rx, out.err)
			case opTryRecv, opRecv:
				if out.err == errNil {
					return fmt.Sprintf("%v() -> %d", in.op, out.vs[0])
				}
				if out.msg != "" {
					return fmt.Sprintf("%v() -> %q", in.op, out.msg)
				}
				return fmt.Sprintf("%v() -> %v", in.op, out.err)
			case opRecvBatch, opTryRecvBatch:
				name := "RecvBatch"
				if in.op == opTryRecvBatch {
					name = "TryRecvBatch"
				}
				if in.part {
					name += " lane part"
				}
				return fmt.Sprintf("%s(len %d) -> %v %v", name, in.k, out.vs[:min(out.n, linMaxCap)], out.err)
			}
			return fmt.Sprintf("%v -> %v", in.op, out.err)
		},
		DescribeState: func(state any) string {
			s := state.(linLanesState)
			var b strings.Builder
			for l := range s.q {
				fmt.Fprintf(&b, "lane%d %v", l, s.q[l][:s.n[l]])
				if s.txClosed[l] {
					b.WriteString(" closed")
				}
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "cap %d rx-done %v", s.cap, s.rxDone[:s.rxs])
			if s.disconnected {
				b.WriteString(" disconnected")
			}
			return b.String()
		},
	}
}

// recordLanesHistory runs one random history: clients 0 and 1 send on tx
// and on a clone of it, each closing its sender as its last operation;
// clients 2 (and 3, with two receivers) receive on rx (and on a clone of
// it), each closing its receiver last.
func recordLanesHistory[T any](capacity, receivers int, seed uint64, el linElem[T]) []porcupine.Operation {
	tx, rx := channel.Make[T](capacity)
	tx2, err := tx.Clone()
	if err != nil {
		panic(err)
	}
	txs := [linLanes]*channel.Sender[T]{tx, tx2}
	rxs := []*channel.Receiver[T]{rx}
	if receivers == 2 {
		rx2, err := rx.Clone()
		if err != nil {
			panic(err)
		}
		rxs = append(rxs, rx2)
	}
	var h linRecorder
	start := make(chan struct{})
	var wg sync.WaitGroup
	for lane, tx := range txs {
		wg.Add(1)
		go func() { // a sender
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(1+lane)))
			<-start
			nops := 10 + r.IntN(8)
			for i := 1; i <= nops+1; i++ {
				in := linLanesInput{linInput{v: linLaneValue(lane, i), op: opSendClose}, lane, -1, false}
				if i <= nops {
					in.op = opSend
					if r.IntN(2) == 0 {
						in.op = opTrySend
					}
				}
				call, out := linSend(&h, tx, el, in.linInput)
				h.done(lane, in, call, out)
				if r.IntN(3) == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	// One receiver does about as many operations as the two senders
	// together; two share that.
	minOps, spread := 20, 12
	if receivers == 2 {
		minOps, spread = 8, 8
	}
	for j, rx := range rxs {
		wg.Add(1)
		go func() { // a receiver
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(1+linLanes+j)))
			dst := make([]T, linMaxCap)
			<-start
			nops := minOps + r.IntN(spread)
			for i := 0; i <= nops; i++ {
				in := linLanesInput{linInput{op: opRecvClose}, -1, j, false}
				if i < nops {
					in.linInput = randomRecvInput(r)
				}
				call, out := linRecv(&h, rx, el, in.linInput, dst)
				h.done(linLanes+j, in, call, out)
				if r.IntN(3) == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	return h.hist
}

// linLanesAtomicBatches: check every batch as one step, all of its lanes
// at one instant. It is false because that is not what the documentation
// promises: a batch sweeps the lanes once, taking one lane's claim at a
// time ("one index publish per lane"; "the items a batch takes from one
// lane are claimed together"), so the items it takes from one lane may be
// taken before an item arrives on another lane that it takes too, and
// another receiver may take items in between. With true, the two-receiver
// histories fail within a few runs (see TestLinearizabilityLanesModelRejects,
// "a batch's lanes taken at different instants").
const linLanesAtomicBatches = false

// splitBatchesByLane replaces each batch that received items from more
// than one lane with one operation per lane, each with the batch's call
// and return times and that lane's items in the order received: each
// lane's part is then one step of the model, at its own instant within
// the call. A value that belongs to no lane stays with the others of its
// kind, and the model rejects it.
func splitBatchesByLane(hist []porcupine.Operation) []porcupine.Operation {
	laneOf := func(v int) int {
		if v < 0 || v/linLaneValues >= linLanes {
			return linLanes // no lane: its own group
		}
		return v / linLaneValues
	}
	var split []porcupine.Operation
	for _, o := range hist {
		in, out := o.Input.(linLanesInput), o.Output.(linOutput)
		if (in.op != opRecvBatch && in.op != opTryRecvBatch) || out.err != errNil || out.n < 2 || out.n > linMaxCap {
			split = append(split, o)
			continue
		}
		var parts [linLanes + 1]linOutput
		for _, v := range out.vs[:out.n] {
			p := &parts[laneOf(v)]
			p.vs[p.n] = v
			p.n++
		}
		if slices.ContainsFunc(parts[:], func(p linOutput) bool { return p.n == out.n }) {
			split = append(split, o) // one lane only
			continue
		}
		in.part = true
		for _, p := range parts {
			if p.n > 0 {
				o.Input, o.Output = in, p
				split = append(split, o)
			}
		}
	}
	return split
}

func checkLanesHistories[T any](t *testing.T, receivers int, el linElem[T]) {
	histories := 200
	if testing.Short() {
		histories = 50
	}
	clients := []string{"tx", "tx2", "rx", "rx2"}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			for h := 0; h < histories; h++ {
				capacity := 1 + h%linMaxCap
				seed := uint64(procs*1_000_000 + h)
				hist := recordLanesHistory(capacity, receivers, seed, el)
				if !linLanesAtomicBatches {
					hist = splitBatchesByLane(hist)
				}
				requireLinearizable(t, linLanesModel(capacity, receivers), hist, clients[:linLanes+receivers],
					fmt.Sprintf("history %d (capacity %d, seed %d) against the two-lane model with %d receiver(s)",
						h, capacity, seed, receivers))
			}
		})
	}
}

func TestLinearizableTwoSendersInts(t *testing.T)  { checkLanesHistories(t, 1, intElem) }
func TestLinearizableTwoSendersOwned(t *testing.T) { checkLanesHistories(t, 1, ownedElem) }

func TestLinearizableTwoSendersTwoReceiversInts(t *testing.T) {
	checkLanesHistories(t, 2, intElem)
}

func TestLinearizableTwoSendersTwoReceiversOwned(t *testing.T) {
	checkLanesHistories(t, 2, ownedElem)
}

// The two-lane model must reject what the specification forbids, or the
// histories above prove nothing.
func TestLinearizabilityLanesModelRejects(t *testing.T) {
	op, ok := linOperation, linGot
	send := func(lane, v int) linLanesInput { return linLanesInput{linInput{op: opSend, v: v}, lane, -1, false} }
	trySend := func(lane, v int) linLanesInput { return linLanesInput{linInput{op: opTrySend, v: v}, lane, -1, false} }
	closeTx := func(lane int) linLanesInput { return linLanesInput{linInput{op: opSendClose}, lane, -1, false} }
	recvOp := func(rx int, op linOp) linLanesInput { return linLanesInput{linInput{op: op}, -1, rx, false} }
	batch := func(rx int, op linOp, k int) linLanesInput {
		return linLanesInput{linInput{op: op, k: k}, -1, rx, false}
	}
	closeRx := func(rx int) linLanesInput { return linLanesInput{linInput{op: opRecvClose}, -1, rx, false} }
	empty, closed := linOutput{err: errEmpty}, linOutput{err: errClosed}
	a1, a2, b1 := linLaneValue(0, 1), linLaneValue(0, 2), linLaneValue(1, 1)

	// culprit is the operation that makes a rejected history illegal:
	// without it, the model must accept the rest, so that each case is
	// rejected for the reason its name gives.
	type lanesCase struct {
		receivers, culprit int
		hist               []porcupine.Operation
	}
	bad := map[string]lanesCase{
		"lane order violated": {1, 4, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(0, 3, 4, send(0, a2), linOutput{}),
			op(1, 5, 6, send(1, b1), linOutput{}),
			op(2, 7, 8, recvOp(0, opRecv), ok(b1)),
			op(2, 9, 10, recvOp(0, opRecv), ok(a2)),
		}},
		"lane order violated within a batch": {1, 3, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(0, 3, 4, send(0, a2), linOutput{}),
			op(1, 5, 6, send(1, b1), linOutput{}),
			op(2, 7, 8, batch(0, opRecvBatch, 3), ok(b1, a2, a1)),
		}},
		"lane order violated across receivers": {2, 2, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(0, 3, 4, send(0, a2), linOutput{}),
			op(3, 5, 6, recvOp(1, opTryRecv), ok(a2)),
			op(2, 7, 8, recvOp(0, opTryRecv), ok(a1)),
		}},
		"a value on the wrong lane": {1, 1, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(2, 3, 4, recvOp(0, opRecv), ok(b1)),
		}},
		"ErrFull on a lane that is not full": {1, 3, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}), // capacity 2 below: lane 0 has room
			op(1, 3, 4, send(1, b1), linOutput{}),
			op(1, 5, 6, trySend(1, linLaneValue(1, 2)), linOutput{}),
			op(0, 7, 8, trySend(0, a2), linOutput{err: errFull}),
		}},
		"ErrEmpty with an item in the other lane": {1, 1, []porcupine.Operation{
			op(1, 1, 2, send(1, b1), linOutput{}),
			op(2, 3, 4, recvOp(0, opTryRecv), empty),
			op(2, 5, 6, recvOp(0, opRecv), ok(b1)),
		}},
		"TryRecvBatch ErrEmpty with an item in the other lane": {2, 1, []porcupine.Operation{
			op(1, 1, 2, send(1, b1), linOutput{}),
			op(2, 3, 4, batch(0, opTryRecvBatch, 2), empty),
			op(3, 5, 6, recvOp(1, opRecv), ok(b1)),
		}},
		// The known suspect: a scan that found lane 1 empty (before b1
		// arrived) and then lane 0 empty (after the other receiver took
		// a1): each lane was empty at some instant, never both at once.
		"ErrEmpty with the lanes empty at different instants": {2, 1, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(2, 3, 10, recvOp(0, opTryRecv), empty),
			op(1, 4, 5, send(1, b1), linOutput{}),
			op(3, 6, 7, recvOp(1, opTryRecv), ok(a1)),
			op(3, 11, 12, recvOp(1, opTryRecv), ok(b1)),
		}},
		"ErrClosed while a sender is open": {1, 1, []porcupine.Operation{
			op(0, 1, 2, closeTx(0), linOutput{}),
			op(2, 3, 4, recvOp(0, opTryRecv), closed),
		}},
		"Recv ErrClosed while a sender is open": {2, 1, []porcupine.Operation{
			op(1, 1, 2, closeTx(1), linOutput{}),
			op(3, 3, 4, recvOp(1, opRecv), closed),
		}},
		"ErrClosed before the other lane is drained": {1, 3, []porcupine.Operation{
			op(1, 1, 2, send(1, b1), linOutput{}),
			op(0, 3, 4, closeTx(0), linOutput{}),
			op(1, 5, 6, closeTx(1), linOutput{}),
			op(2, 7, 8, recvOp(0, opRecv), closed),
		}},
		"ErrClosed on a lane whose sender is open": {1, 1, []porcupine.Operation{
			op(0, 1, 2, closeTx(0), linOutput{}),
			op(1, 3, 4, trySend(1, b1), closed),
		}},
		"received twice": {2, 2, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(2, 3, 4, recvOp(0, opRecv), ok(a1)),
			op(3, 5, 6, recvOp(1, opRecv), ok(a1)),
		}},
		"disconnected by one receiver's close of two": {2, 1, []porcupine.Operation{
			op(2, 1, 2, closeRx(0), linOutput{}),
			op(1, 3, 4, send(1, b1), closed),
		}},
		"batch longer than what is buffered": {1, 2, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(1, 3, 4, send(1, b1), linOutput{}),
			op(2, 5, 6, batch(0, opRecvBatch, 3), ok(b1, a1, a2)),
		}},
	}
	for name, c := range bad {
		model := linLanesModel(2, c.receivers)
		require.False(t, porcupine.CheckOperations(model, c.hist), name)
		rest := slices.Delete(slices.Clone(c.hist), c.culprit, c.culprit+1)
		require.True(t, porcupine.CheckOperations(model, rest), "%s, without its culprit", name)
	}

	// And accept what it allows: lanes interleaved in a batch in any
	// order that keeps each lane's, ErrEmpty at an instant both lanes were
	// empty, ErrClosed once both senders closed and the lanes drained.
	good := map[string]lanesCase{
		"lanes interleaved in a batch": {1, -1, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(0, 3, 4, send(0, a2), linOutput{}),
			op(1, 5, 6, send(1, b1), linOutput{}),
			op(2, 7, 8, batch(0, opTryRecvBatch, 3), ok(a1, b1, a2)),
			op(0, 9, 10, closeTx(0), linOutput{}),
			op(2, 11, 12, recvOp(0, opTryRecv), empty),
			op(1, 13, 14, closeTx(1), linOutput{}),
			op(2, 15, 16, recvOp(0, opRecv), closed),
			op(2, 17, 18, closeRx(0), linOutput{}),
		}},
		"ErrEmpty overlapping a receive and a send": {2, -1, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(2, 3, 10, recvOp(0, opTryRecv), empty),
			op(3, 4, 5, recvOp(1, opTryRecv), ok(a1)),
			op(1, 6, 7, send(1, b1), linOutput{}),
			op(3, 11, 12, batch(1, opRecvBatch, 2), ok(b1)),
		}},
		"per-lane ErrFull": {1, -1, []porcupine.Operation{
			op(0, 1, 2, send(0, a1), linOutput{}),
			op(0, 3, 4, send(0, a2), linOutput{}),
			op(0, 5, 6, trySend(0, linLaneValue(0, 3)), linOutput{err: errFull}),
			op(1, 7, 8, trySend(1, b1), linOutput{}),
			op(2, 9, 10, closeRx(0), linOutput{}),
			op(1, 11, 12, trySend(1, linLaneValue(1, 2)), closed),
			op(1, 13, 14, closeTx(1), linOutput{}),
		}},
	}
	for name, c := range good {
		require.True(t, porcupine.CheckOperations(linLanesModel(2, c.receivers), c.hist), name)
	}

	// A batch is a sweep of the lanes, one lane's claim at a time (see
	// linLanesAtomicBatches): here rx's batch takes a1 from lane 0, so
	// that a2 can arrive and rx2 take it with b1, so that b2 can arrive,
	// and then b2 from lane 1. As one step the batch would have to come
	// both before a2 arrived and after b2 did: not linearizable. Split
	// by lane, each part is a step of its own, and the history is legal.
	// Capacity 1.
	b2 := linLaneValue(1, 2)
	sweep := []porcupine.Operation{
		op(0, 1, 2, send(0, a1), linOutput{}),
		op(1, 3, 4, send(1, b1), linOutput{}),
		op(2, 5, 20, batch(0, opRecvBatch, 3), ok(a1, b2)),
		op(0, 6, 9, send(0, a2), linOutput{}),
		op(3, 10, 11, batch(1, opTryRecvBatch, 3), ok(b1, a2)),
		op(1, 12, 13, send(1, b2), linOutput{}),
	}
	require.False(t, porcupine.CheckOperations(linLanesModel(1, 2), sweep), "a batch's lanes taken at different instants, as one step")
	require.True(t, porcupine.CheckOperations(linLanesModel(1, 2), splitBatchesByLane(sweep)), "a batch's lanes taken at different instants, split by lane")
	// Splitting keeps each lane's part a step: a batch that takes two
	// items of one lane with another receiver's item of that lane in
	// between is still rejected.
	interleaved := []porcupine.Operation{
		op(0, 1, 2, send(0, a1), linOutput{}),
		op(0, 3, 4, send(0, a2), linOutput{}),
		op(1, 5, 6, send(1, b1), linOutput{}),
		op(0, 7, 8, send(0, linLaneValue(0, 3)), linOutput{}),
		op(2, 9, 14, batch(0, opRecvBatch, 3), ok(a1, b1, linLaneValue(0, 3))),
		op(3, 10, 11, recvOp(1, opRecv), ok(a2)),
	}
	require.False(t, porcupine.CheckOperations(linLanesModel(3, 2), splitBatchesByLane(interleaved)), "another receiver's item between two of one lane's part")
}
