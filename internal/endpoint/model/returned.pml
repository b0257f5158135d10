/*
 * returned.pml: the pool of returned items and the pending word of a
 * channel with several receivers (commit e078f94: endpoint.Returned,
 * Consumers.pending), for SPIN. What it checks is the doc comment of
 * internal/endpoint/returned.go, section "Pending: never drained while an
 * item is on its way": an owned object on the fallback path leaves its
 * lane before its receive knows whether it can own it, and may then go to
 * the pool that the receivers share; no receiver may report the channel
 * closed and drained while such an item is in neither place.
 *
 * Modelled (Go steps in the comments; lines as of the commit named in
 * README.md, section "Returned items and the pending word"):
 *   - one lane (a ring) holding K items (1..K, K = 2 or 3) pushed before
 *     the receivers start, its close mark set from the start (the sender
 *     closed): so the mark load of sharedReady.Ready (noMoreArrivals)
 *     always answers closed, and its re-check (shared.go:203) is never
 *     reached; with SENDER a sender pushes the K items while the receivers
 *     run (capacity >= K: it never waits for room), then sets the mark;
 *   - the lane's claim (a mutex among receivers, ghost holder);
 *   - the pool (Returned: items oldest first, Remove(i), RemoveToOwn,
 *     PushBack, PushFront) under returnedMu (a mutex, ghost pholder);
 *   - the pending word as its two halves hi (items popped or taken out to
 *     be owned, not settled yet) and lo (items in the pool); every Add of
 *     the Go code is one atomic step that changes both, every Load one
 *     step that reads both. A half going below 0 (the Go word would borrow)
 *     is asserted against;
 *   - R = 2 receivers, each calling receives for ever (until one reports
 *     closed and drained): each receive is blocking (Recv) or not (TryRecv),
 *     chosen at its start; recvShared's loop (receiver/shared.go:18): the
 *     pool first (AnyReturned, takeReturned), then the pop (tryPopShared
 *     with one lane: Claim.Lock, popClaimed, recallPopped: Unsettle under
 *     the claim), then takeShared (take: own, or hold -> returnItem, then
 *     settleUnsettled), else sharedReady.Ready (the blocking check of the
 *     pool, anyItemShared under the claim, Pending). A wait at the door and
 *     the Parker is abstracted: a blocking receive that is not ready goes
 *     round its loop again (as after a wake), a TryRecv that is not ready
 *     returns ErrEmpty and the receiver calls again; a receive whose own
 *     fails (ErrEmpty, or a context cut short) returns and the receiver
 *     calls again.
 *   - owned objects, abstracted. Each item has a kind, chosen at the start
 *     for each item (KINDS restricts the choice): PLAIN (sent after the
 *     first Clone: it names the transit owner, so recallPopped makes it the
 *     popper's, Owns: no count); MINE0 / MINE1 (owned by receiver 0's /
 *     1's owner, sent before the first Clone: Owns for that receiver, a
 *     fallback item for the other); EXT (sent as it is by a sender that
 *     does not own it: a fallback item for both). own of a fallback item
 *     (receiver/take.go:47) is a choice: a receive that may not wait
 *     (TryRecv, and takeReturned's scan with doneContext) owns it or not
 *     (its holder is parked at that instant, or not), a blocking one owns it
 *     (the steal completes) or its context ends first (unless NO_CTX). So a
 *     fallback item may be ownable by one receiver and not the other, and
 *     become ownable later: items really go through the pool and come back
 *     out.
 *
 * Not modelled: several lanes (anyItemShared's double collect,
 * receivers.pml's subject to be), the Parker and the door (receivers.pml),
 * offers, batches (popBatchShared counts several items per pop, one Settle
 * for them all; takeBatchShared), Clone's PushBack of held items, a
 * receiver's Close and the disconnect (gone, Clear), orphaned.
 *
 * Modelling convention (as lifecycle.pml): every atomic{} (and every
 * statement outside one) holds at most ONE access to a shared word of the
 * Go code (one Load or Add of pending; a mutex Lock or Unlock; the claim
 * holder's pop) plus the purely local decisions that follow it. The pool's
 * slice is read and written only under returnedMu, so its change rides on
 * the Add of the same call; ghosts ride on the step they describe.
 *
 * Properties:
 *   (1) an item is delivered (returned by a receive) at most once: deliver
 *       asserts dlv[v] == 0. An item is delivered at its pop when the popper
 *       owns it (the receive's outcome is decided there: take's fast path),
 *       at the Remove of takeReturned's scan (own succeeded under the
 *       lock), and at own's success otherwise (before the Settle);
 *   (2) a receiver that reports closed and drained (sharedReady.Ready,
 *       shared.go:200-201) finds every item delivered: the lane empty,
 *       nothing in a receive's hands, nothing in the pool;
 *   (3) at the end (both receivers reported closed), every item delivered
 *       once, the lane and the pool empty, pending zero;
 *   (4) the claim and returnedMu are held by the receiver that accesses
 *       what they guard, and no half of pending goes below zero.
 *
 * Switches: K (2 or 3), SENDER (above), KINDS (0: any kind per item; 1:
 * EXT only; 2: MINE0 and MINE1 only), NO_CTX (a blocking own always
 * completes).
 * Mutants (check.sh, README; each must fail):
 *   BROKEN_UNSETTLE_AFTER_UNLOCK  the Unsettle made after the claim is
 *                 released: the other receiver finds the lane empty and
 *                 pending zero while the item is in neither (assertion (2));
 *   BROKEN_SETTLE_BEFORE_PUSH  a failed own Settles before returnItem's
 *                 PushBack: the item counted nowhere in between (2);
 *   BROKEN_REMOVE_TWO_STEPS  RemoveToOwn as two Adds, -1 low, then +1 high:
 *                 zero in between (2);
 *   BROKEN_PENDING_BEFORE_SCAN  Ready loads pending before anyItemShared's
 *                 empty scan: the other receiver pops the last item and
 *                 counts it in between (2). Caught only with SENDER: with
 *                 the mark set from the start, a receive reaches Ready after
 *                 its own pop found the lane empty, and it stays empty.
 */

#ifndef K
#define K 2 /* items in the lane: 2 or 3 */
#endif
#ifndef KINDS
#define KINDS 0
#endif

#define PLAIN 0
#define MINE0 1
#define MINE1 2
#define EXT   3

/* the lane: K items pushed, the mark set (with SENDER: pushed one by one
 * while the receivers run, then the mark); head is the pop count, tail the
 * push count and closed the mark of the ring's tail word */
byte head = 0;     /* under the claim */
#ifdef SENDER
byte tail = 0;
bit closed = 0;
#else
byte tail = K;
bit closed = 1;
#endif
bit claim = 0;     /* Lane.Claim */
byte holder = 255; /* ghost: who holds the claim */

/* the pool (endpoint.Returned) under returnedMu */
byte pool[K];      /* item numbers 1..K, oldest first */
byte plen = 0;
bit pmu = 0;       /* Consumers.returnedMu */
byte pholder = 255;

/* Consumers.pending: high half, low half */
short hi = 0;      /* unsettled: popped or taken out to be owned */
short lo = 0;      /* in the pool */

/* ghosts */
byte kind[K];      /* item v's kind at kind[v-1] */
byte dlv[K];       /* item v delivered dlv[v-1] times */
byte ndone = 0;    /* receivers that reported closed and drained */

#define OWNS(me, v) (kind[(v)-1] == PLAIN || (kind[(v)-1] == MINE0 && (me) == 0) || (kind[(v)-1] == MINE1 && (me) == 1))
#define ALL_DELIVERED (dlv[0] == 1 && dlv[1] == 1 && (K < 3 || dlv[K-1] == 1))

inline lock(me) {
	atomic { claim == 0 -> claim = 1; holder = me }
}

inline unlock(me) {
	atomic { assert(holder == me); holder = 255; claim = 0 }
}

inline plock(me) {
	atomic { pmu == 0 -> pmu = 1; pholder = me }
}

inline punlock(me) {
	atomic { assert(pholder == me); pholder = 255; pmu = 0 }
}

/* one Add of pending: the halves change together */
inline add(dh, dl) {
	hi = hi + (dh);
	lo = lo + (dl);
	assert(hi >= 0 && lo >= 0)
}

inline deliver(v) {
	assert(dlv[(v)-1] == 0); /* (1) */
	dlv[(v)-1] = 1
}

/* Returned.remove(i): the older items move up by one (under returnedMu) */
inline premove(i) {
	assert(pholder == me && i < plen);
	j = i;
	do
	:: j + 1 < plen -> pool[j] = pool[j+1]; j++
	:: else -> break
	od;
	plen--;
	pool[plen] = 0
}

/* own of a fallback item: TryClaim, else steal (take.go:52-55) */
inline own_fallback(block) {
	if
	:: ok = 1 /* its holder parked (or passes a preemption point): the steal completes */
	:: !block -> ok = 0 /* a receive that may not wait: ErrEmpty (take.go:62-63) */
#ifndef NO_CTX
	:: block -> ok = 0 /* the context ended first (or this receiver's quit): take.go:64-65 */
#endif
	fi
}

proctype Receiver(byte me) {
	byte v, i, j;
	bit block, ok, u, rd, pz, cl;

recv:	/* a receive: recvShared (shared.go:18), Recv or TryRecv; locals cleared (fewer states) */
	atomic {
		v = 0; i = 0; j = 0; ok = 0; u = 0; rd = 0; pz = 0; cl = 0;
		if
		:: block = 1
		:: block = 0
		fi
	};
loop:	/* shared.go:27 the receive's loop; gone() (:28) is false: no Close, no disconnect */
	rd = (lo != 0); /* :34 AnyReturned (returned.go:77): one load, the low half */
	if
	:: rd -> goto take_returned
	:: else
	fi;
pop:	/* :42 tryPopShared (:220): one lane, claimToPop locks (:265-266) */
	lock(me);
	atomic {	/* :236 popClaimed (:292): :294 TryPop */
		assert(holder == me);
		if
		:: head < tail ->
			head++;
			v = head;
			/* :301 recallPopped (:327): Recall (:335), Owns (:336) */
			if
			:: OWNS(me, v) -> u = 0; deliver(v) /* take's fast path (take.go:52): decided here */
			:: else -> u = 1
			fi
		:: else -> v = 0
		fi
	};
#ifndef BROKEN_UNSETTLE_AFTER_UNLOCK
	if
	:: v != 0 && u -> atomic { assert(holder == me); add(1, 0) } /* :339 Unsettle (returned.go:85), under the claim */
	:: else
	fi;
#endif
	unlock(me); /* :302 / :311 Claim.Unlock */
#ifdef BROKEN_UNSETTLE_AFTER_UNLOCK
	if
	:: v != 0 && u -> atomic { add(1, 0) } /* mutant: Unsettle after the claim is released */
	:: else
	fi;
#endif
	if
	:: v == 0 -> goto ready /* :52 waitShared */
	:: v != 0 && !u -> goto recv /* :47 takeShared: owned, settleUnsettled(0): returned */
	:: else
	fi;
	/* :47 takeShared (shared_take.go:17), :24 take (take.go:36): own (:37) */
	own_fallback(block);
	if
	:: ok ->
		deliver(v);
		atomic { add(-1, 0) }; /* shared_take.go:25 settleUnsettled: Settle (returned.go:88) */
		goto recv
	:: else
	fi;
	/* take.go:38 hold (:116) -> returnItem (returned.go:20) */
#ifdef BROKEN_SETTLE_BEFORE_PUSH
	atomic { add(-1, 0) }; /* mutant: the Settle before the push */
#endif
	plock(me); /* receiver/returned.go:21 LockReturned (endpoint/returned.go:67) */
	atomic {	/* :22 PushBack(v, false) (endpoint/returned.go:131, 154): +1 low */
		assert(pholder == me);
		pool[plen] = v;
		plen++;
		add(0, 1)
	};
	punlock(me); /* :23 */
#ifndef BROKEN_SETTLE_BEFORE_PUSH
	atomic { add(-1, 0) }; /* shared_take.go:25 settleUnsettled: Settle, after the push */
#endif
	v = 0;
	goto recv; /* the receive returns ErrEmpty or the context's error: called again */

take_returned:	/* shared.go:35 takeReturned (receiver/returned.go:35) */
	plock(me); /* :36 LockReturned */
	i = 0;
	do	/* :37-43 the oldest item it can own without waiting */
	:: i < plen ->
		v = pool[i];
		if
		:: OWNS(me, v) -> break /* :38 own(doneContext): Owns */
		:: !OWNS(me, v) -> own_fallback(0); /* :38 TryClaim, or the steal of a parked holder */
			if
			:: ok -> break
			:: else -> i++
			fi
		fi
	:: else -> v = 0; break
	od;
	if
	:: v != 0 ->
		atomic {	/* :39 Remove(i) (endpoint/returned.go:101-103): -1 low */
			premove(i);
			add(0, -1);
			deliver(v)
		};
		punlock(me); /* :40 */
		goto recv /* :41 returned */
	:: else
	fi;
	if
	:: !block || plen == 0 -> punlock(me); goto pop /* :44-46: go on to the lanes */
	:: else
	fi;
	v = pool[0];
#ifndef BROKEN_REMOVE_TWO_STEPS
	atomic {	/* :48 RemoveToOwn (endpoint/returned.go:110-112): -1 low, +1 high, one Add */
		premove(0);
		add(1, -1)
	};
#else
	atomic { premove(0); add(0, -1) }; /* mutant: -1 low ... */
	atomic { add(1, 0) }; /* ... then +1 high, a second Add */
#endif
	punlock(me); /* :49 */
	own_fallback(1); /* :51 own(qctx, v, true) */
	if
	:: ok ->
		deliver(v); /* :54 */
		atomic { add(-1, 0) }; /* :55 settleUnsettled(1) */
		goto recv
	:: else
	fi;
	plock(me); /* :58 */
	atomic {	/* :59 PushFront(v, true) (endpoint/returned.go:138, 152): +1 low, -1 high, one Add */
		assert(pholder == me);
		j = plen;
		do
		:: j > 0 -> pool[j] = pool[j-1]; j--
		:: else -> break
		od;
		pool[0] = v;
		plen++;
		add(-1, 1)
	};
	punlock(me); /* :60 */
	v = 0;
	goto recv; /* :66 the receive's error: called again */

ready:	/* shared.go:128 waitShared: :130 sharedReady.Ready (:178); Flag.Closed (:180) false here */
	if
	:: block ->
		rd = (lo != 0); /* :183 c.block && AnyReturned() */
		if
		:: rd -> goto loop /* ready: recvShared's loop again */
		:: else
		fi
	:: else
	fi;
scan:
	cl = closed; /* :187 closed := noMoreArrivals(): the tail word's mark (one lane: State.LanesClosed) */
#ifdef BROKEN_PENDING_BEFORE_SCAN
	pz = (hi == 0 && lo == 0); /* mutant: Pending loaded before the empty scan */
#endif
	lock(me); /* :188 anyItemShared (:441): :445 Claim.Lock */
	atomic { assert(holder == me); rd = (head < tail) }; /* :447 !c.Empty(): the tail word */
	unlock(me); /* :448 / :453; one lane: :458-459 false */
	if
	:: rd -> goto loop /* :189 an item: ready */
	:: else
	fi;
	if
	:: !cl ->
		cl = closed; /* :203 noMoreArrivals() again */
		if
		:: cl -> goto scan /* closed meanwhile: scan again */
		:: else /* open after an empty scan: not ready (:204, :210) */
		fi;
		if
		:: block -> goto loop /* the wait (abstracted): it ends, the loop runs again */
		:: else -> goto recv /* :133-134 ErrEmpty: the receiver calls again */
		fi
	:: else
	fi;
#ifndef BROKEN_PENDING_BEFORE_SCAN
	pz = (hi == 0 && lo == 0); /* :192 Pending() (returned.go:81): one load, after the empty scan */
#endif
	if
	:: pz ->	/* :200-201 closed and drained: ErrClosed */
		atomic {
			assert(ALL_DELIVERED); /* (2) */
			ndone++
		};
		goto done
	:: else
	fi;
	/* :198 return c.block && AnyReturned(): ready, or not ready (ErrEmpty, or
	 * the wait at the door: abstracted, it ends and the loop runs again) */
	if
	:: block -> rd = (lo != 0); goto loop
	:: else -> goto recv /* :133-134 ErrEmpty: the receiver calls again */
	fi;
done:
	skip
}

#ifdef SENDER
/* the sender: K pushes (capacity >= K: it never waits for room), then
 * Sender.Close -> CloseLane: the mark (Ring.Close: tail.Or(closedMark)) */
proctype Sender() {
	do
	:: tail < K -> tail++ /* the push's publish of the tail word */
	:: else -> break
	od;
	closed = 1
}
#endif

init {
	byte n = 0;
	do	/* each item's kind */
	:: n < K ->
#if KINDS == 1
		kind[n] = EXT;
#elif KINDS == 2
		if
		:: kind[n] = MINE0
		:: kind[n] = MINE1
		fi;
#else
		if
		:: kind[n] = PLAIN
		:: kind[n] = MINE0
		:: kind[n] = MINE1
		:: kind[n] = EXT
		fi;
#endif
		n++
	:: else -> break
	od;
	atomic {
#ifdef SENDER
		run Sender();
#endif
		run Receiver(0);
		run Receiver(1)
	};
	(_nr_pr == 1); /* every receiver has reported closed and drained */
	assert(ndone == 2 && ALL_DELIVERED && head == K && tail == K && closed && plen == 0 && hi == 0 && lo == 0) /* (3) */
}
