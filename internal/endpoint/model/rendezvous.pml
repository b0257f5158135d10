/*
 * rendezvous.pml: the unbuffered (capacity 0) channel of issue 14 (commit
 * afe5c46; Select send cases, ffa7554), for SPIN. A separate model: on a
 * rendezvous channel no item ever enters a ring, so lifecycle.pml's ring,
 * FIFO and reclaim machinery is dead weight here, and what is new (the
 * offer as the only path, TrySend's give-up and RecvDone, the receiver
 * waking selecting senders) would need a third dimension of #ifdefs there.
 * The offer word, the Parker, Await and the closes are modelled step for
 * step as in lifecycle.pml.
 *
 * Modelled (Go steps in the comments):
 *   - NL lanes (1 or 2), each with one Sender process that sends K items,
 *     each item by MODEl: SEND (a blocking Send: sender/rendezvous.go,
 *     block), TRY (TrySend: the same, !block) or SELECT (a Select whose
 *     one case is SendTo(tx): channel/select_send.go, select.go: poll =
 *     TrySend, Await on the lane's SendPark, re-check = poll);
 *   - Lane.Offer / Withdraw / OfferSettled / HasOffer / TakeOffer
 *     (internal/endpoint/state.go), the offer word seq<<2 | state;
 *   - one Receiver: Recv in a loop (receiver/recv.go: disconnected,
 *     tryPop -> TakeOffer, waitItem, itemReady.Ready with
 *     wakeSelectingSenders, take's RecvDone.Add), or with RX_SELECT a
 *     Select whose case is On(rx) (poll = TryRecv: waitItem(!block) and its
 *     wake when RecvPark is waiting);
 *   - the Parker (parker.go: Prepare, Wake = load, CAS, non-blocking send
 *     of the token, Cancel) and Await (wait.go);
 *   - a Coordinator: Sender.Close of lane 0 (CloseLane) and/or
 *     Receiver.Close (CloseOneReceiver), in either order, or nothing, racing
 *     with everything; each sender closes its own lane after its sends
 *     (unless P_NOCLOSE);
 *   - a context: every sleep of a blocking Send, a Recv or a Select may end
 *     by expiry (unless NO_TIMEOUT); an expired Recv is called again.
 *
 * Properties:
 *   (1) exactly one outcome per send: at the receiver's read of an offered
 *       item, it is nonzero, read for the first time (got[v] == 1) and its
 *       send has not reported failure; a send that reports success finds
 *       got[v] == 1 (it was taken before the send returned), one that
 *       reports failure finds got[v] == 0, and at the end (Check) every
 *       finished send's result agrees with got[v];
 *   (2) no lost wake-up: no invalid end state (every process ends; with
 *       RX_STOP a blocking Send or a Select may sleep forever, labelled end
 *       states, but a TrySend may not: its wait has no end label);
 *   (3) at the end every finished lane's offer word is none and its item
 *       zeroed, and no Parker of a finished process is left announced.
 *
 * Switches: NL, K, MODE0/MODE1 (SEND, TRY, SELECT), RX_SELECT, RX_OTHER,
 * RX_STOP=n, CO_CLOSE / CO_DISC / CO_NONE / NO_COORD (default: any plan),
 * P_NOCLOSE, NO_TIMEOUT, SEQBITS, LTL_DONE (the liveness formula),
 * BROKEN_TRY_WOKE_ONLY (TrySend as it was before the livelock fix:
 * RecvDone loaded after the Waiting test, no wait when its Wake lost). Mutants
 * (check.sh, README): BROKEN_NO_SELECT_WAKE, BROKEN_WAKE_BEFORE_ANNOUNCE,
 * BROKEN_TRY_NO_WITHDRAW, BROKEN_WITHDRAW_STORE, BROKEN_WITHDRAW_NOWAIT,
 * BROKEN_TRY_NO_RECVDONE, BROKEN_DONE_LATE, BROKEN_NO_WAIT_ENDED (the code
 * of afe5c46), BROKEN_OFFER_ITEM_LATE, BROKEN_SEND_NO_CLOSED_COND; and
 * BROKEN_TRYRECV_NO_WAKE, which passes (the branch is redundant).
 *
 * TrySend's yield loop (`for !OfferSettled() && !Ring.Closed() &&
 * RecvDone.Load() == done { Gosched() }`) is one blocking guard here: its
 * three conditions only ever go from false to true while the offer is up,
 * so the loop ends exactly when the guard becomes true; and a TrySend that
 * loops forever is then an invalid end state, which a safety search finds
 * (a loop would be a cycle that only a liveness search sees).
 */

#ifndef NL
#define NL 1
#endif
#ifndef K
#define K 1
#endif
#define SEND 0
#define TRY 1
#define SELECT 2
#ifndef MODE0
#define MODE0 SEND
#endif
#ifndef MODE1
#define MODE1 SEND
#endif

/* Parker.state */
#define IDLE 0
#define WAITING 1

/* Lane.offer: seq << 2 | state, the sequence kept to SEQBITS bits (see
 * README: on a capacity-0 channel the sequence is not what keeps the
 * hand-over right, and each bit of it doubles the states of a run whose
 * sends are withdrawn and offered again) */
#ifndef SEQBITS
#define SEQBITS 1
#endif
#if SEQBITS == 0
#define SEQMASK 0
#elif SEQBITS == 1
#define SEQMASK 4
#elif SEQBITS == 2
#define SEQMASK 12
#else
#define SEQMASK 60
#endif
#define NONE 0
#define UP 1
#define TAKING 2
#define TAKEN 3
#define ST(w) ((w) & 3)
#define SEQOF(w) ((w) & SEQMASK)
#define NEXTUP(w) ((((w) & SEQMASK) + 4) & SEQMASK | UP)

/* a send's result (ghost res[v]) */
#define PENDING 0
#define OK 1
#define FAIL 2
/* rendezvous's return value */
#define R_OK 0
#define R_CLOSED 1
#define R_FULL 2
#define R_CTX 3

#define NITEMS (NL * K)

byte offer[NL];
byte offered[NL];  /* the offered item: item v = l*K + k + 1, 0 = none */
bool lclosed[NL];  /* Lane.closed: the lane's sender closed (under mu) */
bool marked[NL];   /* Ring.Closed(): the ring's close mark */
bool rclosed;      /* State.receiver == recvClosed (and the receiver's flag) */
/* State.RecvDone, abstracted: a TrySend only asks whether it moved since
 * its load (`RecvDone.Load() == done`), so each lane keeps one bit, cleared
 * at that load and set by every Add; an unbounded counter would make the
 * state space infinite once waits end in a loop (contexts). */
bool moved[NL];
#if NL == 1
#define RECVDONE_ADD moved[0] = 1
#else
#define RECVDONE_ADD moved[0] = 1; moved[1] = 1
#endif
bool mu;           /* State.mu */

bit rpark;                      /* State.RecvPark.state */
bit spark[NL];                  /* Lane.SendPark.state */
chan rtok = [1] of { bit };     /* the receiver's token channel (own, or its Selector's) */
chan stok[NL] = [1] of { bit }; /* each sender's (own, or its Selector's) */

/* ghosts */
byte got[NITEMS + 1];  /* times item v was read by a take */
byte res[NITEMS + 1];  /* PENDING, OK, FAIL */
bool sdone[NL];        /* sender l finished */
bool rdone;            /* the receiver finished */
bool quit;             /* RX_OTHER: the receiver's Select has another case ready */

/* Parker.Wake (parker.go:73-87): load waiting; CAS waiting -> idle; the
 * winner sends a token without blocking (a late token is a stray). The
 * load and the CAS are one step here: the load has no effect of its own,
 * so a load that sees idle is a CAS that fails at that moment, and a load
 * that sees waiting is followed by the CAS that decides: every run of the
 * two steps is a run of the one. The token's send stays a step of its own
 * (the waiter may return and wait again before it lands). */
inline wake(p, tok) {
	atomic { if :: p == WAITING -> p = IDLE; woke = 1 :: else -> woke = 0 fi };  /* Load; CAS */
	if
	:: woke -> atomic { if :: nfull(tok) -> tok ! 0 :: full(tok) -> skip fi; woke = 0 }  /* send, or default */
	:: else -> skip
	fi
}

/* Wake, reporting in woke whether it won (TrySend); the caller clears it */
inline wake_r(p, tok) {
	atomic { if :: p == WAITING -> p = IDLE; woke = 1 :: else -> woke = 0 fi };
	if
	:: woke -> atomic { if :: nfull(tok) -> tok ! 0 :: full(tok) -> skip fi }
	:: else -> skip
	fi
}

/* Parker.Cancel (parker.go:120-121): load, CAS waiting -> idle. One waiter
 * per Parker and wakers only move waiting -> idle, so the pair has the
 * effect of one store of idle. */
#define CANCEL(p) p = IDLE

/* Receiver.waitEnded (recv.go, bc1c48c) and a Select's recvCase.waitEnded
 * (select.go): a wait of the receiver ended without taking an item, or a
 * Select that slept returns; RecvDone moves, so that a TrySend that woke
 * this receiver stops waiting for it. BROKEN_NO_WAIT_ENDED is the code of
 * afe5c46, where only a take moved RecvDone. */
#ifdef BROKEN_NO_WAIT_ENDED
#define WAIT_ENDED skip
#else
#define WAIT_ENDED RECVDONE_ADD
#endif

/* the context: a sleep ends by a token or (unless NO_TIMEOUT) by expiry */
#ifdef NO_TIMEOUT
#define SLEEP(tok) tok ? _
#else
#define SLEEP(tok) if :: tok ? _ :: expired = 1 fi
#endif

/* ---------------- the sender side ---------------- */

/* Lane.Offer (state.go offer2): the item, then the word (the sender owns
 * it in state none: one load and one store) */
inline do_offer(l, v) {
#ifdef BROKEN_OFFER_ITEM_LATE
	offer[l] = NEXTUP(offer[l]);                                   /* mutant: the word before the item */
	offered[l] = v
#else
	offered[l] = v;
	offer[l] = NEXTUP(offer[l])
#endif
}

/* Lane.Withdraw (state.go): taken = false if the CAS up -> none won; else
 * wait (Gosched loop) for the receiver's store of taken, zero the item and
 * store none. The first Load and the CAS are one step: only the sender
 * moves the sequence, so between them the word can only go up -> taking,
 * and the CAS then fails as the later load would have seen. */
inline withdraw(l, taken) {
#ifdef BROKEN_WITHDRAW_STORE
	/* mutant: Load, then a plain Store(none) instead of the CAS */
	w = offer[l];
	if
	:: ST(w) == UP -> offer[l] = SEQOF(w); taken = 0
	:: else -> taken = 1
	fi;
#else
	atomic { if :: ST(offer[l]) == UP -> offer[l] = SEQOF(offer[l]); taken = 0 :: else -> taken = 1 fi };  /* Load; CAS up -> none */
#endif
	if
	:: !taken -> atomic { offered[l] = 0; w = 0 }                  /* ours again */
	:: else ->
#ifdef BROKEN_WITHDRAW_NOWAIT
		/* mutant: an offer being taken counts as withdrawn */
		if
		:: atomic { ST(offer[l]) == TAKING -> w = offer[l]; taken = 0 }
		:: atomic { ST(offer[l]) == TAKEN -> w = offer[l] }
		fi;
#else
		atomic { ST(offer[l]) == TAKEN -> w = offer[l] };          /* for w&state != taken { Gosched; Load } */
#endif
		offered[l] = 0;
		atomic { offer[l] = SEQOF(w); w = 0 }                      /* taken -> none */
	fi
}

/* sender/rendezvous.go with block == false: TrySend, also a Select's poll
 * of a send case. r: R_OK, R_CLOSED, R_FULL. */
inline try_send(l, v, r) {
	if
	:: marked[l] -> r = R_CLOSED                                   /* Ring.Closed() */
	:: else ->
#ifndef BROKEN_TRY_WOKE_ONLY
		/* done loaded before the Waiting test, and the yield loop run
		 * whether or not this Wake won (the code since the fix of
		 * rv-hazard-select-livelock; BROKEN_TRY_WOKE_ONLY is the code
		 * before it) */
		moved[l] = 0;
#endif
		if
		:: rpark != WAITING -> r = R_FULL                           /* !RecvPark.Waiting() */
		:: else ->
#if defined(BROKEN_TRY_WOKE_ONLY) && !defined(BROKEN_DONE_LATE)
			moved[l] = 0;                                           /* done := RecvDone.Load(), before the offer */
#endif
			do_offer(l, v);
			wake_r(rpark, rtok);
#ifdef BROKEN_DONE_LATE
			moved[l] = 0;                                           /* mutant: RecvDone loaded after the Wake */
#endif
#ifndef BROKEN_TRY_WOKE_ONLY
			woke = 1;
#endif
			if
			:: woke ->
#ifdef BROKEN_TRY_NO_RECVDONE
				atomic { (ST(offer[l]) == TAKEN || marked[l]) -> woke = 0 }
#else
				atomic { (ST(offer[l]) == TAKEN || marked[l] || moved[l]) -> woke = 0 }  /* the yield loop (see above) */
#endif
			:: else -> skip
			fi;
#ifdef BROKEN_TRY_NO_WITHDRAW
			/* mutant: give up without Withdraw (the offer stays up) */
			if
			:: ST(offer[l]) == TAKEN -> withdraw(l, taken)
			:: else -> taken = 0
			fi;
#else
			withdraw(l, taken);
#endif
			if
			:: taken -> r = R_OK
			:: else ->
				if
				:: marked[l] -> r = R_CLOSED
				:: else -> r = R_FULL
				fi
			fi
		fi
	fi
}

/* the sender's outcome for item v */
inline result(v, r) {
	atomic {
		if
		:: r == R_OK -> assert(got[v] == 1); res[v] = OK
		:: else -> assert(got[v] == 0); res[v] = FAIL
		fi
	}
}

/* offerTaken.Ready (rendezvous.go): OfferSettled() || Ring.Closed() */
inline offer_taken(l, c) {
	if
	:: ST(offer[l]) == TAKEN -> c = 1
#ifdef BROKEN_SEND_NO_CLOSED_COND
	:: else -> c = 0                                               /* mutant: OfferSettled() alone */
#else
	:: else -> c = marked[l]
#endif
	fi
}

proctype Sender(byte l) {
	byte k = 0, v, w, mode, r;
	bit woke, taken, c, expired;

	if
	:: l == 0 -> mode = MODE0
	:: else -> mode = MODE1
	fi;
	do
	:: k < K ->
		v = l * K + k + 1;
		if
		:: mode == TRY ->
			try_send(l, v, r)
		:: mode == SEND ->
			/* sender/rendezvous.go, block */
			if
			:: marked[l] -> r = R_CLOSED
			:: else ->
				do_offer(l, v);
				wake(rpark, rtok);
				/* wait(s, ctx, offerTaken{lane}): Await */
				expired = 0;
				do
				:: spark[l] = WAITING;                              /* Prepare */
					offer_taken(l, c);
					if
					:: c -> CANCEL(spark[l]); break
					:: else ->
#ifdef RX_STOP
end_send_sleep:
#endif
						SLEEP(stok[l]);
						CANCEL(spark[l]);
						offer_taken(l, c);
						if
						:: c -> break
						:: else -> if :: expired -> break :: else -> skip fi
						fi
					fi
				od;
				withdraw(l, taken);
				if
				:: taken -> r = R_OK
				:: else ->
					if
					:: marked[l] -> r = R_CLOSED
					:: else -> assert(expired); r = R_CTX
					fi
				fi
			fi
		:: mode == SELECT ->
			/* Selector.Select with the one case SendTo(tx) */
			try_send(l, v, r);                                      /* poll */
			if
			:: r == R_FULL ->
				expired = 0;
				do
				:: spark[l] = WAITING;                              /* Prepare */
					try_send(l, v, r);                              /* selectReady: poll */
					if
					:: r != R_FULL -> CANCEL(spark[l]); break
					:: else ->
#ifdef RX_STOP
end_select_sleep:
#endif
						SLEEP(stok[l]);
						CANCEL(spark[l]);
						try_send(l, v, r);
						if
						:: r != R_FULL -> break
						:: else -> if :: expired -> r = R_CTX; break :: else -> skip fi
						fi
					fi
				od
			:: else -> skip
			fi
		fi;
		result(v, r);
		atomic { k++; v = 0; r = 0; c = 0; taken = 0; expired = 0 }
	:: else -> break
	od;
#ifndef P_NOCLOSE
	/* Sender.Close -> CloseLane (state.go) */
	atomic { !mu -> mu = 1 };
	if
	:: lclosed[l] -> mu = 0
	:: else ->
		lclosed[l] = 1;
		marked[l] = 1;
		mu = 0;
		wake(rpark, rtok);
		wake(spark[l], stok[l])
	fi;
#endif
	sdone[l] = 1
}

/* ---------------- the receiver side ---------------- */

/* Lane.TakeOffer (state.go) on lane i; the ring of a capacity-0 channel
 * never holds an item, so its Empty check is always true (omitted). */
inline take_offer(i, ok) {
	ok = 0;
	w = offer[i];                                                  /* Load */
	if
	:: ST(w) == UP && !lclosed[i] ->                               /* closed.Load */
		atomic { if :: offer[i] == w -> offer[i] = SEQOF(w) | TAKING; ok = 1 :: else -> skip fi };  /* CAS */
		if
		:: ok ->
			atomic {                                               /* v = l.offered */
				v = offered[i];
				assert(v != 0);
				assert(res[v] != FAIL);
				got[v]++;
				assert(got[v] == 1)
			};
			atomic { offer[i] = SEQOF(w) | TAKEN; w = 0 };         /* Store(taken) */
			wake(spark[i], stok[i])                          /* SendPark.Wake */
		:: else -> w = 0
		fi
	:: else -> w = 0
	fi
}

/* tryPop (lanes.go): TakeOffer on each lane from nxt (round robin) */
inline try_pop(ok) {
	j = 0;
	ok = 0;
	do
	:: j < NL && !ok ->
		i = (nxt + j) % NL;
		take_offer(i, ok);
		if :: ok -> nxt = (i + 1) % NL :: else -> skip fi;
		j++
	:: else -> atomic { i = 0; j = 0 }; break
	od
}

/* wakeSelectingSenders (recv.go) */
inline wake_selecting() {
	i = 0;
	do
	:: i < NL -> wake(spark[i], stok[i]); i++
	:: else -> i = 0; break
	od
}

/* itemReady.Ready (recv.go): noMoreArrivals (ReceiverClosed, then
 * LanesClosed: each lane's mark up to the first unmarked one; the lanes
 * slice, loaded before and after, never changes here: no Clone, no
 * reclaim), anyItem (HasOffer: offer up, lane not closed), then on a
 * rendezvous channel wakeSelectingSenders. c: ready; cl: ready with
 * ErrClosed. wk: whether this call wakes (the mutants). */
inline item_ready(c, cl, wk) {
	cl = rclosed;                                                  /* st.ReceiverClosed() */
	if
	:: !cl ->
		cl = 1;
		do                                                         /* || st.LanesClosed() */
		:: i < NL && cl -> cl = marked[i]; i++                     /* l.Ring.Closed(); unmarked: false */
		:: else -> i = 0; break
		od
	:: else -> skip
	fi;
	c = 0;
	i = 0;
	do
	:: i < NL && !c ->
		if
		:: ST(offer[i]) == UP ->
			if :: !lclosed[i] -> c = 1 :: else -> skip fi
		:: else -> skip
		fi;
		i++
	:: else -> i = 0; break
	od;
	if
	:: c -> cl = 0
	:: else ->
		if
		:: cl -> c = 1
		:: else ->
			if :: wk -> wake_selecting() :: else -> skip fi
		fi
	fi
}

#ifndef RX_SELECT
/* Recv in a loop, until ErrClosed (or RX_STOP items): recv.go recv with
 * block == true */
proctype Receiver() {
	byte v, w, i, j, nxt = 0, n = 0;
	bit woke, ok, c, cl, expired;
recv:
	if :: rclosed -> goto out :: else -> skip fi;                  /* disconnected() */
	try_pop(ok);
	if :: ok -> goto delivered :: else -> skip fi;
waitItem:
#ifdef BROKEN_NO_SELECT_WAKE
	item_ready(c, cl, 0);
#else
	item_ready(c, cl, 1);                                          /* waitItem's c.Ready() */
#endif
	if
	:: c && cl -> WAIT_ENDED; goto out                             /* ErrClosed: if block { waitEnded } */
	:: c && !cl -> goto pop
	:: else -> skip
	fi;
	/* Await */
	expired = 0;
	do
	:: rpark = WAITING;                                            /* Prepare */
#if defined(BROKEN_NO_SELECT_WAKE) || defined(BROKEN_WAKE_BEFORE_ANNOUNCE)
		item_ready(c, cl, 0);
#else
		item_ready(c, cl, 1);
#endif
		if
		:: c -> CANCEL(rpark); break
		:: else ->
			SLEEP(rtok);
			CANCEL(rpark);
#if defined(BROKEN_NO_SELECT_WAKE) || defined(BROKEN_WAKE_BEFORE_ANNOUNCE)
			item_ready(c, cl, 0);
#else
			item_ready(c, cl, 1);
#endif
			if
			:: c -> break
			:: else -> if :: expired -> break :: else -> skip fi
			fi
		fi
	od;
	if
	:: c && cl -> WAIT_ENDED; goto out                             /* ErrClosed */
	:: c && !cl -> skip
	:: else -> atomic { WAIT_ENDED; expired = 0; c = 0; cl = 0 }; goto recv  /* ctx.Err(); the user calls Recv again */
	fi;
pop:
	try_pop(ok);
	if
	:: ok -> skip
	:: else -> atomic { WAIT_ENDED; c = 0; cl = 0 }; goto waitItem /* waitEnded; the loop */
	fi;
delivered:
	atomic { RECVDONE_ADD; v = 0; ok = 0; c = 0; cl = 0; expired = 0 };  /* take: RecvDone.Add(1) */
#ifdef RX_STOP
	n++;
	if :: n == RX_STOP -> goto out :: else -> skip fi;
#endif
	goto recv;
out:
	rdone = 1
}
#else
/* TryRecv (recv.go: recv with block == false): ok, or c && cl (ErrClosed),
 * or neither (ErrEmpty) */
inline try_recv(ok, c, cl) {
	ok = 0; c = 0; cl = 0;
	if
	:: rclosed -> c = 1; cl = 1                                    /* disconnected() */
	:: else ->
		try_pop(ok);
		do
		:: ok -> RECVDONE_ADD; break                               /* take: RecvDone.Add(1) */
		:: else ->
			item_ready(c, cl, 1);                                  /* waitItem(ctx, false): c.Ready() */
			if
			:: c && !cl ->
				c = 0;
				try_pop(ok);                                       /* the loop in recv: pop again */
				if :: !ok -> WAIT_ENDED :: else -> skip fi         /* waitEnded */
			:: c && cl -> break                                    /* ErrClosed */
			:: !c ->
#ifndef BROKEN_TRYRECV_NO_WAKE
				if
				:: rpark == WAITING -> wake_selecting()            /* the !block branch */
				:: else -> skip
				fi;
#endif
				break                                              /* ErrEmpty */
			fi
		od
	fi
}

/* the poll of a Selector whose cases are On(rx) and, with RX_OTHER, a
 * case of another channel that may become ready (quit); round robin:
 * either case may be polled first. d: a case chosen; q: the other one. */
inline select_poll(d, q) {
	d = 0; q = 0;
	if
	:: quit -> d = 1; q = 1                                        /* the other case first */
	:: true ->
		try_recv(ok, c, cl);
		if
		:: ok || c -> d = 1
		:: else -> if :: quit -> d = 1; q = 1 :: else -> skip fi
		fi
	fi
}

/* Select in a loop, until ErrClosed (or RX_STOP items, or the other case) */
proctype Receiver() {
	byte v, w, i, j, nxt = 0, n = 0;
	bit woke, ok, c, cl, d, q, expired;
recv:
	select_poll(d, q);
	if
	:: d -> goto chosen                                            /* chosen without a wait */
	:: else -> skip
	fi;
	expired = 0;
	do
	:: rpark = WAITING;                                            /* Prepare (RecvPark; with RX_OTHER
	                                                                  the other channel's Parker too, abstracted: quit is set before its token) */
		select_poll(d, q);
		if
		:: d -> CANCEL(rpark); break
		:: else ->
			SLEEP(rtok);
			CANCEL(rpark);
			select_poll(d, q);
			if
			:: d -> break
			:: else -> if :: expired -> break :: else -> skip fi
			fi
		fi
	od;
	WAIT_ENDED;                                                    /* Select: for each case, waitEnded */
	if
	:: d -> skip
	:: else -> atomic { expired = 0; c = 0; cl = 0 }; goto recv    /* ctx.Err(): Select again */
	fi;
chosen:
	if
	:: q -> goto out                                               /* the other case: this goroutine goes elsewhere */
	:: !q && ok -> skip
	:: !q && !ok -> goto out                                       /* ErrClosed */
	fi;
	atomic { v = 0; ok = 0; c = 0; cl = 0; d = 0; expired = 0 };
#ifdef RX_STOP
	n++;
	if :: n == RX_STOP -> goto out :: else -> skip fi;
#endif
	goto recv;
out:
	rdone = 1
}
#endif

/* ---------------- the closes ---------------- */

proctype Coordinator() {
	bit woke;
	byte i;
	bool lane = 0, disc = 0;
	if
#ifdef CO_CLOSE
	:: lane = 1
#elif defined(CO_DISC)
	:: disc = 1
#elif defined(CO_NONE)
	:: skip
#else
	:: skip
	:: lane = 1
	:: disc = 1
	:: lane = 1; disc = 1
#endif
	fi;
#ifdef RX_OTHER
	/* the other case of the receiver's Select becomes ready: its sender
	 * sets quit and wakes the Selector's token channel through the other
	 * channel's Parker (abstracted: a token if the receiver is announced) */
	quit = 1;
	wake(rpark, rtok);
#endif
again:
	if
	:: lane ->
		/* Sender.Close of lane 0 -> CloseLane (state.go:387) */
		lane = 0;
		atomic { !mu -> mu = 1 };
		if
		:: lclosed[0] -> mu = 0
		:: else ->
			lclosed[0] = 1;
			marked[0] = 1;
			mu = 0;
			wake(rpark, rtok);
			wake(spark[0], stok[0])
		fi;
		goto again
	:: disc ->
		/* Receiver.Close -> CloseOneReceiver (receivers.go:180), the
		 * last receiver: its flag and the disconnect (disconnectLocked,
		 * state.go:447: the marks, then recvClosed) in one critical
		 * section of mu; rclosed stands for both the flag and recvClosed */
		disc = 0;
		atomic { !mu -> mu = 1 };
		if
		:: rclosed -> mu = 0
		:: else ->
			i = 0;
			do :: i < NL -> marked[i] = 1; i++ :: else -> break od;
			rclosed = 1;
			mu = 0;
			wake(rpark, rtok);
			i = 0;
			do :: i < NL -> wake(spark[i], stok[i]); i++ :: else -> break od
		fi;
		goto again
	:: else -> skip
	fi
}

/* At the end (nothing can move): every finished send's outcome agrees
 * with its item's takes, and the finished lanes are clean. */
active proctype Check() {
	byte v, l;
end_check:
	timeout ->
	v = 1;
	do
	:: v <= NITEMS ->
		assert(got[v] <= 1);
		assert(res[v] != OK || got[v] == 1);
		assert(res[v] != FAIL || got[v] == 0);
		v++
	:: else -> break
	od;
	l = 0;
	do
	:: l < NL ->
		if
		:: sdone[l] ->
			assert(ST(offer[l]) == NONE);
			assert(offered[l] == 0);
			assert(spark[l] == IDLE)
		:: else -> skip
		fi;
		l++
	:: else -> break
	od;
	assert(!rdone || rpark == IDLE)
}

init {
	byte l = 0;
	atomic {
		do
		:: l < NL -> run Sender(l); l++
		:: else -> break
		od;
		run Receiver();
#ifndef NO_COORD
		run Coordinator()
#endif
	}
}

#ifdef LTL_DONE
/* liveness (pan -a -f, weak fairness): every process ends */
#if NL == 1
ltl done { <> (sdone[0] && rdone) }
#else
ltl done { <> (sdone[0] && sdone[1] && rdone) }
#endif
#endif
