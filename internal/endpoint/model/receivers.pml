/*
 * receivers.pml: several receivers on one channel (Receiver.Clone, issue
 * 14), for SPIN. What it checks is the part that lifecycle.pml does not
 * have: two receivers that claim one lane under its Claim
 * (internal/endpoint/receivers.go: Claim; receiver/shared.go:
 * tryPopShared, popClaimed, anyItemShared) and wait in turns at the door
 * (Consumers.EnterDoor / LeaveDoor, receiver/shared.go: waitShared) on the
 * one Parker that the sender wakes (State.RecvPark; parker.go, wait.go:
 * Await). The ring, the Parker and the wait loop are modelled as in
 * lifecycle.pml (one lane, plain values, no offers, no disconnect, no
 * contexts); the sender's own wait for room is abstracted to a guard (it
 * is lifecycle.pml's subject).
 *
 * Properties:
 *   (1) every item is received exactly once, and the pops are in send
 *       order: at every pop, under the claim, v == popped + 1 (ghost
 *       popped);
 *   (2) no lost wake-up: no invalid end state (each receiver ends once the
 *       sender has closed and the lane is drained; no receiver sleeps
 *       forever beside an item or a close), and at the end rcvd == K;
 *   (3) a slot is read only under the claim: the ghost `holder` is the
 *       receiver that holds the claim, asserted at every consumer access.
 *
 * Mutants (check.sh):
 *   BROKEN_NO_DOOR       both receivers wait on the Parker at once: one
 *                        token wakes one of them, the other sleeps through
 *                        the close (invalid end state);
 *   BROKEN_NO_RECHECK    the door holder sleeps without re-checking after
 *                        its announcement (invalid end state);
 *   BROKEN_NO_CLAIM      a receiver pops without the claim: two receivers
 *                        pop the same item (assertion).
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
bit closed = 0;  /* openSenders == 0 (sender closed after its last publish) */

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
	closed = 1; /* CloseLane: mark, openSenders-- */
	wake()
}

proctype Receiver(byte me) {
	byte v;
	bit got, cl, ready;
recv:
	/* tryPopShared: one lane, so Lock (popClaimed) */
	lock(me);
	if
	:: head != tail ->
#ifndef BROKEN_NO_CLAIM
		assert(holder == me);
#endif
		v = slots[head % CAP];
		slots[head % CAP] = 0;
		head++;
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
	/* waitShared: the check before waiting (sharedReady.Ready) */
	cl = closed; /* noMoreArrivals before the emptiness check */
	lock(me);
	ready = (head != tail) || cl;
	unlock(me);
	if
	:: ready && head == tail && cl -> goto done /* closed and drained (ErrClosed) */
	:: ready -> goto recv
	:: else
	fi;
	/* EnterDoor */
#ifndef BROKEN_NO_DOOR
	door ! 1;
#endif
	/* Await (wait.go), the sleeper's Parker is RecvPark */
await:
	pstate = 1; /* Prepare: store waiting */
#ifndef BROKEN_NO_RECHECK
	cl = closed;
	lock(me);
	ready = (head != tail) || cl;
	unlock(me);
	if
	:: ready ->
		atomic { if :: pstate == 1 -> pstate = 0 :: else -> skip fi }; /* Cancel */
		goto left
	:: else
	fi;
#endif
	tok ? _; /* sleep on the token */
	atomic { if :: pstate == 1 -> pstate = 0 :: else -> skip fi }; /* Cancel */
	cl = closed;
	lock(me);
	ready = (head != tail) || cl;
	unlock(me);
	if
	:: ready -> goto left
	:: else -> goto await
	fi;
left:
#ifndef BROKEN_NO_DOOR
	door ? _; /* LeaveDoor */
#endif
	goto recv;
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
