package channel_test

// A seeded, bounded, random soak test of the whole lifecycle (issue 10).
//
// Each round makes one channel of owned objects and runs, at once:
//
//   - sender goroutines (the first sender and its clones, each a lane),
//     each doing a random mix of Send, TrySend, SendContext, a Selector's
//     send case (Select with a context, TrySelect), and SendBatchContext
//     with contexts that expire mid-operation, SendBatch,
//     Clone (a new sender goroutine) and, rarely, Close of its own sender;
//   - the receiver's goroutine, doing a random mix of Recv, TryRecv,
//     RecvContext, RecvBatch, RecvBatchContext, Selector.Select (with an
//     idle second channel) and TrySelect, and, in some rounds, its own
//     disconnect (Receiver.Close);
//   - short-lived helper goroutines, started at random points by the
//     others, that close a random sender or disconnect the receiver from
//     outside (Close from a third goroutine, either endpoint).
//
// Checked at every receive: the object is owned by rx.Owner() (nothing in
// this test steals, so there is no reason for it not to be), its fields are
// the ones its sender wrote (the race detector checks the hand-over), and
// its sequence number is above the last one received from its lane (no
// duplicate, FIFO per lane). Checked after every failed send: the error is
// one the operation may return, and an object whose send failed with
// ErrFull or a context error is still the sender's (unless its sender was
// closed meanwhile, which retires the sender's fresh owner). Checked at
// the end of the round: per lane, what was received is exactly what was
// accepted (sends that returned nil) or, after a disconnect, a prefix of
// it; Stats().Sent counts every accepted send, Received every delivered
// one, and Discarded the rest after a disconnect.
//
// Duration: about a minute by default (-short: 5s), -soak=10m for longer.
// A failing round prints its seed; -soak.seed=N replays that round's
// operations (the interleaving is up to the scheduler, so run it with
// -count to retry).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/handoff-go/handoff"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

var (
	soakFor   = flag.Duration("soak", 0, "soak test duration (default 1m, 5s with -short)")
	soakSeed  = flag.Uint64("soak.seed", 0, "soak test: run only the round with this seed (printed by a failing round)")
	soakTrace = flag.Bool("soak.trace", false, "soak test: log every round's seed as it starts (to find the round of a hang)")
)

// soakObj is the owned object the soak test sends. lane, seq and check are
// written by the sender before each send; touched by the receiver after.
type soakObj struct {
	ownership.Header
	lane, seq int
	check     int
	touched   int
}

func soakCheck(lane, seq int) int { return lane<<32 | seq }

// soakConfig is one round's shape, drawn from its seed.
type soakConfig struct {
	capacity    int
	initial     int // senders at the start
	maxLanes    int // senders ever, clones included
	budget      int // operations per sender goroutine, at most
	procs       int // GOMAXPROCS
	selfDisc    int // the receiver disconnects itself at this step (-1: never)
	outsideDisc bool
	closeOthers int // per mille: a sender or the receiver starts a goroutine that closes a random sender
}

func soakConfigFor(seed uint64) soakConfig {
	r := rand.New(rand.NewPCG(seed, 0x50a))
	c := soakConfig{
		capacity:    r.IntN(9), // 0: unbuffered, one round in nine
		initial:     1 + r.IntN(3),
		budget:      20 + r.IntN(400),
		procs:       []int{1, 2, 4}[r.IntN(3)],
		selfDisc:    -1,
		closeOthers: []int{0, 2, 10}[r.IntN(3)],
	}
	c.maxLanes = c.initial + r.IntN(6)
	switch r.IntN(5) {
	case 0:
		c.selfDisc = r.IntN(400)
	case 1:
		c.outsideDisc = true
	}
	return c
}

func (c soakConfig) String() string {
	return fmt.Sprintf("capacity %d, senders %d..%d, budget %d, GOMAXPROCS %d, receiver disconnects itself at step %d, outside disconnect %v, close-others %d‰",
		c.capacity, c.initial, c.maxLanes, c.budget, c.procs, c.selfDisc, c.outsideDisc, c.closeOthers)
}

// soakRound is the shared state of one round.
type soakRound struct {
	seed uint64
	cfg  soakConfig
	rx   *channel.Receiver[*soakObj]
	rxID uint32 // rx.Owner().ID(), read once: any goroutine may compare with it

	wg      sync.WaitGroup
	mu      sync.Mutex
	senders []*soakSender // every sender so far (guarded by mu)
	errs    []string      // guarded by mu

	disconnected  atomic.Bool  // some Receiver.Close returned nil
	outsideCloses atomic.Int64 // Sender.Close calls that succeeded from another goroutine
	ctxErrs       atomic.Int64 // operations ended by their context
}

type soakSender struct {
	id       int
	tx       *channel.Sender[*soakObj]
	accepted []int // seqs of the sends that returned nil; its goroutine only, read after the round
}

func (sr *soakRound) fail(format string, args ...any) {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if len(sr.errs) < 20 {
		sr.errs = append(sr.errs, fmt.Sprintf(format, args...))
	}
}

// addSender registers a sender and starts its goroutine; it returns false
// when the round has its maximum of lanes already (the caller must close
// the sender then).
func (sr *soakRound) addSender(tx *channel.Sender[*soakObj]) bool {
	s := sr.register(tx)
	if s == nil {
		return false
	}
	sr.start(s)
	return true
}

// register adds a sender to the round (nil if the round is at its maximum
// of lanes); start starts its goroutine.
func (sr *soakRound) register(tx *channel.Sender[*soakObj]) *soakSender {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if len(sr.senders) >= sr.cfg.maxLanes {
		return nil
	}
	s := &soakSender{id: len(sr.senders) + 1, tx: tx}
	sr.senders = append(sr.senders, s)
	return s
}

func (sr *soakRound) start(s *soakSender) {
	sr.wg.Add(1)
	go sr.runSender(s, rand.New(rand.NewPCG(sr.seed, uint64(s.id))))
}

// closeRandomSender starts a goroutine that closes a random sender: Close
// from a goroutine other than the sender's.
func (sr *soakRound) closeRandomSender(r *rand.Rand) {
	sr.mu.Lock()
	if len(sr.senders) == 0 {
		sr.mu.Unlock()
		return
	}
	s := sr.senders[r.IntN(len(sr.senders))]
	sr.mu.Unlock()
	sr.wg.Add(1)
	go func() {
		defer sr.wg.Done()
		switch err := s.tx.Close(); {
		case err == nil:
			sr.outsideCloses.Add(1)
		case !errors.Is(err, handoff.ErrClosed):
			sr.fail("Sender.Close of lane %d from another goroutine: %v", s.id, err)
		}
	}()
}

// disconnectFromOutside starts a goroutine that closes the receiver.
func (sr *soakRound) disconnectFromOutside() {
	sr.wg.Add(1)
	go func() {
		defer sr.wg.Done()
		sr.closeReceiver("another goroutine")
	}()
}

func (sr *soakRound) closeReceiver(who string) {
	switch err := sr.rx.Close(); {
	case err == nil:
		sr.disconnected.Store(true)
	case !errors.Is(err, handoff.ErrClosed):
		sr.fail("Receiver.Close from %s: %v", who, err)
	}
}

// soakCtx returns a context that is already done, expires within a few
// microseconds (often while the operation waits), or never.
func soakCtx(r *rand.Rand) (context.Context, context.CancelFunc) {
	switch r.IntN(4) {
	case 0:
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx, cancel
	case 1:
		return context.Background(), func() {}
	}
	return context.WithTimeout(context.Background(), time.Duration(r.IntN(200))*time.Microsecond)
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// runSender is one sender's goroutine.
func (sr *soakRound) runSender(s *soakSender, r *rand.Rand) {
	defer sr.wg.Done()
	tx := s.tx
	owner := tx.Owner()
	seq := 0
	var spare []*soakObj // objects still owned after a failed send, sent again later
	next := func() *soakObj {
		var m *soakObj
		if n := len(spare); n > 0 {
			m, spare = spare[n-1], spare[:n-1]
		} else {
			m = &soakObj{lane: s.id}
			if err := owner.Adopt(&m.Header); err != nil && !tx.Closed() {
				sr.fail("lane %d: Adopt on an open sender: %v", s.id, err)
			}
		}
		seq++
		m.seq, m.check = seq, soakCheck(s.id, seq)
		return m
	}
	// kept handles an object whose send failed with ErrFull or a context
	// error: it must still be the sender's, unless the sender was closed
	// (from another goroutine) and its owner retired. It reports whether
	// the sender goes on.
	kept := func(op string, m *soakObj, err error) bool {
		if owner.Owns(&m.Header) {
			spare = append(spare, m)
			return true
		}
		if tx.Closed() {
			return false
		}
		sr.fail("lane %d: %s failed with %v and the object is no longer the sender's: %v", s.id, op, err, m.Header.State())
		return false
	}
	// result handles a send's error; it reports whether the sender goes on.
	result := func(op string, err error, ms []*soakObj, ctxOK, fullOK bool) bool {
		switch {
		case err == nil:
			return true
		case errors.Is(err, handoff.ErrClosed):
			if !tx.Closed() {
				sr.fail("lane %d: %s returned %v but Sender.Closed() is false", s.id, op, err)
			}
			if errors.Is(err, ownership.ErrNotOwner) {
				sr.fail("lane %d: %s failed with an ownership error: %v", s.id, op, err)
			}
			// A failed send moves no ownership: an object it had handed
			// to the receiver's owner before the close won the race must
			// have been recalled.
			for _, m := range ms {
				if st := m.Header.State(); st.Kind == ownership.Owned && st.Owner == sr.rxID {
					sr.fail("lane %d: %s failed with %v, but seq %d is %v: the receiver's", s.id, op, err, m.seq, st)
				}
			}
			return false
		case fullOK && errors.Is(err, handoff.ErrFull), ctxOK && isCtxErr(err):
			if isCtxErr(err) {
				sr.ctxErrs.Add(1)
			}
			for _, m := range ms {
				if !kept(op, m, err) {
					return false
				}
			}
			return true
		}
		sr.fail("lane %d: %s: unexpected error %v", s.id, op, err)
		return false
	}
	batch := make([]*soakObj, 0, 2*max(sr.cfg.capacity, 1))
	var ( // the Select case: built at its first use
		sel     *channel.Selector
		selObj  *soakObj
		selIdle int
	)
	for op := 0; op < sr.cfg.budget; op++ {
		goOn := true
		switch p := r.IntN(1000); {
		case p < 250:
			m := next()
			err := tx.Send(m)
			if err == nil {
				s.accepted = append(s.accepted, m.seq)
			}
			goOn = result("Send", err, []*soakObj{m}, false, false)
		case p < 400:
			m := next()
			err := tx.TrySend(m)
			if err == nil {
				s.accepted = append(s.accepted, m.seq)
			}
			goOn = result("TrySend", err, []*soakObj{m}, false, true)
		case p < 475:
			m := next()
			ctx, cancel := soakCtx(r)
			err := tx.SendContext(ctx, m)
			cancel()
			if err == nil {
				s.accepted = append(s.accepted, m.seq)
			}
			goOn = result("SendContext", err, []*soakObj{m}, true, false)
		case p < 550:
			// A Selector with a send case beside a receive case that never
			// becomes ready; Select with a context, or TrySelect.
			if sel == nil {
				_, idleRx := channel.Make[int](1)
				sel = channel.NewSelector(channel.SendTo(tx, &selObj), channel.On(idleRx, &selIdle))
			}
			m := next()
			selObj = m
			var err error
			name := "Select(send)"
			if r.IntN(3) == 0 {
				name = "TrySelect(send)"
				_, err = sel.TrySelect()
				if errors.Is(err, handoff.ErrEmpty) {
					err = handoff.ErrFull // nothing chosen: as a TrySend that found no room
				}
			} else {
				ctx, cancel := soakCtx(r)
				_, err = sel.Select(ctx)
				cancel()
			}
			selObj = nil
			if err == nil {
				s.accepted = append(s.accepted, m.seq)
			}
			goOn = result(name, err, []*soakObj{m}, name == "Select(send)", name == "TrySelect(send)")
		case p < 800:
			batch = batch[:0]
			for range 1 + r.IntN(2*max(sr.cfg.capacity, 1)) {
				batch = append(batch, next())
			}
			var n int
			var err error
			name := "SendBatch"
			if r.IntN(2) == 0 {
				n, err = tx.SendBatch(batch)
			} else {
				name = "SendBatchContext"
				ctx, cancel := soakCtx(r)
				n, err = tx.SendBatchContext(ctx, batch)
				cancel()
			}
			if n < 0 || n > len(batch) || (err == nil && n != len(batch)) {
				sr.fail("lane %d: %s of %d returned (%d, %v)", s.id, name, len(batch), n, err)
				n = max(0, min(n, len(batch)))
			}
			for _, m := range batch[:n] {
				s.accepted = append(s.accepted, m.seq)
			}
			goOn = result(name, err, batch[n:], name == "SendBatchContext", false)
		case p < 830:
			c, err := tx.Clone()
			switch {
			case err == nil:
				if !sr.addSender(c) {
					if err := c.Close(); err != nil {
						sr.fail("lane %d: Close of an unused clone: %v", s.id, err)
					}
				}
			case errors.Is(err, handoff.ErrClosed):
				if !tx.Closed() {
					sr.fail("lane %d: Clone returned ErrClosed but Sender.Closed() is false", s.id)
				}
				goOn = false
			default:
				sr.fail("lane %d: Clone: %v", s.id, err)
				goOn = false
			}
		case p < 830+sr.cfg.closeOthers:
			sr.closeRandomSender(r)
		case p < 840+sr.cfg.closeOthers && sr.cfg.outsideDisc:
			if r.IntN(20) == 0 {
				sr.disconnectFromOutside()
			}
		case p < 843+sr.cfg.closeOthers:
			goOn = false // close our own sender, below
		default:
			runtime.Gosched()
		}
		if !goOn {
			break
		}
	}
	// Every sender ends closed (by itself here, or by someone else before).
	if err := tx.Close(); err != nil && !errors.Is(err, handoff.ErrClosed) {
		sr.fail("lane %d: Close from its own goroutine: %v", s.id, err)
	}
}

// soakReceived is what the receiver's goroutine saw.
type soakReceived struct {
	seqs map[int][]int // per lane, in order received
	last map[int]int
}

// runReceiver is the receiver's goroutine. It returns when a receive
// reports the channel closed.
func (sr *soakRound) runReceiver(got *soakReceived, r *rand.Rand) {
	defer sr.wg.Done()
	rx := sr.rx
	owner := rx.Owner()
	otx, orx := channel.Make[int](1) // an idle second case for the Selector
	defer func() { _ = otx.Close(); _ = orx.Close() }()
	var one *soakObj
	var idle int
	sel := channel.NewSelector(channel.On(rx, &one), channel.On(orx, &idle))
	dst := make([]*soakObj, 2*max(sr.cfg.capacity, 1))

	deliver := func(op string, m *soakObj) {
		if m == nil {
			sr.fail("%s delivered nil", op)
			return
		}
		if !owner.Owns(&m.Header) {
			sr.fail("%s delivered lane %d seq %d, which is %v, not the receiver's (owner %d; disconnected: %v)",
				op, m.lane, m.seq, m.Header.State(), owner.ID(), sr.disconnected.Load())
		}
		if m.check != soakCheck(m.lane, m.seq) {
			sr.fail("%s delivered lane %d seq %d with check %x: the sender's writes are not visible", op, m.lane, m.seq, m.check)
		}
		if last, ok := got.last[m.lane]; ok && m.seq <= last {
			sr.fail("%s delivered lane %d seq %d after seq %d: duplicate or out of order", op, m.lane, m.seq, last)
		}
		got.last[m.lane] = m.seq
		got.seqs[m.lane] = append(got.seqs[m.lane], m.seq)
		m.touched++
	}
	// check handles a receive's error: it reports whether the channel is
	// closed (the receiver is done).
	check := func(op string, err error, ctxOK, emptyOK bool) bool {
		switch {
		case err == nil:
			return false
		case errors.Is(err, handoff.ErrClosed):
			return true
		case emptyOK && errors.Is(err, handoff.ErrEmpty):
			runtime.Gosched()
			return false
		case ctxOK && isCtxErr(err):
			sr.ctxErrs.Add(1)
			return false
		}
		sr.fail("%s: unexpected error %v", op, err)
		return true
	}
	const maxSteps = 50_000_000 // a bound, never reached: every round closes
	for step := 0; ; step++ {
		if step == maxSteps {
			sr.fail("the receiver never saw the channel closed after %d steps", step)
			return
		}
		if step == sr.cfg.selfDisc {
			sr.closeReceiver("its own goroutine")
		}
		closed := false
		switch p := r.IntN(1000); {
		case p < 200:
			v, ok := rx.Recv()
			if ok {
				deliver("Recv", v)
			}
			closed = !ok
		case p < 350:
			v, err := rx.TryRecv()
			if err == nil {
				deliver("TryRecv", v)
			}
			closed = check("TryRecv", err, false, true)
		case p < 500:
			ctx, cancel := soakCtx(r)
			v, err := rx.RecvContext(ctx)
			cancel()
			if err == nil {
				deliver("RecvContext", v)
			}
			closed = check("RecvContext", err, true, false)
		case p < 650:
			k := 1 + r.IntN(len(dst))
			n, ok := rx.RecvBatch(dst[:k])
			if ok == (n == 0) || n > k {
				sr.fail("RecvBatch(len %d) = %d, %v", k, n, ok)
			}
			for _, m := range dst[:n] {
				deliver("RecvBatch", m)
			}
			clear(dst)
			closed = !ok
		case p < 750:
			k := 1 + r.IntN(len(dst))
			ctx, cancel := soakCtx(r)
			n, err := rx.RecvBatchContext(ctx, dst[:k])
			cancel()
			if (err == nil) == (n == 0) || n > k {
				sr.fail("RecvBatchContext(len %d) = %d, %v", k, n, err)
			}
			for _, m := range dst[:n] {
				deliver("RecvBatchContext", m)
			}
			clear(dst)
			closed = check("RecvBatchContext", err, true, false)
		case p < 900:
			ctx, cancel := soakCtx(r)
			i, err := sel.Select(ctx)
			cancel()
			switch {
			case i == 0 && err == nil:
				deliver("Select", one)
			case i == 1:
				sr.fail("Select returned the idle case: %d, %v", i, err)
			case i == 0 && errors.Is(err, handoff.ErrClosed):
				closed = true
			default:
				closed = check("Select", err, true, false)
			}
			one = nil
		case p < 950:
			i, err := sel.TrySelect()
			switch {
			case i == 0 && err == nil:
				deliver("TrySelect", one)
			case i == 1:
				sr.fail("TrySelect returned the idle case: %d, %v", i, err)
			case i == 0 && errors.Is(err, handoff.ErrClosed):
				closed = true
			default:
				closed = check("TrySelect", err, false, true)
			}
			one = nil
		case p < 950+sr.cfg.closeOthers:
			sr.closeRandomSender(r)
		case p < 955+sr.cfg.closeOthers && sr.cfg.outsideDisc:
			sr.disconnectFromOutside()
		default:
			runtime.Gosched()
		}
		if closed {
			break
		}
	}
	// Closed is final.
	if _, err := rx.TryRecv(); !errors.Is(err, handoff.ErrClosed) {
		sr.fail("TryRecv after the receiver saw the channel closed: %v", err)
	}
}

// runSoakRound runs one round and returns its failures and counts.
func runSoakRound(seed uint64) (errs []string, accepted, received, discarded uint64, sr *soakRound) {
	cfg := soakConfigFor(seed)
	old := runtime.GOMAXPROCS(cfg.procs)
	defer runtime.GOMAXPROCS(old)

	tx, rx := channel.Make[*soakObj](cfg.capacity)
	sr = &soakRound{seed: seed, cfg: cfg, rx: rx, rxID: rx.Owner().ID()}
	txs := []*channel.Sender[*soakObj]{tx}
	for range cfg.initial - 1 {
		c, err := tx.Clone()
		if err != nil {
			return []string{fmt.Sprintf("Clone of a new channel's sender: %v", err)}, 0, 0, 0, sr
		}
		txs = append(txs, c)
	}
	// Register the first senders before any goroutine runs: a running
	// sender may clone, and its clone must not take an initial sender's
	// place.
	var first []*soakSender
	for _, tx := range txs {
		first = append(first, sr.register(tx))
	}
	got := &soakReceived{seqs: map[int][]int{}, last: map[int]int{}}
	sr.wg.Add(1)
	go sr.runReceiver(got, rand.New(rand.NewPCG(seed, 0x5ec)))
	for _, s := range first {
		sr.start(s)
	}
	sr.wg.Wait()

	// Every goroutine is done: the receiver saw the channel closed, every
	// sender closed. Account for every accepted send.
	disconnected := sr.disconnected.Load()
	for _, s := range sr.senders {
		acc, rec := s.accepted, got.seqs[s.id]
		accepted += uint64(len(acc))
		received += uint64(len(rec))
		switch {
		case !disconnected && !slices.Equal(acc, rec):
			sr.fail("lane %d: accepted %d, received %d, and not the same sequence (no disconnect): missing %v, extra %v",
				s.id, len(acc), len(rec), soakDiff(acc, rec), soakDiff(rec, acc))
		case disconnected && (len(rec) > len(acc) || !slices.Equal(acc[:len(rec)], rec)):
			sr.fail("lane %d: after a disconnect, received %d is not a prefix of accepted %d: extra %v",
				s.id, len(rec), len(acc), soakDiff(rec, acc))
		}
		delete(got.seqs, s.id)
	}
	for lane, rec := range got.seqs {
		sr.fail("received %d items from lane %d, which no sender had", len(rec), lane)
	}
	st := rx.Stats()
	if st.Sent != accepted {
		sr.fail("Stats().Sent = %d, sends that returned nil = %d", st.Sent, accepted)
	}
	if st.Received != received {
		sr.fail("Stats().Received = %d, items delivered = %d", st.Received, received)
	}
	switch {
	case disconnected && st.Discarded != accepted-received:
		sr.fail("after a disconnect Stats().Discarded = %d, accepted - received = %d", st.Discarded, accepted-received)
	case !disconnected && st.Discarded != 0:
		sr.fail("no disconnect, Stats().Discarded = %d", st.Discarded)
	}
	discarded = accepted - received
	// Retire the receiver's owner if nobody disconnected it.
	if err := rx.Close(); (err == nil) == disconnected {
		sr.fail("final Receiver.Close = %v (disconnected before: %v)", err, disconnected)
	}
	sr.mu.Lock()
	errs = slices.Clone(sr.errs)
	sr.mu.Unlock()
	return errs, accepted, received, discarded, sr
}

// soakDiff returns up to 10 elements of a missing from b.
func soakDiff(a, b []int) []int {
	var out []int
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
			if len(out) == 10 {
				break
			}
		}
	}
	return out
}

func TestSoakLifecycle(t *testing.T) {
	d := *soakFor
	if d == 0 {
		d = time.Minute
		if testing.Short() {
			d = 5 * time.Second
		}
	}
	base := *soakSeed
	replay := base != 0
	if !replay {
		base = uint64(time.Now().UnixNano())&(1<<48-1) | 1
	}
	t.Logf("soak: base seed %d, for %v", base, d)
	start := time.Now()
	var rounds, accepted, received, discarded, disconnects, outsideCloses, ctxErrs uint64
	for i := uint64(0); ; i++ {
		seed := base + i
		if *soakTrace {
			t.Logf("round %d seed %d %v", i, seed, soakConfigFor(seed))
		}
		errs, acc, rec, disc, sr := runSoakRound(seed)
		rounds++
		accepted += acc
		received += rec
		discarded += disc
		if sr.disconnected.Load() {
			disconnects++
		}
		outsideCloses += uint64(sr.outsideCloses.Load())
		ctxErrs += uint64(sr.ctxErrs.Load())
		if len(errs) > 0 {
			t.Fatalf("soak round %d, seed %d (%v) failed:\n  %s\nreplay this round: go test -race -run 'TestSoakLifecycle$' ./channel -soak.seed=%d",
				rounds, seed, sr.cfg, strings.Join(errs, "\n  "), seed)
		}
		if replay || time.Since(start) >= d {
			break
		}
	}
	t.Logf("soak: %d rounds in %v: %d sends accepted, %d received, %d discarded by %d disconnects; %d closes from other goroutines; %d operations ended by their context; nothing lost",
		rounds, time.Since(start).Round(time.Millisecond), accepted, received, discarded, disconnects, outsideCloses, ctxErrs)
}
