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
 *     TakeOffer adds to RecvDone after its read of the item and before
 *     its store of taken (state.go:303; since 8d7be72, which moved the
 *     Add there from the receiver's take paths);
 *   - one Receiver: Recv in a loop (receiver/recv.go: disconnected,
 *     tryPop -> TakeOffer, waitItem, itemReady.Ready, which wakes
 *     selecting senders only when RecvPark is announced (Waiting(), since
 *     0b68c67), waitEnded's RecvDone.Add), or with RX_SELECT a Select whose
 *     case is On(rx) (poll = TryRecv: recv with !block, whose waitItem is
 *     Ready alone: no wake of its own since 0b68c67), and with RX_OTHER a
 *     second case on another channel, whose Parker (opark) the Select
 *     announces on too;
 *   - the Parker (parker.go: Prepare, Wake = load, CAS, non-blocking send
 *     of the token, Waiting, Cancel) and Await / awaitSet (wait.go);
 *   - a Coordinator: Sender.Close of lane 0 (CloseLane) and/or
 *     Receiver.Close (CloseOneReceiver), in either order, or nothing, racing
 *     with everything; each sender closes its own lane after its sends
 *     (unless P_NOCLOSE);
 *   - a context: every sleep of a blocking Send, a Recv or a Select may end
 *     by expiry (unless NO_TIMEOUT); an expired Recv is called again.
 *
 * Modelling convention (as lifecycle.pml): every atomic{} (and every
 * statement outside one) holds at most ONE access to a shared word of the
 * Go code (one Load, Store, CAS or Add; a buffered-channel send or
 * receive; a mutex Lock) plus the purely local decisions that follow it.
 * The comment on each step names the Go function and file:line, as of the
 * commit named in README.md (section "Unbuffered channels"); a path is
 * given at its first mention, later ones name the file alone. SPIN
 * explores every interleaving under sequential consistency, which is what
 * Go's sync/atomic gives.
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
 * OLD_RECV_WAKE (the receiver as it was before 0b68c67: every Ready wakes
 * selecting senders, announced or not, and TryRecv's ErrEmpty branch wakes
 * them again when RecvPark is announced). Mutants (check.sh, README; each
 * must fail): BROKEN_TRY_WOKE_ONLY (TrySend as it was before 0b68c67:
 * RecvDone loaded after the Waiting test, no wait when its Wake lost; it
 * fails only together with OLD_RECV_WAKE: either half of 0b68c67 alone
 * removes the one-lane livelock of K=1), BROKEN_NO_SELECT_WAKE,
 * BROKEN_WAKE_BEFORE_ANNOUNCE,
 * BROKEN_WAITING_BEFORE_ANNOUNCE, BROKEN_SELECT_STALE_WAITING,
 * BROKEN_TRY_NO_WITHDRAW, BROKEN_WITHDRAW_STORE, BROKEN_WITHDRAW_NOWAIT,
 * BROKEN_TRY_NO_RECVDONE, BROKEN_DONE_LATE, BROKEN_NO_WAIT_ENDED (the code
 * of afe5c46), BROKEN_OFFER_ITEM_LATE, BROKEN_SEND_NO_CLOSED_COND,
 * BROKEN_DONE_AFTER_TAKEN (the code before 8d7be72: a take's RecvDone.Add
 * in take, after TakeOffer's store of taken and its wake; with K=2 a
 * Select's send case livelocks, below).
 *
 * The Select-sender wake is a Dekker pair (recv.go:250-262, the comment on
 * wakeSelectingSenders): the receiver announces on RecvPark (Prepare), then
 * its Ready loads RecvPark (Waiting) and, still announced, each SendPark
 * (Wake); the Select announces on SendPark, then its re-check (a TrySend)
 * loads RecvPark. If the receiver's Waiting load finds RecvPark idle after
 * its own announce, a waker won the CAS on it and sent the receiver a
 * token: the receiver wakes, finds no item, announces again and repeats
 * the wake then. BROKEN_WAITING_BEFORE_ANNOUNCE breaks the receiver's half
 * (the Waiting load made before the announce), BROKEN_SELECT_STALE_WAITING
 * the Select's (its re-check does not load RecvPark again).
 *
 * A take's RecvDone.Add is in TakeOffer, before its store of taken:
 * 8d7be72's fix of the hazard that was rv-hazard-select-livelock-k2
 * (README). With the Add after the store, in take
 * (BROKEN_DONE_AFTER_TAKEN), a Select's send case with K >= 2 and a Recv
 * loop have a fair cycle in which no item is delivered: the next
 * TrySend's RecvDone load comes before the Add for the previous item (its
 * take, or the waitEnded of a failed take), so its yield loop ends at
 * once and it withdraws before the receiver's TakeOffer CAS, and that
 * failed take's waitEnded lands after the next TrySend's load. With the
 * Add before the store, a TrySend that sees its offer taken has seen the
 * Add, so its next load comes after it (rv-select-send-live-k2, -k3,
 * rv-select-both-live-k2).
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

/* Parker.state (parker.go:65-68: parkIdle, parkWaiting) */
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

/* item_ready's wake of selecting senders (wk): */
#define WK_NONE 0     /* none (mutants) */
#define WK_WAITING 1  /* when RecvPark.Waiting(): the code (recv.go:244-245) */
#define WK_ALWAYS 2   /* unconditionally (BROKEN_WAKE_BEFORE_ANNOUNCE's first check, as before 0b68c67) */
#define WK_PRE 3      /* when a Waiting() loaded before the announce said so (BROKEN_WAITING_BEFORE_ANNOUNCE) */

#define NITEMS (NL * K)

byte offer[NL];    /* Lane.offer (state.go) */
byte offered[NL];  /* Lane.offered: item v = l*K + k + 1, 0 = none */
bool lclosed[NL];  /* Lane.closed: the lane's sender closed (under mu) */
bool marked[NL];   /* Ring.Closed(): the ring's close mark (ringbuffer/ring.go:415) */
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
#ifdef RX_OTHER
/* the state of the other channel's Parker in the receiving Select (its
 * second case): announced and cancelled with RecvPark (awaitSet), its
 * tokens go to the Selector's channel, rtok. Waking it leaves RecvPark
 * announced, as in the code. */
bit opark;
#endif

/* ghosts */
byte got[NITEMS + 1];  /* times item v was read by a take */
byte res[NITEMS + 1];  /* PENDING, OK, FAIL */
bool sdone[NL];        /* sender l finished */
bool rdone;            /* the receiver finished */
bool quit;             /* RX_OTHER: the receiver's Select has another case ready */

/* Parker.Wake (internal/endpoint/parker.go:72-89): load waiting (73); CAS
 * waiting -> idle (81); the winner sends a token without blocking (84-87;
 * a late token is a stray). The load and the CAS are one step here: the
 * load has no effect of its own, so a load that sees idle is a CAS that
 * fails at that moment, and a load that sees waiting is followed by the CAS
 * that decides: every run of the two steps is a run of the one. The
 * token's send stays a step of its own (the waiter may return and wait
 * again before it lands). */
inline wake(p, tok) {
	atomic { if :: p == WAITING -> p = IDLE; woke = 1 :: else -> woke = 0 fi };  /* Wake: Load parker.go:73; CAS :81 */
	if
	:: woke -> atomic { if :: nfull(tok) -> tok ! 0 :: full(tok) -> skip fi; woke = 0 }  /* send :85, or default :86 */
	:: else -> skip
	fi
}

/* Wake, reporting in woke whether it won: TrySend's Wake (rendezvous.go:63),
 * whose result the code ignores since 0b68c67 (woke is then set to 1) and
 * BROKEN_TRY_WOKE_ONLY uses; the caller clears it */
inline wake_r(p, tok) {
	atomic { if :: p == WAITING -> p = IDLE; woke = 1 :: else -> woke = 0 fi };  /* Load parker.go:73; CAS :81 */
	if
	:: woke -> atomic { if :: nfull(tok) -> tok ! 0 :: full(tok) -> skip fi }  /* send :85, or default :86 */
	:: else -> skip
	fi
}

/* Parker.Cancel (parker.go:119-123): load, CAS waiting -> idle (120-121).
 * One waiter per Parker and wakers only move waiting -> idle, so the pair
 * has the effect of one store of idle. */
#define CANCEL(p) p = IDLE

/* Receiver.waitEnded (recv.go:129-133) and a Select's recvCase.waitEnded
 * (channel/select.go:66-70): a wait of the receiver ended without taking
 * an item, or a Select that slept returns; RecvDone.Add(1) (recv.go:131,
 * select.go:68), so that a TrySend that woke this receiver stops waiting
 * for it. BROKEN_NO_WAIT_ENDED is the code of afe5c46, where only a take
 * moved RecvDone. */
#ifdef BROKEN_NO_WAIT_ENDED
#define WAIT_ENDED skip
#else
#define WAIT_ENDED RECVDONE_ADD
#endif

/* the context: a sleep ends by a token or (unless NO_TIMEOUT) by expiry
 * (wait.go:193-205: `<-ch` at 196, the select at 199-203) */
#ifdef NO_TIMEOUT
#define SLEEP(tok) tok ? _
#else
#define SLEEP(tok) if :: tok ? _ :: expired = 1 fi
#endif

/* ---------------- the sender side ---------------- */

/* Lane.Offer -> offer2 (state.go:239, 245-248): the item (246), then the
 * word (247: the sender owns it in state none: its load and store are one
 * step) */
inline do_offer(l, v) {
#ifdef BROKEN_OFFER_ITEM_LATE
	offer[l] = NEXTUP(offer[l]);                                   /* mutant: the word before the item */
	offered[l] = v
#else
	offered[l] = v;                                                /* l.offered = v: state.go:246 */
	offer[l] = NEXTUP(offer[l])                                    /* l.offer.Store(... | offerUp): :247 */
#endif
}

/* Lane.Withdraw (state.go:257-272): taken = false if the CAS up -> none
 * won; else wait (Gosched loop) for the receiver's store of taken, zero
 * the item and store none. The first Load and the CAS are one step: only
 * the sender moves the sequence, so between them the word can only go up
 * -> taking, and the CAS then fails as the later load would have seen. */
inline withdraw(l, taken) {
#ifdef BROKEN_WITHDRAW_STORE
	/* mutant: Load, then a plain Store(none) instead of the CAS */
	w = offer[l];
	if
	:: ST(w) == UP -> offer[l] = SEQOF(w); taken = 0
	:: else -> taken = 1
	fi;
#else
	atomic { if :: ST(offer[l]) == UP -> offer[l] = SEQOF(offer[l]); taken = 0 :: else -> taken = 1 fi };  /* Load state.go:259; CAS up -> none :260 */
#endif
	if
	:: !taken -> atomic { offered[l] = 0; w = 0 }                  /* ours again: l.offered = zero, :261 */
	:: else ->
#ifdef BROKEN_WITHDRAW_NOWAIT
		/* mutant: an offer being taken counts as withdrawn */
		if
		:: atomic { ST(offer[l]) == TAKING -> w = offer[l]; taken = 0 }
		:: atomic { ST(offer[l]) == TAKEN -> w = offer[l] }
		fi;
#else
		atomic { ST(offer[l]) == TAKEN -> w = offer[l] };          /* for w&state != taken { Gosched; Load }: :264-268 */
#endif
		offered[l] = 0;                                            /* l.offered = zero: :269 */
		atomic { offer[l] = SEQOF(w); w = 0 }                      /* Store: taken -> none, :270 */
	fi
}

/* BROKEN_SELECT_STALE_WAITING: a Select's re-check after its Prepare
 * (stale) answers TrySend's Waiting test with what the poll before it
 * loaded (seen) instead of loading RecvPark */
#ifdef BROKEN_SELECT_STALE_WAITING
#define RECVPARK_WAITING (stale && seen == WAITING || !stale && rpark == WAITING)
#define SEEN(x) seen = x;
#else
#define RECVPARK_WAITING (rpark == WAITING)
#define SEEN(x)
#endif

/* Sender.rendezvous with block == false (sender/rendezvous.go:37-98):
 * TrySend (sender/send.go:53-58 -> send :65-66), also a Select's poll of
 * a send case (select_send.go:39-48). r: R_OK, R_CLOSED, R_FULL. */
inline try_send(l, v, r, stale) {
	if
	:: marked[l] -> r = R_CLOSED                                   /* lane.Ring.Closed(): rendezvous.go:39-40 */
	:: else ->
#ifndef BROKEN_TRY_WOKE_ONLY
		/* done loaded before the Waiting test, and the yield loop run
		 * whether or not this Wake won (the code since 0b68c67;
		 * BROKEN_TRY_WOKE_ONLY is the code before it) */
		moved[l] = 0;                                               /* done := st.RecvDone.Load(): rendezvous.go:46 */
#endif
		if
		:: !RECVPARK_WAITING -> SEEN(IDLE) r = R_FULL               /* !block && !st.RecvPark.Waiting(): :47-48 (parker.go:93) */
		:: else -> SEEN(WAITING)
#if defined(BROKEN_TRY_WOKE_ONLY) && !defined(BROKEN_DONE_LATE)
			moved[l] = 0;                                           /* (before 0b68c67) done := RecvDone.Load(), after the test, before the offer */
#endif
			do_offer(l, v);                                         /* lane.Offer(v): rendezvous.go:61 */
			wake_r(rpark, rtok);                                    /* st.RecvPark.Wake(): :63 */
#ifdef BROKEN_DONE_LATE
			moved[l] = 0;                                           /* mutant: RecvDone loaded after the Wake */
#endif
#ifndef BROKEN_TRY_WOKE_ONLY
			woke = 1;                                               /* the loop runs whether or not the Wake won: :67-83 */
#endif
			if
			:: woke ->
#ifdef BROKEN_TRY_NO_RECVDONE
				atomic { (ST(offer[l]) == TAKEN || marked[l]) -> woke = 0 }
#else
				atomic { (ST(offer[l]) == TAKEN || marked[l] || moved[l]) -> woke = 0 }  /* the yield loop, :81-83 (see above) */
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
			withdraw(l, taken);                                     /* lane.Withdraw(): :85 */
#endif
			if
			:: taken -> r = R_OK                                    /* :86 */
			:: else ->
				if
				:: marked[l] -> r = R_CLOSED                        /* lane.Ring.Closed(): :92-93 */
				:: else -> r = R_FULL                               /* :97 */
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

/* offerTaken.Ready (rendezvous.go:104-106): OfferSettled() (state.go:252)
 * || Ring.Closed() */
inline offer_taken(l, c) {
	if
	:: ST(offer[l]) == TAKEN -> c = 1                              /* c.l.OfferSettled(): rendezvous.go:105 */
#ifdef BROKEN_SEND_NO_CLOSED_COND
	:: else -> c = 0                                               /* mutant: OfferSettled() alone */
#else
	:: else -> c = marked[l]                                       /* || c.l.Ring.Closed(): :105 */
#endif
	fi
}

proctype Sender(byte l) {
	byte k = 0, v, w, mode, r;
	bit woke, taken, c, expired;
#ifdef BROKEN_SELECT_STALE_WAITING
	bit seen;
#endif

	if
	:: l == 0 -> mode = MODE0
	:: else -> mode = MODE1
	fi;
	do
	:: k < K ->
		v = l * K + k + 1;
		if
		:: mode == TRY ->
			try_send(l, v, r, 0)
		:: mode == SEND ->
			/* Sender.rendezvous with block == true */
			if
			:: marked[l] -> r = R_CLOSED                            /* lane.Ring.Closed(): rendezvous.go:39-40 */
			:: else ->
				/* done := RecvDone.Load() (:46): unused with block, omitted */
				do_offer(l, v);                                     /* lane.Offer(v): :61 */
				wake(rpark, rtok);                                  /* st.RecvPark.Wake(): :63 */
				/* wait(s, ctx, offerTaken{lane}): rendezvous.go:66 -> send.go:197-209
				 * -> Await (internal/endpoint/wait.go:89-115); the Spinner's
				 * pre-announce Ready (:94-98) is not modelled */
				expired = 0;
				do
				:: spark[l] = WAITING;                              /* s.park.Prepare(nil): wait.go:100 (parker.go:109) */
					offer_taken(l, c);                              /* c.Ready(): wait.go:101 */
					if
					:: c -> CANCEL(spark[l]); break                 /* s.park.Cancel(): :102-103 */
					:: else ->
#ifdef RX_STOP
end_send_sleep:
#endif
						SLEEP(stok[l]);                             /* sleepOn: :106 */
						CANCEL(spark[l]);                           /* s.park.Cancel(): :107 */
						offer_taken(l, c);                          /* c.Ready(): :108 */
						if
						:: c -> break                               /* :109 */
						:: else -> if :: expired -> break :: else -> skip fi  /* serr != nil: :111-113 */
						fi
					fi
				od;
				withdraw(l, taken);                                 /* lane.Withdraw(): rendezvous.go:85 */
				if
				:: taken -> r = R_OK                                /* :86 */
				:: else ->
					if
					:: marked[l] -> r = R_CLOSED                    /* lane.Ring.Closed(): :92-93 */
					:: else -> assert(expired); r = R_CTX           /* err != nil: :94-95 */
					fi
				fi
			fi
		:: mode == SELECT ->
			/* Selector.Select (channel/select.go:160-172) with the one
			 * case SendTo(tx) */
			try_send(l, v, r, 0);                                   /* s.poll(): select.go:161 (poll :185-201 -> sendCase.poll) */
			if
			:: r == R_FULL ->
				/* s.await (select.go:164 -> select_shared.go:52) -> Await ->
				 * awaitSet (wait.go:119-153); the Spinner's Ready (:124-128)
				 * is not modelled */
				expired = 0;
				do
				:: spark[l] = WAITING;                              /* p.Prepare(&set.wake): wait.go:130-132 */
					try_send(l, v, r, 1);                           /* c.Ready() = selectReady (select.go:177-183): poll: wait.go:133 */
					if
					:: r != R_FULL -> CANCEL(spark[l]); break       /* p.Cancel(): wait.go:134-137 */
					:: else ->
#ifdef RX_STOP
end_select_sleep:
#endif
						SLEEP(stok[l]);                             /* sleepOnAll: :142 */
						CANCEL(spark[l]);                           /* p.Cancel(): :143-145 */
						try_send(l, v, r, 0);                       /* c.Ready(): :146-148 */
						if
						:: r != R_FULL -> break
						:: else -> if :: expired -> r = R_CTX; break :: else -> skip fi  /* serr: :149-151; select.go:168-169 */
						fi
					fi
				od
				/* the send case's waitEnded does nothing (select_send.go:64) */
			:: else -> skip
			fi
		fi;
		result(v, r);
#ifdef BROKEN_SELECT_STALE_WAITING
		atomic { k++; v = 0; r = 0; c = 0; taken = 0; expired = 0; seen = 0 }
#else
		atomic { k++; v = 0; r = 0; c = 0; taken = 0; expired = 0 }
#endif
	:: else -> break
	od;
#ifndef P_NOCLOSE
	/* Sender.Close (sender/sender.go:99-100) -> CloseLane (state.go:451-463) */
	atomic { !mu -> mu = 1 };                                      /* st.mu.Lock(): state.go:452 */
	if
	:: lclosed[l] -> mu = 0                                        /* l.closed.Load(): :453; Unlock :454 */
	:: else ->
		lclosed[l] = 1;                                            /* l.closed.Store(true): :457 */
		marked[l] = 1;                                             /* l.Ring.Close(): :458 (ring.go:407-413) */
		mu = 0;                                                    /* st.mu.Unlock(): :459 */
		wake(rpark, rtok);                                         /* st.RecvPark.Wake(): :460 */
		wake(spark[l], stok[l])                                    /* l.SendPark.Wake(): :461 */
	fi;
#endif
	sdone[l] = 1
}

/* ---------------- the receiver side ---------------- */

/* Lane.TakeOffer (state.go:283-308) on lane i; the ring of a capacity-0
 * channel never holds an item, so its Empty check is always true (omitted),
 * and so is the ring's pop before it in tryPop (receiver/lanes.go:52, 62,
 * 78: nothing to pop, omitted) */
inline take_offer(i, ok) {
	ok = 0;
	w = offer[i];                                                  /* w := l.offer.Load(): state.go:284 */
	if
	:: ST(w) == UP && !lclosed[i] ->                               /* l.closed.Load(): :285 */
		atomic { if :: offer[i] == w -> offer[i] = SEQOF(w) | TAKING; ok = 1 :: else -> skip fi };  /* CAS up -> taking: :288-290 */
		if
		:: ok ->
			atomic {                                               /* v = l.offered: :291 */
				v = offered[i];
				assert(v != 0);
				assert(res[v] != FAIL);
				got[v]++;
				assert(got[v] == 1)
			};
#ifndef BROKEN_DONE_AFTER_TAKEN
			atomic { RECVDONE_ADD };                               /* l.recvDone.Add(1), before the store: :303 */
#endif
			atomic { offer[i] = SEQOF(w) | TAKEN; w = 0 };         /* l.offer.Store(taken): :305 */
			wake(spark[i], stok[i])                                /* l.SendPark.Wake(): :306 */
		:: else -> w = 0
		fi
	:: else -> w = 0                                               /* :285-287 */
	fi
}

/* tryPop (lanes.go:48-93): TakeOffer on each lane from nxt (r.next); with
 * NL == 1 the one-lane path (:51-71, TakeOffer at :70), else the loop
 * (:73-90, TakeOffer at :84). settle(k) (:35-43, called at :85) sets next
 * to the lane that delivered; stayPops (32) items in a row from one lane,
 * which would move it on, never happen here. The lane removal of reclaim
 * (:89; lanes.go:101-105) is not modelled (see README). */
inline try_pop(ok) {
	j = 0;
	ok = 0;
	do
	:: j < NL && !ok ->
		i = (nxt + j) % NL;
		take_offer(i, ok);
		if :: ok -> nxt = i :: else -> skip fi;                    /* r.settle(k): lanes.go:85 */
		j++
	:: else -> atomic { i = 0; j = 0 }; break
	od
}

/* wakeSelectingSenders (recv.go:263-267): SendPark.Wake of every lane
 * (:265; the lanes slice, never changed here, is not loaded) */
inline wake_selecting() {
	i = 0;
	do
	:: i < NL -> wake(spark[i], stok[i]); i++                      /* l.SendPark.Wake(): recv.go:265 */
	:: else -> i = 0; break
	od
}

/* itemReady.Ready (recv.go:236-248): noMoreArrivals (:237 -> :195:
 * ReceiverClosed, state.go:563, then LanesClosed, state.go:542-560: each
 * lane's mark up to the first unmarked one; the lanes slice, loaded before
 * and after (:543, :554), never changes here: no Clone, no reclaim), anyItem
 * (:238 -> lanes.go:143-154: HasOffer, state.go:277-279: offer up, lane not
 * closed), closed (:241-242), then on a rendezvous channel, if RecvPark is
 * announced (:244), wakeSelectingSenders (:245). c: ready; cl: ready with
 * ErrClosed. wk: whether and when this call wakes (WK_*: the code is
 * WK_WAITING, the others are mutants). */
inline item_ready(c, cl, wk) {
	cl = rclosed;                                                  /* st.ReceiverClosed(): recv.go:195 (state.go:563) */
	if
	:: !cl ->
		cl = 1;
		do                                                         /* || st.LanesClosed(): recv.go:195 */
		:: i < NL && cl -> cl = marked[i]; i++                     /* l.Ring.Closed(): state.go:550; unmarked: false :551 */
		:: else -> i = 0; break
		od
	:: else -> skip
	fi;
	c = 0;
	i = 0;
	do                                                             /* c.r.anyItem(): recv.go:238 (lanes.go:145-152) */
	:: i < NL && !c ->
		if
		:: ST(offer[i]) == UP ->                                   /* HasOffer: l.offer.Load(): state.go:278 */
			if :: !lclosed[i] -> c = 1 :: else -> skip fi          /* && !l.closed.Load(): :278 */
		:: else -> skip
		fi;
		i++
	:: else -> i = 0; break
	od;
	if
	:: c -> cl = 0                                                 /* return true, nil: recv.go:239 */
	:: else ->
		if
		:: cl -> c = 1                                             /* closed: return true, closedErr(): :241-242 */
		:: else ->
			if
			:: wk == WK_WAITING && rpark == WAITING -> wake_selecting()  /* st.RecvPark.Waiting(): recv.go:244 (parker.go:93); wakeSelectingSenders: :245 */
			:: wk == WK_ALWAYS -> wake_selecting()                 /* mutant: no Waiting test */
#ifdef BROKEN_WAITING_BEFORE_ANNOUNCE
			:: wk == WK_PRE && pre == WAITING -> wake_selecting()  /* mutant: Waiting() loaded before the announce */
#endif
			:: else -> skip                                        /* not ready: return false, nil, :247 */
			fi
		fi
	fi
}

#ifndef RX_SELECT
/* the wake of each Ready of a Recv: waitItem's first check (first), the
 * Await's re-check after Prepare (announced) and after the sleep (after) */
#if defined(BROKEN_NO_SELECT_WAKE)
#define WK_FIRST WK_NONE
#define WK_ANNOUNCED WK_NONE
#elif defined(BROKEN_WAKE_BEFORE_ANNOUNCE)
#define WK_FIRST WK_ALWAYS
#define WK_ANNOUNCED WK_NONE
#elif defined(BROKEN_WAITING_BEFORE_ANNOUNCE)
#define WK_FIRST WK_PRE
#define WK_ANNOUNCED WK_PRE
#elif defined(OLD_RECV_WAKE)
#define WK_FIRST WK_ALWAYS
#define WK_ANNOUNCED WK_ALWAYS
#else
#define WK_FIRST WK_WAITING
#define WK_ANNOUNCED WK_WAITING
#endif

/* Recv (recv.go:16-21) in a loop, until ErrClosed (or RX_STOP items):
 * recv (recv.go:81-124) with block == true */
proctype Receiver() {
	byte v, w, i, j, nxt = 0, n = 0;
	bit woke, ok, c, cl, expired;
#ifdef BROKEN_WAITING_BEFORE_ANNOUNCE
	bit pre;
#endif
recv:
	if :: rclosed -> goto out :: else -> skip fi;                  /* r.disconnected(): recv.go:85-88 (:176 ReceiverClosing) */
	try_pop(ok);                                                   /* r.tryPop(): :95 */
	if :: ok -> goto delivered :: else -> skip fi;                 /* r.take: :107 */
waitItem:
	/* r.waitItem(ctx, true): recv.go:110 -> :212-222 */
#ifdef BROKEN_WAITING_BEFORE_ANNOUNCE
	pre = rpark;                                                   /* mutant: w := st.RecvPark.Waiting() before Await, used by Ready */
#endif
	item_ready(c, cl, WK_FIRST);                                   /* c.Ready(): recv.go:214 */
	if
	:: c && cl -> WAIT_ENDED; goto out                             /* ErrClosed: if block { r.waitEnded() }: :111-115 */
	:: c && !cl -> goto pop
	:: else -> skip
	fi;
	/* endpoint.Await(ctx, c, &sl): recv.go:221 -> wait.go:89-115; the
	 * Spinner's pre-announce Ready (:94-98; RecvPark idle: no wake) is not
	 * modelled */
	expired = 0;
	do
	:: rpark = WAITING;                                            /* s.park.Prepare(nil): wait.go:100 (parker.go:109) */
		item_ready(c, cl, WK_ANNOUNCED);                           /* c.Ready(): wait.go:101 */
		if
		:: c -> CANCEL(rpark); break                               /* s.park.Cancel(): :102-103 */
		:: else ->
			SLEEP(rtok);                                           /* sleepOn: :106 */
			CANCEL(rpark);                                         /* s.park.Cancel(): :107 */
			item_ready(c, cl, WK_ANNOUNCED);                       /* c.Ready(): :108 (RecvPark idle now: no wake) */
			if
			:: c -> break                                          /* :109 */
			:: else -> if :: expired -> break :: else -> skip fi   /* serr != nil: :111-113 */
			fi
		fi
	od;
	if
	:: c && cl -> WAIT_ENDED; goto out                             /* ErrClosed: r.waitEnded(): recv.go:111-115 */
	:: c && !cl -> skip
	:: else -> atomic { WAIT_ENDED; expired = 0; c = 0; cl = 0 }; goto recv  /* ctx.Err(): waitEnded, :111-115; the user calls Recv again */
	fi;
pop:
	try_pop(ok);                                                   /* r.tryPop(): recv.go:119 */
	if
	:: ok -> skip                                                  /* r.take: :120 */
	:: else -> atomic { WAIT_ENDED; c = 0; cl = 0 }; goto waitItem /* r.waitEnded(): :122; the loop :109 */
	fi;
delivered:
#ifdef BROKEN_DONE_AFTER_TAKEN
	atomic { RECVDONE_ADD; v = 0; ok = 0; c = 0; cl = 0; expired = 0 };  /* mutant: take's RecvDone.Add(1) after TakeOffer (before 8d7be72) */
#else
	atomic { v = 0; ok = 0; c = 0; cl = 0; expired = 0 };          /* take: receiver/take.go:36-43 (RecvDone moved in TakeOffer) */
#endif
#ifdef RX_STOP
	n++;
	if :: n == RX_STOP -> goto out :: else -> skip fi;
#endif
	goto recv;
out:
	rdone = 1
}
#else
/* TryRecv (recv.go:37-42 -> recv, :81-124, with block == false): ok, or
 * c && cl (ErrClosed), or neither (ErrEmpty). Its waitItem (:212-219) is
 * Ready alone: ErrEmpty at :217-218, with no wake of its own since 0b68c67
 * (Ready's own wake, when RecvPark is announced, is what wakes selecting
 * senders: in a Selector's re-check, after its Prepare). */
inline try_recv(ok, c, cl) {
	ok = 0; c = 0; cl = 0;
	if
	:: rclosed -> c = 1; cl = 1                                    /* r.disconnected(): recv.go:85-88 */
	:: else ->
		try_pop(ok);                                               /* r.tryPop(): :95 */
		do
#ifdef BROKEN_DONE_AFTER_TAKEN
		:: ok -> RECVDONE_ADD; break                               /* mutant: take's RecvDone.Add(1) after TakeOffer */
#else
		:: ok -> break                                             /* r.take: :107, :120 (RecvDone moved in TakeOffer) */
#endif
		:: else ->
#ifdef OLD_RECV_WAKE
			item_ready(c, cl, WK_ALWAYS);                          /* (before 0b68c67) Ready woke unconditionally */
#else
			item_ready(c, cl, WK_WAITING);                         /* waitItem(ctx, false): c.Ready(), recv.go:110 -> :214 */
#endif
			if
			:: c && !cl ->
				c = 0;
				try_pop(ok);                                       /* the loop in recv: r.tryPop(), :119 */
				if :: !ok -> WAIT_ENDED :: else -> skip fi         /* r.waitEnded(): :122 */
			:: c && cl -> break                                    /* ErrClosed: :111-115 (no waitEnded: !block) */
			:: !c ->
#ifdef OLD_RECV_WAKE
				/* (before 0b68c67) waitItem's !block branch: if RecvPark
				 * is announced, wakeSelectingSenders again */
				if
				:: rpark == WAITING -> wake_selecting()
				:: else -> skip
				fi;
#endif
				break                                              /* ErrEmpty: :217-218 */
			fi
		od
	fi
}

/* Selector.poll (select.go:185-201) of a Selector whose cases are On(rx)
 * and, with RX_OTHER, a case of another channel that may become ready
 * (quit); round robin (s.next): either case may be polled first. d: a case
 * chosen; q: the other one. */
inline select_poll(d, q) {
	d = 0; q = 0;
	if
	:: quit -> d = 1; q = 1                                        /* the other case first */
	:: true ->
		try_recv(ok, c, cl);                                       /* recvCase.poll: c.rx.TryRecv(), select.go:39-50 */
		if
		:: ok || c -> d = 1
		:: else -> if :: quit -> d = 1; q = 1 :: else -> skip fi
		fi
	fi
}

/* Select (select.go:160-172) in a loop, until ErrClosed (or RX_STOP
 * items, or the other case) */
proctype Receiver() {
	byte v, w, i, j, nxt = 0, n = 0;
	bit woke, ok, c, cl, d, q, expired;
#ifdef BROKEN_WAITING_BEFORE_ANNOUNCE
	bit pre;  /* unused here: the mutant is the Recv's */
#endif
recv:
	select_poll(d, q);                                             /* s.poll(): select.go:161 */
	if
	:: d -> goto chosen                                            /* chosen without a wait: :162 */
	:: else -> skip
	fi;
	/* s.await(ctx): select.go:164 -> select_shared.go:52 -> Await ->
	 * awaitSet (wait.go:119-153) */
	expired = 0;
	do
	:: rpark = WAITING;                                            /* p.Prepare(&set.wake), RecvPark: wait.go:130-132 */
#ifdef RX_OTHER
		opark = WAITING;                                           /* the other case's Parker, same loop */
#endif
		select_poll(d, q);                                         /* c.Ready(): selectReady -> poll, wait.go:133 */
		if
#ifdef RX_OTHER
		:: d -> CANCEL(rpark); CANCEL(opark); break                /* p.Cancel() of each: :134-137 */
#else
		:: d -> CANCEL(rpark); break                               /* p.Cancel(): :134-137 */
#endif
		:: else ->
			SLEEP(rtok);                                           /* sleepOnAll: :142 */
			CANCEL(rpark);                                         /* p.Cancel() of each: :143-145 */
#ifdef RX_OTHER
			CANCEL(opark);
#endif
			select_poll(d, q);                                     /* c.Ready(): :146-148 */
			if
			:: d -> break
			:: else -> if :: expired -> break :: else -> skip fi   /* serr: :149-151 */
			fi
		fi
	od;
	WAIT_ENDED;                                                    /* for each case, c.waitEnded(): select.go:165-167 */
	if
	:: d -> skip                                                   /* :171 */
	:: else -> atomic { expired = 0; c = 0; cl = 0 }; goto recv    /* ctx.Err(): :168-169; Select again */
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
	 * makes it ready (quit), then wakes the other channel's Parker, whose
	 * token goes to the Selector's channel (rtok) */
	quit = 1;
	wake(opark, rtok);
#endif
again:
	if
	:: lane ->
		/* Sender.Close of lane 0 (sender.go:99-100) -> CloseLane
		 * (state.go:451-463) */
		lane = 0;
		atomic { !mu -> mu = 1 };                                  /* st.mu.Lock(): state.go:452 */
		if
		:: lclosed[0] -> mu = 0                                    /* l.closed.Load(): :453; Unlock :454 */
		:: else ->
			lclosed[0] = 1;                                        /* l.closed.Store(true): :457 */
			marked[0] = 1;                                         /* l.Ring.Close(): :458 */
			mu = 0;                                                /* st.mu.Unlock(): :459 */
			wake(rpark, rtok);                                     /* st.RecvPark.Wake(): :460 */
			wake(spark[0], stok[0])                                /* l.SendPark.Wake(): :461 */
		fi;
		goto again
	:: disc ->
		/* Receiver.Close (receiver/receiver.go:87-88) -> CloseOneReceiver
		 * (internal/endpoint/receivers.go:180-211), the last receiver: its
		 * flag and the disconnect (disconnectLocked, state.go:471-482: the
		 * marks, then recvClosed) in one critical section of mu; rclosed
		 * stands for both the flag and recvClosed (recvClosing, :472, is
		 * not modelled: a receive that sees it waits for the disconnect to
		 * finish, which the model's receiver does not need to) */
		disc = 0;
		atomic { !mu -> mu = 1 };                                  /* st.mu.Lock(): receivers.go:181 */
		if
		:: rclosed -> mu = 0                                       /* f.closed.Load() || ReceiverClosed(): :182-184 */
		:: else ->
			i = 0;
			do :: i < NL -> marked[i] = 1; i++ :: else -> break od;  /* l.Ring.Close(): state.go:474-476 */
			rclosed = 1;                                           /* st.receiver.Store(recvClosed): :477 (and the flag, receivers.go:186) */
			mu = 0;                                                /* st.mu.Unlock(): receivers.go:205 */
			wake(rpark, rtok);                                     /* wakeDisconnected: st.RecvPark.Wake(), state.go:488 */
			i = 0;
			do :: i < NL -> wake(spark[i], stok[i]); i++ :: else -> break od  /* l.SendPark.Wake(): :489-491 */
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
#ifdef RX_OTHER
	assert(!rdone || opark == IDLE);
#endif
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
