package channel_test

import (
	"context"
	"testing"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A batch receive returns only objects its receiver's owner owns when it
// returns. The batch pops a, transferred to the receiver by the send, then
// b, sent by a goroutine that did not own it (the fallback path: its
// holder, a live owner, must pass a preemption point first). Stealing b
// inside the batch would park the receiver's owner after it owned a, and
// a thief waiting for that point would take a while the batch still held
// it (a user trial found RecvBatch returning a stolen object so). So the
// batch ends before b, and the next receive steals b.
//
// The test reads the possible courses off the objects' states, with no
// sleeps: if the batch steals b (b's word reads Stealing), a thief steals a
// from the parked receiver and b's holder lets go; a receive that may not
// wait only asks b's holder, who lets go at its next Preempt. Either way,
// the receiver checks each returned object before any preemption point of
// its own.
func TestRecvBatchReturnsOnlyItsOwnObjects(t *testing.T) {
	for _, c := range []struct {
		name        string
		try, shared bool
	}{
		{"RecvBatch", false, false},
		{"TryRecvBatch", true, false},
		{"RecvBatch/several receivers", false, true},
		{"TryRecvBatch/several receivers", true, true},
	} {
		try := c.try
		t.Run(c.name, func(t *testing.T) {
			tx, rx := channel.Make[*Msg](8)
			holder, thief := ownership.NewNamedOwner("holder"), ownership.NewNamedOwner("thief")
			closeOwners(t, tx.Owner(), rx.Owner(), holder, thief)
			if c.shared { // an idle second receiver: the channel's several-receiver path
				rx2, err := rx.Clone()
				require.NoError(t, err)
				closeOwners(t, rx2.Owner())
				t.Cleanup(func() { _ = rx2.Close() })
			}
			a := adopted(t, tx.Owner(), 1)[0]
			b := adopted(t, holder, 1)[0]
			require.NoError(t, tx.Send(a))
			require.NoError(t, tx.Send(b), "the fallback send does not wait for b's holder")

			type batch struct {
				got   []*Msg
				owned []bool
			}
			batches := make(chan batch, 2)
			go func() { // the receiver's goroutine
				buf := make([]*Msg, 8)
				for total := 0; total < 2; {
					var n int
					if try {
						n, _ = rx.TryRecvBatch(buf) // 0 while b's steal cannot complete
					} else {
						n, _ = rx.RecvBatch(buf)
					}
					bt := batch{got: append([]*Msg(nil), buf[:n]...)}
					for _, m := range buf[:n] { // before any preemption point
						bt.owned = append(bt.owned, rx.Owner().Owns(&m.Header))
					}
					if n > 0 {
						batches <- bt
					}
					total += n
				}
				close(batches)
			}()

			var got []*Msg
			thiefTook := false
			for {
				select {
				case bt, ok := <-batches:
					if !ok {
						require.Len(t, got, 2, "both objects delivered, each once")
						assert.Same(t, a, got[0])
						assert.Same(t, b, got[1])
						if thiefTook {
							t.Log("a thief took a during the steal of b")
						}
						return
					}
					for i, m := range bt.got {
						assert.True(t, bt.owned[i], "returned %d (of %d) without owning it: %v", m.n, len(bt.got), m.Header.State())
					}
					got = append(got, bt.got...)
					continue
				default:
				}
				stealing := b.Header.State().Kind == ownership.Stealing // a blocking receive stealing b
				if st := a.Header.State(); stealing && !thiefTook && st.Kind == ownership.Owned && st.Owner == rx.Owner().ID() {
					// a is the receiver's: a thief waits for its next
					// preemption point, which parking in the steal is.
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					thiefTook = thief.Steal(ctx, &a.Header) == nil
					cancel()
				}
				if stealing || try {
					// Lets the receiver's steal of b complete, or answers the
					// request a receive that may not wait leaves for b.
					holder.Preempt()
				}
				runtimeGosched()
			}
		})
	}
}
