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
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/handoff-go/handoff/channel"
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

// recordCloseHistory is recordHistory with a third client (2) that closes
// the sender and/or the receiver after a random number of yields. The
// sender's and the receiver's goroutines still close their own endpoint
// as their last operation (ErrClosed when the closer was first).
func recordCloseHistory[T any](capacity int, seed uint64, el linElem[T]) []porcupine.Operation {
	tx, rx := channel.Make[T](capacity)
	var clock atomic.Int64
	var mu sync.Mutex
	var hist []porcupine.Operation
	record := func(client int, in linInput, call int64, out linOutput) {
		ret := clock.Add(1)
		mu.Lock()
		hist = append(hist, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret})
		mu.Unlock()
	}
	errOut := func(err error) linOutput {
		out := linOutput{err: classify(err)}
		if out.err == errOther {
			out.msg = err.Error()
		}
		return out
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { // the sender's goroutine
		defer wg.Done()
		r := rand.New(rand.NewPCG(seed, 1))
		<-start
		nops := 10 + r.IntN(8)
		for i := 1; i <= nops+1; i++ {
			in := linInput{v: i, op: opSendClose}
			if i <= nops {
				in.op = opTrySend
				if r.IntN(2) == 0 {
					in.op = opSend
				}
			}
			var err error
			var call int64
			switch in.op {
			case opTrySend:
				v := el.make(tx, i)
				call = clock.Add(1)
				err = tx.TrySend(v)
			case opSend:
				v := el.make(tx, i)
				call = clock.Add(1)
				err = tx.Send(v)
			case opSendClose:
				call = clock.Add(1)
				err = tx.Close()
			}
			record(0, in, call, errOut(err))
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
				switch p := r.IntN(3); p {
				case 0:
					in.op = opTryRecv
				case 1:
					in.op = opRecv
				default:
					in.op = opRecvBatch
					in.k = 1 + r.IntN(linMaxCap)
				}
			}
			var out linOutput
			call := clock.Add(1)
			switch in.op {
			case opTryRecv:
				v, err := rx.TryRecv()
				out = errOut(err)
				if err == nil {
					out.n, out.vs[0] = 1, el.id(rx, v)
				}
			case opRecv:
				v, ok := rx.Recv()
				out.err = errClosed
				if ok {
					out.err, out.n, out.vs[0] = errNil, 1, el.id(rx, v)
				}
			case opRecvBatch:
				n, ok := rx.RecvBatch(dst[:in.k])
				out.err = errClosed
				if ok {
					out.err = errNil
				}
				out.n = n
				for j := 0; j < n && j < linMaxCap; j++ {
					out.vs[j] = el.id(rx, dst[j])
				}
			case opRecvClose:
				out = errOut(rx.Close())
			}
			record(1, in, call, out)
			if r.IntN(3) == 0 {
				runtime.Gosched()
			}
		}
	}()
	go func() { // the closing goroutine
		defer wg.Done()
		r := rand.New(rand.NewPCG(seed, 3))
		plan := closerPlan(r.IntN(5))
		<-start
		for _, op := range plan.ops() {
			for range r.IntN(40) {
				runtime.Gosched()
			}
			call := clock.Add(1)
			var err error
			if op == opSendClose {
				err = tx.Close()
			} else {
				err = rx.Close()
			}
			record(2, linInput{op: op}, call, errOut(err))
		}
	}()
	close(start)
	wg.Wait()
	return hist
}

func checkCloseHistories[T any](t *testing.T, el linElem[T]) {
	histories := 300
	if testing.Short() {
		histories = 50
	}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			for h := 0; h < histories; h++ {
				capacity := 1 + h%linMaxCap
				seed := uint64(procs*1_000_000 + h)
				hist := recordCloseHistory(capacity, seed, el)
				model := linModel(capacity)
				res, info := porcupine.CheckOperationsVerbose(model, hist, 10*time.Second)
				if res == porcupine.Ok {
					continue
				}
				f, err := os.CreateTemp("", "handoff-linearizability-close-*.html")
				require.NoError(t, err)
				require.NoError(t, f.Close())
				require.NoError(t, porcupine.VisualizePath(model, info, f.Name()))
				t.Fatalf("history %d (capacity %d, seed %d, closer %v) is %v against the FIFO-with-close model; visualization: %s\n%s",
					h, capacity, seed, closerPlanOf(seed), res, f.Name(), describeHistory3(model, hist))
			}
		})
	}
}

func closerPlanOf(seed uint64) []linOp {
	return closerPlan(rand.New(rand.NewPCG(seed, 3)).IntN(5)).ops()
}

// describeHistory3 lists a three-client history by call time.
func describeHistory3(model porcupine.Model, hist []porcupine.Operation) string {
	ops := slices.Clone(hist)
	slices.SortFunc(ops, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
	var b strings.Builder
	for _, o := range ops {
		side := [...]string{"tx", "rx", "closer"}[o.ClientId]
		fmt.Fprintf(&b, "  [%3d,%3d] %-6s %s\n", o.Call, o.Return, side, model.DescribeOperation(o.Input, o.Output))
	}
	return b.String()
}

// A third goroutine closes the sender and/or the receiver while the two
// endpoints' goroutines run.
func TestLinearizableIntsThirdGoroutineCloses(t *testing.T) {
	checkCloseHistories(t, intElem)
}

func TestLinearizableOwnedThirdGoroutineCloses(t *testing.T) {
	checkCloseHistories(t, ownedCloseElem)
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
