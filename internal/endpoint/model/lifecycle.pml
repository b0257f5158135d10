/*
 * lifecycle.pml: SPIN model of the handoff channel lifecycle (issue 10):
 * ringbuffer (the tail word with its CLOSED mark), internal/endpoint
 * (State, Lane, Parker), sender (Send, Close, Clone) and receiver (Recv,
 * Close, lane reclaim).
 *
 * What is modelled: one channel with NL lanes (NL = 1 or 2). A lane is an
 * SPSC ring of capacity CAP whose tail word is count | MARK (the closed
 * mark, bit 63 in Go) and whose head word is the count popped, plus the
 * lane's closed flag and its send Parker. Per channel: openSenders,
 * receiverClosed, State.mu, the lanes list and the receiver's Parker.
 * Processes:
 *   Producer(l)  one per lane: K sends (TryPush: load tail, fail on the
 *                mark, check room, write the slot, CAS publish; else
 *                waitSpace: endpoint.Await on the lane's Parker until there
 *                is room or the ring is marked), then Sender.Close of its own lane if the
 *                plan says so. With CLONE, lane 1 does not exist at first:
 *                producer 0 makes it with Sender.Clone and producer 1 runs
 *                only if that succeeded.
 *   Coordinator  a third goroutine: Sender.Close of lane 0 and/or
 *                Receiver.Close (disconnect), in either order, concurrently
 *                with everything else.
 *   Receiver     Recv until closed-and-drained or disconnected: the
 *                disconnected check (discarding what is buffered the first
 *                time it sees it), the closed load (openSenders == 0, then
 *                receiverClosed), a scan of the lanes that pops the first
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
 * tparks) are not Go state; they only state the properties. The value of a
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
 *   RX_CLOSE          the receiver may disconnect itself at any Recv
 *   RX_STOP=n         the receiver stops after n items, without Close; a
 *                     Monitor asserts, once nothing can move, that no sender
 *                     sleeps beside a ring with room (run with pan -E)
 *   OWNED_SEND        the send of an element type with an ownership header
 *                     (send.go:76-103: closed check, waitSpace while full,
 *                     then the push, which fails only on the mark) and the
 *                     receive's hold path. Default: plain values, whose
 *                     blocked send offers its item to the receiver
 *                     (send.go:121 sendFull; Lane.Offer/TakeOffer/Withdraw)
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
 *   NO_HOLD           (OWNED_SEND) drop the receive's hold path (take.go: a
 *                     popped item whose take fails, its steal ended by the
 *                     context or the disconnect, is held and returned first
 *                     by the next receive, or dropped at the disconnect)
 * Mutants (each must make the check FAIL; check.sh runs them):
 *   BROKEN_STORE_PUBLISH  publish with tail.Store(t+1) instead of the CAS: the
 *                         store erases a concurrent mark
 *   BROKEN_NO_MARK_CHECK  TryPush does not test the mark in the tail it
 *                         loaded: CAS(t, t+1) on a marked t succeeds
 *   BROKEN_DEC_FIRST      Sender.Close decrements openSenders before it marks
 *                         the ring
 *   BROKEN_EMPTY_FIRST    the receiver scans the lanes before it loads
 *                         openSenders (drained test in the wrong order)
 *   BROKEN_NO_RECHECK     a Parker waiter sleeps right after announcing
 *   BROKEN_NO_WAKE_CAS    (OLD_PARKER) a waker sends the token after loading
 *                         waiting, without the CAS waiting -> waking
 *   BROKEN_NO_CANCEL      Await's re-check found the condition ready and
 *                         returns without Cancel (it still drains)
 *   BROKEN_SLEEP_NO_CANCEL  sleepOn does not Cancel after the sleep (it
 *                         still drains)
 *   BROKEN_RX_NO_DISC     the receiver's closed test ignores receiverClosed
 *                         (issue 10 item 3: a disconnect leaves Recv asleep)
 *   BROKEN_RC_FIRST       Receiver.Close stores receiverClosed before it marks
 *                         the rings (the order DESIGN-round2 first gave)
 *   BROKEN_RECLAIM_EMPTY  the receiver removes a lane that is closed (flag)
 *                         and empty, without the mark (Empty, not Drained)
 *   BROKEN_CLONE_UNLOCKED (CLONE) AddLane tests closed/receiverClosed before
 *                         taking mu (the code before issue 10)
 *   BROKEN_LANES_FIRST    (CLONE) the receiver loads the lanes list before
 *                         openSenders
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

/* ---- Parker.state (parker.go:71-75) --------------------------------- */
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
#define NO_HOLD		/* a plain value is never held (take.go:48) */
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
byte openSenders = 1;	/* State.openSenders                                */
byte nlanes = 1;	/* len(*State.lanes) counting removed lanes too      */
byte cloneSt;		/* how producer 0's Clone ended: C_OK, C_FAIL       */
bit  cloneEarly;	/* producer 0 clones before its sends (else after)  */
#else
byte openSenders = NL;
byte nlanes = NL;
#endif
bit  rc;		/* State.receiverClosed                             */
bit  mu;		/* State.mu                                         */
bit  removed[NL];	/* RemoveLane dropped the lane from State.lanes     */
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

/* Await's re-check found the condition ready: Cancel, return (wait.go:84-88) */
inline withdraw(p) {
#ifndef BROKEN_NO_CANCEL
	cancel(p)	/* wait.go:85-87 p.Cancel() */
#else
	skip
#endif
}

/* sleepOn (wait.go:123): token or context; then Await cancels (wait.go:98-100);
 * res = R_CTX when the context ended it, returned only if the condition is
 * still not ready (wait.go:101-106) */
inline sleep(p) {
	asleep[p] = 1;	/* ghost */
	if
	:: atomic { tok[p] == 1 -> FENCE; tok[p] = 0; asleep[p] = 0 }	/* wait.go:129/132 <-ch */
	:: atomic { CTX_DONE -> res = R_CTX; asleep[p] = 0 }	/* wait.go:133-134 <-done: ctx.Err() */
	fi;
#ifndef BROKEN_SLEEP_NO_CANCEL
	cancel(p)	/* wait.go:98-100 p.Cancel() */
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
/* Closing (ring.go Close, state.go CloseLane / CloseReceiver / AddLane)   */

#define LOCK   atomic { mu == 0 -> FENCE; mu = 1 }
#define UNLOCK atomic { FENCE; mu = 0 }

/* Ring.Close: one atomic Or of the mark, from any goroutine */
inline ring_close(l) {
	tail[l] = tail[l] | MARK	/* ring.go:327 Close: tail.Or(closedMark) */
}

/* Sender.Close of lane l (sender.go:96-97 -> state.go:334 CloseLane), any goroutine */
inline sender_close(l) {
	LOCK;	/* state.go:335 CloseLane: st.mu.Lock() */
	atomic {	/* state.go:336 l.closed.Load(): closed already: ErrClosed */
		if
		:: closed[l] -> cl = 1
		:: else -> cl = 0
		fi
	};
	if
	:: cl -> UNLOCK; cl = 0	/* state.go:337-338 */
	:: else ->
		closed[l] = 1;	/* state.go:340 l.closed.Store(true) */
#ifdef BROKEN_DEC_FIRST
		openSenders--;	/* mutant: openSenders.Add(-1) before the mark */
		ring_close(l);
#else
		ring_close(l);	/* state.go:341 l.Ring.Close() */
		openSenders--;	/* state.go:342 st.openSenders.Add(-1) */
#endif
		UNLOCK;	/* state.go:343 */
		wake(RPARK);	/* state.go:344 st.RecvPark.Wake() */
		wake(SPARK(l))	/* state.go:345 l.SendPark.Wake() */
	fi
}

/* Receiver.Close (receiver.go:76-77 -> state.go:354 CloseReceiver), any goroutine.
 * The lanes it marks and wakes are those of State.lanes under mu: the
 * existing ones (nlanes) minus the removed ones (removed[] changes only
 * under mu). */
inline receiver_close() {
	LOCK;	/* state.go:355 CloseReceiver: st.mu.Lock() */
	atomic {	/* state.go:356 st.receiverClosed.Load(): closed already: ErrClosed */
		if
		:: rc -> cl = 1
		:: else -> cl = 0
		fi
	};
	if
	:: cl -> UNLOCK; cl = 0	/* state.go:357-358 */
	:: else ->
		nl = nlanes;	/* state.go:360 lanes := st.Lanes() (under mu: no other writer) */
#ifdef BROKEN_RC_FIRST
		rc = 1;	/* mutant: receiverClosed set before the marks */
#endif
		j = 0;
		do
		:: j < nl && removed[j] -> j++
		:: j < nl && !removed[j] -> ring_close(j); j++	/* state.go:361-362 every l.Ring.Close() */
		:: j >= nl -> break
		od;
#ifndef BROKEN_RC_FIRST
		rc = 1;	/* state.go:364 st.receiverClosed.Store(true), after the marks (:365-367 cancel Disconnected) */
#endif
		UNLOCK;	/* state.go:368 */
		wake(RPARK);	/* state.go:369 st.RecvPark.Wake() */
		j = 0;
		do
		:: j < nl && removed[j] -> j++
		:: j < nl && !removed[j] -> wake(SPARK(j)); j++	/* state.go:370-371 every l.SendPark.Wake() */
		:: j >= nl -> break
		od;
		j = 0; nl = 0
	fi
}

#ifdef CLONE
/* Sender.Clone of lane 0 (sender.go:50-51 clone -> state.go:286 AddLane): lane 1 */
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
	LOCK;	/* state.go:288 AddLane: st.mu.Lock() */
	atomic {	/* state.go:290 from.closed.Load() */
		if
		:: closed[0] -> cloneSt = C_FAIL
		:: else -> skip
		fi
	};
	if
	:: cloneSt == 0 ->
		atomic {	/* state.go:290 st.receiverClosed.Load() */
			if
			:: rc -> cloneSt = C_FAIL
			:: else -> skip
			fi
		}
	:: else -> skip
	fi;
#endif
	if
	:: cloneSt == C_FAIL -> UNLOCK	/* state.go:291 ErrClosed (deferred Unlock) */
	:: else ->
		atomic {	/* state.go:297 st.openSenders.Add(1) */
			assert(openSenders > 0);	/* openSenders never rises from 0 */
			openSenders++
		};
		nlanes = 2;	/* state.go:298 st.lanes.Store(&lanes) */
		UNLOCK;	/* state.go:289 deferred st.mu.Unlock() */
		cloneSt = C_OK	/* Clone returns; the clone's goroutine may start */
	fi
}
#endif

#ifdef OFFER
/* offerSettled.Ready (send.go:149-150): taken || Closed() || !Full() */
inline oready() {
	atomic { cl = (OST(ow[l]) == O_TAKEN) };	/* state.go:179 OfferSettled: offer.Load() */
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
/* Producer: K sends on lane l (sender/send.go:55 send, plain values), then */
/* maybe Close                                                              */
proctype Producer(byte l)
{
	byte n, t, j, nl, res, w;
	bit wk, cl, isrx;

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
		n++;
#ifdef OWNED_SEND
		atomic {	/* send.go:76 ring.Closed(): ErrClosed */
			if
			:: MARKED(tail[l]) -> goto SCLOSED
			:: else -> skip
			fi
		};
		atomic {	/* send.go:79 ring.Full(): head.Load(): waitSpace */
			t = tail[l];
			if
			:: CNT(t) - head[l] == CAP -> goto WAITSPACE
			:: else -> skip
			fi
		};
#endif
PUSH:		/* send.go:65 (plain), :93/98 (owned) ring.TryPush(v) */
		atomic {	/* ring.go:203-204 TryPush: t := tail.Load(); marked: false */
			t = tail[l];
#ifndef BROKEN_NO_MARK_CHECK
			if
			:: MARKED(t) -> goto PUSHFAIL
			:: else -> skip
			fi
#endif
		};
		atomic {	/* ring.go:207-211 TryPush: head.Load(): full: false; :213 slots[t] = v (plain) */
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
		atomic {	/* ring.go:216 TryPush: CAS(t, t+1); fails only on the mark: :217-219 zero the slot, false */
			if
			:: tail[l] == t -> tail[l] = t + 1; acc[l]++
			:: else ->
				assert(tail[l] == (t | MARK));
				SLOT(l, CNT(t)) = 0;
				goto PUSHFAIL
			fi
		};
#endif
		t = 0;
		wake(RPARK);	/* send.go:66 (plain), :102 (owned) st.RecvPark.Wake() */
		goto SNEXT;
PUSHFAIL:	/* TryPush returned false: full or closed */
#ifdef OFFER
		goto SFULL;	/* send.go:69 sendFull */
#else
		goto SCLOSED;	/* send.go:95-100: the slot was ours, only the mark fails the push: ErrClosed (Recall) */
#endif
WAITSPACE:	/* send.go:80 waitSpace -> :159 c.Ready() (spaceFree, send.go:188), and wait.go:101 after a sleep */
		atomic {	/* send.go:189 lane.Ring.Closed(): ErrClosed */
			if
			:: MARKED(tail[l]) -> goto SCLOSED
			:: else -> skip
			fi
		};
		atomic {	/* send.go:192 !lane.Ring.Full(): head.Load() (the count in tail is its own): push (send.go:84 handOver, :93/98) */
			if
			:: CNT(t) - head[l] < CAP -> RES0; goto PUSH
			:: else -> skip
			fi
		};
#ifndef OLD_PARKER
		if
		:: res == R_CTX -> res = 0; t = 0; goto SNEXT	/* wait.go:104-105 not ready after a sleep the context ended: ctx.Err() */
		:: else -> skip
		fi;
#endif
		prepare(SPARK(l));	/* wait.go:81-83 p.Prepare(target) */
#ifndef BROKEN_NO_RECHECK
		atomic {	/* wait.go:84 re-check c.Ready(): send.go:189 Closed() */
			if
			:: MARKED(tail[l]) -> cl = 1
			:: else -> skip
			fi
		};
		if
		:: cl -> cl = 0; withdraw(SPARK(l)); goto SCLOSED	/* wait.go:85-88: ErrClosed */
		:: else -> skip
		fi;
		atomic {	/* wait.go:84 re-check c.Ready(): send.go:192 !Full() */
			if
			:: CNT(t) - head[l] < CAP -> cl = 1
			:: else -> skip
			fi
		};
#ifdef FULL_AFTER_ANNOUNCE
		if
		:: !cl ->	/* ring.go:291 FullAfterAnnounce: it looked full */
			atomic { DRAIN_RX };	/* ring.go:303 processBarrier(): membarrier drains every CPU's buffer */
			atomic {	/* ring.go:304 Full() again: head.Load() */
				if
				:: CNT(t) - head[l] < CAP -> cl = 1
				:: else -> skip
				fi
			}
		:: else -> skip
		fi;
#endif
		if
		:: cl -> cl = 0; withdraw(SPARK(l)); goto PUSH	/* wait.go:85-88: room, push */
		:: else -> skip
		fi;
#endif
#ifdef HAZARD_STATS_FOLD
		atomic { sparks[l]++; tparks++ };	/* wait.go:90-92 lane Stats.Parks.Add(1) */
#endif
		sleep(SPARK(l));	/* wait.go:97 sleepOn(ctx, ch, owners) */
		if
		:: CTX_FIRST && res == R_CTX -> res = 0; t = 0; goto SNEXT	/* (OLD_PARKER) SendContext: ctx.Err(), nothing enqueued */
		:: else -> goto WAITSPACE	/* wait.go:101 c.Ready() after the sleep */
		fi;
#ifdef OFFER
SFULL:		/* send.go:121 sendFull: offer the item while waiting */
		atomic {	/* send.go:124 lane.Ring.Closed(): ErrClosed */
			if
			:: MARKED(tail[l]) -> goto SCLOSED
			:: else -> skip
			fi
		};
		atomic {	/* send.go:130 Offer: state.go:173 offered = v (plain); :174 offer.Store(seq+1 | up) */
			assert(OST(ow[l]) == O_NONE);
			offv[l] = acc[l] + 1;
			ow[l] = ONEXT(ow[l])
		};
		/* send.go:131 wait(s, ctx, offerSettled) -> wait.go:67 Await */
#ifndef OLD_PARKER
		if
		:: skip -> goto OWAIT	/* wait.go:71-74 the yield's check of c.Ready() */
		:: skip -> goto OPREP	/* no yield (backing off, or several lanes): announce first */
		fi;
#endif
OWAIT:		/* offerSettled.Ready: the yield's check, or wait.go:101 after a sleep */
		oready();
		if
		:: cl -> cl = 0; RES0; goto WITHDRAW
		:: else -> skip
		fi;
#ifndef OLD_PARKER
		if
		:: res == R_CTX -> goto WITHDRAW	/* wait.go:104-105 not ready after a sleep the context ended */
		:: else -> skip
		fi;
#endif
OPREP:		prepare(SPARK(l));	/* wait.go:81-83 Prepare */
		oready();	/* wait.go:84 re-check c.Ready() */
#ifdef FULL_AFTER_ANNOUNCE
		if
		:: !cl && !(OST(ow[l]) == O_TAKEN) && !MARKED(tail[l]) ->	/* the Full part as FullAfterAnnounce (recommended, see README) */
			atomic { DRAIN_RX };	/* ring.go:303 processBarrier() */
			atomic { cl = (CNT(t) - head[l] < CAP) }	/* ring.go:304 Full() again */
		:: else -> skip
		fi;
#endif
		if
		:: cl -> cl = 0; withdraw(SPARK(l)); goto WITHDRAW	/* wait.go:85-88 Cancel, return */
		:: else -> skip
		fi;
#ifdef HAZARD_STATS_FOLD
		atomic { sparks[l]++; tparks++ };	/* wait.go:90-92 lane Stats.Parks.Add(1) */
#endif
		sleep(SPARK(l));	/* wait.go:97 sleepOn */
		if
		:: CTX_FIRST && res == R_CTX -> goto WITHDRAW	/* (OLD_PARKER) the wait's ctx error, after Withdraw */
		:: else -> goto OWAIT
		fi;
WITHDRAW:	/* send.go:132 lane.Withdraw (state.go:184) */
		atomic { w = ow[l] };	/* state.go:186 Withdraw: w := offer.Load() */
		if
		:: OST(w) == O_UP ->
			atomic {	/* state.go:187-189 Withdraw: CAS(w, none): not taken, the item is ours again */
				if
				:: ow[l] == w -> ow[l] = w & ~3; offv[l] = 0; w = 0; goto UNTAKEN	/* offered = zero */
				:: else -> skip
				fi
			}
		:: else -> skip
		fi;
#ifndef BROKEN_WITHDRAW_NOWAIT
		atomic { OST(ow[l]) == O_TAKEN -> w = ow[l] };	/* state.go:192-195 Withdraw: for state != taken { Gosched; load } */
#else
		atomic { w = ow[l] | O_TAKEN };	/* mutant: does not wait for taken */
#endif
		atomic { offv[l] = 0; ow[l] = w & ~3; acc[l]++; w = 0; res = 0 };	/* state.go:196-197 offered = zero; offer.Store(none): taken, send.go:133 Send returns nil */
		t = 0;
		goto SNEXT;
UNTAKEN:
		if
		:: res == R_CTX -> res = 0; t = 0; goto SNEXT	/* send.go:135-137 SendContext: ctx.Err(), nothing enqueued */
		:: else -> goto PUSH	/* send.go:138 TryPush */
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
	:: pClose[l] -> sender_close(l)	/* sender.go:96 Close */
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

/* closed() (recv.go:153): openSenders == 0, then (only if not) receiverClosed */
inline closed_load() {
	atomic { osz = (openSenders == 0) };	/* recv.go:153 st.SendersClosed() (state.go:405) */
#ifndef BROKEN_RX_NO_DISC
	if
	:: !osz -> atomic { cl = rc }	/* recv.go:153 || st.ReceiverClosed() (state.go:408) */
	:: else -> skip
	fi
#endif
}

/*
 * One scan of the lanes (recv.go tryPop / anyItem): found = a lane l with
 * an item. On the way, while the receiver's cached slice has more than one
 * lane, a lane that is closed and drained is removed (lanes.go reclaim).
 * The model always scans from lane 0 (the round robin only orders lanes
 * that both hold items); the receiver pops the item found (recv.go:90/100
 * tryPop: the first non-empty lane).
 */
inline scan() {
	atomic {	/* lanes.go:8 currentLanes: st.LanesPtr() */
		nl = nlanes;
		live = nl - removed[0] - (NL > 1 -> removed[NL - 1] : 0)
	};
	j = 0;
	do
	:: j < nl && removed[j] -> j++
	:: j < nl && !removed[j] ->
		atomic {	/* ring.go:315 Empty / :231 TryPop: tail.Load() & countMask != head */
			t = tail[j];
			if
			:: CNT(t) != HR(j) -> found = 1; l = j; break
			:: else -> skip
			fi
		};
#ifdef OFFER
		/* the ring is empty: state.go:210 TakeOffer (lanes.go:42/56 tryPop; :116 anyItem's HasOffer, state.go:205) */
		atomic { w = ow[j] };	/* state.go:211 TakeOffer: w := offer.Load() */
		if
		:: OST(w) == O_UP ->
			atomic { wk = !closed[j] };	/* state.go:212 TakeOffer: !l.closed.Load() */
			if
			:: wk ->
#ifndef BROKEN_OFFER_NOEMPTY
				atomic {	/* state.go:212 TakeOffer: l.Ring.Empty(): tail.Load() */
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
		:: live > 1 ->	/* lanes.go:53/60/119-120 reclaim(l), len(lanes) > 1 */
			atomic { wk = closed[j] };	/* lanes.go:72 l.LaneClosed() */
			if
			:: wk ->
				atomic {	/* ring.go:337-338 Drained: tail.Load(); marked and count == head */
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
				LOCK;	/* state.go:306 RemoveLane: st.mu.Lock() */
				atomic {	/* state.go:316-318 addLane(&st.retired, l.counters); st.lanes.Store(without l) */
					removed[j] = 1;
#ifdef HAZARD_STATS_FOLD
					folded = folded + sparks[j];
#endif
					wk = 0
				};
				UNLOCK	/* state.go:307 deferred Unlock */
			:: else -> skip
			fi
		:: else -> skip
		fi;
		j++
	:: j >= nl -> break
	od;
	j = 0; t = 0; live = 0
}

/* DiscardQueued (state.go:395): ClearQueued on every lane of State.lanes */
inline discard_queued() {
	atomic { nl = nlanes };	/* state.go:396 st.Lanes() */
	j = 0;
	do
	:: j < nl && removed[j] -> j++
	:: j < nl && !removed[j] ->
		atomic {	/* ring.go:427 ClearQueued: tail.Load() & countMask; :428-431 clear [head, count) */
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

/* itemReady.Ready (recv.go:191): closed() first, then anyItem */
inline ready() {
#ifdef BROKEN_LANES_FIRST
	atomic { nl = nlanes };	/* mutant: lanes list loaded before openSenders */
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
	closed_load();	/* recv.go:192 closed := c.r.closed() */
#endif
	scan();	/* recv.go:193 c.r.anyItem() */
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
	byte l, j, t, v, nl, live, res, w;
	bit cl, osz, wk, found, foundOff;
	bit isrx = 1;	/* the receiver's CPU: its locked operations drain its store buffer */

RECV:	/* recv.go:79 recv (a new call) */
#ifdef RX_STOP
	if
	:: rcvd[0] + rcvd[NL - 1] - (NL == 1 -> rcvd[0] : 0) >= RX_STOP -> outcome = O_STOP; goto END	/* the user stops receiving (no Close) */
	:: else -> skip
	fi;
#endif
	atomic {	/* recv.go:80 r.disconnected(): recv.go:139 st.ReceiverClosed() */
		if
		:: rc -> goto DISC
		:: else -> skip
		fi
	};
#ifdef RX_CLOSE
	if
	:: receiver_close(); goto RECV	/* receiver.go:76-77 Close from the receiver's own goroutine */
	:: skip
	fi;
#endif
#ifndef NO_HOLD
	if
	:: held != 0 ->	/* recv.go:87-88 r.holding(): takeHeld */
		if
		:: atomic {	/* take.go:130-136 own succeeded: deliver the held item */
			assert(heldV == rcvd[held - 1] + 1);	/* (2) FIFO kept across the hold */
			rcvd[held - 1]++; held = 0; heldV = 0
		   }
		:: atomic { CTX_DONE || rc -> skip }	/* take.go:130-131 own failed again: Recv reports the error */
		fi;
		goto RECV
	:: else -> skip
	fi;
#endif
W:	/* recv.go:90/100 tryPop, recv.go:94 waitItem: :174 c.Ready() (wait.go:72, :101 after a sleep) */
	ready();	/* recv.go:191-199 itemReady.Ready */
	if	/* (guards exclusive: Ready tests the item first) */
	:: found -> found = 0; cl = 0; osz = 0; RES0; goto POP	/* recv.go:193-194 an item: :100 tryPop */
#ifdef OFFER
	:: foundOff -> foundOff = 0; cl = 0; osz = 0; RES0; goto TAKE	/* an offer: tryPop's TakeOffer */
	:: !found && !foundOff && osz -> goto DRAINED
	:: !found && !foundOff && !osz && cl -> goto DISCERR
#else
	:: !found && osz -> goto DRAINED	/* recv.go:196-197 closed (every sender): closedErr */
	:: !found && !osz && cl -> goto DISCERR	/* recv.go:196-197 closed (receiver): closedErr */
#endif
	:: else -> skip
	fi;
#ifndef OLD_PARKER
	if
	:: res == R_CTX -> res = 0; goto RECV	/* wait.go:104-105 not ready after a sleep the context ended: ctx.Err() */
	:: else -> skip
	fi;
#endif
	prepare(RPARK);	/* wait.go:81-83 p.Prepare(target) */
#ifndef BROKEN_NO_RECHECK
	ready();	/* wait.go:84 re-check c.Ready() */
	if
	:: found || foundOff || osz || cl -> withdraw(RPARK);	/* wait.go:85-88 Cancel, return */
		if
		:: found -> found = 0; cl = 0; osz = 0; goto POP
#ifdef OFFER
		:: foundOff -> foundOff = 0; cl = 0; osz = 0; goto TAKE
#endif
		:: !found && !foundOff && osz -> goto DRAINED
		:: !found && !foundOff && !osz && cl -> goto DISCERR
		fi
	:: else -> skip
	fi;
#endif
	sleep(RPARK);	/* wait.go:90-97 Parks.Add(1); sleepOn(ctx, ch, owners) */
	if
	:: CTX_FIRST && res == R_CTX -> res = 0; goto RECV	/* (OLD_PARKER) RecvContext returns ctx.Err(); the user calls again */
	:: else -> goto W	/* wait.go:101 c.Ready() after the sleep */
	fi;
POP:
	atomic {	/* ring.go:236-239 TryPop: read slots[h], zero it (plain); publishHead(h+1) (:443 head.Store) */
		v = SLOT(l, HR(l));
		SLOT(l, HR(l)) = 0;
#ifdef RELEASE_PUBLISH
		DRAIN_RX;	/* one entry: an older publish leaves the buffer first */
		bufL = l + 1; bufV = head[l] + 1;	/* ring.go:440 storeRelease: into the store buffer */
#else
		head[l]++;
#endif
#ifndef OFFER
		assert(v == HR(l))	/* the slot held the item published there */
#else
		assert(v != 0)	/* the slot held an item */
#endif
	};
	wake(SPARK(l));	/* lanes.go:26/39/52 l.SendPark.Wake() */
#ifndef NO_HOLD
	if
	:: skip	/* recv.go:91/101 take -> take.go:37 own: owned, claimed or stolen: deliver */
	:: atomic { (CTX_DONE || rc) -> held = l + 1; heldV = v; v = 0; l = 0; goto RECV }
		/* take.go:37-38 own failed (its steal ended by the disconnect :60, or by ctx :64): hold(v) */
	fi;
#endif
	atomic {	/* take.go:42 return v: delivered to the user */
		/* (2) nothing twice, nothing skipped, FIFO per lane */
		assert(v == rcvd[l] + 1);
		rcvd[l]++;
		v = 0; l = 0
	};
	goto RECV;
#ifdef OFFER
TAKE:	/* state.go:210 TakeOffer, after its loads in scan(): CAS, read, count, taken, wake */
	atomic {	/* state.go:215 TakeOffer: CAS(w, taking) (acquire: offered); withdrawn meanwhile: false */
		if
		:: ow[l] == w -> ow[l] = (w & ~3) | O_TAKING
		:: else -> w = 0; l = 0; goto W
		fi
	};
	v = offv[l];	/* state.go:218 v = l.offered (plain) */
	handed[l]++;	/* state.go:219 l.handed.Add(1) */
	atomic { ow[l] = (w & ~3) | O_TAKEN; w = 0 };	/* state.go:220 offer.Store(taken) */
	wake(SPARK(l));	/* state.go:221 l.SendPark.Wake() */
	atomic {	/* recv.go:91/101 take: a plain value is delivered (take.go:48) */
		assert(v == rcvd[l] + 1);	/* (2) FIFO across the ring and the offer */
		rcvd[l]++;
		v = 0; l = 0
	};
	goto RECV;
#endif
DISCERR:	/* recv.go:157-158 closedErr -> disconnected() */
	atomic { cl = 0; if :: rc -> skip :: else -> assert(false) fi };	/* recv.go:139 ReceiverClosed() */
DISC:
	discard_queued();	/* recv.go:142-144 first time: st.DiscardQueued() */
#ifndef NO_HOLD
	atomic {	/* recv.go:145 r.dropHeld() */
		if
		:: held != 0 -> dropped[held - 1]++; held = 0; heldV = 0
		:: else -> skip
		fi
	};
#endif
	outcome = O_DISC;
	goto END;
DRAINED:	/* closedErr's disconnected() check would find nothing to discard */
	osz = 0;
#ifndef NO_HOLD
	assert(held == 0);	/* recv.go:87: a receive with a held item never waits */
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
