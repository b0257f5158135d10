package channel_test

// Selector: waiting on several receivers at once, like a Go select with
// only receive cases; and receiver.Chan, the adapter for a native select.
//
// To know that a Selector is asleep (not merely about to call Select)
// without sleeping or timing, the tests use the ownership protocol: while
// a Selector sleeps its receivers' owners are parked, and a thief steals
// from a parked owner without waiting for it. A selector goroutine makes
// no preemption point while it polls, so a steal of an object owned by a
// receiver's owner completes exactly when the Selector parks it.

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"sync"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// selMsg is an owned element type for select cases.
type selMsg struct {
	ownership.Header
	n int
}

// selProbe detects that a goroutine parked owner: it holds objects that
// owner adopted before handing itself to that goroutine, and steals them
// one at a time.
type selProbe struct {
	thief  *ownership.Owner
	probes []*selMsg
}

// newSelProbe must be called before owner is handed to the goroutine that
// will park it (the go statement orders the Adopts before that goroutine).
func newSelProbe(t *testing.T, owner *ownership.Owner, n int) *selProbe {
	p := &selProbe{thief: ownership.NewOwner()}
	for range n {
		m := &selMsg{}
		require.NoError(t, owner.Adopt(&m.Header))
		p.probes = append(p.probes, m)
	}
	t.Cleanup(p.thief.Close)
	return p
}

// waitParked returns once the owner's goroutine has parked (is asleep in
// Select or Recv) at least once since the previous call. returned is
// closed when that goroutine's Select returns: then the wait is cut short
// and the test fails, since it never slept.
func (p *selProbe) waitParked(t *testing.T, returned <-chan struct{}) {
	t.Helper()
	require.NotEmpty(t, p.probes, "selProbe: out of probes")
	m := p.probes[0]
	p.probes = p.probes[1:]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-returned:
			cancel()
		case <-ctx.Done():
		}
	}()
	require.NoError(t, p.thief.Steal(ctx, &m.Header), "the selector returned instead of sleeping")
}

type selResult struct {
	i   int
	err error
}

// goSelect runs sel.Select(ctx) on a goroutine of its own. The result
// arrives on the first channel; the second is closed when Select returned.
func goSelect(ctx context.Context, sel *channel.Selector) (<-chan selResult, <-chan struct{}) {
	res := make(chan selResult, 1)
	returned := make(chan struct{})
	go func() {
		i, err := sel.Select(ctx)
		close(returned)
		res <- selResult{i, err}
	}()
	return res, returned
}

func TestSelectDifferentTypes(t *testing.T) {
	txA, rxA := channel.Make[int](4)
	txB, rxB := channel.Make[string](4)
	txC, rxC := channel.Make[*selMsg](4)
	t.Cleanup(func() { txC.Owner().Close(); rxC.Owner().Close() })
	var (
		a int
		b string
		c *selMsg
	)
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b), channel.On(rxC, &c))

	i, err := sel.TrySelect()
	require.Equal(t, -1, i)
	require.ErrorIs(t, err, handoff.ErrEmpty)

	require.NoError(t, txB.Send("two"))
	i, err = sel.TrySelect()
	require.NoError(t, err)
	require.Equal(t, 1, i)
	require.Equal(t, "two", b)

	m := &selMsg{n: 3}
	require.NoError(t, txC.Owner().Adopt(&m.Header))
	require.NoError(t, txC.Send(m))
	i, err = sel.Select(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, i)
	require.Same(t, m, c)
	require.True(t, rxC.Owner().Owns(&c.Header), "the selector received it for rxC's owner")
	c.n++ // the receiver's goroutine (this one) owns it now

	require.NoError(t, txA.Send(1))
	i, err = sel.Select(context.Background())
	require.NoError(t, err)
	require.Equal(t, 0, i)
	require.Equal(t, 1, a)

	i, err = sel.TrySelect()
	require.Equal(t, -1, i)
	require.ErrorIs(t, err, handoff.ErrEmpty)
	require.Equal(t, "two", b, "a case that did not deliver leaves its dst alone")
	require.NoError(t, txA.Close())
	require.NoError(t, txB.Close())
	require.NoError(t, txC.Close())
}

// A closed channel is ready once drained (as in a Go select): its case
// returns its index and ErrClosed, while items of other cases, and its own
// buffered items, are still delivered.
func TestSelectClosedCase(t *testing.T) {
	txA, rxA := channel.Make[int](4)
	txB, rxB := channel.Make[int](4)
	var a, b int
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b))
	require.NoError(t, txA.Send(5))
	require.NoError(t, txA.Close())

	i, err := sel.TrySelect()
	require.NoError(t, err, "the buffered item comes before the close")
	require.Equal(t, 0, i)
	require.Equal(t, 5, a)

	a = -1
	i, err = sel.TrySelect()
	require.Equal(t, 0, i)
	require.ErrorIs(t, err, handoff.ErrClosed)
	require.Equal(t, -1, a, "no item: dst unchanged")
	i, err = sel.Select(context.Background())
	require.Equal(t, 0, i, "closed is ready: Select does not block")
	require.ErrorIs(t, err, handoff.ErrClosed)

	// A disconnected receiver is closed too.
	require.NoError(t, rxB.Close())
	seen := map[int]bool{}
	for range 2 {
		i, err := sel.TrySelect()
		require.ErrorIs(t, err, handoff.ErrClosed)
		seen[i] = true
	}
	require.Equal(t, map[int]bool{0: true, 1: true}, seen)
	require.ErrorIs(t, txB.Send(1), handoff.ErrClosed)
}

// A Select with nothing ready sleeps, and a send on any one of its
// channels wakes it with that channel's item.
func TestSelectBlocksAndWakesOnAnySend(t *testing.T) {
	const k = 3
	for woken := range k {
		t.Run(fmt.Sprintf("send-on=%d", woken), func(t *testing.T) {
			owner := ownership.NewOwner()
			t.Cleanup(owner.Close)
			txs := make([]*sender.Sender[int], k)
			dst := make([]int, k)
			cases := make([]channel.Case, k)
			for j := range k {
				var rx *receiver.Receiver[int]
				txs[j], rx = channel.Make[int](2, channel.WithReceiverOwner(owner))
				cases[j] = channel.On(rx, &dst[j])
			}
			sel := channel.NewSelector(cases...)
			probe := newSelProbe(t, owner, 1)
			res, returned := goSelect(context.Background(), sel)
			probe.waitParked(t, returned)

			require.NoError(t, txs[woken].Send(100+woken))
			r := <-res
			require.NoError(t, r.err)
			require.Equal(t, woken, r.i)
			require.Equal(t, 100+woken, dst[woken])
			for j := range k {
				require.NoError(t, txs[j].Close())
			}
		})
	}
}

// Select returns at once when a case becomes closed while it sleeps.
func TestSelectWokenByClose(t *testing.T) {
	owner := ownership.NewOwner()
	t.Cleanup(owner.Close)
	txA, rxA := channel.Make[int](2, channel.WithReceiverOwner(owner))
	txB, rxB := channel.Make[int](2, channel.WithReceiverOwner(owner))
	var a, b int
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b))
	probe := newSelProbe(t, owner, 1)
	res, returned := goSelect(context.Background(), sel)
	probe.waitParked(t, returned)
	require.NoError(t, txB.Close())
	r := <-res
	require.Equal(t, 1, r.i)
	require.ErrorIs(t, r.err, handoff.ErrClosed)
	require.NoError(t, txA.Close())
}

// The counters of a receiver say when its goroutine waited and slept
// (handoff.Stats: RecvWaits "receives that found every lane empty",
// RecvParks "times the receiver slept"). A Selector that sleeps is the
// receivers' goroutine sleeping, so it must show there, as Recv does.
func TestSelectCountsWaitsAndParks(t *testing.T) {
	owner := ownership.NewOwner()
	t.Cleanup(owner.Close)
	txA, rxA := channel.Make[int](2, channel.WithReceiverOwner(owner))
	txB, rxB := channel.Make[int](2, channel.WithReceiverOwner(owner))
	var a, b int
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b))
	before := rxA.Stats()
	probe := newSelProbe(t, owner, 1)
	res, returned := goSelect(context.Background(), sel)
	probe.waitParked(t, returned)
	asleep := rxA.Stats()
	require.NoError(t, txA.Send(1))
	require.NoError(t, (<-res).err)
	require.NoError(t, txA.Close())
	require.NoError(t, txB.Close())
	assert.Greater(t, asleep.RecvParks, before.RecvParks, "the selector is asleep on rxA, but rxA's RecvParks did not move")
	assert.Greater(t, asleep.RecvWaits, before.RecvWaits, "the selector waited on an empty rxA, but rxA's RecvWaits did not move")
	_ = rxB
}

// A cancelled Select returns -1 and ctx.Err(), takes nothing, and leaves
// every receiver as it was: a later Select gets the items, and a plain
// Recv on one of the receivers parks and is woken on its own Parker
// (the selector's token channel is no longer wired to it).
func TestSelectCancelledLosesNothing(t *testing.T) {
	owner := ownership.NewOwner()
	t.Cleanup(owner.Close)
	txA, rxA := channel.Make[int](2, channel.WithReceiverOwner(owner))
	txB, rxB := channel.Make[int](2, channel.WithReceiverOwner(owner))
	var a, b int
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b))
	probe := newSelProbe(t, owner, 1)

	ctx, cancel := context.WithCancel(context.Background())
	res, returned := goSelect(ctx, sel)
	probe.waitParked(t, returned)
	cancel()
	r := <-res
	require.Equal(t, -1, r.i)
	require.ErrorIs(t, r.err, context.Canceled)

	// An already-cancelled context still delivers ready items.
	require.NoError(t, txA.Send(1))
	require.NoError(t, txB.Send(2))
	got := map[int]int{}
	for range 2 {
		i, err := sel.Select(ctx)
		require.NoError(t, err)
		got[i] = []int{a, b}[i]
	}
	require.Equal(t, map[int]int{0: 1, 1: 2}, got)
	i, err := sel.Select(ctx)
	require.Equal(t, -1, i)
	require.ErrorIs(t, err, context.Canceled)

	// Recv on its own: parks on the receiver's Parker, wakes on a send.
	parks := rxA.Stats().RecvParks
	done := make(chan int)
	go func() {
		v, _ := rxA.Recv()
		done <- v
	}()
	waitParks(t, func() uint64 { return rxA.Stats().RecvParks }, parks)
	require.NoError(t, txA.Send(3))
	require.Equal(t, 3, <-done)
	require.NoError(t, txA.Close())
	require.NoError(t, txB.Close())
}

// Cancellation racing with sends: every Select either delivers an item or
// returns ctx.Err(), and afterwards every item sent is received exactly
// once, in order per channel. In odd rounds with nothing buffered, the
// send and the cancel race with a Select that is known to be asleep (so
// the wake-up token and ctx.Done race in its Go select); in the others,
// with a Select that may still be polling.
func TestSelectCancelRacingSends(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			const k = 3
			rounds := 400
			if testing.Short() {
				rounds = 100
			}
			owner := ownership.NewOwner()
			t.Cleanup(owner.Close)
			txs := make([]*sender.Sender[int], k)
			dst := make([]int, k)
			cases := make([]channel.Case, k)
			for j := range k {
				var rx *receiver.Receiver[int]
				txs[j], rx = channel.Make[int](rounds, channel.WithReceiverOwner(owner))
				cases[j] = channel.On(rx, &dst[j])
			}
			sel := channel.NewSelector(cases...)
			next := make([]int, k)
			received, cancelled := 0, 0
			take := func(i int) {
				require.Equal(t, next[i], dst[i], "channel %d: out of order, lost or duplicated", i)
				next[i]++
				received++
			}
			for round := range rounds {
				ctx, cancel := context.WithCancel(context.Background())
				var probe *selProbe
				if round%2 == 1 && received == round {
					// Nothing is buffered, so this Select will sleep. The
					// probe is adopted before its goroutine starts.
					probe = newSelProbe(t, owner, 1)
				}
				res, returned := goSelect(ctx, sel)
				if probe != nil {
					probe.waitParked(t, returned)
				}
				var wg sync.WaitGroup
				wg.Add(2)
				go func() { defer wg.Done(); cancel() }()
				go func() {
					defer wg.Done()
					j := round % k
					assert.NoError(t, txs[j].Send(round/k))
				}()
				r := <-res
				wg.Wait()
				if r.err != nil {
					require.Equal(t, -1, r.i)
					require.ErrorIs(t, r.err, context.Canceled)
					cancelled++
					if round < rounds-10 { // (the last ones are left for the drain below)
						// The item is still there for the next Select.
						i, err := sel.Select(context.Background())
						require.NoError(t, err)
						take(i)
					}
				} else {
					take(r.i)
				}
			}
			for j := range k {
				require.NoError(t, txs[j].Close())
			}
			for closed := 0; closed < k; {
				i, err := sel.TrySelect()
				require.NotEqual(t, -1, i, "nothing ready, yet not every case reported closed")
				if errors.Is(err, handoff.ErrClosed) {
					closed++ // a closed case is reported on each of its turns
					continue
				}
				require.NoError(t, err)
				take(i)
			}
			require.Equal(t, rounds, received)
			for j := range k {
				require.Equal(t, (rounds-j+k-1)/k, next[j], "channel %d", j)
			}
			t.Logf("%d of %d Selects were cancelled", cancelled, rounds)
		})
	}
}

// With k cases always ready, k consecutive selects hit k distinct cases:
// the round robin gives each case its turn.
func TestSelectRoundRobin(t *testing.T) {
	for _, k := range []int{2, 3, 5} {
		t.Run(fmt.Sprintf("cases=%d", k), func(t *testing.T) {
			const rounds = 10
			txs := make([]*sender.Sender[int], k)
			dst := make([]int, k)
			cases := make([]channel.Case, k)
			for j := range k {
				var rx *receiver.Receiver[int]
				txs[j], rx = channel.Make[int](2 * rounds)
				cases[j] = channel.On(rx, &dst[j])
				for n := range 2 * rounds {
					require.NoError(t, txs[j].Send(n))
				}
			}
			sel := channel.NewSelector(cases...)
			for r := range 2 * rounds {
				seen := make(map[int]bool, k)
				for range k {
					var i int
					var err error
					if r < rounds {
						i, err = sel.TrySelect()
					} else {
						i, err = sel.Select(context.Background())
					}
					require.NoError(t, err)
					require.False(t, seen[i], "round %d: case %d twice before every case had a turn", r, i)
					seen[i] = true
					require.Equal(t, r, dst[i], "case %d: its items in order", i)
				}
			}
		})
	}
}

// Several receivers of one Selector may share an owner, or have none;
// one receiver may even appear in two cases.
func TestSelectSameReceiverTwice(t *testing.T) {
	tx, rx := channel.Make[int](4)
	var a, b int
	sel := channel.NewSelector(channel.On(rx, &a), channel.On(rx, &b))
	require.NoError(t, tx.Send(1))
	require.NoError(t, tx.Send(2))
	i, err := sel.TrySelect()
	require.NoError(t, err)
	j, err := sel.TrySelect()
	require.NoError(t, err)
	require.Equal(t, []int{0, 1}, []int{i, j})
	require.Equal(t, []int{1, 2}, []int{a, b})
	res, _ := goSelect(context.Background(), sel)
	require.NoError(t, tx.Send(3))
	r := <-res
	require.NoError(t, r.err)
	require.Equal(t, 3, []int{a, b}[r.i])
	require.NoError(t, tx.Close())
}

func TestNewSelectorPanicsWithoutCases(t *testing.T) {
	msg := mustPanicWith(t, func() { channel.NewSelector() })
	require.Contains(t, msg, "channel:")
}

// Once built, a Selector allocates nothing per Select or TrySelect.
func TestSelectZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	txA, rxA := channel.Make[int](4)
	txB, rxB := channel.Make[*selMsg](4)
	t.Cleanup(func() { txB.Owner().Close(); rxB.Owner().Close() })
	var a int
	var b *selMsg
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b))
	m := &selMsg{}
	require.NoError(t, txB.Owner().Adopt(&m.Header))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	allocs := testing.AllocsPerRun(1000, func() {
		_ = txA.Send(1)
		_, _ = sel.Select(ctx)
		_, _ = sel.TrySelect() // empty
		_ = txB.Send(m)
		_, _ = sel.Select(context.Background())
		// Hand m back to the sender's owner for the next round.
		_ = rxB.Owner().Transfer(&m.Header, txB.Owner())
	})
	require.Zero(t, allocs)
}

// Many producers (cloned senders) on several channels of different
// element types, one Selector consuming until every channel is closed:
// every item arrives once, in order per producer.
func TestSelectManyProducersManyChannels(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			const (
				chans     = 4
				producers = 3 // per channel
			)
			n := 1500
			if testing.Short() {
				n = 300
			}
			var wg sync.WaitGroup
			// Channels 0, 2 carry seqItem; 1, 3 carry *box (a pointer, no header).
			type box struct{ v seqItem }
			var (
				dstItem [chans]seqItem
				dstBox  [chans]*box
				cases   []channel.Case
				caseOf  []int // case index -> channel
			)
			for ch := range chans {
				if ch%2 == 0 {
					tx, rx := channel.Make[seqItem](8)
					cases = append(cases, channel.On(rx, &dstItem[ch]))
					startProducers(t, &wg, tx, producers, func(s *sender.Sender[seqItem], id int) error {
						return fanProduce(s, id, n, nil)
					})
				} else {
					tx, rx := channel.Make[*box](8)
					cases = append(cases, channel.On(rx, &dstBox[ch]))
					startProducers(t, &wg, tx, producers, func(s *sender.Sender[*box], id int) error {
						for i := range n {
							if err := s.Send(&box{seqItem{id, i}}); err != nil {
								return err
							}
						}
						return nil
					})
				}
				caseOf = append(caseOf, ch)
			}
			next := [chans][producers]int{}
			total := 0
			sel := channel.NewSelector(cases...)
			for len(cases) > 0 {
				i, err := sel.Select(context.Background())
				require.GreaterOrEqual(t, i, 0)
				ch := caseOf[i]
				if errors.Is(err, handoff.ErrClosed) {
					// Rebuild without the closed case.
					cases = append(cases[:i:i], cases[i+1:]...)
					caseOf = append(caseOf[:i:i], caseOf[i+1:]...)
					if len(cases) > 0 {
						sel = channel.NewSelector(cases...)
					}
					continue
				}
				require.NoError(t, err)
				v := dstItem[ch]
				if ch%2 == 1 {
					v = dstBox[ch].v
				}
				require.Equal(t, next[ch][v.id], v.seq, "channel %d producer %d", ch, v.id)
				next[ch][v.id]++
				total++
			}
			wg.Wait()
			require.Equal(t, chans*producers*n, total)
		})
	}
}

// startProducers runs count producers on tx and its clones, each closing
// its sender when done.
func startProducers[T any](t *testing.T, wg *sync.WaitGroup, tx *sender.Sender[T], count int,
	produce func(s *sender.Sender[T], id int) error) {
	senders := []*sender.Sender[T]{tx}
	for len(senders) < count {
		c, err := tx.Clone()
		require.NoError(t, err)
		senders = append(senders, c)
	}
	for id, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, produce(s, id))
			assert.NoError(t, s.Close())
		}()
	}
}

// receiver.Chan in a native select, next to an ordinary Go channel.
func TestChanInNativeSelect(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tx, rx := channel.Make[int](4)
	ticks := make(chan string)
	ch := rx.Chan(context.Background(), 0)
	go func() {
		for i := range 5 {
			_ = tx.Send(i)
			ticks <- fmt.Sprint("tick", i)
		}
		_ = tx.Close()
		close(ticks)
	}()
	var items []int
	var others []string
	for ch != nil || ticks != nil {
		select {
		case v, ok := <-ch:
			if !ok {
				ch = nil
				continue
			}
			items = append(items, v)
		case s, ok := <-ticks:
			if !ok {
				ticks = nil
				continue
			}
			others = append(others, s)
		}
	}
	require.Equal(t, []int{0, 1, 2, 3, 4}, items)
	require.Len(t, others, 5)
}

// The Go channel closes once the handoff channel is closed and drained.
func TestChanClosesWhenDrained(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tx, rx := channel.Make[int](8)
	c, err := tx.Clone()
	require.NoError(t, err)
	for i := range 3 {
		require.NoError(t, tx.Send(i))
		require.NoError(t, c.Send(10+i))
	}
	require.NoError(t, tx.Close())
	require.NoError(t, c.Close())
	var got []int
	for v := range rx.Chan(context.Background(), 2) {
		got = append(got, v)
	}
	require.ElementsMatch(t, []int{0, 1, 2, 10, 11, 12}, got)
	require.True(t, rx.Closed())
}

// Owned objects through Chan come out free: the feeding goroutine releases
// each before it hands it over, and the reader takes it with its own
// owner at once. Left with the receiver's owner, the reader's Steal of
// the last item would wait for a preemption point of the feeder, which
// has returned (the Steal here has no deadline: the test would hang).
func TestChanOwnedObjectsStolenByTheReader(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tx, rx := channel.Make[*Msg](4)
	const n = 100
	go func() {
		for _, m := range adopted(t, tx.Owner(), n) {
			_ = tx.Send(m)
		}
		_ = tx.Close()
	}()
	me := ownership.NewOwner()
	defer me.Close()
	got := 0
	for m := range rx.Chan(context.Background(), 0) {
		require.Equal(t, ownership.Free, m.Header.State().Kind, "handed over free")
		require.NoError(t, me.Steal(context.Background(), &m.Header))
		require.True(t, me.Owns(&m.Header))
		require.Equal(t, got+1, m.n)
		got++
	}
	require.Equal(t, n, got)
	require.NoError(t, rx.Close())
}

// Cancelling ctx stops the feeding goroutine, whether it waits for an item
// or for the Go channel's reader, and closes the Go channel; afterwards
// the receiver is usable again and goleak sees no goroutine left.
func TestChanStopsOnCancel(t *testing.T) {
	t.Run("waiting-for-item", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		tx, rx := channel.Make[int](2)
		ctx, cancel := context.WithCancel(context.Background())
		parks := rx.Stats().RecvParks
		ch := rx.Chan(ctx, 0)
		waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
		cancel()
		_, ok := <-ch
		require.False(t, ok, "closed on cancel")
		// The goroutine is gone: this goroutine may use rx again.
		require.NoError(t, tx.Send(7))
		v, ok := rx.Recv()
		require.True(t, ok)
		require.Equal(t, 7, v)
		require.NoError(t, tx.Close())
	})
	t.Run("waiting-for-reader", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		tx, rx := channel.Make[int](4)
		for i := range 3 {
			require.NoError(t, tx.Send(i))
		}
		ctx, cancel := context.WithCancel(context.Background())
		ch := rx.Chan(ctx, 0)
		require.Equal(t, 0, <-ch)
		// The goroutine has taken item 1 and waits for this reader.
		waitFor(t, "the feeder to take item 1", func() bool { return rx.Len() <= 1 })
		cancel()
		var rest []int
		for v := range ch {
			// A hand-over that won its race with ctx.Done (the feeder's
			// select picks at random when both are ready).
			rest = append(rest, v)
		}
		// Whatever the feeder took but did not hand over was dropped
		// (documented); what it never took is still buffered, in order.
		left := []int{}
		require.NoError(t, tx.Close())
		for v := range rx.All() {
			left = append(left, v)
		}
		all := append(append([]int{0}, rest...), left...)
		require.LessOrEqual(t, len(all), 3)
		for i := 1; i < len(all); i++ {
			require.Less(t, all[i-1], all[i], "order kept, nothing duplicated: %v", all)
		}
	})
}
