package channel_test

// Lifecycle regression tests (issue 10): the reproducers of the issue, as
// bounded tests with no timing assertions and no sleeps. Every wait for
// another goroutine is a bounded loop of yields (lcPoll), and every
// goroutine a test starts is joined (TestMain checks with goleak).
//
//  1. Sender.Close from a third goroutine loses no send that returned nil.
//  2. The same with owned objects: no data race, every accepted object
//     arrives owned by the receiver, every failed send is ErrClosed.
//  3. Receiver.Close from another goroutine wakes a blocked receive of
//     every form (Recv, RecvBatch, RecvContext, All, Selector.Select).
//  4. Closed and drained lanes are reclaimed: many Clone/Send/Close cycles
//     on one channel keep the heap and the lane count flat.
//  5. Make never panics with a nil dereference for an element type that
//     reaches its header through an embedded pointer.
//  6. Close from the sender's goroutine, from a third goroutine before any
//     send, while a send is parked on a full lane, and twice.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/handoff-go/handoff"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

var lcLong = flag.Bool("long", false, "lifecycle tests: run the long versions (10^6 Clone/Close cycles)")

// lcObj is an owned object for the lifecycle tests. seq is written by the
// sender before the send and read by the receiver after it, so the race
// detector checks the hand-over's happens-before edge.
type lcObj struct {
	ownership.Header
	seq  int
	data [4]int
}

// lcTrials scales a trial count: a tenth with -short.
func lcTrials(n int) int {
	if testing.Short() {
		return max(1, n/10)
	}
	return n
}

// lcPoll yields until cond holds, at most maxPolls times, and reports
// whether it held: a bound in polls, not in time.
func lcPoll(cond func() bool) bool {
	for i := 0; i < maxPolls; i++ {
		if cond() {
			return true
		}
		runtime.Gosched()
	}
	return cond()
}

// lcRecover runs f and returns what it panicked with, as text ("" if it
// did not panic).
func lcRecover(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("%v", r)
			if msg == "" {
				msg = fmt.Sprintf("panic(%T)", r)
			}
		}
	}()
	f()
	return ""
}

// lcSendModes are the ways a producer loop sends: every one of them must
// either deliver or return ErrClosed.
var lcSendModes = []string{"Send", "SendContext", "TrySend", "SendBatch"}

// lcMaxSends bounds a send-until-error loop (the close always comes much
// earlier; reaching it is a failure).
const lcMaxSends = 1 << 20

// lcSendIntsUntilError sends 0, 1, 2, ... on tx in the given mode until a
// send fails, and returns how many were accepted and the error.
func lcSendIntsUntilError(tx *channel.Sender[int], mode string, batch int) (int, error) {
	sent := 0
	buf := make([]int, batch)
	for sent < lcMaxSends {
		var err error
		switch mode {
		case "Send":
			if err = tx.Send(sent); err == nil {
				sent++
			}
		case "SendContext":
			if err = tx.SendContext(context.Background(), sent); err == nil {
				sent++
			}
		case "TrySend":
			if err = tx.TrySend(sent); err == nil {
				sent++
			} else if errors.Is(err, handoff.ErrFull) {
				runtime.Gosched()
				err = nil
			}
		case "SendBatch":
			for i := range buf {
				buf[i] = sent + i
			}
			var n int
			n, err = tx.SendBatch(buf)
			sent += n
		}
		if err != nil {
			return sent, err
		}
	}
	return sent, fmt.Errorf("no error after %d sends: the close never reached the sender", sent)
}

// 1. One goroutine loops Send until it errors, a third goroutine closes
// the sender, and the receiver ranges over All concurrently. Every send
// that returned nil must be received, in order, before All ends; after
// All ends nothing more is ever received.
func TestLifecycleSenderCloseFromThirdGoroutineLosesNothing(t *testing.T) {
	trials := lcTrials(2000)
	for trial := range trials {
		r := rand.New(rand.NewPCG(uint64(trial), 0x1c1))
		capacity := 1 + r.IntN(4)
		mode := lcSendModes[r.IntN(len(lcSendModes))]
		batch := 1 + r.IntN(2*capacity)
		yields := r.IntN(48)
		desc := fmt.Sprintf("trial %d (capacity %d, %s, batch %d, close after %d yields)", trial, capacity, mode, batch, yields)

		tx, rx := channel.Make[int](capacity)
		start := make(chan struct{})
		var (
			wg       sync.WaitGroup
			sent     int
			sendErr  error
			closeErr error
		)
		wg.Add(2)
		go func() { // the producer
			defer wg.Done()
			<-start
			sent, sendErr = lcSendIntsUntilError(tx, mode, batch)
		}()
		go func() { // the third goroutine
			defer wg.Done()
			<-start
			for range yields {
				runtime.Gosched()
			}
			closeErr = tx.Close()
		}()
		close(start)
		received := 0
		var orderErr error
		for v := range rx.All() {
			if v != received && orderErr == nil {
				orderErr = fmt.Errorf("item %d received as %d", received, v)
			}
			received++
		}
		wg.Wait()
		v, afterErr := rx.TryRecv()

		require.NoError(t, closeErr, desc)
		require.ErrorIs(t, sendErr, handoff.ErrClosed, desc)
		require.NoError(t, orderErr, desc)
		require.Equal(t, sent, received, "%s: sends that returned nil vs items received by All", desc)
		require.ErrorIs(t, afterErr, handoff.ErrClosed, "%s: TryRecv after All ended returned %v", desc, v)
		st := rx.Stats()
		require.Equal(t, uint64(sent), st.Sent, desc)
		require.Equal(t, uint64(sent), st.Received, desc)
	}
}

// 2. The same race with owned objects: objects adopted by tx.Owner() in
// the producer's goroutine, the sender closed (and its fresh owner retired)
// by a third goroutine. No data race (the race detector checks the plain
// fields), every send that returned nil arrives owned by rx.Owner(), and
// every failed send fails with ErrClosed, not an ownership error, and
// leaves its object out of the receiver's hands.
func TestLifecycleOwnedSenderCloseFromThirdGoroutine(t *testing.T) {
	trials := lcTrials(2000)
	for trial := range trials {
		r := rand.New(rand.NewPCG(uint64(trial), 0x1c2))
		capacity := 1 + r.IntN(4)
		mode := lcSendModes[r.IntN(len(lcSendModes))]
		batch := 1 + r.IntN(2*capacity)
		yields := r.IntN(48)
		desc := fmt.Sprintf("trial %d (capacity %d, %s, batch %d, close after %d yields)", trial, capacity, mode, batch, yields)

		tx, rx := channel.Make[*lcObj](capacity)
		rxID := rx.Owner().ID()
		start := make(chan struct{})
		var (
			wg       sync.WaitGroup
			sent     int
			sendErr  error
			failed   []*lcObj // objects of the sends that failed
			prodErr  error    // a problem the producer saw
			closeErr error
		)
		wg.Add(2)
		go func() { // the producer
			defer wg.Done()
			<-start
			sent, sendErr, failed, prodErr = lcSendOwnedUntilError(tx, mode, batch)
			for _, m := range failed {
				if st := m.Header.State(); st.Kind == ownership.Owned && st.Owner == rxID && prodErr == nil {
					prodErr = fmt.Errorf("object %d: its send failed (%v) but it is %v, the receiver's", m.seq, sendErr, st)
				}
			}
		}()
		go func() { // the third goroutine
			defer wg.Done()
			<-start
			for range yields {
				runtime.Gosched()
			}
			closeErr = tx.Close()
		}()
		close(start)
		received := 0
		var recvErr error
		for m := range rx.All() {
			if recvErr == nil {
				switch {
				case !rx.Owner().Owns(&m.Header):
					recvErr = fmt.Errorf("object %d received but %v, not owned by the receiver's owner %d", m.seq, m.Header.State(), rxID)
				case m.seq != received || m.data[0] != received:
					recvErr = fmt.Errorf("item %d received as %d (data %d)", received, m.seq, m.data[0])
				}
			}
			m.data[1] = received // the receiver's write: a race if the sender still touches it
			received++
		}
		wg.Wait()
		_, afterErr := rx.TryRecv()
		// The close retired the sender's fresh owner: closed at its next
		// preemption point at the latest (Sender.Close's doc). The producer
		// is done and joined, so this goroutine may act for the owner now.
		tx.Owner().Preempt()

		require.True(t, tx.Owner().Closed(), "%s: the sender's fresh owner is not closed after Close and a preemption point", desc)
		require.NoError(t, closeErr, desc)
		require.NoError(t, prodErr, desc)
		require.NoError(t, recvErr, desc)
		require.ErrorIs(t, sendErr, handoff.ErrClosed, desc)
		require.NotErrorIs(t, sendErr, ownership.ErrNotOwner, "%s: a send failed with an ownership error", desc)
		require.Equal(t, sent, received, "%s: sends that returned nil vs objects received by All", desc)
		require.ErrorIs(t, afterErr, handoff.ErrClosed, desc)
		require.NoError(t, rx.Close(), desc) // retires the receiver's fresh owner
		rx.Owner().Preempt()
		require.True(t, rx.Owner().Closed(), "%s: the receiver's fresh owner is not closed after Close and a preemption point", desc)
	}
}

// lcSendOwnedUntilError is lcSendIntsUntilError for owned objects: each
// object is adopted by tx.Owner() just before its send. It returns the
// objects of the failed sends, and a problem it saw on the way (an Adopt
// that failed although the sender was still open).
func lcSendOwnedUntilError(tx *channel.Sender[*lcObj], mode string, batch int) (sent int, err error, failed []*lcObj, problem error) {
	next := func(seq int) *lcObj {
		m := &lcObj{seq: seq}
		m.data[0] = seq
		if aerr := tx.Owner().Adopt(&m.Header); aerr != nil && problem == nil {
			// Acceptable only if the owner was retired by a Close: the send
			// of m must then fail with ErrClosed, which the caller checks.
			if !tx.Closed() {
				problem = fmt.Errorf("Adopt failed on an open sender: %w", aerr)
			}
		}
		return m
	}
	buf := make([]*lcObj, batch)
	for sent < lcMaxSends {
		switch mode {
		case "Send", "SendContext", "TrySend":
			m := next(sent)
			switch mode {
			case "Send":
				err = tx.Send(m)
			case "SendContext":
				err = tx.SendContext(context.Background(), m)
			case "TrySend":
				err = tx.TrySend(m)
				if errors.Is(err, handoff.ErrFull) {
					if !tx.Owner().Owns(&m.Header) && !tx.Closed() && problem == nil {
						problem = fmt.Errorf("TrySend: ErrFull, and the object is no longer the sender's: %v", m.Header.State())
					}
					runtime.Gosched()
					continue // m is dropped; the next object gets the same seq
				}
			}
			if err == nil {
				sent++
				continue
			}
			failed = append(failed, m)
		case "SendBatch":
			for i := range buf {
				buf[i] = next(sent + i)
			}
			var n int
			n, err = tx.SendBatch(buf)
			sent += n
			if err == nil {
				continue
			}
			failed = append(failed, buf[n:]...)
		}
		return sent, err, failed, problem
	}
	return sent, fmt.Errorf("no error after %d sends: the close never reached the sender", sent), failed, problem
}

// lcRecvCall is one blocking receive form, run in the receiver's
// goroutine. It returns a description of what the call returned and
// whether that is "closed" (ok=false, n=0, or ErrClosed).
type lcRecvCall[T any] struct {
	name string
	call func(rx *channel.Receiver[T]) (closed bool, got string)
}

func lcBlockingRecvs[T any]() []lcRecvCall[T] {
	return []lcRecvCall[T]{
		{"Recv", func(rx *channel.Receiver[T]) (bool, string) {
			v, ok := rx.Recv()
			return !ok, fmt.Sprintf("Recv() = %v, %v", v, ok)
		}},
		{"RecvBatch", func(rx *channel.Receiver[T]) (bool, string) {
			n, ok := rx.RecvBatch(make([]T, 4))
			return !ok && n == 0, fmt.Sprintf("RecvBatch() = %d, %v", n, ok)
		}},
		{"RecvContext", func(rx *channel.Receiver[T]) (bool, string) {
			v, err := rx.RecvContext(context.Background())
			return errors.Is(err, handoff.ErrClosed), fmt.Sprintf("RecvContext(Background) = %v, %v", v, err)
		}},
		{"RecvBatchContext", func(rx *channel.Receiver[T]) (bool, string) {
			n, err := rx.RecvBatchContext(context.Background(), make([]T, 4))
			return n == 0 && errors.Is(err, handoff.ErrClosed), fmt.Sprintf("RecvBatchContext(Background) = %d, %v", n, err)
		}},
		{"All", func(rx *channel.Receiver[T]) (bool, string) {
			n := 0
			for range rx.All() {
				n++
			}
			return n == 0, fmt.Sprintf("All yielded %d items", n)
		}},
		{"Select", func(rx *channel.Receiver[T]) (bool, string) {
			var dst T
			sel := channel.NewSelector(channel.On(rx, &dst))
			i, err := sel.Select(context.Background())
			return i == 0 && errors.Is(err, handoff.ErrClosed), fmt.Sprintf("Select(Background) = %d, %v", i, err)
		}},
		{"SelectTwoReceivers", func(rx *channel.Receiver[T]) (bool, string) {
			// A second, idle channel in the same Selector: only rx's
			// disconnect can end the Select.
			otx, orx := channel.Make[int](1)
			defer func() { _ = otx.Close(); _ = orx.Close() }()
			var dst T
			var odst int
			sel := channel.NewSelector(channel.On(orx, &odst), channel.On(rx, &dst))
			i, err := sel.Select(context.Background())
			return i == 1 && errors.Is(err, handoff.ErrClosed), fmt.Sprintf("Select(Background) over (idle, rx) = %d, %v", i, err)
		}},
	}
}

// 3. Receiver.Close from another goroutine wakes a receive blocked in a
// third goroutine, in every form, with plain and owned element types; the
// blocked call reports closed, and so does the receiver's next call. Two
// variants: the close comes after the receiver has parked, or races with
// its way into the wait (many trials). The sender stays open the whole
// time, so only the disconnect can end the wait. If it does not, the test
// says so after a bounded number of polls and then closes the sender to
// free the goroutine.
func TestLifecycleReceiverCloseFromAnotherGoroutineWakesBlockedRecv(t *testing.T) {
	t.Run("int", func(t *testing.T) { lcReceiverCloseWakes[int](t) })
	t.Run("owned", func(t *testing.T) { lcReceiverCloseWakes[*lcObj](t) })
}

func lcReceiverCloseWakes[T any](t *testing.T) {
	for _, c := range lcBlockingRecvs[T]() {
		t.Run(c.name, func(t *testing.T) {
			t.Run("parked", func(t *testing.T) {
				for trial := range lcTrials(20) {
					lcReceiverCloseWakesOnce(t, c, trial, true)
				}
			})
			t.Run("racing", func(t *testing.T) {
				for trial := range lcTrials(300) {
					lcReceiverCloseWakesOnce(t, c, trial, false)
				}
			})
		})
	}
}

func lcReceiverCloseWakesOnce[T any](t *testing.T, c lcRecvCall[T], trial int, parked bool) {
	t.Helper()
	tx, rx := channel.Make[T](1)
	parks := rx.Stats().RecvParks
	type result struct {
		closed bool
		got    string
		next   error // the receiver's next call, TryRecv
	}
	res := make(chan result, 1)
	go func() { // the receiver's goroutine
		var out result
		if p := lcRecover(func() { out.closed, out.got = c.call(rx) }); p != "" {
			out.got = "panic: " + p
		} else {
			_, out.next = rx.TryRecv()
		}
		res <- out
	}()
	if parked {
		if !lcPoll(func() bool { return rx.Stats().RecvParks > parks }) {
			_ = tx.Close()
			<-res
			t.Fatalf("trial %d: the receive never parked", trial)
		}
	} else {
		for range trial % 16 {
			runtime.Gosched()
		}
	}
	closeDone := make(chan string, 1)
	go func() { // the closing goroutine
		closeDone <- lcRecover(func() {
			if err := rx.Close(); err != nil {
				panic(fmt.Sprintf("Receiver.Close() = %v, want nil", err))
			}
		})
	}()
	closePanic := <-closeDone
	var out result
	woken := lcPoll(func() bool {
		select {
		case out = <-res:
			return true
		default:
			return false
		}
	})
	if !woken {
		_ = tx.Close() // free the receiver's goroutine
		out = <-res
	}
	_ = tx.Close()
	require.Empty(t, closePanic, "trial %d: Receiver.Close from another goroutine panicked", trial)
	require.True(t, woken, "trial %d: %s still blocked after Receiver.Close returned (%d polls); it returned %q only once the sender closed", trial, c.name, maxPolls, out.got)
	require.True(t, out.closed, "trial %d: after Receiver.Close: %s", trial, out.got)
	require.ErrorIs(t, out.next, handoff.ErrClosed, "trial %d: the receiver's next call after the disconnect", trial)
}

// 4. A long-lived channel with one Clone/Send/Close per request, and a
// receiver draining it: closed and drained lanes must leave the channel,
// so the receiver's scan (Stats().LiveLanes) and the heap stay flat. The
// cost proxy is LiveLanes, the number of lanes a receive scans; no timing.
func TestLifecycleLanesReclaimed(t *testing.T) {
	cycles := 100_000
	switch {
	case *lcLong:
		cycles = 1_000_000
	case testing.Short():
		cycles = 20_000
	}
	t.Run("int", func(t *testing.T) {
		lcLanesReclaimed(t, cycles, func(int) int { return 1 }, nil)
	})
	t.Run("owned", func(t *testing.T) {
		lcLanesReclaimed(t, cycles/4,
			func(i int) *lcObj { return &lcObj{seq: i} },
			func(tx *channel.Sender[*lcObj], m *lcObj) error { return tx.Owner().Adopt(&m.Header) })
	})
}

// lcLanesMax is the most lanes a channel with one long-lived sender may
// keep once its receiver has caught up: that sender's lane, the last
// clone's (closed but perhaps not yet seen drained) and slack for a
// reclamation that runs only every so often. Without reclamation the
// count is the number of cycles.
const lcLanesMax = 64

// lcHeapSlack is how much the live heap may grow over the cycles: a
// generous fixed bound (the issue measured 127 MiB for 10^5 leaked lanes;
// one leaked lane costs about 1 KiB).
const lcHeapSlack = 16 << 20

func lcLanesReclaimed[T any](t *testing.T, cycles int, mk func(int) T, prep func(*channel.Sender[T], T) error) {
	tx, rx := channel.Make[T](4)
	var received int64
	var mu sync.Mutex // guards received for the checker
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range rx.All() {
			mu.Lock()
			received++
			mu.Unlock()
		}
	}()
	caughtUp := func(n int) bool {
		mu.Lock()
		defer mu.Unlock()
		return received >= int64(n)
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	const checkEvery = 10_000
	var baseHeap uint64
	maxLanes, maxHeap := 0, uint64(0)
	for i := 1; i <= cycles; i++ {
		c, err := tx.Clone()
		require.NoError(t, err, "cycle %d: Clone", i)
		v := mk(i)
		if prep != nil {
			require.NoError(t, prep(c, v), "cycle %d", i)
		}
		require.NoError(t, c.Send(v), "cycle %d: Send", i)
		require.NoError(t, c.Close(), "cycle %d: Close", i)
		if i == 1000 {
			require.True(t, lcPoll(func() bool { return caughtUp(i) }), "the receiver never received %d items", i)
			baseHeap = heap()
		}
		if i%checkEvery == 0 || i == cycles {
			require.True(t, lcPoll(func() bool { return caughtUp(i) }), "the receiver never received %d items", i)
			st := tx.Stats()
			lanes := st.LiveLanes
			maxLanes = max(maxLanes, lanes)
			require.LessOrEqual(t, lanes, lcLanesMax, "after %d Clone/Send/Close cycles (all received) the receiver still scans %d lanes: closed, drained lanes are not reclaimed", i, lanes)
			require.Equal(t, i+1, st.Lanes, "Stats().Lanes counts every lane ever attached")
			if baseHeap != 0 {
				h := heap()
				maxHeap = max(maxHeap, h)
				require.Less(t, h, baseHeap+lcHeapSlack, "after %d cycles the heap is %d MiB, %d MiB at cycle 1000", i, h>>20, baseHeap>>20)
			}
		}
	}
	require.NoError(t, tx.Close())
	<-done
	st := rx.Stats()
	require.Equal(t, uint64(cycles), st.Sent, "Sent must keep counting the reclaimed lanes' items")
	require.Equal(t, uint64(cycles), st.Received)
	require.Equal(t, cycles+1, st.Lanes)
	require.LessOrEqual(t, st.LiveLanes, lcLanesMax)
	require.NoError(t, rx.Close())
	t.Logf("%d cycles: at most %d live lanes at a check, heap at most %d KiB (%d KiB at cycle 1000)", cycles, maxLanes, maxHeap>>10, baseHeap>>10)
}

// 5. Element types that reach their header through a pointer. Make must
// not panic with a nil dereference: it either handles the type (the
// header found, or the type treated as a plain value) or refuses it with
// a "channel:" panic naming the type. A handled type must survive a send
// of a value whose inner pointer is nil, and of a nil pointer.
type lcInner struct {
	ownership.Header
	v int
}

// lcOuter reaches the header through an embedded pointer: its promoted
// OwnershipHeader dereferences lcInner, nil in the zero value.
type lcOuter struct {
	*lcInner
	w int
}

// lcFar's own OwnershipHeader dereferences a pointer field.
type lcFar struct {
	in *lcInner
}

func (f *lcFar) OwnershipHeader() *ownership.Header { return &f.in.Header }

func TestLifecycleMakeHeaderThroughPointer(t *testing.T) {
	t.Run("embedded pointer", func(t *testing.T) {
		lcHeaderThroughPointer(t,
			func() *lcOuter { return &lcOuter{lcInner: &lcInner{v: 7}, w: 8} },
			func() *lcOuter { return &lcOuter{w: 9} },
			func(o *lcOuter) *ownership.Header { return &o.lcInner.Header })
	})
	t.Run("method through pointer field", func(t *testing.T) {
		lcHeaderThroughPointer(t,
			func() *lcFar { return &lcFar{in: &lcInner{v: 7}} },
			func() *lcFar { return &lcFar{} },
			func(o *lcFar) *ownership.Header { return &o.in.Header })
	})
}

func lcHeaderThroughPointer[T comparable](t *testing.T, full, nilInner func() T, header func(T) *ownership.Header) {
	typ := reflect.TypeFor[T]()
	var tx *channel.Sender[T]
	var rx *channel.Receiver[T]
	if msg := lcRecover(func() { tx, rx = channel.Make[T](4) }); msg != "" {
		require.True(t, strings.HasPrefix(msg, "channel:"), "Make[%v] panicked with %q: want a \"channel:\" message", typ, msg)
		elem := typ.Elem().Name()
		require.Contains(t, msg, elem, "Make[%v]'s panic %q does not name the type", typ, msg)
		t.Logf("Make[%v] refuses the type: %s", typ, msg)
		return
	}
	owned := tx.Owner() != nil
	t.Logf("Make[%v] accepts the type (owned: %v)", typ, owned)
	defer func() { _ = tx.Close(); _ = rx.Close() }()

	// A value whose inner pointer is set: sent and received, and owned by
	// the receiver if the channel moves ownership.
	v := full()
	if owned {
		require.NoError(t, tx.Owner().Adopt(header(v)))
	}
	var err error
	require.Empty(t, lcRecover(func() { err = tx.Send(v) }), "Send of a %v whose inner pointer is set panicked", typ)
	require.NoError(t, err)
	got, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, v, got)
	if owned {
		require.True(t, rx.Owner().Owns(header(got)), "received %v is %v, not the receiver's", typ, header(got).State())
	}

	// A value whose inner pointer is nil: no panic; delivered as is, or
	// refused with an error.
	w := nilInner()
	require.Empty(t, lcRecover(func() { err = tx.Send(w) }), "Send of a %v whose inner pointer is nil panicked", typ)
	if err != nil {
		require.NotErrorIs(t, err, handoff.ErrClosed, "a refused value must not look like a closed channel")
		t.Logf("Send of a %v with a nil inner pointer refused: %v", typ, err)
	} else {
		got, ok = rx.Recv()
		require.True(t, ok)
		require.Equal(t, w, got)
	}

	// A nil pointer: sent like any nil pointer.
	var zero T
	require.Empty(t, lcRecover(func() { err = tx.Send(zero) }), "Send of a nil %v panicked", typ)
	require.NoError(t, err)
	got, ok = rx.Recv()
	require.True(t, ok)
	require.Equal(t, zero, got)
}

// 6a. Close from the sender's own goroutine: later sends fail, what was
// sent is received, then the channel reports closed; closing again is
// ErrClosed on both endpoints.
func TestLifecycleCloseFromSendersGoroutine(t *testing.T) {
	tx, rx := channel.Make[int](4)
	for i := range 3 {
		require.NoError(t, tx.Send(i))
	}
	require.NoError(t, tx.Close())
	require.ErrorIs(t, tx.Send(3), handoff.ErrClosed)
	require.ErrorIs(t, tx.TrySend(3), handoff.ErrClosed)
	n, err := tx.SendBatch([]int{3, 4})
	require.Zero(t, n)
	require.ErrorIs(t, err, handoff.ErrClosed)
	_, err = tx.Clone()
	require.ErrorIs(t, err, handoff.ErrClosed, "Clone of a closed sender")
	for i := range 3 {
		v, ok := rx.Recv()
		require.True(t, ok)
		require.Equal(t, i, v)
	}
	_, ok := rx.Recv()
	require.False(t, ok)
	require.ErrorIs(t, tx.Close(), handoff.ErrClosed, "second Sender.Close")
	require.NoError(t, rx.Close())
	require.ErrorIs(t, rx.Close(), handoff.ErrClosed, "second Receiver.Close")
	require.Equal(t, uint64(3), rx.Stats().Received)
	require.Zero(t, rx.Stats().Discarded)
}

// 6b. Close from a third goroutine before any send: the sender's first
// send fails, its Clone fails, and the receiver sees a closed channel.
func TestLifecycleCloseFromThirdGoroutineBeforeAnySend(t *testing.T) {
	for _, owned := range []bool{false, true} {
		t.Run(fmt.Sprintf("owned=%v", owned), func(t *testing.T) {
			txi, rxi := channel.Make[int](2)
			txo, rxo := channel.Make[*lcObj](2)
			closed := make(chan error)
			go func() {
				if owned {
					closed <- txo.Close()
				} else {
					closed <- txi.Close()
				}
			}()
			require.NoError(t, <-closed)
			if owned {
				m := &lcObj{seq: 1} // free: an open channel would take it on the fallback path
				err := txo.Send(m)
				require.ErrorIs(t, err, handoff.ErrClosed)
				require.NotErrorIs(t, err, ownership.ErrNotOwner, "a send on a closed channel must fail as closed, before any ownership step")
				_, err = txo.Clone()
				require.ErrorIs(t, err, handoff.ErrClosed)
				_, ok := rxo.Recv()
				require.False(t, ok)
				_, err = rxo.TryRecv()
				require.ErrorIs(t, err, handoff.ErrClosed)
				require.ErrorIs(t, txo.Close(), handoff.ErrClosed)
			} else {
				require.ErrorIs(t, txi.Send(1), handoff.ErrClosed)
				_, err := txi.Clone()
				require.ErrorIs(t, err, handoff.ErrClosed)
				_, ok := rxi.Recv()
				require.False(t, ok)
				_, err = rxi.TryRecv()
				require.ErrorIs(t, err, handoff.ErrClosed)
				require.ErrorIs(t, txi.Close(), handoff.ErrClosed)
			}
			_ = txi.Close()
			_ = txo.Close()
			require.NoError(t, rxi.Close())
			require.NoError(t, rxo.Close())
			require.Zero(t, rxi.Stats().Sent+rxo.Stats().Sent)
		})
	}
}

// 6c. Close from another goroutine while a send is parked on a full lane:
// the send fails with ErrClosed, its item is not delivered (the receiver
// gets only what was buffered), and an owned object stays out of the
// receiver's hands. Every blocking send form, plain and owned.
func TestLifecycleCloseWhileSendParked(t *testing.T) {
	forms := []string{"Send", "SendContext", "SendBatch", "SendBatchContext"}
	for _, form := range forms {
		t.Run(form+"/int", func(t *testing.T) {
			tx, rx := channel.Make[int](1)
			require.NoError(t, tx.Send(1)) // full now
			parks := tx.Stats().SendParks
			done := make(chan error, 1)
			go func() {
				var err error
				switch form {
				case "Send":
					err = tx.Send(2)
				case "SendContext":
					err = tx.SendContext(context.Background(), 2)
				case "SendBatch":
					var n int
					if n, err = tx.SendBatch([]int{2, 3}); n != 0 {
						err = fmt.Errorf("SendBatch accepted %d items on a full channel that was then closed (%v)", n, err)
					}
				case "SendBatchContext":
					var n int
					if n, err = tx.SendBatchContext(context.Background(), []int{2, 3}); n != 0 {
						err = fmt.Errorf("SendBatchContext accepted %d items on a full channel that was then closed (%v)", n, err)
					}
				}
				done <- err
			}()
			require.True(t, lcPoll(func() bool { return tx.Stats().SendParks > parks }), "the send never parked")
			closed := make(chan error)
			go func() { closed <- tx.Close() }()
			require.NoError(t, <-closed)
			require.ErrorIs(t, <-done, handoff.ErrClosed)
			var got []int
			for v := range rx.All() {
				got = append(got, v)
			}
			require.Equal(t, []int{1}, got, "only the buffered item is delivered")
			require.Equal(t, uint64(1), rx.Stats().Sent)
			require.NoError(t, rx.Close())
		})
		t.Run(form+"/owned", func(t *testing.T) {
			tx, rx := channel.Make[*lcObj](1)
			rxID := rx.Owner().ID()
			first := &lcObj{seq: 1}
			require.NoError(t, tx.Owner().Adopt(&first.Header))
			require.NoError(t, tx.Send(first)) // full now
			parks := tx.Stats().SendParks
			type result struct {
				err   error
				state []ownership.State // of the objects that were not sent
			}
			done := make(chan result, 1)
			go func() { // the sender's goroutine: adopt, send, then look at the objects
				ms := []*lcObj{{seq: 2}, {seq: 3}}
				for _, m := range ms {
					if err := tx.Owner().Adopt(&m.Header); err != nil {
						done <- result{err: fmt.Errorf("Adopt: %w", err)}
						return
					}
				}
				var res result
				switch form {
				case "Send":
					res.err = tx.Send(ms[0])
				case "SendContext":
					res.err = tx.SendContext(context.Background(), ms[0])
				case "SendBatch", "SendBatchContext":
					var n int
					if form == "SendBatch" {
						n, res.err = tx.SendBatch(ms)
					} else {
						n, res.err = tx.SendBatchContext(context.Background(), ms)
					}
					if n != 0 {
						res.err = fmt.Errorf("%s accepted %d objects on a full channel that was then closed (%v)", form, n, res.err)
					}
				}
				for _, m := range ms {
					res.state = append(res.state, m.Header.State())
				}
				done <- res
			}()
			require.True(t, lcPoll(func() bool { return tx.Stats().SendParks > parks }), "the send never parked")
			closed := make(chan error)
			go func() { closed <- tx.Close() }()
			require.NoError(t, <-closed)
			res := <-done
			require.ErrorIs(t, res.err, handoff.ErrClosed)
			require.NotErrorIs(t, res.err, ownership.ErrNotOwner, "the send must fail as closed, not as an ownership error")
			for _, st := range res.state {
				require.False(t, st.Kind == ownership.Owned && st.Owner == rxID, "an object whose send failed is %v: the receiver's", st)
			}
			var got []int
			for m := range rx.All() {
				require.True(t, rx.Owner().Owns(&m.Header))
				got = append(got, m.seq)
			}
			require.Equal(t, []int{1}, got, "only the buffered object is delivered")
			require.NoError(t, rx.Close())
		})
	}
}

// 6d. Closing twice returns ErrClosed, on both endpoints, also when two
// goroutines close at once: exactly one Close succeeds.
func TestLifecycleDoubleCloseConcurrent(t *testing.T) {
	for trial := range lcTrials(500) {
		owned := trial%2 == 1
		var closeTx, closeRx func() error
		if owned {
			tx, rx := channel.Make[*lcObj](2)
			closeTx, closeRx = tx.Close, rx.Close
		} else {
			tx, rx := channel.Make[int](2)
			closeTx, closeRx = tx.Close, rx.Close
		}
		for _, ep := range []struct {
			name  string
			close func() error
		}{{"Sender", closeTx}, {"Receiver", closeRx}} {
			errs := make(chan string, 2)
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					if p := lcRecover(func() { err = ep.close() }); p != "" {
						errs <- "panic: " + p
						return
					}
					errs <- fmt.Sprint(err)
				}()
			}
			wg.Wait()
			close(errs)
			var got []string
			for e := range errs {
				got = append(got, e)
			}
			nils, closedErrs := 0, 0
			for _, e := range got {
				switch e {
				case "<nil>":
					nils++
				case handoff.ErrClosed.Error():
					closedErrs++
				}
			}
			require.True(t, nils == 1 && closedErrs == 1, "trial %d (owned %v): two concurrent %s.Close calls returned %q: want one nil and one ErrClosed", trial, owned, ep.name, got)
			require.ErrorIs(t, ep.close(), handoff.ErrClosed, "a third %s.Close", ep.name)
		}
	}
}

// 6e. A receiver disconnect from another goroutine while items are
// buffered: the items are discarded and counted, later sends fail, and
// the receiver's own next call reports closed.
func TestLifecycleReceiverCloseFromAnotherGoroutineDiscards(t *testing.T) {
	tx, rx := channel.Make[*lcObj](4)
	for i := range 3 {
		m := &lcObj{seq: i}
		require.NoError(t, tx.Owner().Adopt(&m.Header))
		require.NoError(t, tx.Send(m))
	}
	closed := make(chan error)
	go func() { closed <- rx.Close() }()
	require.NoError(t, <-closed)
	m := &lcObj{seq: 3}
	require.NoError(t, tx.Owner().Adopt(&m.Header))
	require.ErrorIs(t, tx.Send(m), handoff.ErrClosed)
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrClosed)
	_, ok := rx.Recv()
	require.False(t, ok)
	st := rx.Stats()
	require.Equal(t, uint64(3), st.Sent)
	require.Zero(t, st.Received)
	require.Equal(t, uint64(3), st.Discarded)
	require.Zero(t, rx.Len())
	require.NoError(t, tx.Close())
	require.ErrorIs(t, rx.Close(), handoff.ErrClosed)
}
