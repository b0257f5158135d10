package channel_test

// Linearizability with two receivers (Receiver.Clone): one sender
// goroutine and two receiver goroutines, each on its own receiver, checked
// with porcupine against the FIFO-with-close model of linearizability_test.go
// extended with one closed flag per receiver: a receiver that closed
// reports ErrClosed; the channel disconnects (discarding what is buffered)
// when the second one closes. Each item must be received once, in order.

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/require"
)

// opTryRecvBatch is Receiver.TryRecvBatch, known only to the two-receiver
// model (the single-receiver model's ops are numbered from 0).
const opTryRecvBatch linOp = 100

type linMultiInput struct {
	linInput
	rx int // which receiver (0 or 1); -1 for the sender
}

type linMultiState struct {
	linState
	rxDone [2]bool // that receiver closed
}

// linMultiStep is linStep with two receivers.
func linMultiStep(state, input, output any) (bool, any) {
	s := state.(linMultiState)
	in := input.(linMultiInput)
	out := output.(linOutput)
	delegate := func(li linInput) (bool, any) {
		ok, next := linStep(s.linState, li, out)
		s.linState = next.(linState)
		return ok, s
	}
	switch in.op {
	case opRecvClose:
		if s.rxDone[in.rx] {
			return out.err == errClosed, s
		}
		s.rxDone[in.rx] = true
		if s.rxDone[0] && s.rxDone[1] {
			return delegate(in.linInput) // the last one: disconnect
		}
		return out.err == errNil, s
	case opTryRecv, opRecv, opRecvBatch, opTryRecvBatch:
		if s.rxDone[in.rx] {
			return out.err == errClosed && out.n == 0, s
		}
		li := in.linInput
		if in.op == opTryRecvBatch {
			if s.n == 0 && !s.closed() {
				return out.err == errEmpty && out.n == 0, s
			}
			li.op = opRecvBatch
		}
		return delegate(li)
	}
	return delegate(in.linInput)
}

func linMultiModel(capacity int) porcupine.Model {
	single := linModel(capacity)
	return porcupine.Model{
		Init: func() any { return linMultiState{linState: linState{cap: capacity}} },
		Step: linMultiStep,
		DescribeOperation: func(input, output any) string {
			in, out := input.(linMultiInput), output.(linOutput)
			who := "tx"
			if in.rx >= 0 {
				who = fmt.Sprintf("rx%d", in.rx)
			}
			if in.op == opTryRecvBatch {
				return fmt.Sprintf("%s TryRecvBatch(len %d) -> %v %v", who, in.k, out.vs[:out.n], out.err)
			}
			return who + " " + single.DescribeOperation(in.linInput, output)
		},
		DescribeState: func(state any) string {
			s := state.(linMultiState)
			return fmt.Sprintf("%s rx-done %v", single.DescribeState(s.linState), s.rxDone)
		},
	}
}

// recordMultiHistory runs one random history: client 0 sends (and may
// close early), clients 1 and 2 receive on rx and on a clone of it, each
// closing its receiver last.
func recordMultiHistory[T any](capacity int, seed uint64, el linElem[T]) []porcupine.Operation {
	tx, rx := channel.Make[T](capacity)
	rx2, err := rx.Clone()
	if err != nil {
		panic(err)
	}
	rxs := [2]*channel.Receiver[T]{rx, rx2}
	var h linRecorder
	start := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { // the sender
		defer wg.Done()
		r := rand.New(rand.NewPCG(seed, 1))
		<-start
		nops := 10 + r.IntN(8)
		for i := 1; i <= nops+1; i++ {
			in := linMultiInput{linInput{v: i, op: opSendClose}, -1}
			if i <= nops {
				switch p := r.IntN(20); {
				case p < 9:
					in.op = opTrySend
				case p < 19:
					in.op = opSend
				}
			}
			call, out := linSend(&h, tx, el, in.linInput)
			h.done(0, in, call, out)
			if r.IntN(3) == 0 {
				runtime.Gosched()
			}
		}
	}()
	for j, rx := range rxs {
		go func() { // a receiver
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(2+j)))
			dst := make([]T, linMaxCap)
			<-start
			nops := 5 + r.IntN(6)
			for i := 0; i <= nops; i++ {
				in := linMultiInput{linInput{op: opRecvClose}, j}
				if i < nops {
					in.linInput = randomRecvInput(r)
				}
				call, out := linRecv(&h, rx, el, in.linInput, dst)
				h.done(1+j, in, call, out)
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

// randomRecvInput draws one receive of a history with several receivers
// or lanes: TryRecv, Recv, RecvBatch or TryRecvBatch (of 1 to linMaxCap
// items), a quarter of the time each.
func randomRecvInput(r *rand.Rand) linInput {
	switch r.IntN(4) {
	case 0:
		return linInput{op: opTryRecv}
	case 1:
		return linInput{op: opRecv}
	case 2:
		return linInput{op: opRecvBatch, k: 1 + r.IntN(linMaxCap)}
	default:
		return linInput{op: opTryRecvBatch, k: 1 + r.IntN(linMaxCap)}
	}
}

func checkMultiHistories[T any](t *testing.T, el linElem[T]) {
	histories := 200
	if testing.Short() {
		histories = 50
	}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			for h := 0; h < histories; h++ {
				capacity := 1 + h%linMaxCap
				seed := uint64(procs*1_000_000 + h)
				hist := recordMultiHistory(capacity, seed, el)
				requireLinearizable(t, linMultiModel(capacity), hist, []string{"tx", "rx", "rx2"},
					fmt.Sprintf("history %d (capacity %d, seed %d) against the two-receiver model", h, capacity, seed))
			}
		})
	}
}

func TestLinearizableTwoReceiversInts(t *testing.T)  { checkMultiHistories(t, intElem) }
func TestLinearizableTwoReceiversOwned(t *testing.T) { checkMultiHistories(t, ownedElem) }

// The two-receiver model must reject what the specification forbids.
func TestLinearizabilityTwoReceiverModelRejects(t *testing.T) {
	op, ok := linOperation, linGot
	send := func(v int) linMultiInput { return linMultiInput{linInput{op: opSend, v: v}, -1} }
	recv := func(rx int) linMultiInput { return linMultiInput{linInput{op: opRecv}, rx} }
	closeRx := func(rx int) linMultiInput { return linMultiInput{linInput{op: opRecvClose}, rx} }
	bad := map[string][]porcupine.Operation{
		"received by both": {
			op(0, 1, 2, send(1), linOutput{}),
			op(1, 3, 4, recv(0), ok(1)),
			op(2, 5, 6, recv(1), ok(1)),
		},
		"reordered across receivers": {
			op(0, 1, 2, send(1), linOutput{}),
			op(0, 3, 4, send(2), linOutput{}),
			op(2, 5, 6, recv(1), ok(2)),
			op(1, 7, 8, recv(0), ok(1)),
		},
		"disconnected by one close of two": {
			op(1, 1, 2, closeRx(0), linOutput{}),
			op(0, 3, 4, send(1), linOutput{err: errClosed}),
		},
		"received after its own close": {
			op(0, 1, 2, send(1), linOutput{}),
			op(1, 3, 4, closeRx(0), linOutput{}),
			op(1, 5, 6, recv(0), ok(1)),
		},
		"TryRecvBatch empty with an item": {
			op(0, 1, 2, send(1), linOutput{}),
			op(1, 3, 4, linMultiInput{linInput{op: opTryRecvBatch, k: 2}, 0}, linOutput{err: errEmpty}),
		},
	}
	for name, hist := range bad {
		require.False(t, porcupine.CheckOperations(linMultiModel(2), hist), name)
	}
}
