package channel_test

// Linearizability with a third, closing goroutine (issue 10): the sender's
// goroutine and the receiver's goroutine run random operations as in
// linearizability_test.go, while a third goroutine closes the sender, the
// receiver (a disconnect), or both, at a random point. The histories are
// checked against the same sequential model (linModel), which already
// specifies both closes: a send that returned nil is linearized before
// the close that ended it and must be received (sender close) or
// discarded (receiver close); a blocked operation woken by a close reports
// closed.

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/handoff-go/handoff/sender"
	"github.com/stretchr/testify/require"
)

// closerPlan is what the third goroutine closes, in order.
type closerPlan uint8

const (
	closeTx closerPlan = iota
	closeRx
	closeTxThenRx
	closeRxThenTx
	closeTxTwice
)

func (p closerPlan) ops() []linOp {
	switch p {
	case closeTx:
		return []linOp{opSendClose}
	case closeRx:
		return []linOp{opRecvClose}
	case closeTxThenRx:
		return []linOp{opSendClose, opRecvClose}
	case closeRxThenTx:
		return []linOp{opRecvClose, opSendClose}
	}
	return []linOp{opSendClose, opSendClose}
}

// ownedCloseElem is ownedElem for histories in which the sender may be
// closed by another goroutine: closing the sender retires its fresh
// owner, so an Adopt after that may fail; the object's send then fails
// with ErrClosed, which the model checks, so the Adopt error is ignored.
var ownedCloseElem = linElem[*Msg]{
	make: func(tx *sender.Sender[*Msg], id int) *Msg {
		m := &Msg{n: id}
		_ = tx.Owner().Adopt(&m.Header)
		return m
	},
	id: ownedElem.id,
}

// thirdGoroutineCloses is the closing goroutine of these histories: it
// draws a closerPlan and carries it out, each close after a random number
// of yields.
func thirdGoroutineCloses(r *rand.Rand, closeTx, closeRx func()) {
	for _, op := range closerPlan(r.IntN(5)).ops() {
		for range r.IntN(40) {
			runtime.Gosched()
		}
		if op == opSendClose {
			closeTx()
		} else {
			closeRx()
		}
	}
}

// thirdCloses: the sender's goroutine sends (TrySend or Send, half and
// half) and the receiver's receives until their last operation, their own
// close (ErrClosed when the closer was first), while the third goroutine
// closes.
var thirdCloses = linMix{closer: thirdGoroutineCloses, histories: 300}

// A third goroutine closes the sender and/or the receiver while the two
// endpoints' goroutines run.
func TestLinearizableIntsThirdGoroutineCloses(t *testing.T) {
	checkHistories(t, thirdCloses, intElem)
}

func TestLinearizableOwnedThirdGoroutineCloses(t *testing.T) {
	checkHistories(t, thirdCloses, ownedCloseElem)
}

// The model must reject the failures a closing third goroutine could
// cause, or the histories above prove nothing.
func TestLinearizabilityCloseModelRejects(t *testing.T) {
	op := func(client int, call, ret int64, in linInput, out linOutput) porcupine.Operation {
		return porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret}
	}
	bad := map[string][]porcupine.Operation{
		// Issue 10.1: a send that returned nil, then a close from a third
		// goroutine, and the receiver reports closed without the item.
		"accepted then lost at a third goroutine's close": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(2, 3, 4, linInput{op: opSendClose}, linOutput{}),
			op(1, 5, 6, linInput{op: opRecv}, linOutput{err: errClosed}),
		},
		// The same with the send overlapping the close: it may linearize
		// before it (then it is received) or fail, not both.
		"overlapping send accepted, item never received": {
			op(0, 1, 6, linInput{op: opSend, v: 1}, linOutput{}),
			op(2, 2, 3, linInput{op: opSendClose}, linOutput{}),
			op(1, 7, 8, linInput{op: opTryRecv}, linOutput{err: errClosed}),
		},
		// Issue 10.3: a receive that starts after the disconnect returned
		// must not deliver or block; reporting an item is wrong.
		"delivered after a third goroutine's disconnect": {
			op(0, 1, 2, linInput{op: opSend, v: 1}, linOutput{}),
			op(2, 3, 4, linInput{op: opRecvClose}, linOutput{}),
			op(1, 5, 6, linInput{op: opRecv}, linOutput{n: 1, vs: [linMaxCap]int{1}}),
		},
		"close by two goroutines both nil": {
			op(0, 1, 4, linInput{op: opSendClose}, linOutput{}),
			op(2, 2, 3, linInput{op: opSendClose}, linOutput{}),
		},
	}
	for name, hist := range bad {
		require.False(t, porcupine.CheckOperations(linModel(2), hist), name)
	}
	good := []porcupine.Operation{
		op(0, 1, 6, linInput{op: opSend, v: 1}, linOutput{}),
		op(2, 2, 3, linInput{op: opSendClose}, linOutput{}),
		op(1, 7, 8, linInput{op: opTryRecv}, linOutput{n: 1, vs: [linMaxCap]int{1}}),
		op(1, 9, 10, linInput{op: opRecv}, linOutput{err: errClosed}),
		op(0, 11, 12, linInput{op: opSendClose}, linOutput{err: errClosed}),
	}
	require.True(t, porcupine.CheckOperations(linModel(2), good))
}
