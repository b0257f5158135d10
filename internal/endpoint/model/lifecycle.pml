/*
 * lifecycle.pml: SPIN model of the handoff channel lifecycle (issue 10):
 * ringbuffer (the tail word with its CLOSED mark), internal/endpoint
 * (State, Lane, Parker), sender (Send, Close, Clone) and receiver (Recv,
 * Close, lane reclaim).
 *
 * What is modelled: one channel with NL lanes (NL = 1 or 2). A lane is an
 * SPSC ring of capacity CAP whose tail word is count | MARK (the closed
 * mark, bit 63 in Go) and whose head word is the count popped, plus the
 * lane's closed flag and its send Parker. Per channel: the receiver's
 * closed flag and the disconnect (State.receiver), State.mu, the lanes list
 * and the receiver's Parker. The channel is closed to senders when every
 * lane of the list is marked (State.LanesClosed, since ba3353c; there is
 * no count of open senders any more).
 * Processes:
 *   Producer(l)  one per lane: K sends (TryPush: load tail, fail on the
 *                mark, check room, write the slot, CAS publish; else
 *                waitSpace: endpoint.Await on the lane's Parker until there
 *                is room or the ring is marked), then Sender.Close of its own lane if the
 *                plan says so. With CLONE, lane 1 does not exist at first:
 *                producer 0 makes it with Sender.Clone and producer 1 runs
 *                only if that succeeded.
 *   Coordinator  a third goroutine: Sender.Close of lane 0 and/or
 *                Receiver.Close (CloseOneReceiver of the one receiver: its
 *                flag and the disconnect in one critical section), in
 *                either order, concurrently with everything else.
 *   Receiver     Recv until closed-and-drained or disconnected: the
 *                disconnected check (discarding what is buffered the first
 *                time it sees it), the closed load (noMoreArrivals: the
 *                disconnect, then LanesClosed: the lanes list, each lane's
 *                mark up to the first unmarked one, the list again and, if
 *                it changed, the new one), a scan of the lanes that pops the first
 *                item it finds and removes closed-and-drained lanes from
 *                the channel, the drained verdict, else announce on its
 *                Parker, re-check, sleep (endpoint.Await).
 *
 * Modelling convention (as ownership/model/steal.pml): every atomic{}
 * holds exactly ONE access to a shared word of the Go code (one Load,
 * Store, CAS, Or or Add; a buffered-channel send or receive; a mutex Lock)
 * plus the purely local decisions that follow it; a goto/break out of an
 * atomic ends it. A plain write that the protocol orders (a slot, Parker.wake)
 * rides on a neighbouring step, as stated where it does. The comment on each
 * step names the Go function and file:line, as of the commit named in
 * README.md. SPIN explores every interleaving under sequential consistency,
 * which is what Go's sync/atomic gives.
 *
 * Ghost variables (acc, rcvd, reading, outcome, finished, sparks, folded,
 * tparks, wit, rcErr, late) are not Go state; they only state the
 * properties; an assertion may read any variable. The value of a
 * lane's k-th item is k (1, 2, ...); a slot holding 0 holds nothing.
 *
 * Compile-time switches (spin -DNAME ...):
 *   NL=n, CAP=n, K=n  lanes (1, 2), ring capacity (1, 2), sends per producer
 *   K1=n              sends of the producer of lane 1 (default K)
 *   NO_TIMEOUT        contexts never expire: every wait must be ended by the
 *                     protocol itself, so a lost wake-up or a wait cycle is an
 *                     invalid end state / a liveness violation
 *   NO_COORD          no coordinator: producers close their own lanes
 *   CO_DISC           the coordinator only disconnects the receiver
 *   CO_CLOSE          the coordinator only closes lane 0's sender
 *   P_NOCLOSE         a producer closes its lane only where nobody else would
 *   CLONE             (NL=2) lane 1 is added by Sender.Clone from producer 0,
 *                     before or after its sends
 *   RX_CLOSE          the receiver may disconnect itself at any Recv; with
 *                     CO_DISC two Closes race, and property (9) is checked
 *   RX_STOP=n         the receiver stops after n items, without Close; a
 *                     Monitor asserts, once nothing can move, that no sender
 *                     sleeps beside a ring with room (run with pan -E)
 *   OWNED_SEND        the send of an element type with an ownership header
 *                     (send.go:89-130: closed check, waitSpace while full,
 *                     then the push, which fails only on the mark) and the
 *                     receive's hold path. Default: plain values, whose
 *                     blocked send offers its item to the receiver
 *                     (send.go:148 sendFull; Lane.Offer/TakeOffer/Withdraw)
 *   OLD_PARKER        the Parker and Await before e708815 (three states,
 *                     the winner stores idle after its send, p.wake plain,
 *                     every Cancel followed by a drain), for its mutants
 *   RELEASE_PUBLISH   the receiver publishes head with a release store
 *                     (ring.go WithReleasePublish) that waits in its store
 *                     buffer (x86-TSO, one entry): the receiver's later loads
 *                     may pass it; its locked operations (CAS, XCHG stores,
 *                     channel operations, mutex) and a Flusher process drain it
 *   FULL_AFTER_ANNOUNCE  (with RELEASE_PUBLISH) the sender's re-check after
 *                     announcing is ring.go FullAfterAnnounce: when the ring
 *                     looks full, a process barrier (membarrier) drains the
 *                     receiver's store buffer, then head is loaded again
 *   NO_WIT            leave out the ghost of property (8) (the LTL run
 *                     one-lane-live: one-lane-notimeout checks (8) there)
 *   NO_HOLD           (OWNED_SEND) drop the receive's hold path (take.go: a
 *                     popped item whose take fails, its steal ended by the
 *                     context or the disconnect, is held and returned first
 *                     by the next receive, or dropped at the disconnect)
 * Mutants (each must make the check FAIL; check.sh runs them):
 *   BROKEN_STORE_PUBLISH  publish with tail.Store(t+1) instead of the CAS: the
 *                         store erases a concurrent mark
 *   BROKEN_NO_MARK_CHECK  TryPush does not test the mark in the tail it
 *                         loaded: CAS(t, t+1) on a marked t succeeds
 *   BROKEN_CLOSED_FLAG    LanesClosed tests each lane's closed flag (set
 *                         before the mark) instead of the ring's mark
 *   BROKEN_CLOSED_NO_RELOAD  (CLONE) LanesClosed does not load the lanes
 *                         again after the marks: a lane cloned meanwhile is
 *                         missed
 *   BROKEN_OPEN_SENDERS   the code before ba3353c: the receiver's closed test
 *                         is a count of open senders that CloseLane
 *                         decrements after the mark (property (8): not ready
 *                         although a send has already failed at the mark)
 *   BROKEN_EMPTY_FIRST    the receiver scans the lanes before it loads
 *                         the closed state (drained test in the wrong order)
 *   BROKEN_NO_RECHECK     a Parker waiter sleeps right after announcing
 *   BROKEN_NO_WAKE_CAS    (OLD_PARKER) a waker sends the token after loading
 *                         waiting, without the CAS waiting -> waking
 *   BROKEN_NO_CANCEL      Await's re-check found the condition ready and
 *                         returns without Cancel (it still drains)
 *   BROKEN_SLEEP_NO_CANCEL  sleepOn does not Cancel after the sleep (it
 *                         still drains)
 *   BROKEN_DISC_NO_WAKE   the disconnect does not wake the receiver's Parker
 *                         (a Recv asleep at the disconnect sleeps forever)
 *   BROKEN_CLOSE_TWO_SECTIONS  (RX_CLOSE CO_DISC) the code before ba3353c:
 *                         Receiver.Close sets its flag, releases mu, and
 *                         disconnects in a second critical section: a second
 *                         Close in between returns ErrClosed and a send after
 *                         it succeeds (property (9))
 *   BROKEN_RC_FIRST       the disconnect stores recvClosed before it marks
 *                         the rings (the order DESIGN-round2 first gave)
 *   BROKEN_RECLAIM_EMPTY  the receiver removes a lane that is closed (flag)
 *                         and empty, without the mark (Empty, not Drained)
 *   BROKEN_CLONE_UNLOCKED (CLONE) AddLane tests closed/ReceiverClosed before
 *                         taking mu (the code before issue 10)
 *   BROKEN_LANES_FIRST    (CLONE) the receiver loads the lanes list (for its
 *                         scan) before the closed state
 * No longer caught (kept for the record, not in check.sh; README):
 *   BROKEN_RX_NO_DISC     noMoreArrivals without ReceiverClosed(): since
 *                         ba3353c the disconnect's marks make LanesClosed
 *                         true, and its wake ends the receiver's sleep
 * Hazards (known defects, expected to FAIL until fixed):
 *   RELEASE_PUBLISH without FULL_AFTER_ANNOUNCE: the lost wake-up that
 *                         ring.go's invariants describe (mutant run)
 *   BROKEN_OFFER_NOSEQ    Offer does not advance the sequence number:
 *                         the receiver's CAS succeeds against a later offer
 *   BROKEN_OFFER_NOEMPTY  TakeOffer does not check that the ring is
 *                         empty
 *   BROKEN_WITHDRAW_NOWAIT  Withdraw, finding the offer being taken,
 *                         clears it without waiting for taken
 *   HAZARD_STATS_FOLD     a sender's Parks.Add(1) after the receiver folded
 *                         its lane's counters into retired (RemoveLane) is
 *                         lost from Snapshot
 */

#ifndef NL
#define NL 1
#endif
#ifndef CAP
#define CAP 1
#endif
#ifndef K
#define K 2
#endif
#ifndef K1
#define K1 K	/* sends of the producers of lanes >= 1 */
#endif
#define KL(l) ((l) == 0 -> K : K1)
#define NPROC (NL + 2)	/* producers, receiver, coordinator */

/* ---- ring tail word: count | MARK  (ring.go invariants, closedMark = 1<<63) */
#define MARK      64
#define CNT(t)    ((t) & 63)
#define MARKED(t) (((t) & MARK) != 0)
#define SLOT(l, k) slot[(l) * CAP + (k) % CAP]

/* ---- Parker.state (parker.go:65-68) --------------------------------- */
#define IDLE    0
#define WAITING 1
#define WAKING  2
#define RPARK   0		/* State.RecvPark                       */
#define SPARK(l) (1 + (l))	/* Lane.SendPark of lane l              */
#define NPARK   (NL + 1)

#ifdef NO_TIMEOUT
#define CTX_DONE false
#else
#define CTX_DONE true
#endif

#define R_CTX      1	/* the wait ended by its context            */
#define O_DRAINED  1	/* Recv: every sender closed, every lane empty */
#define O_DISC     2	/* Recv: the receiver was disconnected      */
#define O_STOP     3	/* RX_STOP: the user stopped receiving      */
#define C_OK       1	/* Sender.Clone succeeded                   */
#ifndef OWNED_SEND
#define OFFER		/* plain values: a send that finds the ring full offers its item */
#define NO_HOLD		/* a plain value is never held (take.go:51) */
#endif
/* Lane.offer: seq << 2 | state (state.go offerNone..offerTaken) */
#define O_NONE   0
#define O_UP     1
#define O_TAKING 2
#define O_TAKEN  3
#define OST(w)   ((w) & 3)
#ifdef BROKEN_OFFER_NOSEQ
#define ONEXT(w) O_UP	/* mutant: the sequence stays */
#else
#define ONEXT(w) ((((((w) >> 2) + 1) & 15) << 2) | O_UP)	/* offer.Load()&^offerState + offerSeq | offerUp */
#endif
#define C_FAIL     2	/* Sender.Clone returned ErrClosed          */

/* ringbuffer.Ring per lane */
byte tail[NL];		/* Ring.tail: count | MARK                          */
byte head[NL];		/* Ring.head                                        */
byte slot[NL * CAP];	/* Ring.slots                                       */
/* endpoint.Lane / endpoint.State */
bit  closed[NL];	/* Lane.closed                                      */
#ifdef CLONE
byte nlanes = 1;	/* len(*State.lanes) counting removed lanes too      */
byte cloneSt;		/* how producer 0's Clone ended: C_OK, C_FAIL       */
bit  cloneEarly;	/* producer 0 clones before its sends (else after)  */
#else
byte nlanes = NL;
#endif
#ifdef BROKEN_OPEN_SENDERS
/* the code before ba3353c: State.openSenders, decremented after the mark */
#ifdef CLONE
byte openSenders = 1;
#else
byte openSenders = NL;
#endif
#endif
bit  rflag;		/* the receiver's ReceiverFlag.closed               */
bit  rc;		/* State.receiver == recvClosed (the disconnect done) */
bit  mu;		/* State.mu                                         */
bit  removed[NL];	/* RemoveLane dropped the lane from State.lanes     */
/*
 * State.lanes, the slice pointer: every store (AddLane, RemoveLane, under
 * mu) makes a new slice, and nlanes only grows and removed[] only goes
 * 0 -> 1, so (nlanes, removed[]) names the slice; LANESW packs it in one
 * word, so that a load of the pointer is one step and two loads compare
 * as the pointers do. LW_N and LW_RM read a loaded word back.
 */
#define LANESW        (nlanes * 4 + removed[0] + 2 * removed[NL - 1])
#define LW_N(w)       ((w) >> 2)
#define LW_RM(w, j)   (((w) >> (j)) & 1)
/* Parkers: [RPARK] the receiver's, [SPARK(l)] lane l's sender's */
byte pst[NPARK];	/* Parker.state                                     */
bit  tok[NPARK];	/* Parker.own: a chan struct{} with a buffer of one */

/* plan, chosen by init */
bit  coClose;		/* the coordinator closes lane 0's sender           */
bit  coDisc;		/* the coordinator disconnects the receiver         */
bit  pClose[NL];	/* producer l closes its own lane after its sends   */

#ifdef RELEASE_PUBLISH
/* the receiver's store buffer (x86-TSO), one entry: a head publish */
byte bufL;		/* 0, or 1 + the lane whose head store waits in it  */
byte bufV;		/* the value that store writes                      */
#define DRAIN_RX  if :: bufL != 0 -> head[bufL - 1] = bufV; bufL = 0 :: else -> skip fi
/* a locked operation (CAS, XCHG, channel op, mutex) drains its CPU's buffer */
#define FENCE     if :: isrx -> DRAIN_RX :: else -> skip fi
/* the receiver reads its own head through its buffer (store forwarding) */
#define HR(j)     (bufL == (j) + 1 -> bufV : head[j])
#else
#define FENCE     skip
#define HR(j)     head[j]
#endif

#ifdef OFFER
byte ow[NL];		/* Lane.offer                                       */
byte offv[NL];		/* Lane.offered (plain)                             */
byte handed[NL];	/* Lane.handed                                      */
#endif

/* ghosts */
#ifdef RX_CLOSE
bit  rcErr;		/* (9) a Receiver.Close has returned ErrClosed      */
#define RCERR rcErr = 1
/* (9) a send that began after that ErrClosed must not succeed: the first
 * Close had disconnected the channel before the second could report it */
#define LATE_OK assert(!late)
#else
#define RCERR skip
#define LATE_OK skip
#endif
byte acc[NL];		/* sends on lane l that returned nil (accepted)     */
byte rcvd[NL];		/* items of lane l that Recv returned to its user   */
byte reading[NPARK];	/* wakers between reading Parker.wake and sending  */
bit  asleep[NPARK];	/* the Parker's waiter blocks in its sleep         */
byte outcome;		/* how the receiver ended: O_DRAINED or O_DISC      */
byte finished;		/* processes that reached their end                 */
#ifndef NO_HOLD
byte held;		/* Receiver.held: 0, or 1 + the lane of the held item */
byte heldV;		/* its value                                        */
byte dropped[NL];	/* held items of lane l dropped at the disconnect   */
#endif
#ifdef HAZARD_STATS_FOLD
byte sparks[NL];	/* Lane.Stats.Parks                                 */
byte folded;		/* State.retired.SendParks                          */
byte tparks;		/* parks that happened                              */
#endif

/* ---------------------------------------------------------------------- */
/* Parker (internal/endpoint/parker.go) and the wait loop (wait.go)        */

#ifndef OLD_PARKER
/*
 * The Parker (parker.go) and Await (wait.go), as of e708815: two states;
 * the waker that wins the CAS waiting -> idle sends the one token of that
 * announcement to the (atomic) target; Cancel is a load and, if still
 * waiting, a CAS; no drain: a late token is a stray that ends one later
 * sleep early, and Await re-checks the condition after every sleep, before
 * it looks at the context. One channel per Parker here (a Selector's
 * target switch is not modelled), so target never changes.
 */
inline wake(p) {
	atomic { wk = (pst[p] == WAITING) };	/* parker.go:73 Wake: state.Load() == parkWaiting */
	if
	:: wk ->
		atomic {	/* parker.go:81 wakeSlow: CAS waiting -> idle (one token per announcement) */
			FENCE;
			if
			:: pst[p] == WAITING -> pst[p] = IDLE
			:: else -> wk = 0
			fi
		};
		if
		:: wk -> atomic { FENCE; tok[p] = 1 }; wk = 0	/* parker.go:84-87 non-blocking send on *target.Load() (buffer 1) */
		:: else -> skip
		fi
	:: else -> skip
	fi
}

inline prepare(p) {
	atomic { FENCE; pst[p] = WAITING }	/* parker.go:109 Prepare: state.Store(parkWaiting) (:106-108 target unchanged) */
}

inline cancel(p) {
	atomic { wk = (pst[p] == WAITING) };	/* parker.go:120 Cancel: state.Load() == parkWaiting */
	if
	:: wk -> atomic { FENCE; if :: pst[p] == WAITING -> pst[p] = IDLE :: else -> skip fi }; wk = 0	/* parker.go:121 CAS waiting -> idle */
	:: else -> skip
	fi
}

/* Await's re-check found the condition ready: Cancel, return (wait.go:101-104) */
inline withdraw(p) {
#ifndef BROKEN_NO_CANCEL
	cancel(p)	/* wait.go:102 s.park.Cancel() */
#else
	skip
#endif
}

/* sleepOn (wait.go:169, sleep :193): token or context; then Await cancels
 * (wait.go:107); res = R_CTX when the context ended it, returned only if the
 * condition is still not ready (wait.go:108-113) */
inline sleep(p) {
	asleep[p] = 1;	/* ghost */
	if
	:: atomic { tok[p] == 1 -> FENCE; tok[p] = 0; asleep[p] = 0 }	/* wait.go:196/200 <-ch */
	:: atomic { CTX_DONE -> res = R_CTX; asleep[p] = 0 }	/* wait.go:202-203 <-done: ctx.Err() */
	fi;
#ifndef BROKEN_SLEEP_NO_CANCEL
	cancel(p)	/* wait.go:107 s.park.Cancel() */
#else
	skip
#endif
}
#define CTX_FIRST 0	/* after a sleep the condition is checked before the context */
#define RES0 res = 0	/* a ready condition wins over an ended context */
#else
/*
 * OLD_PARKER: the Parker and Await before e708815 (at 8e44357: parker.go,
 * wait.go): idle/waiting/waking, the winning waker stores idle after its
 * send, p.wake a plain field, every Cancel followed by a drain. Kept for
 * its mutants, which show what each of its steps was for.
 */
/* Wake: any goroutine, after making the waiter's condition true */
inline wake(p) {
	atomic {	/* parker.go:74 Wake: state.Load() == parkWaiting */
		if
		:: pst[p] == WAITING -> wk = 1;
#ifdef BROKEN_NO_WAKE_CAS
			reading[p]++	/* mutant: no CAS; reads p.wake from here on */
#endif
		:: else -> wk = 0
		fi
	};
#ifndef BROKEN_NO_WAKE_CAS
	if
	:: wk ->
		atomic {	/* parker.go:80 wakeSlow: CAS waiting -> waking (acquire p.wake) */
			FENCE;
			if
			:: pst[p] == WAITING -> pst[p] = WAKING; reading[p]++
			:: else -> wk = 0
			fi
		}
	:: else -> skip
	fi;
#endif
	if
	:: wk ->
		atomic {	/* parker.go:81-84 non-blocking send on p.wake (buffer 1: dropped if full) */
			FENCE; tok[p] = 1; reading[p]--
		};
		atomic { FENCE; pst[p] = IDLE };	/* parker.go:85 state.Store(parkIdle) */
		wk = 0
	:: else -> skip
	fi
}

/* Prepare(nil): announce. The plain write of p.wake rides on the store
 * that publishes it: the latest point it can take, so a waker that starts
 * reading p.wake after Prepare's load of state overlaps it. */
inline prepare(p) {
	atomic { pst[p] != WAKING };	/* parker.go:93 for state.Load() == parkWaking { Gosched } */
	atomic {	/* parker.go:101 p.wake = ch (plain); :102 state.Store(parkWaiting) */
		assert(reading[p] == 0);	/* no waker reads p.wake while it is written */
		FENCE; pst[p] = WAITING
	}
}

/* Cancel: withdraw a Prepare; afterwards no waker sends for it */
inline cancel(p) {
	atomic {	/* parker.go:108 Cancel: CAS waiting -> idle */
		FENCE;
		if
		:: pst[p] == WAITING -> pst[p] = IDLE; wk = 1
		:: else -> wk = 0
		fi
	};
	if
	:: !wk -> atomic { pst[p] == IDLE }	/* parker.go:111 for state.Load() != parkIdle { Gosched } */
	:: else -> wk = 0
	fi
}

/* drain (wait.go:105): drop a token left in the channel */
inline drain(p) {
	atomic { FENCE; tok[p] = 0 }	/* wait.go:106-109 select { case <-ch: default: } */
}

/* Await's re-check found the condition ready: withdraw (wait.go:61-64) */
inline withdraw(p) {
#ifndef BROKEN_NO_CANCEL
	cancel(p);	/* wait.go:62 p.Cancel() */
#endif
	drain(p)	/* wait.go:64 drain(wake) */
}

/* sleepOn (wait.go:83): token or context, then Cancel and drain; res = R_CTX
 * when the context ended it */
inline sleep(p) {
	if
	:: atomic { tok[p] == 1 -> FENCE; tok[p] = 0 }	/* wait.go:89 <-ch */
	:: atomic { CTX_DONE -> res = R_CTX }	/* wait.go:90-91 <-ctx.Done(): ctx.Err() */
	fi;
#ifndef BROKEN_SLEEP_NO_CANCEL
	cancel(p);	/* wait.go:93-95 p.Cancel() */
#endif
	drain(p)	/* wait.go:96 drain(ch) */
}

#define CTX_FIRST 1	/* a sleep ended by the context returns its error */
#define RES0 skip
#endif

/* ---------------------------------------------------------------------- */
/* Closing (ring.go Close; state.go CloseLane, AddLane; receivers.go       */
/* CloseOneReceiver with state.go disconnectLocked)                        */

#define LOCK   atomic { mu == 0 -> FENCE; mu = 1 }
#define UNLOCK atomic { FENCE; mu = 0 }

/* Ring.Close: one atomic Or of the mark, from any goroutine */
inline ring_close(l) {
	tail[l] = tail[l] | MARK	/* ring.go:411 Close: tail.Or(closedMark) */
}

/* Sender.Close of lane l (sender.go:99-100 -> state.go:427 CloseLane), any goroutine */
inline sender_close(l) {
	LOCK;	/* state.go:428 CloseLane: st.mu.Lock() */
	atomic {	/* state.go:429 l.closed.Load(): closed already: ErrClosed */
		if
		:: closed[l] -> cl = 1
		:: else -> cl = 0
		fi
	};
	if
	:: cl -> UNLOCK; cl = 0	/* state.go:430-431 */
	:: else ->
		closed[l] = 1;	/* state.go:433 l.closed.Store(true) */
		ring_close(l);	/* state.go:434 l.Ring.Close(): nothing else under mu since ba3353c */
#ifdef BROKEN_OPEN_SENDERS
		openSenders--;	/* mutant (before ba3353c): st.openSenders.Add(-1), after the mark */
#endif
		UNLOCK;	/* state.go:435 */
		wake(RPARK);	/* state.go:436 st.RecvPark.Wake() */
		wake(SPARK(l))	/* state.go:437 l.SendPark.Wake() */
	fi
}

/* Receiver.Close (receiver.go:87-88 -> receivers.go:180 CloseOneReceiver), any goroutine.
 * One receiver, so this is the last open one: its flag and the disconnect
 * (disconnectLocked) in ONE critical section of mu (ba3353c). The lanes it
 * marks and wakes are those of State.lanes under mu: the existing ones
 * (nlanes) minus the removed ones (removed[] changes only under mu). */
inline receiver_close() {
	LOCK;	/* receivers.go:181 CloseOneReceiver: st.mu.Lock() */
	atomic { cl = rflag };	/* receivers.go:182 f.closed.Load() */
	if
	:: !cl -> atomic { cl = rc }	/* receivers.go:182 || st.ReceiverClosed(): receiver.Load() (state.go:539) */
	:: else -> skip
	fi;
	if
	:: cl -> atomic { FENCE; mu = 0; RCERR }; cl = 0	/* receivers.go:183-184 st.mu.Unlock(); false: Close returns ErrClosed (receiver.go:89) */
	:: else ->
		rflag = 1;	/* receivers.go:186 f.closed.Store(true) (:187-188 close(f.quit): with one receiver nobody waits on it; :189-190 shared.Load() == nil: the last) */
#ifdef BROKEN_CLOSE_TWO_SECTIONS
		/* mutant (before ba3353c): mu released after the flag, the
		 * disconnect (CloseReceiver) in a second critical section, whose
		 * ReceiverClosed() load finds false: only this call sets it */
		UNLOCK;
		LOCK;
#endif
		nl = nlanes;	/* receivers.go:204 -> state.go:447 disconnectLocked: (:448 receiver.Store(recvClosing): not modelled, see README) :449 lanes := st.Lanes() (under mu: no other writer) */
#ifdef BROKEN_RC_FIRST
		rc = 1;	/* mutant: recvClosed set before the marks */
#endif
		j = 0;
		do
		:: j < nl && removed[j] -> j++
		:: j < nl && !removed[j] -> ring_close(j); j++	/* state.go:450-452 every l.Ring.Close() */
		:: j >= nl -> break
		od;
#ifndef BROKEN_RC_FIRST
		rc = 1;	/* state.go:453 st.receiver.Store(recvClosed), after the marks (:454-456 cancelDisconnect) */
#endif
		UNLOCK;	/* receivers.go:205 st.mu.Unlock() */
#ifndef BROKEN_DISC_NO_WAKE
		wake(RPARK);	/* receivers.go:206 -> state.go:464 wakeDisconnected: st.RecvPark.Wake() */
#endif
		j = 0;
		do
		:: j < nl && removed[j] -> j++
		:: j < nl && !removed[j] -> wake(SPARK(j)); j++	/* state.go:465-467 every l.SendPark.Wake() */
		:: j >= nl -> break
		od;
		j = 0; nl = 0
	fi
}

#ifdef CLONE
/* Sender.Clone of lane 0 (sender.go:52-53 clone -> state.go:355 AddLane): lane 1 */
inline clone() {
#ifdef BROKEN_CLONE_UNLOCKED
	/* mutant (the code before issue 10): the tests come before mu */
	atomic { if :: closed[0] -> cloneSt = C_FAIL :: else -> skip fi };
	if
	:: cloneSt == 0 -> atomic { if :: rc -> cloneSt = C_FAIL :: else -> skip fi }
	:: else -> skip
	fi;
	LOCK;
#else
	LOCK;	/* state.go:357 AddLane: st.mu.Lock() */
	atomic {	/* state.go:359 from.closed.Load() */
		if
		:: closed[0] -> cloneSt = C_FAIL
		:: else -> skip
		fi
	};
	if
	:: cloneSt == 0 ->
		atomic {	/* state.go:359 st.ReceiverClosed(): receiver.Load() */
			if
			:: rc -> cloneSt = C_FAIL
			:: else -> skip
			fi
		}
	:: else -> skip
	fi;
#endif
	if
	:: cloneSt == C_FAIL -> UNLOCK	/* state.go:360 ErrClosed (deferred Unlock) */
	:: else ->
#ifdef BROKEN_OPEN_SENDERS
		openSenders++;	/* mutant (before ba3353c): st.openSenders.Add(1) */
#endif
		atomic {	/* state.go:369 st.lanes.Store(&lanes) (AddLane no longer counts senders, ba3353c) */
			assert(!MARKED(tail[0]));	/* (6) a lane is added only beside an unmarked one: the channel never reopens */
			nlanes = 2
		};
		UNLOCK;	/* state.go:358 deferred st.mu.Unlock() */
		cloneSt = C_OK	/* Clone returns; the clone's goroutine may start */
	fi
}
#endif

#ifdef OFFER
/* offerSettled.Ready (send.go:176-177): taken || Closed() || !Full() */
inline oready() {
	atomic { cl = (OST(ow[l]) == O_TAKEN) };	/* state.go:249 OfferSettled: offer.Load() */
	if
	:: !cl -> atomic { cl = MARKED(tail[l]) }	/* Ring.Closed() */
	:: else -> skip
	fi;
	if
	:: !cl -> atomic { cl = (CNT(t) - head[l] < CAP) }	/* !Ring.Full() */
	:: else -> skip
	fi
}
#endif

/* ---------------------------------------------------------------------- */
/* Producer: K sends on lane l (sender/send.go:60 send, plain values), then */
/* maybe Close                                                              */
proctype Producer(byte l)
{
	byte n, t, j, nl, res, w;
	bit wk, cl, isrx, late;

#ifdef CLONE
	if
	:: l == 1 ->	/* the clone's goroutine starts once Clone returned it */
		atomic { cloneSt != 0 -> if :: cloneSt == C_FAIL -> goto PEND :: else -> skip fi }
	:: l == 0 && cloneEarly -> clone()
	:: else -> skip
	fi;
#endif
	do
	:: n < KL(l) ->
#ifdef RX_CLOSE
		atomic { n++; late = rcErr };	/* (9) ghost: this Send begins after a Receiver.Close returned ErrClosed */
#else
		n++;
#endif
#ifdef OWNED_SEND
		atomic {	/* send.go:89-90 ring.Closed(): ErrClosed */
			if
			:: MARKED(tail[l]) -> goto SCLOSED
			:: else -> skip
			fi
		};
		atomic {	/* send.go:93 tx.Full(): head.Load(): :95 waitSpace */
			t = tail[l];
			if
			:: CNT(t) - head[l] == CAP -> goto WAITSPACE
			:: else -> skip
			fi
		};
#endif
PUSH:		/* send.go:74 (plain), :120/125 (owned) tx.TryPush(v) */
		atomic {	/* ring.go:268-271 TryPush: t := tail.Load(); marked: false */
			t = tail[l];
#ifndef BROKEN_NO_MARK_CHECK
			if
			:: MARKED(t) -> goto PUSHFAIL
			:: else -> skip
			fi
#endif
		};
		atomic {	/* ring.go:272-276 TryPush: (the cached head, then) head.Load(): full: false; :278 pslots[tailSlot] = v (plain) */
			if
			:: CNT(t) - head[l] == CAP -> goto PUSHFAIL
			:: else -> SLOT(l, CNT(t)) = acc[l] + 1	/* the next item */
			fi
		};
#ifdef BROKEN_STORE_PUBLISH
		atomic {	/* mutant: tail.Store(t+1) */
			tail[l] = CNT(t) + 1; acc[l]++
		};
#else
		atomic {	/* ring.go:281 TryPush: CAS(t, t+1); fails only on the mark: :282-284 zero the slot, false */
			if
			:: tail[l] == t -> tail[l] = t + 1; acc[l]++; LATE_OK
			:: else ->
				assert(tail[l] == (t | MARK));
				SLOT(l, CNT(t)) = 0;
				goto PUSHFAIL
			fi
		};
#endif
		t = 0;
		wake(RPARK);	/* send.go:78 (plain), :129 (owned) st.RecvPark.Wake() */
		goto SNEXT;
PUSHFAIL:	/* TryPush returned false: full or closed */
#ifdef OFFER
		goto SFULL;	/* send.go:82 sendFull */
#else
		goto SCLOSED;	/* send.go:120-127: the slot was ours, only the mark fails the push: ErrClosed (recall) */
#endif
WAITSPACE:	/* send.go:95 waitSpace -> :186 c.Ready() (spaceFree, send.go:216), and wait.go:108 after a sleep */
		atomic {	/* send.go:217-218 c.ring.Closed(): ErrClosed */
			if
			:: MARKED(tail[l]) -> goto SCLOSED
			:: else -> skip
			fi
		};
		atomic {	/* send.go:220 !Full(): head.Load() (the count in tail is its own): push (send.go:107-114 the ownership change, :120/125) */
			if
			:: CNT(t) - head[l] < CAP -> RES0; goto PUSH
			:: else -> skip
			fi
		};
#ifndef OLD_PARKER
		if
		:: res == R_CTX -> res = 0; t = 0; goto SNEXT	/* wait.go:111-112 not ready after a sleep the context ended: ctx.Err() */
		:: else -> skip
		fi;
#endif
		prepare(SPARK(l));	/* wait.go:100 s.park.Prepare(nil) */
#ifndef BROKEN_NO_RECHECK
		atomic {	/* wait.go:101 re-check c.Ready(): send.go:217 Closed() */
			if
			:: MARKED(tail[l]) -> cl = 1
			:: else -> skip
			fi
		};
		if
		:: cl -> cl = 0; withdraw(SPARK(l)); goto SCLOSED	/* wait.go:102-103: ErrClosed */
		:: else -> skip
		fi;
		atomic {	/* wait.go:101 re-check c.Ready(): send.go:220 !Full() */
			if
			:: CNT(t) - head[l] < CAP -> cl = 1
			:: else -> skip
			fi
		};
#ifdef FULL_AFTER_ANNOUNCE
		if
		:: !cl ->	/* ring.go:375-376 FullAfterAnnounce: it looked full */
			atomic { DRAIN_RX };	/* ring.go:387 processBarrier(): membarrier drains every CPU's buffer */
			atomic {	/* ring.go:388 Full() again: head.Load() */
				if
				:: CNT(t) - head[l] < CAP -> cl = 1
				:: else -> skip
				fi
			}
		:: else -> skip
		fi;
#endif
		if
		:: cl -> cl = 0; withdraw(SPARK(l)); goto PUSH	/* wait.go:102-103: room, push */
		:: else -> skip
		fi;
#endif
#ifdef HAZARD_STATS_FOLD
		atomic { sparks[l]++; tparks++ };	/* wait.go:105 s.stats.Parks.Add(1) (the lane's) */
#endif
		sleep(SPARK(l));	/* wait.go:106 sleepOn(ctx, s.park.Chan(), s.owner) */
		if
		:: CTX_FIRST && res == R_CTX -> res = 0; t = 0; goto SNEXT	/* (OLD_PARKER) SendContext: ctx.Err(), nothing enqueued */
		:: else -> goto WAITSPACE	/* wait.go:108 c.Ready() after the sleep */
		fi;
#ifdef OFFER
SFULL:		/* send.go:148 sendFull: offer the item while waiting */
		atomic {	/* send.go:151-152 lane.Ring.Closed(): ErrClosed */
			if
			:: MARKED(tail[l]) -> goto SCLOSED
			:: else -> skip
			fi
		};
		atomic {	/* send.go:157 Offer: state.go:243 offered = v (plain); :244 offer.Store(seq+1 | up) */
			assert(OST(ow[l]) == O_NONE);
			offv[l] = acc[l] + 1;
			ow[l] = ONEXT(ow[l])
		};
		/* send.go:158 wait(s, ctx, offerSettled) -> :209 wait.go:89 Await */
#ifndef OLD_PARKER
		if
		:: skip -> goto OWAIT	/* wait.go:94-98 the yield's check of c.Ready() */
		:: skip -> goto OPREP	/* no yield (backing off, or several lanes): announce first */
		fi;
#endif
OWAIT:		/* offerSettled.Ready: the yield's check, or wait.go:108 after a sleep */
		oready();
		if
		:: cl -> cl = 0; RES0; goto WITHDRAW
		:: else -> skip
		fi;
#ifndef OLD_PARKER
		if
		:: res == R_CTX -> goto WITHDRAW	/* wait.go:111-112 not ready after a sleep the context ended */
		:: else -> skip
		fi;
#endif
OPREP:		prepare(SPARK(l));	/* wait.go:100 Prepare */
		oready();	/* wait.go:101 re-check c.Ready() */
#ifdef FULL_AFTER_ANNOUNCE
		if
		:: !cl && !(OST(ow[l]) == O_TAKEN) && !MARKED(tail[l]) ->	/* the Full part as FullAfterAnnounce (recommended, see README) */
			atomic { DRAIN_RX };	/* ring.go:387 processBarrier() */
			atomic { cl = (CNT(t) - head[l] < CAP) }	/* ring.go:388 Full() again */
		:: else -> skip
		fi;
#endif
		if
		:: cl -> cl = 0; withdraw(SPARK(l)); goto WITHDRAW	/* wait.go:102-103 Cancel, return */
		:: else -> skip
		fi;
#ifdef HAZARD_STATS_FOLD
		atomic { sparks[l]++; tparks++ };	/* wait.go:105 s.stats.Parks.Add(1) (the lane's) */
#endif
		sleep(SPARK(l));	/* wait.go:106 sleepOn */
		if
		:: CTX_FIRST && res == R_CTX -> goto WITHDRAW	/* (OLD_PARKER) the wait's ctx error, after Withdraw */
		:: else -> goto OWAIT
		fi;
WITHDRAW:	/* send.go:159 lane.Withdraw (state.go:254) */
		atomic { w = ow[l] };	/* state.go:256 Withdraw: w := offer.Load() */
		if
		:: OST(w) == O_UP ->
			atomic {	/* state.go:257-259 Withdraw: CAS(w, none): not taken, the item is ours again */
				if
				:: ow[l] == w -> ow[l] = w & ~3; offv[l] = 0; w = 0; goto UNTAKEN	/* offered = zero */
				:: else -> skip
				fi
			}
		:: else -> skip
		fi;
#ifndef BROKEN_WITHDRAW_NOWAIT
		atomic { OST(ow[l]) == O_TAKEN -> w = ow[l] };	/* state.go:261-265 Withdraw: for state != taken { Gosched; load } */
#else
		atomic { w = ow[l] | O_TAKEN };	/* mutant: does not wait for taken */
#endif
		atomic { offv[l] = 0; ow[l] = w & ~3; acc[l]++; w = 0; res = 0; LATE_OK };	/* state.go:266-267 offered = zero; offer.Store(none): taken, send.go:160 Send returns nil */
		t = 0;
		goto SNEXT;
UNTAKEN:
		if
		:: res == R_CTX -> res = 0; t = 0; goto SNEXT	/* send.go:162-163 SendContext: ctx.Err(), nothing enqueued */
		:: else -> goto PUSH	/* send.go:165 TryPush */
		fi;
#endif
SCLOSED:	/* ErrClosed: every later send fails as well */
		t = 0;
		break;
SNEXT:		skip
	:: n >= KL(l) -> break
	od;
	n = 0;
#ifdef CLONE
	if
	:: l == 0 && !cloneEarly -> clone()
	:: else -> skip
	fi;
#endif
	if
	:: pClose[l] -> sender_close(l)	/* sender.go:99 Close */
	:: else -> skip
	fi;
PEND:	finished++
}

/* ---------------------------------------------------------------------- */
/* Coordinator: closes lane 0's sender and/or disconnects the receiver     */
proctype Coordinator()
{
	byte j, nl;
	bit wk, cl, isrx;

	if
	:: coClose && coDisc ->
		if
		:: sender_close(0); receiver_close()
		:: receiver_close(); sender_close(0)
		fi
	:: coClose && !coDisc -> sender_close(0)
	:: !coClose && coDisc -> receiver_close()
	:: !coClose && !coDisc -> skip
	fi;
	finished++
}

/* ---------------------------------------------------------------------- */
/* Receiver: Recv until closed and drained, or disconnected                */

/*
 * (8) the ghost wit: the channel was open (some lane of State.lanes
 * unmarked) and every ring of State.lanes empty (as the receiver sees its
 * own head) at the first step of itemReady.Ready. With one receiver that
 * is the only instant to look at: during the call no other goroutine pops,
 * a clone adds an empty lane beside an unmarked one (property 6), the
 * receiver removes only closed drained lanes, and marks and publishes only
 * make the predicate false. A not-ready answer (TryRecv's ErrEmpty) must
 * have such an instant: Ready asserts wit when it finds nothing.
 */
#define LIVE(j)     ((j) < nlanes && !removed[j])
#define OPEN_EMPTY  ((LIVE(0) && !MARKED(tail[0])) || (NL > 1 && LIVE(NL - 1) && !MARKED(tail[NL - 1]))) && \
                    (!LIVE(0) || CNT(tail[0]) == HR(0)) && (NL == 1 || !LIVE(NL - 1) || CNT(tail[NL - 1]) == HR(NL - 1))
#ifdef NO_WIT
/* the LTL runs leave the ghost out (their claim does not read it; the
 * safety run of the same configuration checks (8)) */
#define WITNESS     skip
#define WIT_OK      skip
#else
#define WITNESS     wit = (OPEN_EMPTY)
#define WIT_OK      assert(wit)
#endif
/* the step that begins Ready takes the ghost (where a mutant moves it) */
#if defined(BROKEN_EMPTY_FIRST) || defined(BROKEN_LANES_FIRST)
#define WIT_CL      skip
#else
#define WIT_CL      WITNESS
#endif
#ifdef BROKEN_EMPTY_FIRST
#define WIT_SCAN    WITNESS
#else
#define WIT_SCAN    skip
#endif

/*
 * State.LanesClosed (ba3353c, 244ed53): the lanes slice, each lane's mark
 * in order up to the first lane without it (false), the slice again: the
 * same one, true; another (a Clone added a lane, the receiver removed
 * one), check that one. osz: every lane marked.
 *
 * LANES_OWN: without CLONE no other goroutine writes State.lanes (only the
 * receiver's own RemoveLane, never during this call), so both loads of it
 * return what the receiver last stored and the order of those loads among
 * other goroutines' steps cannot matter: the first rides on the step
 * before (closed_load's), the second is the local comparison that finds
 * the same slice. This keeps the one-receiver runs as small as the loads
 * allow; with CLONE both loads are steps of their own.
 */
#ifdef CLONE
#define LW_LOAD     skip
#else
#define LW_LOAD     lw = LANESW	/* state.go:519 p := st.lanes.Load() (LANES_OWN) */
#endif
inline lanes_closed() {
#ifdef CLONE
	atomic { lw = LANESW };	/* state.go:518-519 LanesClosed: p := st.lanes.Load() */
#endif
	osz = 1;
	do
	:: osz ->
		if
		:: j < LW_N(lw) && LW_RM(lw, j) -> j++	/* not in that slice */
		:: j < LW_N(lw) && !LW_RM(lw, j) ->
			atomic {	/* state.go:525-528 !l.Ring.Closed() (ring.go:415 tail.Load()); no mark: false */
#ifdef BROKEN_CLOSED_FLAG
				osz = closed[j];	/* mutant: the lane's closed flag (set before the mark) */
#else
				osz = MARKED(tail[j]);
#endif
				j++
			}
		:: j >= LW_N(lw) ->
#if defined(BROKEN_CLOSED_NO_RELOAD)
			j = 0; lw = 0; break	/* mutant: every lane of the first slice marked: true */
#elif defined(CLONE)
			atomic {	/* state.go:530-534 q := st.lanes.Load(); q == p: true; else p = q, loop (:520) */
				j = 0;
				if
				:: LANESW == lw -> lw = 0; break
				:: else -> lw = LANESW
				fi
			}
#else
			j = 0; lw = 0; break	/* state.go:530-532 the same slice (LANES_OWN): true */
#endif
		fi
	:: !osz -> j = 0; lw = 0; break
	od
}

/* noMoreArrivals (recv.go:195): st.ReceiverClosed() || st.LanesClosed(). cl:
 * the receiver disconnected; osz: every lane marked (then cl == 0). */
inline closed_load() {
#if defined(BROKEN_OPEN_SENDERS)
	atomic { osz = (openSenders == 0); WIT_CL };	/* mutant (before ba3353c): st.SendersClosed(): openSenders.Load() == 0 */
	if
	:: !osz -> atomic { cl = rc }	/* || st.ReceiverClosed() */
	:: else -> skip
	fi
#elif defined(BROKEN_RX_NO_DISC)
	atomic { WIT_CL; LW_LOAD };	/* mutant: no ReceiverClosed() */
	lanes_closed()
#else
	atomic { cl = rc; WIT_CL; LW_LOAD };	/* recv.go:195 st.ReceiverClosed(): state.go:539 receiver.Load() == recvClosed */
	if
	:: !cl -> lanes_closed()	/* recv.go:195 || st.LanesClosed() */
	:: else -> skip
	fi
#endif
}

/*
 * One scan of the lanes (lanes.go tryPop / anyItem): found = a lane l with
 * an item. On the way, while the receiver's cached slice has more than one
 * lane, a lane that is closed and drained is removed (lanes.go reclaim).
 * The model always scans from lane 0 (the round robin only orders lanes
 * that both hold items); the receiver pops the item found (recv.go:95/119
 * tryPop: the first non-empty lane).
 */
inline scan() {
	atomic {	/* lanes.go:144 anyItem (:49 tryPop): st.Lanes(): lanes.Load() (state.go:404) */
		WIT_SCAN;
		nl = nlanes;
		live = nl - removed[0] - (NL > 1 -> removed[NL - 1] : 0)
	};
	j = 0;
	do
	:: j < nl && removed[j] -> j++
	:: j < nl && !removed[j] ->
		atomic {	/* ring.go:393 Empty (:399) / :292 TryPop (:297): tail.Load() & countMask != head */
			t = tail[j];
			if
			:: CNT(t) != HR(j) -> found = 1; l = j; break
			:: else -> skip
			fi
		};
#ifdef OFFER
		/* the ring is empty: state.go:280 TakeOffer (lanes.go:70/84 tryPop; :146 anyItem's HasOffer, state.go:274) */
		atomic { w = ow[j] };	/* state.go:281 TakeOffer: w := offer.Load() */
		if
		:: OST(w) == O_UP ->
			atomic { wk = !closed[j] };	/* state.go:282 TakeOffer: !l.closed.Load() */
			if
			:: wk ->
#ifndef BROKEN_OFFER_NOEMPTY
				atomic {	/* state.go:282 TakeOffer: l.Ring.Consumer().Empty(): tail.Load() */
					t = tail[j];
					if
					:: CNT(t) != HR(j) -> found = 1; l = j; wk = 0; w = 0; break	/* not empty: pop it */
					:: else -> skip
					fi
				};
#endif
				foundOff = 1; l = j; wk = 0; break	/* the CAS follows at TAKE */
			:: else -> skip
			fi
		:: else -> skip
		fi;
		w = 0;
#endif
		if
		:: live > 1 ->	/* lanes.go:81/88/149-150 reclaim(l), len(lanes) > 1 */
			atomic { wk = closed[j] };	/* lanes.go:102 l.SenderClosed() */
			if
			:: wk ->
				atomic {	/* ring.go:420-422 Drained: tail.Load(); marked and count == head */
					t = tail[j];
#ifdef BROKEN_RECLAIM_EMPTY
					wk = (CNT(t) == HR(j))	/* mutant: Empty, no mark */
#else
					wk = (MARKED(t) && CNT(t) == HR(j))
#endif
				}
			:: else -> skip
			fi;
			if
			:: wk ->
				LOCK;	/* lanes.go:103 -> state.go:377 RemoveLane: st.mu.Lock() */
				atomic {	/* state.go:387-390 addLane(&a.retired, l.counters); st.lanes.Store(without l) */
					removed[j] = 1;
#ifdef HAZARD_STATS_FOLD
					folded = folded + sparks[j];
#endif
					wk = 0
				};
				UNLOCK	/* state.go:378 deferred Unlock */
			:: else -> skip
			fi
		:: else -> skip
		fi;
		j++
	:: j >= nl -> break
	od;
	j = 0; t = 0; live = 0
}

/* DiscardQueued (state.go:490): ClearQueued on every lane of State.lanes */
inline discard_queued() {
	atomic { nl = nlanes };	/* state.go:491 st.Lanes() */
	j = 0;
	do
	:: j < nl && removed[j] -> j++
	:: j < nl && !removed[j] ->
		atomic {	/* ring.go:502 ClearQueued: tail.Load() & countMask; :503-506 clear [head, count) */
			t = HR(j);
			do
			:: t < CNT(tail[j]) -> SLOT(j, t) = 0; t++
			:: else -> break
			od
		};
		j++
	:: j >= nl -> break
	od;
	j = 0; t = 0; nl = 0
}

/* itemReady.Ready (recv.go:236): noMoreArrivals first, then anyItem */
inline ready() {
#ifdef BROKEN_LANES_FIRST
	atomic { nl = nlanes; WITNESS };	/* mutant: lanes list loaded before the closed state */
	closed_load();
	j = 0;
	do
	:: j < nl ->
		atomic { t = tail[j]; if :: CNT(t) != HR(j) -> found = 1; l = j; break :: else -> skip fi };
		j++
	:: else -> break
	od;
	j = 0; t = 0
#else
#ifndef BROKEN_EMPTY_FIRST
	closed_load();	/* recv.go:237 closed := c.r.noMoreArrivals() */
#endif
	scan();	/* recv.go:238 c.r.anyItem() */
#ifdef BROKEN_EMPTY_FIRST
	if
	:: !found -> closed_load()	/* mutant: closed loaded after the lanes */
	:: else -> skip
	fi
#endif
#endif
}

proctype Receiver()
{
	byte l, j, t, v, nl, live, res, w, lw;
	bit cl, osz, wk, found, foundOff, wit;
	bit isrx = 1;	/* the receiver's CPU: its locked operations drain its store buffer */

RECV:	/* recv.go:81 recv (a new call) */
#ifdef RX_STOP
	if
	:: rcvd[0] + rcvd[NL - 1] - (NL == 1 -> rcvd[0] : 0) >= RX_STOP -> outcome = O_STOP; goto END	/* the user stops receiving (no Close) */
	:: else -> skip
	fi;
#endif
	atomic {	/* recv.go:85 r.disconnected(): recv.go:176-180 ReceiverClosing, AwaitClosed: the disconnect done (rc; recvClosing is not modelled) */
		if
		:: rc -> goto DISC
		:: else -> skip
		fi
	};
#ifdef RX_CLOSE
	if
	:: receiver_close(); goto RECV	/* receiver.go:87-88 Close from the receiver's own goroutine */
	:: skip
	fi;
#endif
#ifndef NO_HOLD
	if
	:: held != 0 ->	/* recv.go:92-93 r.holding(): takeHeld */
		if
		:: atomic {	/* take.go:149-155 own succeeded: deliver the held item */
			assert(heldV == rcvd[held - 1] + 1);	/* (2) FIFO kept across the hold */
			rcvd[held - 1]++; held = 0; heldV = 0
		   }
		:: atomic { CTX_DONE || rc -> skip }	/* take.go:149-150 own failed again: Recv reports the error */
		fi;
		goto RECV
	:: else -> skip
	fi;
#endif
W:	/* recv.go:95/119 tryPop, recv.go:110 waitItem: :214 c.Ready() (wait.go:95, :101, :108) */
	ready();	/* recv.go:236-248 itemReady.Ready */
	if	/* (guards exclusive: Ready tests the item first) */
	:: found -> found = 0; cl = 0; osz = 0; wit = 0; RES0; goto POP	/* recv.go:238-239 an item: :119 tryPop */
#ifdef OFFER
	:: foundOff -> foundOff = 0; cl = 0; osz = 0; wit = 0; RES0; goto TAKE	/* an offer: tryPop's TakeOffer */
	:: !found && !foundOff && osz -> goto DRAINED
	:: !found && !foundOff && !osz && cl -> goto DISCERR
#else
	:: !found && osz -> goto DRAINED	/* recv.go:241-242 closed (every lane marked): closedErr */
	:: !found && !osz && cl -> goto DISCERR	/* recv.go:241-242 closed (receiver): closedErr */
#endif
	:: else -> WIT_OK; wit = 0	/* (8) recv.go:247 not ready (TryRecv: ErrEmpty, :217-218): open and empty at its start */
	fi;
#ifndef OLD_PARKER
	if
	:: res == R_CTX -> res = 0; goto RECV	/* wait.go:111-112 not ready after a sleep the context ended: ctx.Err() */
	:: else -> skip
	fi;
#endif
	prepare(RPARK);	/* wait.go:100 s.park.Prepare(nil) */
#ifndef BROKEN_NO_RECHECK
	ready();	/* wait.go:101 re-check c.Ready() */
	if
	:: found || foundOff || osz || cl -> withdraw(RPARK);	/* wait.go:102-103 Cancel, return */
		if
		:: found -> found = 0; cl = 0; osz = 0; wit = 0; goto POP
#ifdef OFFER
		:: foundOff -> foundOff = 0; cl = 0; osz = 0; wit = 0; goto TAKE
#endif
		:: !found && !foundOff && osz -> goto DRAINED
		:: !found && !foundOff && !osz && cl -> goto DISCERR
		fi
	:: else -> WIT_OK; wit = 0	/* (8) */
	fi;
#endif
	sleep(RPARK);	/* wait.go:105-106 Parks.Add(1); sleepOn(ctx, s.park.Chan(), s.owner) */
	if
	:: CTX_FIRST && res == R_CTX -> res = 0; goto RECV	/* (OLD_PARKER) RecvContext returns ctx.Err(); the user calls again */
	:: else -> goto W	/* wait.go:108 c.Ready() after the sleep */
	fi;
POP:
	atomic {	/* ring.go:302-305 TryPop: read slots[h], zero it (plain); publishHead(h+1) (:518 head.Store) */
		v = SLOT(l, HR(l));
		SLOT(l, HR(l)) = 0;
#ifdef RELEASE_PUBLISH
		DRAIN_RX;	/* one entry: an older publish leaves the buffer first */
		bufL = l + 1; bufV = head[l] + 1;	/* ring.go:515 storeRelease: into the store buffer */
#else
		head[l]++;
#endif
#ifndef OFFER
		assert(v == HR(l))	/* the slot held the item published there */
#else
		assert(v != 0)	/* the slot held an item */
#endif
	};
	wake(SPARK(l));	/* lanes.go:54/67/80 l.SendPark.Wake() */
#ifndef NO_HOLD
	if
	:: skip	/* recv.go:103-104/107/120 take -> take.go:37 own: owned, claimed or stolen: deliver */
	:: atomic { (CTX_DONE || rc) -> held = l + 1; heldV = v; v = 0; l = 0; goto RECV }
		/* take.go:37-38 own failed (its steal ended by the disconnect :63, or by ctx :67): hold(v) */
	fi;
#endif
	atomic {	/* take.go:45 return v: delivered to the user */
		/* (2) nothing twice, nothing skipped, FIFO per lane */
		assert(v == rcvd[l] + 1);
		rcvd[l]++;
		v = 0; l = 0
	};
	goto RECV;
#ifdef OFFER
TAKE:	/* state.go:280 TakeOffer, after its loads in scan(): CAS, read, count, taken, wake */
	atomic {	/* state.go:285 TakeOffer: CAS(w, taking) (acquire: offered); withdrawn meanwhile: false */
		if
		:: ow[l] == w -> ow[l] = (w & ~3) | O_TAKING
		:: else -> w = 0; l = 0; goto W
		fi
	};
	v = offv[l];	/* state.go:288 v = l.offered (plain) */
	handed[l]++;	/* state.go:292 l.handed.Add(1) */
	atomic { ow[l] = (w & ~3) | O_TAKEN; w = 0 };	/* state.go:293 offer.Store(taken) */
	wake(SPARK(l));	/* state.go:294 l.SendPark.Wake() */
	atomic {	/* recv.go:100-101 (take.go:51): a plain value is delivered */
		assert(v == rcvd[l] + 1);	/* (2) FIFO across the ring and the offer */
		rcvd[l]++;
		v = 0; l = 0
	};
	goto RECV;
#endif
DISCERR:	/* recv.go:199-201 closedErr -> disconnected() */
	atomic { cl = 0; wit = 0; if :: rc -> skip :: else -> assert(false) fi };	/* recv.go:176-180 ReceiverClosing (AwaitClosed) */
DISC:
	discard_queued();	/* recv.go:182-184 first time: st.DiscardQueued() */
#ifndef NO_HOLD
	atomic {	/* recv.go:185 r.dropHeld() */
		if
		:: held != 0 -> dropped[held - 1]++; held = 0; heldV = 0
		:: else -> skip
		fi
	};
#endif
	outcome = O_DISC;
	goto END;
DRAINED:	/* closedErr's disconnected() check would find nothing to discard */
	osz = 0; wit = 0;
#ifndef NO_HOLD
	assert(held == 0);	/* recv.go:92: a receive with a held item never waits */
#endif
	outcome = O_DRAINED;
END:
	finished++
}

#ifdef RX_STOP
/*
 * A buffered channel accepts a send while its ring has room, whether or not
 * anyone receives: when nothing can move any more (timeout), no sender may
 * be asleep beside a ring with room. (Run with pan -E: senders blocked on a
 * full ring of a receiver that stopped are legitimate end states.)
 */
active proctype Monitor()
{
	timeout ->
	assert(!(asleep[SPARK(0)] && !MARKED(tail[0]) && CNT(tail[0]) - head[0] < CAP));
	assert(!(asleep[SPARK(NL - 1)] && !MARKED(tail[NL - 1]) && CNT(tail[NL - 1]) - head[NL - 1] < CAP))
}
#endif

#ifdef RELEASE_PUBLISH
/* the receiver's store buffer drains on its own, at any time */
active proctype Flusher()
{
end:	do
	:: atomic { bufL != 0 -> DRAIN_RX }
	od
}
#endif

init {
	byte i, k;
	atomic {
#if defined(CO_DISC)
		coDisc = 1;
#elif defined(CO_CLOSE)
		coClose = 1;
#elif !defined(NO_COORD)
		if
		:: coClose = 1
		:: coClose = 0
		fi;
		if
		:: coDisc = 1
		:: coDisc = 0
		fi;
#endif
#ifdef CLONE
		if
		:: cloneEarly = 1
		:: cloneEarly = 0
		fi;
#endif
		/* each lane is closed by its producer or by the coordinator, or the
		 * receiver is disconnected: otherwise Recv rightly waits forever */
		i = 0;
		do
		:: i < NL ->
			if
#ifndef P_NOCLOSE
			:: pClose[i] = 1
#endif
			:: coDisc || (i == 0 && coClose) -> pClose[i] = 0
#ifdef P_NOCLOSE
			:: !(coDisc || (i == 0 && coClose)) -> pClose[i] = 1
#endif
			fi;
			i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < NL -> run Producer(i); i++
		:: else -> break
		od;
		run Coordinator();
		run Receiver()
	};
	finished == NPROC;
#ifdef RELEASE_PUBLISH
	bufL == 0;	/* the buffer has drained */
#endif
	i = 0;
	do
	:: i < nlanes ->
		/* (1) no accepted item is lost */
		if
		:: outcome == O_DRAINED -> assert(rcvd[i] == acc[i])	/* drained: every accepted item received */
		:: outcome == O_STOP -> skip	/* RX_STOP: items may be left */
		:: else -> assert(outcome == O_DISC && rc)	/* disconnected: acc - rcvd discarded */
		fi;
#ifdef OFFER
		assert(CNT(tail[i]) + handed[i] == acc[i]);	/* every publish or taken offer is a send that returned nil */
		assert(head[i] + handed[i] == rcvd[i]);	/* every pop and taken offer was returned */
		assert(OST(ow[i]) == O_NONE && offv[i] == 0);	/* every offer withdrawn, its item cleared */
#else
		assert(CNT(tail[i]) == acc[i]);	/* every publish is a send that returned nil */
#endif
#ifndef NO_HOLD
		assert(head[i] == rcvd[i] + dropped[i]);	/* every pop was returned, or held and dropped at the disconnect */
		assert(held == 0);
#elif !defined(OFFER)
		assert(head[i] == rcvd[i]);	/* every pop was returned to the user */
#endif
		assert(MARKED(tail[i]));	/* every lane ended closed */
		assert(!removed[i] || CNT(tail[i]) == head[i]);	/* nothing arrived on a removed lane */
		/* (4) the channel keeps no value reachable: every slot was popped,
		 * cleared by DiscardQueued or zeroed by its failed push */
		k = 0;
		do
		:: k < CAP -> assert(outcome == O_STOP || SLOT(i, k) == 0); k++
		:: else -> break
		od;
		i++
	:: else -> break
	od;
#ifdef HAZARD_STATS_FOLD
	/* Snapshot's SendParks = retired + live lanes' Parks: every park counted */
	assert(folded + (removed[0] -> 0 : sparks[0]) + (NL > 1 && !removed[NL - 1] -> sparks[NL - 1] : 0) == tparks);
#endif
	/* every wait ended in Cancel: no Parker is left announced */
	i = 0;
	do
	:: i < NPARK -> assert(pst[i] == IDLE && reading[i] == 0); i++
	:: else -> break
	od
}

/* (3) every process finishes */
ltl done { <> (finished == NPROC) }
