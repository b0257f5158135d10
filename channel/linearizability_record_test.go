package channel_test

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/channel"
)

// linRecorder records one history for porcupine. Timestamps come from one
// sequentially consistent counter read just before each call (call) and
// just after each return (done), so they order the events as they really
// happened.
type linRecorder struct {
	clock atomic.Int64
	mu    sync.Mutex
	hist  []porcupine.Operation
}

// call reads the clock just before an operation's call.
func (h *linRecorder) call() int64 { return h.clock.Add(1) }

// done records an operation of client that was called at call and has
// just returned out.
func (h *linRecorder) done(client int, in any, call int64, out linOutput) {
	ret := h.clock.Add(1)
	h.mu.Lock()
	h.hist = append(h.hist, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret})
	h.mu.Unlock()
}

// linOperation is one operation of a hand-written history, for the tests
// that the models reject what the specification forbids.
func linOperation(client int, call, ret int64, in any, out linOutput) porcupine.Operation {
	return porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret}
}

// linGot is the output of a receive that returned vs.
func linGot(vs ...int) linOutput {
	o := linOutput{n: len(vs)}
	copy(o.vs[:], vs)
	return o
}

// errOut is the output of an operation that returned only err.
func errOut(err error) linOutput {
	out := linOutput{err: classify(err)}
	if out.err == errOther {
		out.msg = err.Error()
	}
	return out
}

// linSend performs one sender operation of a history (TrySend, Send or
// the sender's Close) and returns its call time and output.
func linSend[T any](h *linRecorder, tx *channel.Sender[T], el linElem[T], in linInput) (int64, linOutput) {
	var err error
	var call int64
	switch in.op {
	case opTrySend:
		v := el.make(tx, in.v)
		call = h.call()
		err = tx.TrySend(v)
	case opSend:
		v := el.make(tx, in.v)
		call = h.call()
		err = tx.Send(v)
	case opSendClose:
		call = h.call()
		err = tx.Close()
	}
	return call, errOut(err)
}

// linRecv performs one receiver operation of a history (TryRecv, Recv,
// RecvBatch or TryRecvBatch of in.k items into dst, or the receiver's
// Close) and returns its call time and output.
func linRecv[T any](h *linRecorder, rx *channel.Receiver[T], el linElem[T], in linInput, dst []T) (int64, linOutput) {
	var out linOutput
	call := h.call()
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
	case opRecvBatch, opTryRecvBatch:
		var n int
		if in.op == opRecvBatch {
			var ok bool
			n, ok = rx.RecvBatch(dst[:in.k])
			out.err = errClosed
			if ok {
				out.err = errNil
			}
		} else {
			var err error
			n, err = rx.TryRecvBatch(dst[:in.k])
			out = errOut(err)
		}
		out.n = n
		for k := 0; k < n && k < linMaxCap; k++ {
			out.vs[k] = el.id(rx, dst[k])
		}
	case opRecvClose:
		out = errOut(rx.Close())
	}
	return call, out
}

// requireLinearizable fails t if hist is not linearizable against model,
// with a visualization file and the history by call time; what names the
// history (its number, capacity and seed) and the model.
func requireLinearizable(t *testing.T, model porcupine.Model, hist []porcupine.Operation, clients []string, what string) {
	t.Helper()
	res, info := porcupine.CheckOperationsVerbose(model, hist, 10*time.Second)
	if res == porcupine.Ok {
		return
	}
	f, err := os.CreateTemp("", "handoff-linearizability-*.html")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, porcupine.VisualizePath(model, info, f.Name()))
	t.Fatalf("%s is %v; visualization: %s\n%s", what, res, f.Name(), describeHistory(model, hist, clients))
}

// describeHistory lists a history by call time, one operation a line,
// each with the name of its client.
func describeHistory(model porcupine.Model, hist []porcupine.Operation, clients []string) string {
	ops := slices.Clone(hist)
	slices.SortFunc(ops, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
	var b strings.Builder
	for _, o := range ops {
		fmt.Fprintf(&b, "  [%3d,%3d] %-6s %s\n", o.Call, o.Return, clients[o.ClientId], model.DescribeOperation(o.Input, o.Output))
	}
	return b.String()
}
