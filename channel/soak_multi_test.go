package channel_test

// A seeded, time-bounded soak of many senders and many receivers on one
// channel of owned objects (issue 14): sender goroutines (clones, some
// made mid-round) mix Send, TrySend, SendContext with expiring contexts
// and SendBatch, and close; receiver goroutines (clones, some made
// mid-round by a receiver's goroutine) mix every receive form, with
// expiring contexts, and some close their own receiver; helper goroutines
// close a random receiver from outside. The receivers are cloned before
// the first send, as a worker pool is, so that every object travels
// through the transit owner (an object sent before the first Clone is
// taken by a clone at the first receiver's next preemption point, which a
// first receiver that closed and returned never passes).
//
// Checked at every receive: the object is owned by the receiving
// receiver's owner (or free, when a Close from another goroutine retired
// that owner during the receive), its fields are the ones its sender wrote (the race
// detector checks the hand-over), and its sequence number is above the
// last one this receiver got from that lane (FIFO per lane across the
// receivers). At the end of a round: no object was received twice; if the
// channel was not disconnected, every accepted send was received; after a
// disconnect, what was received was accepted; Stats().Sent counts the
// accepted sends.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

type multiObj struct {
	ownership.Header
	lane, seq int
	check     int
}

// multiRound is one round's shared bookkeeping.
type multiRound struct {
	t        *testing.T
	tx       *channel.Sender[*multiObj]
	wg       sync.WaitGroup
	mu       sync.Mutex
	lanes    int                            // sender lanes ever made (guarded by mu)
	accepted map[int][]int                  // lane -> seqs whose send returned nil (guarded by mu)
	got      map[[2]int]int                 // (lane, seq) -> times received (guarded by mu)
	rxs      []*channel.Receiver[*multiObj] // every receiver made (guarded by mu)
	failed   atomic.Value
	closes   atomic.Int32 // receiver Closes that returned nil
	deadline time.Time
}

func (m *multiRound) fail(format string, a ...any) {
	m.failed.CompareAndSwap(nil, fmt.Sprintf(format, a...))
}

func (m *multiRound) newLane() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lanes++
	return m.lanes - 1
}

func (m *multiRound) accept(lane, seq int) {
	m.mu.Lock()
	m.accepted[lane] = append(m.accepted[lane], seq)
	m.mu.Unlock()
}

func (m *multiRound) sender(tx *channel.Sender[*multiObj], lane int, seed uint64) {
	defer m.wg.Done()
	r := rand.New(rand.NewPCG(seed, uint64(lane)))
	seq := 0
	mk := func() *multiObj {
		seq++
		o := &multiObj{lane: lane, seq: seq, check: lane<<20 | seq}
		if err := tx.Owner().Adopt(&o.Header); err != nil && !errors.Is(err, ownership.ErrOwnerClosed) {
			m.fail("adopt: %v", err)
		}
		return o
	}
	sendErr := func(err error, o *multiObj) bool {
		switch {
		case err == nil:
			m.accept(lane, o.seq)
			return true
		case errors.Is(err, handoff.ErrClosed):
			return false
		case errors.Is(err, handoff.ErrFull), errors.Is(err, context.DeadlineExceeded):
			return true
		}
		m.fail("send: %v", err)
		return false
	}
	for i := 0; i < 400 && time.Now().Before(m.deadline); i++ {
		switch p := r.IntN(100); {
		case p < 35:
			o := mk()
			if !sendErr(tx.Send(o), o) {
				return
			}
		case p < 60:
			o := mk()
			if !sendErr(tx.TrySend(o), o) {
				return
			}
		case p < 80:
			o := mk()
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.IntN(50))*time.Microsecond)
			ok := sendErr(tx.SendContext(ctx, o), o)
			cancel()
			if !ok {
				return
			}
		case p < 95:
			batch := make([]*multiObj, 1+r.IntN(5))
			for j := range batch {
				batch[j] = mk()
			}
			n, err := tx.SendBatch(batch)
			for _, o := range batch[:n] {
				m.accept(lane, o.seq)
			}
			if err != nil {
				if !errors.Is(err, handoff.ErrClosed) {
					m.fail("SendBatch: %v", err)
				}
				return
			}
		case p < 97:
			if c, err := tx.Clone(); err == nil {
				m.wg.Add(1)
				go m.sender(c, m.newLane(), seed)
			}
		default:
			runtime.Gosched()
		}
	}
	_ = tx.Close()
}

func (m *multiRound) receiver(rx *channel.Receiver[*multiObj], id int, seed uint64, mayClone bool) {
	defer m.wg.Done()
	r := rand.New(rand.NewPCG(seed, 1000+uint64(id)))
	last := map[int]int{}
	got := func(o *multiObj) {
		if o == nil {
			m.fail("receiver %d: nil object", id)
			return
		}
		if err := rx.Owner().Check(&o.Header); err != nil {
			// A Close from another goroutine that retired this receiver's
			// owner during the receive: the object arrives free, as every
			// object of a closed owner is.
			if !rx.Owner().Closed() || o.Header.State().Kind != ownership.Free {
				m.fail("receiver %d (closed %v, owner closed %v): %v", id, rx.Closed(), rx.Owner().Closed(), err)
				return
			}
		}
		if o.check != o.lane<<20|o.seq {
			m.fail("receiver %d: object fields %d %d %d", id, o.lane, o.seq, o.check)
		}
		if o.seq <= last[o.lane] {
			m.fail("receiver %d: lane %d: %d after %d", id, o.lane, o.seq, last[o.lane])
		}
		last[o.lane] = o.seq
		m.mu.Lock()
		m.got[[2]int{o.lane, o.seq}]++
		m.mu.Unlock()
	}
	dst := make([]*multiObj, 4)
	var sv, iv *multiObj
	_, idle := channel.Make[*multiObj](1) // never sent on: the Select's second case
	sel := channel.NewSelector(channel.On(rx, &sv), channel.On(idle, &iv))
	for {
		var err error
		if r.IntN(10) == 0 { // a Select, which takes the channel's door to sleep
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.IntN(200))*time.Microsecond)
			var i int
			if i, err = sel.Select(ctx); err == nil {
				if i != 0 {
					m.fail("receiver %d: Select chose the idle case", id)
				}
				got(sv)
			}
			cancel()
			switch {
			case err == nil, errors.Is(err, context.DeadlineExceeded):
				continue
			case errors.Is(err, handoff.ErrClosed):
				return
			}
			m.fail("receiver %d: Select: %v", id, err)
			return
		}
		switch p := r.IntN(100); {
		case p < 30:
			var o *multiObj
			var ok bool
			if o, ok = rx.Recv(); ok {
				got(o)
			} else {
				err = handoff.ErrClosed
			}
		case p < 50:
			var o *multiObj
			if o, err = rx.TryRecv(); err == nil {
				got(o)
			}
		case p < 65:
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.IntN(100))*time.Microsecond)
			var o *multiObj
			if o, err = rx.RecvContext(ctx); err == nil {
				got(o)
			}
			cancel()
		case p < 80:
			n, ok := rx.RecvBatch(dst[:1+r.IntN(len(dst))])
			for _, o := range dst[:n] {
				got(o)
			}
			if !ok {
				err = handoff.ErrClosed
			}
		case p < 92:
			var n int
			n, err = rx.TryRecvBatch(dst[:1+r.IntN(len(dst))])
			for _, o := range dst[:n] {
				got(o)
			}
		case p < 96:
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.IntN(100))*time.Microsecond)
			var n int
			n, err = rx.RecvBatchContext(ctx, dst[:1+r.IntN(len(dst))])
			for _, o := range dst[:n] {
				got(o)
			}
			cancel()
		case p < 98 && mayClone:
			if c, cerr := rx.Clone(); cerr == nil {
				m.mu.Lock()
				m.rxs = append(m.rxs, c)
				n := len(m.rxs)
				m.mu.Unlock()
				m.wg.Add(1)
				go m.receiver(c, n, seed, false)
			}
		case p < 99 && r.IntN(20) == 0:
			if rx.Close() == nil { // stop receiving; the last close disconnects
				m.closes.Add(1)
			}
			return
		case p < 99:
			m.mu.Lock()
			victim := m.rxs[r.IntN(len(m.rxs))]
			m.mu.Unlock()
			m.wg.Add(1)
			go func() { // from outside
				defer m.wg.Done()
				if victim.Close() == nil {
					m.closes.Add(1)
				}
			}()
		}
		switch {
		case err == nil, errors.Is(err, handoff.ErrEmpty), errors.Is(err, context.DeadlineExceeded):
		case errors.Is(err, handoff.ErrClosed):
			return
		default:
			m.fail("receiver %d: %v", id, err)
			return
		}
	}
}

func TestSoakManyReceivers(t *testing.T) {
	d := 3 * time.Second
	switch {
	case *soakFor > 0:
		d = *soakFor // -soak=10m, as for TestSoakLifecycle
	case testing.Short():
		d = time.Second
	}
	end := time.Now().Add(d)
	for seed := uint64(1); time.Now().Before(end); seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		procs := []int{1, 2, 4}[r.IntN(3)]
		old := runtime.GOMAXPROCS(procs)
		capacity := []int{0, 1, 2, 4, 16}[r.IntN(5)] // 0: unbuffered
		tx, rx := channel.Make[*multiObj](capacity)
		m := &multiRound{t: t, tx: tx, accepted: map[int][]int{}, got: map[[2]int]int{},
			deadline: time.Now().Add(200 * time.Millisecond)}
		m.rxs = []*channel.Receiver[*multiObj]{rx}
		for range 1 + r.IntN(4) { // the pool, cloned before the first send (see Receiver.Clone)
			c, err := rx.Clone()
			if err != nil {
				t.Fatal(err)
			}
			m.rxs = append(m.rxs, c)
		}
		senders := []*channel.Sender[*multiObj]{tx}
		for range r.IntN(3) {
			c, err := tx.Clone()
			if err != nil {
				t.Fatal(err)
			}
			senders = append(senders, c)
		}
		for i, c := range m.rxs {
			m.wg.Add(1)
			go m.receiver(c, i, seed, true)
		}
		for _, s := range senders {
			m.wg.Add(1)
			go m.sender(s, m.newLane(), seed)
		}
		m.wg.Wait()
		runtime.GOMAXPROCS(old)
		if f := m.failed.Load(); f != nil {
			t.Fatalf("seed %d (GOMAXPROCS %d, capacity %d): %v", seed, procs, capacity, f)
		}
		m.mu.Lock()
		disconnected := int(m.closes.Load()) == len(m.rxs) // every receiver closed: the rest was discarded
		m.mu.Unlock()
		total := 0
		for lane, seqs := range m.accepted {
			for _, q := range seqs {
				n := m.got[[2]int{lane, q}]
				if n > 1 || (n == 0 && !disconnected) {
					t.Fatalf("seed %d: lane %d item %d received %d times", seed, lane, q, n)
				}
				total++
			}
		}
		for k, n := range m.got {
			if n != 1 {
				t.Fatalf("seed %d: item %v received %d times", seed, k, n)
			}
		}
		if st := tx.Stats(); st.Sent != uint64(total) {
			t.Fatalf("seed %d: Stats().Sent %d, accepted %d", seed, st.Sent, total)
		}
	}
}
