/*
 * receivers.pml: several receivers on one channel (Receiver.Clone, issue
 * 14), for SPIN. What it checks is the part that lifecycle.pml does not
 * have: two receivers that claim one lane under its Claim
 * (internal/endpoint/receivers.go: Claim; receiver/shared.go:
 * tryPopShared, popClaimed, anyItemShared) and wait in turns at the door
 * (Consumers.EnterDoor / LeaveDoor, receiver/shared.go: waitShared) on the
 * one Parker that the sender wakes (State.RecvPark; parker.go, wait.go:
 * Await), and the wait condition sharedReady.Ready with its closed
 * re-check (25ac812, 244ed53). The ring, the Parker and the wait loop are
 * modelled as in lifecycle.pml (one lane, plain values, no offers, no
 * disconnect, no receiver Close, no contexts); the sender's own wait for
 * room is abstracted to a guard (it is lifecycle.pml's subject). Go lines
 * are those of the commit named in README.md.
 *
 * Properties:
 *   (1) every item is received exactly once, and the pops are in send
 *       order: at every pop, under the claim, v == popped + 1 (ghost
 *       popped);
 *   (2) no lost wake-up: no invalid end state (each receiver ends once the
 *       sender has closed and the lane is drained; no receiver sleeps
 *       forever beside an item or a close), and at the end rcvd == K;
 *   (3) a slot is read only under the claim: the ghost `holder` is the
 *       receiver that holds the claim, asserted at every consumer access;
 *   (4) a not-ready answer of sharedReady.Ready (TryRecv's ErrEmpty; a
 *       blocking receive waits on it) had an instant, during the call, at
 *       which the channel was open (the lane unmarked) and empty: the
 *       ghost wit (a bit per receiver) is set at the call's first step if
 *       the channel is open and empty then, and by every pop of another
 *       receiver that empties the open lane during the call; a not-ready
 *       answer asserts it.
 *
 * Mutants (check.sh):
 *   BROKEN_NO_DOOR       both receivers wait on the Parker at once: one
 *                        token wakes one of them, the other sleeps through
 *                        the close (invalid end state);
 *   BROKEN_NO_RECHECK    the door holder sleeps without re-checking after
 *                        its announcement (invalid end state);
 *   BROKEN_NO_CLAIM      a receiver pops without the claim: two receivers
 *                        pop the same item (assertion);
 *   BROKEN_NO_CLOSED_RECHECK  sharedReady answers not ready right after an
 *                        empty scan, without loading the closed state again
 *                        (the code before 25ac812): the last item went to
 *                        the other receiver after the close (assertion (4)).
 */

#ifndef K
#define K 3 /* items sent */
#endif
#ifndef CAP
#define CAP 1
#endif
#ifndef NR
#define NR 2 /* receivers: 2 or 3 */
#endif

/* the lane: ring.go (one lane, plain values) */
byte slots[CAP];
byte head = 0;   /* count popped: Consumer side, under the claim */
byte tail = 0;   /* count pushed: the tail word's count */
bit closed = 0;  /* the ring's mark (Ring.Close: tail.Or(closedMark)) */

/* sharedReady's answer */
#define R_NONE   0 /* not ready: ErrEmpty, or the wait goes on */
#define R_ITEM   1 /* an item seen: pop */
#define R_CLOSED 2 /* closed and drained: ErrClosed */

/* the lane's Claim (receivers.go): a mutex among receivers */
bit claim = 0;
byte holder = 255; /* ghost: the receiver holding the claim */

/* Consumers.door: capacity 1 */
chan door = [1] of { bit };

/* State.RecvPark: the two-state Parker (parker.go) */
bit pstate = 0;           /* 0 idle, 1 waiting */
chan tok = [1] of { bit }; /* p.own, shared by every receiver that waits on it */

/* ghosts */
byte popped = 0;
byte rcvd = 0;
byte inrd = 0; /* (4) bit me: receiver me is in sharedReady.Ready */
byte wit = 0;  /* (4) bit me: the channel was open and empty during that call */
#define OPEN_EMPTY (!closed && head == tail)
#define BIT(me) (1 << (me))

inline lock(me) {
#ifdef BROKEN_NO_CLAIM
	skip;
#else
	atomic { claim == 0 -> claim = 1; holder = me }
#endif
}

inline unlock(me) {
#ifdef BROKEN_NO_CLAIM
	skip;
#else
	atomic { assert(holder == me); holder = 255; claim = 0 }
#endif
}

/* Parker.Wake (parker.go): load; if waiting, CAS to idle and send a token
 * without blocking. */
inline wake() {
	if
	:: atomic { pstate == 1 -> pstate = 0 };
	   atomic { if :: nfull(tok) -> tok ! 1 :: else -> skip fi }
	:: atomic { pstate == 0 -> skip }
	fi
}

proctype Sender() {
	byte i = 1;
	do
	:: i <= K ->
		atomic { (tail - head) < CAP -> skip }; /* room (waitSpace; lifecycle.pml) */
		slots[tail % CAP] = i;                  /* the slot write */
		tail++;                                 /* the publish (tail CAS) */
		wake();                                 /* st.RecvPark.Wake() */
		i++
	:: i > K -> break
	od;
	closed = 1; /* CloseLane (state.go:427): under mu, closed.Store(true), then :434 Ring.Close (the mark) */
	wake()      /* state.go:436 st.RecvPark.Wake() */
}

/*
 * sharedReady.Ready (shared.go:167-189), its result in rd. One lane: the
 * receiver's own flag is never set (no receiver Close here);
 * noMoreArrivals (recv.go:195) is st.ReceiverClosed() (no disconnect here,
 * false) || st.LanesClosed() (state.go:518: the lanes slice, the lane's
 * mark, the slice again; the slice never changes here, so one load of the
 * tail word's mark); anyItemShared with one lane is the Empty check under
 * the claim, exact (shared.go:403-404).
 */
inline shared_ready(me) {
	atomic {	/* shared.go:173 closed := r.noMoreArrivals(): tail.Load() (state.go:526) */
		cl = closed;
		inrd = inrd | BIT(me);	/* ghost (4) */
		if :: OPEN_EMPTY -> wit = wit | BIT(me) :: else -> wit = wit & ~BIT(me) fi
	};
	do
	:: lock(me);	/* shared.go:390 anyItemShared: l.Claim.Lock() */
		rd = (head != tail);	/* shared.go:392 !c.Empty(): tail.Load() (head is the claim holder's own) */
#ifdef BROKEN_NO_CLAIM
		atomic {
#else
		atomic {	/* shared.go:393/398 l.Claim.Unlock() */
			assert(holder == me); holder = 255; claim = 0;
#endif
			if
			:: rd -> rd = R_ITEM; inrd = inrd & ~BIT(me); wit = wit & ~BIT(me)	/* shared.go:174-175 an item */
			:: !rd && cl -> rd = R_CLOSED; inrd = inrd & ~BIT(me); wit = wit & ~BIT(me)	/* shared.go:177-179 closed and drained: ErrClosed */
#ifdef BROKEN_NO_CLOSED_RECHECK
			:: else -> rd = R_NONE; assert(wit & BIT(me)); inrd = inrd & ~BIT(me); wit = wit & ~BIT(me)	/* mutant: not ready at once */
#else
			:: else -> rd = R_NONE
#endif
			fi
		};
		if
		:: rd != R_NONE -> break
		:: else
		fi;
#ifdef BROKEN_NO_CLOSED_RECHECK
		break
#else
		atomic {	/* shared.go:181 r.noMoreArrivals() again: tail.Load() */
			cl = closed;
			if
			:: !cl -> assert(wit & BIT(me)); inrd = inrd & ~BIT(me); wit = wit & ~BIT(me)	/* (4) open after an empty scan: not ready (:182, :188) */
			:: else -> skip	/* closed meanwhile: scan again (:172) */
			fi
		};
		if
		:: !cl -> break
		:: else
		fi
#endif
	od
}

proctype Receiver(byte me) {
	byte v, rd;
	bit got, cl;
recv:
	/* tryPopShared (shared.go:197): one lane, so Lock (:207-208), popClaimed (:260) */
	lock(me);
	if
	:: head != tail ->
#ifndef BROKEN_NO_CLAIM
		assert(holder == me);
#endif
		v = slots[head % CAP];
		slots[head % CAP] = 0;
		atomic {	/* ring.go:305 TryPop: publishHead(h+1) */
			head++;
			if :: OPEN_EMPTY -> wit = wit | inrd :: else -> skip fi	/* ghost (4): open and empty now, for every call under way */
		};
		atomic { assert(v == popped + 1); popped++ }; /* (1): the pops, in send order */
		got = 1
	:: else -> got = 0
	fi;
	unlock(me);
	if
	:: got ->
		rcvd++;
		goto recv
	:: else
	fi;
	/* waitShared (shared.go:123): the check before waiting (:125) */
	shared_ready(me);
	if
	:: rd == R_CLOSED -> goto done /* closed and drained (ErrClosed) */
	:: rd == R_ITEM -> goto recv
	:: else
	fi;
	/* EnterDoor (shared.go:131) */
#ifndef BROKEN_NO_DOOR
	door ! 1;
#endif
	/* Await (wait.go), the sleeper's Parker is RecvPark */
await:
	pstate = 1; /* Prepare: store waiting */
#ifndef BROKEN_NO_RECHECK
	shared_ready(me); /* the re-check */
	if
	:: rd != R_NONE ->
		atomic { if :: pstate == 1 -> pstate = 0 :: else -> skip fi }; /* Cancel */
		goto left
	:: else
	fi;
#endif
	tok ? _; /* sleep on the token */
	atomic { if :: pstate == 1 -> pstate = 0 :: else -> skip fi }; /* Cancel */
	shared_ready(me);
	if
	:: rd != R_NONE -> goto left
	:: else -> goto await
	fi;
left:
#ifndef BROKEN_NO_DOOR
	door ? _; /* LeaveDoor (shared.go:139) */
#endif
	if
	:: rd == R_CLOSED -> goto done /* Await returned ErrClosed */
	:: else -> rd = R_NONE; goto recv
	fi;
done:
	skip
}

init {
	atomic {
		run Sender();
		run Receiver(0);
		run Receiver(1);
		if
		:: NR > 2 -> run Receiver(2)
		:: else
		fi
	}
	(_nr_pr == 1); /* every process has ended */
	assert(rcvd == K && popped == K && head == tail);
}
