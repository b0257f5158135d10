package channel_test

// Linearizability of the context-bounded operations: SendContext,
// SendBatchContext, RecvContext and RecvBatchContext mixed into histories
// of one sender goroutine and one or two receiver goroutines (Receiver.Clone),
// while a fourth goroutine, the canceller, cancels their contexts at
// random moments. The histories are checked with porcupine against the
// two-receiver model of linearizability_multi_test.go (one receiver is
// that model with the second receiver closed from the start), extended
// with what the doc comments of SendContext and RecvContext promise: if
// ctx is done before the operation could complete it returns ctx.Err()
// and has no effect, and, as with a Go select that has a ready case, an
// operation that needs no waiting succeeds even if ctx is already done.
// So a ctx error is legal only at an instant at which the operation would
// have had to wait:
//
//   - SendContext -> ctx.Err(): the channel open and full (no effect). Any
//     other result is Send's.
//   - RecvContext, RecvBatchContext -> ctx.Err(): this receiver open,
//     nothing buffered and the channel not closed (no effect, n 0). Any
//     other result is Recv's or RecvBatch's.
//   - SendBatchContext(items) -> (n, err): the first n items are enqueued
//     one after another, each as a Send that returned nil, and then, if
//     err is not nil, item n fails as a SendContext with that error would
//     (ctx.Err(): open and full; ErrClosed: closed), after the n pushes.
//     The batch is recorded as one operation per item it reports (see
//     ctxBatchParts), chained in the model's state so that they linearize
//     in order; each may linearize anywhere within the batch's call.
//
// Capacity 0 uses the rendezvous model of linStep: there a send's item
// goes into one slot that its receive empties, and the model does not
// know whether a receiver is waiting, so SendContext -> ctx.Err() is
// allowed whenever the channel is open, as TrySend's ErrFull is; a
// receive's ctx.Err() needs the slot empty and the channel open, as
// TryRecv's ErrEmpty does. (A send that returned ctx.Err() although its
// item was received, or nil although it was not, is still caught: the
// slot's item must be received, exactly once.)
//
// Each context operation gets one of three contexts: one cancelled before
// the call (with a cause, so that a receive returning the cause instead of
// ctx.Err() would show), one never cancelled during the operation, or one
// the canceller cancels at a moment of its own, driven by the history's
// seed. An error that wraps context.Canceled but is not the ctx.Err() of
// the operation's context, or a ctx error while the context is not done,
// is recorded as an unexpected error, which the model never allows.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/require"
)

// The context operations, known only to this file's model (numbered apart
// from the other files' operations).
const (
	opSendCtx      linOp = 110 + iota // Sender.SendContext
	opSendBatchCtx                    // one item of Sender.SendBatchContext (see ctxBatchParts)
	opRecvCtx                         // Receiver.RecvContext
	opRecvBatchCtx                    // Receiver.RecvBatchContext
)

// errCtx: the operation returned its context's ctx.Err() (context.Canceled
// or context.DeadlineExceeded).
const errCtx linErr = 110

func ctxErrName(e linErr) string {
	if e == errCtx {
		return "ctx.Err()"
	}
	return e.String()
}

// ctxKind is how an operation's context was made.
type ctxKind uint8

const (
	ctxNone      ctxKind = iota // not a context operation
	ctxCancelled                // cancelled (with a cause) before the call
	ctxLive                     // cancelled only after the operation returned
	ctxRaced                    // cancelled by the canceller goroutine, whenever
)

func (k ctxKind) String() string {
	return [...]string{"", "cancelled", "live", "raced"}[k]
}

type linCtxInput struct {
	linMultiInput
	ctx ctxKind
	// SendBatchContext: this item's place in its batch and the batch's
	// length (first is 0).
	item, items int
}

type linCtxState struct {
	linMultiState
	// batchNext is the value of the item of a SendBatchContext that must
	// linearize next (0: no batch under way): the items of a batch are
	// enqueued in order.
	batchNext int
}

// linCtxStep is linMultiStep with the context operations.
func linCtxStep(state, input, output any) (bool, any) {
	s := state.(linCtxState)
	in := input.(linCtxInput)
	out := output.(linOutput)
	delegate := func(op linOp) (bool, any) {
		mi := in.linMultiInput
		mi.op = op
		ok, next := linMultiStep(s.linMultiState, mi, out)
		s.linMultiState = next.(linMultiState)
		return ok, s
	}
	switch in.op {
	case opSendBatchCtx:
		if (in.item > 0) != (s.batchNext != 0) || in.item > 0 && s.batchNext != in.v {
			return false, s // not the item after the one before
		}
		s.batchNext = 0
		if out.err == errNil && in.item+1 < in.items {
			s.batchNext = in.v + 1
		}
		fallthrough
	case opSendCtx:
		if in.op == opSendCtx && s.batchNext != 0 {
			return false, s // the sender's next operation before its batch ended
		}
		if out.err == errCtx {
			// Would have waited: open and full (or, unbuffered, open:
			// no receiver need have been waiting).
			return !s.closed() && (s.n == s.cap || s.rendezvous), s
		}
		return delegate(opSend)
	case opRecvCtx, opRecvBatchCtx:
		if out.err == errCtx {
			// Would have waited: this receiver open, nothing buffered,
			// the channel not closed.
			return out.n == 0 && !s.rxDone[in.rx] && s.n == 0 && !s.closed(), s
		}
		if in.op == opRecvCtx {
			return delegate(opRecv)
		}
		return delegate(opRecvBatch)
	}
	if in.rx < 0 && s.batchNext != 0 {
		return false, s // the sender's next operation before its batch ended
	}
	return delegate(in.op)
}

// linCtxModel is the model of a channel of capacity (0: unbuffered) with
// receivers receivers (1 or 2).
func linCtxModel(capacity, receivers int) porcupine.Model {
	single := linModel(capacity)
	return porcupine.Model{
		Init: func() any {
			ls := linState{cap: capacity}
			if capacity == 0 {
				ls = linState{cap: 1, rendezvous: true}
			}
			// One receiver: the two-receiver model with receiver 1 closed
			// already, so that receiver 0's close disconnects.
			return linCtxState{linMultiState: linMultiState{linState: ls, rxDone: [2]bool{false, receivers < 2}}}
		},
		Step: linCtxStep,
		DescribeOperation: func(input, output any) string {
			in, out := input.(linCtxInput), output.(linOutput)
			who := "tx"
			if in.rx >= 0 {
				who = fmt.Sprintf("rx%d", in.rx)
			}
			res := ctxErrName(out.err)
			if out.msg != "" {
				res = fmt.Sprintf("%q", out.msg)
			}
			switch in.op {
			case opSendCtx:
				return fmt.Sprintf("%s SendContext[%v](%d) -> %s", who, in.ctx, in.v, res)
			case opSendBatchCtx:
				return fmt.Sprintf("%s SendBatchContext[%v] item %d of %d (%d) -> %s", who, in.ctx, in.item, in.items, in.v, res)
			case opRecvCtx:
				if out.err == errNil {
					return fmt.Sprintf("%s RecvContext[%v]() -> %d", who, in.ctx, out.vs[0])
				}
				return fmt.Sprintf("%s RecvContext[%v]() -> %s", who, in.ctx, res)
			case opRecvBatchCtx:
				return fmt.Sprintf("%s RecvBatchContext[%v](len %d) -> %v %s", who, in.ctx, in.k, out.vs[:min(out.n, linMaxCap)], res)
			}
			return who + " " + single.DescribeOperation(in.linInput, output)
		},
		DescribeState: func(state any) string {
			s := state.(linCtxState)
			d := fmt.Sprintf("%s rx-done %v", single.DescribeState(s.linState), s.rxDone[:receivers])
			if s.batchNext != 0 {
				d += fmt.Sprintf(" batch next %d", s.batchNext)
			}
			return d
		},
	}
}

// ctxOut is the output of a context operation that returned err (errOut,
// with errCtx for its context's ctx.Err()).
func ctxOut(ctx context.Context, err error) linOutput {
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return errOut(err)
	}
	switch cerr := ctx.Err(); {
	case cerr == nil:
		return linOutput{err: errOther, msg: fmt.Sprintf("%v while the context is not done", err)}
	case err != cerr:
		return linOutput{err: errOther, msg: fmt.Sprintf("%v, not ctx.Err() (%v)", err, cerr)}
	}
	return linOutput{err: errCtx}
}

// errCtxCause is the cause of the contexts cancelled before the call: an
// operation must return ctx.Err() (context.Canceled), not the cause.
var errCtxCause = errors.New("cancelled before the call (cause)")

// ctxPool is one goroutine's supply of contexts that the canceller
// cancels: made before the history starts, taken in order.
type ctxPool struct {
	ctxs []context.Context
	next atomic.Int32 // how many were taken
	done atomic.Bool  // the goroutine ended: it takes no more
}

// ctxHistory is what the goroutines of one history share.
type ctxHistory struct {
	h linRecorder
	// stats: how the context operations ended.
	ctxOps, ctxErrs, cancelledDuring atomic.Int64
}

// newCtx draws the context of one context operation; done must be called
// once it returned.
func (ch *ctxHistory) newCtx(r *rand.Rand, pool *ctxPool) (ctx context.Context, kind ctxKind, done func()) {
	switch p := r.IntN(10); {
	case p < 3:
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(errCtxCause)
		return ctx, ctxCancelled, func() {}
	case p < 5 || int(pool.next.Load()) == len(pool.ctxs):
		ctx, cancel := context.WithCancel(context.Background())
		return ctx, ctxLive, cancel
	}
	ctx = pool.ctxs[pool.next.Load()]
	pool.next.Add(1)
	return ctx, ctxRaced, func() {}
}

// doneCtx records the end of a context operation, or of the parts of one
// (a SendBatchContext's items), all with the same call and return times.
func (ch *ctxHistory) doneCtx(client int, ctx context.Context, wasDone bool, call int64, ins []linCtxInput, outs []linOutput) {
	ret := ch.h.clock.Add(1)
	ch.ctxOps.Add(1)
	if len(outs) > 0 && outs[len(outs)-1].err == errCtx {
		ch.ctxErrs.Add(1)
	}
	if !wasDone && ctx.Err() != nil {
		ch.cancelledDuring.Add(1)
	}
	ch.h.mu.Lock()
	for i := range ins {
		ch.h.hist = append(ch.h.hist, porcupine.Operation{ClientId: client, Input: ins[i], Call: call, Output: outs[i], Return: ret})
	}
	ch.h.mu.Unlock()
}

// ctxBatchParts is the record of a SendBatchContext of items that returned
// (n, err): one operation per item sent (output nil) and, if err is not
// nil, one for item n, with err's output.
func ctxBatchParts(in linCtxInput, items, n int, out linOutput) ([]linCtxInput, []linOutput) {
	var ins []linCtxInput
	var outs []linOutput
	part := func(i int, o linOutput) {
		p := in
		p.op, p.v, p.item, p.items = opSendBatchCtx, in.v+i, i, items
		ins, outs = append(ins, p), append(outs, o)
	}
	for i := 0; i < n && i < items; i++ {
		part(i, linOutput{})
	}
	switch {
	case n < 0 || n > items:
		part(0, linOutput{err: errOther, msg: fmt.Sprintf("sent %d of %d items", n, items)})
	case out.err == errNil && n < items:
		part(n, linOutput{err: errOther, msg: fmt.Sprintf("nil error after %d of %d items", n, items)})
	case out.err != errNil && n == items:
		part(n-1, linOutput{err: errOther, msg: fmt.Sprintf("%s after all %d items", ctxErrName(out.err), items)})
	case out.err != errNil:
		part(n, out)
	}
	return ins, outs
}

// ctxMix is one variant of the histories.
type ctxMix struct {
	receivers  int  // 1 or 2 (Receiver.Clone)
	unbuffered bool // capacity 0; else 1..linMaxCap
}

// recordCtxHistory runs one random history: client 0 sends (TrySend,
// Send, SendContext, SendBatchContext of 1 to linMaxCap+1 items; it may
// close early, and closes last), clients 1 (and 2) receive (TryRecv, Recv,
// RecvBatch, RecvContext, RecvBatchContext; each closes its receiver
// last), and a fourth goroutine cancels the raced contexts of the others
// soon after they take them (see the canceller below). Per history, drawn
// from the seed: whether the sender may close early, and whether one side
// is slow (yields more), so that the other one waits.
func recordCtxHistory[T any](capacity int, seed uint64, mix ctxMix, el linElem[T]) (hist []porcupine.Operation, ops, ctxErrs, cancelledDuring int64) {
	tx, rx := channel.Make[T](capacity)
	rxs := []*channel.Receiver[T]{rx}
	if mix.receivers == 2 {
		rx2, err := rx.Clone()
		if err != nil {
			panic(err)
		}
		rxs = append(rxs, rx2)
	}
	var ch ctxHistory
	h := &ch.h

	// The raced contexts: poolSize for each goroutine, which takes them
	// in order; cancel i*poolSize+k cancels goroutine i's k-th.
	const poolSize = 20
	pools := make([]ctxPool, 1+len(rxs))
	rc := rand.New(rand.NewPCG(seed, 9)) // the canceller's
	var cancels []context.CancelFunc
	for i := range pools {
		for range poolSize {
			ctx, cancel := context.WithCancel(context.Background())
			pools[i].ctxs = append(pools[i].ctxs, ctx)
			cancels = append(cancels, cancel)
		}
	}

	start := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2 + len(rxs))
	// How often each goroutine yields after an operation: balanced as in
	// the other histories, or one side slow, so that the other one waits
	// (a full channel, or an empty one) and its contexts end its waits.
	closesEarly := rc.IntN(4) == 0 // the sender may close before its last operation
	yields := [3]int{1, 1, 1}      // sender, receivers, with probability 1/3 each
	switch rc.IntN(3) {
	case 1:
		yields[1] = 6 // slow receivers
	case 2:
		yields[0] = 6 // slow sender
	}
	yield := func(r *rand.Rand, side int) {
		if yields[side] > 1 {
			for range r.IntN(2 * yields[side]) {
				runtime.Gosched()
			}
		} else if r.IntN(3) == 0 {
			runtime.Gosched()
		}
	}
	go func() { // the canceller
		defer wg.Done()
		<-start
		// Cancel the contexts the goroutines have taken, each side's in
		// the order taken, the side drawn at random, a few yields apart:
		// during the operation of the context, or after it. A goroutine
		// that waits on a raced context has taken it, so the canceller
		// gets to it: this ends once every other goroutine has.
		cancelled := make([]int, len(pools))
		var ready []int
		for {
			ended := true
			ready = ready[:0]
			for p := range pools {
				ended = ended && pools[p].done.Load()
				if cancelled[p] < int(pools[p].next.Load()) {
					ready = append(ready, p)
				}
			}
			if len(ready) == 0 {
				if ended {
					break
				}
				runtime.Gosched()
				continue
			}
			for range rc.IntN(4) {
				runtime.Gosched()
			}
			p := ready[rc.IntN(len(ready))]
			cancels[p*poolSize+cancelled[p]]()
			cancelled[p]++
		}
		for _, cancel := range cancels { // those never taken
			cancel()
		}
	}()
	go func() { // the sender
		defer wg.Done()
		r := rand.New(rand.NewPCG(seed, 1))
		pool := &pools[0]
		<-start
		nops := 10 + r.IntN(8)
		v := 1 // the next value
		for i := 0; i <= nops; i++ {
			in := linCtxInput{linMultiInput: linMultiInput{linInput{v: v, op: opSendClose}, -1}}
			if i < nops {
				switch p := r.IntN(20); {
				case p < 3:
					in.op = opTrySend
				case p < 6:
					in.op = opSend
				case p < 13:
					in.op = opSendCtx
				case p < 19:
					in.op = opSendBatchCtx
				case !closesEarly:
					in.op = opSendCtx
				}
			}
			switch in.op {
			case opSendCtx:
				ctx, kind, done := ch.newCtx(r, pool)
				in.ctx = kind
				x := el.make(tx, v)
				wasDone := ctx.Err() != nil
				call := h.call()
				err := tx.SendContext(ctx, x)
				ch.doneCtx(0, ctx, wasDone, call, []linCtxInput{in}, []linOutput{ctxOut(ctx, err)})
				done()
				v++
			case opSendBatchCtx:
				ctx, kind, done := ch.newCtx(r, pool)
				in.ctx = kind
				items := make([]T, 1+r.IntN(linMaxCap+1))
				for j := range items {
					items[j] = el.make(tx, v+j)
				}
				wasDone := ctx.Err() != nil
				call := h.call()
				n, err := tx.SendBatchContext(ctx, items)
				ins, outs := ctxBatchParts(in, len(items), n, ctxOut(ctx, err))
				ch.doneCtx(0, ctx, wasDone, call, ins, outs)
				done()
				v += len(items)
			default:
				call, out := linSend(h, tx, el, in.linInput)
				h.done(0, in, call, out)
				v++
			}
			yield(r, 0)
		}
		pool.done.Store(true)
	}()
	minOps, spread := 10, 8
	if len(rxs) == 2 {
		minOps, spread = 5, 6
	}
	for j, rx := range rxs {
		go func() { // a receiver
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(2+j)))
			pool := &pools[1+j]
			dst := make([]T, linMaxCap)
			<-start
			nops := minOps + r.IntN(spread)
			for i := 0; i <= nops; i++ {
				in := linCtxInput{linMultiInput: linMultiInput{linInput{op: opRecvClose}, j}}
				if i < nops {
					switch p := r.IntN(20); {
					case p < 3:
						in.op = opTryRecv
					case p < 6:
						in.op = opRecv
					case p < 8:
						in.op, in.k = opRecvBatch, 1+r.IntN(linMaxCap)
					case p < 14:
						in.op = opRecvCtx
					default:
						in.op, in.k = opRecvBatchCtx, 1+r.IntN(linMaxCap)
					}
				}
				switch in.op {
				case opRecvCtx, opRecvBatchCtx:
					ctx, kind, done := ch.newCtx(r, pool)
					in.ctx = kind
					wasDone := ctx.Err() != nil
					var out linOutput
					call := h.call()
					if in.op == opRecvCtx {
						x, err := rx.RecvContext(ctx)
						out = ctxOut(ctx, err)
						if err == nil {
							out.n, out.vs[0] = 1, el.id(rx, x)
						}
					} else {
						n, err := rx.RecvBatchContext(ctx, dst[:in.k])
						out = ctxOut(ctx, err)
						out.n = n
						for k := 0; k < n && k < linMaxCap; k++ {
							out.vs[k] = el.id(rx, dst[k])
						}
					}
					ch.doneCtx(1+j, ctx, wasDone, call, []linCtxInput{in}, []linOutput{out})
					done()
				default:
					call, out := linRecv(h, rx, el, in.linInput, dst)
					h.done(1+j, in, call, out)
				}
				yield(r, 1)
			}
			pool.done.Store(true)
		}()
	}
	close(start)
	wg.Wait()
	return h.hist, ch.ctxOps.Load(), ch.ctxErrs.Load(), ch.cancelledDuring.Load()
}

func checkCtxHistories[T any](t *testing.T, mix ctxMix, el linElem[T]) {
	histories := 200
	if testing.Short() {
		histories = 50
	}
	clients := []string{"tx", "rx", "rx2"}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			var ops, ctxErrs, during int64
			for h := 0; h < histories; h++ {
				capacity := 1 + h%linMaxCap
				if mix.unbuffered {
					capacity = 0
				}
				seed := uint64(procs*1_000_000 + h)
				hist, o, e, d := recordCtxHistory(capacity, seed, mix, el)
				ops, ctxErrs, during = ops+o, ctxErrs+e, during+d
				requireLinearizable(t, linCtxModel(capacity, mix.receivers), hist, clients[:1+mix.receivers],
					fmt.Sprintf("history %d (capacity %d, seed %d) against the context model with %d receiver(s)",
						h, capacity, seed, mix.receivers))
			}
			t.Logf("%d context operations: %d returned ctx.Err(); %d contexts cancelled during the call", ops, ctxErrs, during)
		})
	}
}

func TestLinearizableCtxInts(t *testing.T) { checkCtxHistories(t, ctxMix{receivers: 1}, intElem) }
func TestLinearizableCtxOwned(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 1}, ownedElem)
}

func TestLinearizableCtxTwoReceiversInts(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 2}, intElem)
}

func TestLinearizableCtxTwoReceiversOwned(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 2}, ownedElem)
}

func TestLinearizableCtxUnbufferedInts(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 1, unbuffered: true}, intElem)
}

func TestLinearizableCtxUnbufferedOwned(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 1, unbuffered: true}, ownedElem)
}

func TestLinearizableCtxUnbufferedTwoReceiversInts(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 2, unbuffered: true}, intElem)
}

func TestLinearizableCtxUnbufferedTwoReceiversOwned(t *testing.T) {
	checkCtxHistories(t, ctxMix{receivers: 2, unbuffered: true}, ownedElem)
}

// The context model must reject a ctx error where the operation needed no
// waiting, and a ctx error with an effect; each bad history comes with
// the same history made legal (the culprit's result corrected), which the
// model must accept, so that each is rejected for the reason its name
// gives.
func TestLinearizabilityCtxModelRejects(t *testing.T) {
	op, ok := linOperation, linGot
	nilOut, ctxErr, closed := linOutput{}, linOutput{err: errCtx}, linOutput{err: errClosed}
	tx := func(o linOp, v int) linCtxInput {
		return linCtxInput{linMultiInput: linMultiInput{linInput{op: o, v: v}, -1}, ctx: ctxRaced}
	}
	rxOp := func(rx int, o linOp, k int) linCtxInput {
		return linCtxInput{linMultiInput: linMultiInput{linInput{op: o, k: k}, rx}, ctx: ctxRaced}
	}
	// part is item i of a SendBatchContext of items values from first.
	part := func(first, i, items int) linCtxInput {
		in := tx(opSendBatchCtx, first+i)
		in.item, in.items = i, items
		return in
	}
	type ctxCase struct {
		capacity, receivers int
		bad, good           []porcupine.Operation
	}
	// with returns hist with operation i's output replaced.
	with := func(hist []porcupine.Operation, i int, out linOutput) []porcupine.Operation {
		hist = slices.Clone(hist)
		hist[i].Output = out
		return hist
	}
	sendRoom := []porcupine.Operation{
		op(0, 1, 2, tx(opSend, 1), nilOut),
		op(0, 3, 4, tx(opSendCtx, 2), ctxErr), // capacity 2: room for 2
		op(0, 5, 6, tx(opSendCtx, 3), ctxErr), // full only if 2 was sent
	}
	recvBuffered := []porcupine.Operation{
		op(0, 1, 2, tx(opSend, 1), nilOut),
		op(1, 3, 4, rxOp(0, opRecvCtx, 0), ctxErr), // 1 buffered throughout
		op(1, 5, 6, rxOp(0, opRecv, 0), ok(1)),
	}
	batchBuffered := slices.Clone(recvBuffered)
	batchBuffered[1].Input = rxOp(0, opRecvBatchCtx, 2)
	// The ctx-error receive overlaps the send, so an empty instant exists
	// for its error; but it took item 1, which the sender's close and the
	// receive after it show lost.
	recvConsumed := []porcupine.Operation{
		op(1, 1, 10, rxOp(0, opRecvCtx, 0), ctxErr),
		op(0, 2, 3, tx(opSend, 1), nilOut),
		op(0, 4, 5, tx(opSendClose, 0), nilOut),
		op(1, 11, 12, rxOp(0, opRecv, 0), closed),
	}
	// The same with two receivers: rx0's ctx error took item 1, and rx1
	// receives item 2 first.
	recvConsumedTwo := []porcupine.Operation{
		op(1, 1, 10, rxOp(0, opRecvCtx, 0), ctxErr),
		op(0, 2, 3, tx(opSend, 1), nilOut),
		op(0, 4, 5, tx(opSend, 2), nilOut),
		op(2, 11, 12, rxOp(1, opRecvBatch, 2), ok(2)),
	}
	// A batch's ctx error must come after the items it reports sent:
	// capacity 3, full at the call; the receiver empties it in one batch,
	// so after items 4 and 5 it is never full again. (Its ctx error at
	// the call, before the pushes, would fit.)
	batchAfterPushes := []porcupine.Operation{
		op(0, 1, 2, tx(opSend, 1), nilOut),
		op(0, 3, 4, tx(opSend, 2), nilOut),
		op(0, 5, 6, tx(opSend, 3), nilOut),
		op(0, 7, 30, part(4, 0, 3), nilOut),
		op(0, 7, 30, part(4, 1, 3), nilOut),
		op(0, 7, 30, part(4, 2, 3), ctxErr),
		op(1, 8, 9, rxOp(0, opRecvBatch, 3), ok(1, 2, 3)),
		op(1, 10, 11, rxOp(0, opRecv, 0), ok(4)),
		op(1, 12, 13, rxOp(0, opRecv, 0), ok(5)),
	}
	batchAfterPushesUnchained := slices.Clone(batchAfterPushes)
	for i := 3; i < 6; i++ { // each item a batch of its own: the error may come first
		in := batchAfterPushesUnchained[i].Input.(linCtxInput)
		in.item, in.items = 0, 1
		batchAfterPushesUnchained[i].Input = in
	}
	require.True(t, porcupine.CheckOperations(linCtxModel(3, 1), batchAfterPushesUnchained), "batch items unchained")

	cases := map[string]ctxCase{
		"SendContext ctx error with room for the whole call": {2, 1, sendRoom, with(sendRoom, 1, nilOut)},
		"SendContext ctx error on a closed channel": {2, 1, []porcupine.Operation{
			op(0, 1, 2, tx(opSendClose, 0), nilOut),
			op(0, 3, 4, tx(opSendCtx, 1), ctxErr),
		}, []porcupine.Operation{
			op(0, 1, 2, tx(opSendClose, 0), nilOut),
			op(0, 3, 4, tx(opSendCtx, 1), closed),
		}},
		"RecvContext ctx error with an item buffered for the whole call":      {2, 1, recvBuffered, with(recvBuffered, 1, ok(1))[:2]},
		"RecvBatchContext ctx error with an item buffered for the whole call": {2, 1, batchBuffered, with(batchBuffered, 1, ok(1))[:2]},
		"RecvContext ctx error on a closed and drained channel": {2, 1, []porcupine.Operation{
			op(0, 1, 2, tx(opSendClose, 0), nilOut),
			op(1, 3, 4, rxOp(0, opRecvCtx, 0), ctxErr),
		}, []porcupine.Operation{
			op(0, 1, 2, tx(opSendClose, 0), nilOut),
			op(1, 3, 4, rxOp(0, opRecvCtx, 0), closed),
		}},
		"RecvContext ctx error that consumed an item":                    {2, 1, recvConsumed, with(recvConsumed, 3, ok(1))},
		"RecvContext ctx error that consumed an item, two receivers":     {2, 2, recvConsumedTwo, with(recvConsumedTwo, 3, ok(1, 2))},
		"RecvBatchContext ctx error with items":                          {2, 1, []porcupine.Operation{op(1, 1, 10, rxOp(0, opRecvBatchCtx, 2), linOutput{err: errCtx, n: 1, vs: [linMaxCap]int{1}}), op(0, 2, 3, tx(opSend, 1), nilOut)}, []porcupine.Operation{op(1, 1, 10, rxOp(0, opRecvBatchCtx, 2), ok(1)), op(0, 2, 3, tx(opSend, 1), nilOut)}},
		"SendBatchContext ctx error before the items it reports sent":    {3, 1, batchAfterPushes, with(batchAfterPushes, 5, nilOut)},
		"SendBatchContext ctx error with room after its items were sent": {2, 1, []porcupine.Operation{op(0, 1, 2, part(1, 0, 2), nilOut), op(0, 1, 2, part(1, 1, 2), ctxErr)}, []porcupine.Operation{op(0, 1, 2, part(1, 0, 2), nilOut), op(0, 1, 2, part(1, 1, 2), nilOut)}},
		"SendBatchContext items out of order": {2, 1, []porcupine.Operation{
			op(0, 1, 2, part(1, 0, 2), nilOut),
			op(0, 1, 2, part(1, 1, 2), nilOut),
			op(1, 3, 4, rxOp(0, opRecvBatch, 2), ok(2, 1)),
		}, []porcupine.Operation{
			op(0, 1, 2, part(1, 0, 2), nilOut),
			op(0, 1, 2, part(1, 1, 2), nilOut),
			op(1, 3, 4, rxOp(0, opRecvBatch, 2), ok(1, 2)),
		}},
		"unexpected error": {2, 1, []porcupine.Operation{
			op(0, 1, 2, tx(opSendCtx, 1), linOutput{err: errOther, msg: "context canceled, not ctx.Err()"}),
		}, []porcupine.Operation{
			op(0, 1, 2, tx(opSendCtx, 1), nilOut),
		}},
		// Unbuffered: a send that returned ctx.Err() enqueued nothing.
		"unbuffered SendContext ctx error whose item was received": {0, 1, []porcupine.Operation{
			op(0, 1, 4, tx(opSendCtx, 1), ctxErr),
			op(1, 2, 3, rxOp(0, opRecvCtx, 0), ok(1)),
		}, []porcupine.Operation{
			op(0, 1, 4, tx(opSendCtx, 1), nilOut),
			op(1, 2, 3, rxOp(0, opRecvCtx, 0), ok(1)),
		}},
		"unbuffered RecvContext ctx error that consumed an item": {0, 1, []porcupine.Operation{
			op(1, 1, 4, rxOp(0, opRecvCtx, 0), ctxErr),
			op(0, 2, 3, tx(opSendCtx, 1), nilOut),
			op(0, 5, 6, tx(opSendClose, 0), nilOut),
			op(1, 7, 8, rxOp(0, opRecv, 0), closed),
		}, []porcupine.Operation{
			op(1, 1, 4, rxOp(0, opRecvCtx, 0), ok(1)),
			op(0, 2, 3, tx(opSendCtx, 1), nilOut),
			op(0, 5, 6, tx(opSendClose, 0), nilOut),
			op(1, 7, 8, rxOp(0, opRecv, 0), closed),
		}},
	}
	for name, c := range cases {
		model := linCtxModel(c.capacity, c.receivers)
		require.False(t, porcupine.CheckOperations(model, c.bad), name)
		require.True(t, porcupine.CheckOperations(model, c.good), "%s, corrected", name)
	}

	// And accept what the promise allows: a ctx error while full and open,
	// or empty and open, at some instant within the call; a batch sent in
	// part, then a ctx error once full.
	good := map[string]ctxCase{
		"SendContext ctx error while full": {1, 1, nil, []porcupine.Operation{
			op(0, 1, 2, tx(opSend, 1), nilOut),
			op(0, 3, 4, tx(opSendCtx, 2), ctxErr),
			op(1, 5, 6, rxOp(0, opRecvCtx, 0), ok(1)),
			op(1, 7, 8, rxOp(0, opRecvCtx, 0), ctxErr),
		}},
		"RecvContext ctx error overlapping a send": {2, 2, nil, []porcupine.Operation{
			op(1, 1, 10, rxOp(0, opRecvCtx, 0), ctxErr),
			op(0, 2, 3, tx(opSend, 1), nilOut),
			op(2, 4, 5, rxOp(1, opRecvBatchCtx, 3), ok(1)),
		}},
		"SendBatchContext partly sent": {2, 1, nil, []porcupine.Operation{
			op(0, 1, 10, part(1, 0, 4), nilOut),
			op(0, 1, 10, part(1, 1, 4), nilOut),
			op(0, 1, 10, part(1, 2, 4), nilOut),
			op(0, 1, 10, part(1, 3, 4), ctxErr),
			op(1, 2, 3, rxOp(0, opRecv, 0), ok(1)),
			op(1, 11, 12, rxOp(0, opRecvBatch, 3), ok(2, 3)),
		}},
		"SendBatchContext closed after its first item": {2, 1, nil, []porcupine.Operation{
			op(0, 1, 10, part(1, 0, 3), nilOut),
			op(0, 1, 10, part(1, 1, 3), closed),
			op(1, 2, 3, rxOp(0, opRecvClose, 0), nilOut),
		}},
		"unbuffered SendContext ctx error with nobody receiving": {0, 1, nil, []porcupine.Operation{
			op(0, 1, 2, tx(opSendCtx, 1), ctxErr),
			op(1, 3, 4, rxOp(0, opRecvCtx, 0), ctxErr),
		}},
	}
	for name, c := range good {
		require.True(t, porcupine.CheckOperations(linCtxModel(c.capacity, c.receivers), c.good), name)
	}
}
