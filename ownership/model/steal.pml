/*
 * steal.pml: SPIN model of the handoff ownership protocol
 * (github.com/handoff-go/handoff/ownership).
 *
 * What is modelled: one object header word; per owner the ctl word (epoch,
 * tick, safepoint, retire, closed, waiting, parked, pending), the
 * owner-local cur epoch, the notification channel (c.wake) and the
 * steal-finished notification (c.doneWaiters + c.done). Steal S1..S5 with
 * rollback on context expiry, TrySteal, the wait for another thief's steal,
 * Preempt, Park/Unpark, Freeze, CanRead, Thaw T1..T5 (safepoint requests,
 * no bump; rollback to frozen), Close, and Retire (close on behalf of a
 * parked owner, or a request that the owner's goroutine answers at its
 * next preemption point).
 *
 * Modelling convention: every atomic{} holds exactly ONE access to a shared
 * word of the Go code (one Load, Store, CAS or Swap; a mutex-protected
 * channel take/close counts as one step) plus the purely local decisions
 * that follow it; a goto/break out of an atomic ends it. The comment on each
 * names the Go function and file:line (as of the commit named in README.md).
 * SPIN explores every interleaving of these steps under sequential
 * consistency, which is what Go's sync/atomic gives.
 *
 * Ghost variables (writers, inW, inR, data, finished) are not Go state; they
 * only state the properties. A channel is modelled by a generation counter:
 * closing the current channel is gen++, a waiter that took the channel at
 * generation g is woken once gen != g. cur[i] == 0 stands for noneWord
 * (owner i closed, as its goroutine knows); no header ever holds (i, 0).
 *
 * Processes: owner 1 (the victim, owns the object at the start) and owners 2
 * and 3 (thieves, which are victims of each other once they hold it); with
 * RETIRE=n, a retirer that calls Retire on owner n once, at any moment. All
 * owners end with Close (or, with PARK_AT_END, park for good: a goroutine
 * blocked forever).
 *
 * Compile-time switches (spin -DNAME ...):
 *   KV=n, KT=n        rounds of the victim (default 2) and of each thief (1)
 *   NOWN=n            owners (default 3; 2 drops owner 3)
 *   NO_FREEZE         drop Freeze/CanRead/Thaw (smaller state space)
 *   THAW_ONLY         the victim freezes and reads, the others read and thaw
 *   NO_TIMEOUT        contexts never expire: every wait must be ended by the
 *                     protocol itself; lost wake-ups and wait cycles show up
 *                     as invalid end states / liveness violations
 *   RETIRE=n          a retirer process retires owner n
 *   PARK_AT_END       owners end parked instead of closed
 *   TICKBITS=n        width of the tick field (default 1: wraps after 2
 *                     answers, so wrap-around is explored; Go has 8 bits)
 * Mutants (each must make the check FAIL; check.sh runs them):
 *   BROKEN_SKIP_WAIT  thief skips S4 (does not wait for the victim's bump):
 *                     violates (a)
 *   BROKEN_LATE_CHAN  waitCtl takes the notification channel AFTER setting
 *                     the waiting bit: lost wake-up, deadlock (NO_TIMEOUT)
 *   BROKEN_NOPARK     the wait for another thief's steal (waitStealDone) is
 *                     not a preemption point: victim and thief wait for each
 *                     other, deadlock (NO_TIMEOUT)
 *   BROKEN_THAW_EARLY thawer reads the other owners' ctl words (T3) BEFORE
 *                     its frozen -> stealing CAS (T2): a reader that passes
 *                     its preemption point in between and reads again is
 *                     not waited for: violates (a)
 *   BROKEN_THAW_NOWAIT thawer does not wait for the safepoint answers (T4):
 *                     violates (a)
 *   BROKEN_TICK_NOWAKE a preemption point that answers a safepoint request
 *                     clears waiting but does not wake the sleeping thawer:
 *                     lost wake-up, deadlock (NO_TIMEOUT, PARK_AT_END)
 *   BROKEN_RETIRE_SPLIT Retire sees parked, then sets closed in a separate
 *                     step (not one CAS): the owner unparks and writes in
 *                     between, a thief takes the object: violates (a)
 *   BROKEN_RETIRE_EAGER Retire closes a running owner at once (what
 *                     Owner.Close from another goroutine did): violates (a)
 *   BROKEN_RETIRE_IS_CLOSED thieves treat a retire request as closed:
 *                     violates (a)
 *   BROKEN_UNPARK_CLOSED Unpark does not notice a close made on the owner's
 *                     behalf and refreshes cur: violates (a)
 *   BROKEN_CLOSED_S5  a thief closed while it waited completes its steal
 *                     naming itself and reports success: a closed owner
 *                     writes: violates (a)
 */

#ifndef KV
#define KV 2
#endif
#ifndef KT
#define KT 1
#endif
#ifndef NOWN
#define NOWN 3
#endif
#ifndef TICKBITS
#define TICKBITS 1
#endif

/* ---- object header word: id<<8 | epoch  (header.go) ------------------- */
#define FROZEN   1               /* frozenEpoch:   (0, FROZEN) = frozen     */
#define STEALING 255             /* stealingEpoch: (id, STEALING)           */
#define EPOCH0   2               /* firstEpoch                              */
#define W(id,ep) (((id)<<8)|(ep))
#define WID(w)   ((w)>>8)
#define WEP(w)   ((w)&255)
#define FROZENW  W(0,FROZEN)

/* ---- owner ctl word (owner.go) ----------------------------------------
 *   epoch<<10 | tick<<8 | safepoint | retiring | closed | waiting | parked | pending
 */
#define PENDMASK 7
#define PARKED   8
#define WAITING  16
#define CLOSED   32
#define RETIRING 64
#define SAFEPT   128
#define TICKSH   8
#define TICKMAX  ((1<<TICKBITS)-1)
#define EPSH     10
#define EP(c)    ((c)>>EPSH)
#define TICK(c)  (((c)>>TICKSH)&TICKMAX)
#define PEND(c)  ((c)&PENDMASK)
#define HAS(c,b) (((c)&(b))!=0)
#define ASK      (PENDMASK|RETIRING|SAFEPT)	/* owner.go askMask */
/* owner.go answered(): clear safepoint, waiting, pending; tick+1 iff
 * safepoint; epoch+1 iff pending; parked, closed, retire kept */
#define ANSWERED(c) ((((PEND(c) > 0 -> EP(c)+1 : EP(c)))<<EPSH) | \
	(((HAS(c,SAFEPT) -> TICK(c)+1 : TICK(c)) & TICKMAX)<<TICKSH) | \
	((c)&(PARKED|CLOSED|RETIRING)))
/* steal.go bumped(): answered with a steal pending (a parked owner) */
#define BUMP(c)  ANSWERED((c)|1)
/* owner.go closedWord(): closed; waiting, retire, safepoint, pending dropped */
#define CLOSEDW(c) (((c)|CLOSED) & ~(WAITING|RETIRING|SAFEPT|PENDMASK))
/* steal.go moved() */
#ifndef BROKEN_RETIRE_IS_CLOSED
#define MOVED(c,e) (EP(c)!=(e) || HAS(c,CLOSED))
#else
#define MOVED(c,e) (EP(c)!=(e) || HAS(c,CLOSED|RETIRING))
#endif
/* steal.go want.met(): a thief waits for MOVED, a thawer also for parked
 * or a tick */
#define MET(c,e,t,sp) (MOVED(c,e) || ((sp) && (HAS(c,PARKED) || TICK(c)!=(t))))
/* steal.go want.sleepBits(): a thawer renews its safepoint request as it
 * sleeps (needed only after tick wrapped around, which takes concurrent
 * thaws of several objects: not reachable with one object) */
#define SLEEPBITS(sp) ((sp) -> (WAITING|SAFEPT) : WAITING)

#ifdef NO_TIMEOUT
#define CTX_DONE false
#else
#define CTX_DONE true
#endif

#define R_OK        1
#define R_FAIL      2   /* ErrFrozen, TrySteal (false, nil), ErrNotFrozen, ... */
#define R_TIMEOUT   3   /* ctx expired, rolled back */
#define R_CLOSED    4   /* the caller is closed: ErrOwnerClosed */

short word = W(1,EPOCH0);      /* Header.word                                  */
int   ctl[NOWN+1];             /* core.ctl                                     */
byte  cur[NOWN+1];             /* Owner.cur (its epoch; 0 = noneWord)          */
byte  gen[NOWN+1];             /* core.wake: generation of the channel         */
bit   dflag[NOWN+1];           /* core.doneWaiters                             */
byte  dgen[NOWN+1];            /* core.done: generation of the channel         */

/* ghosts */
bit   inW[NOWN+1];             /* holds write access (a successful check) until its next preemption point */
bit   inR[NOWN+1];             /* holds read access (CanRead) until its next preemption point */
byte  writers;                 /* processes currently holding write access     */
byte  data;                    /* the object's plain field                     */
byte  finished;                /* owners that returned from Close              */

#if NOWN == 3
#define NO_OTHER_W(me) (!((1!=(me) && inW[1]) || (2!=(me) && inW[2]) || (3!=(me) && inW[3])))
#define NO_OTHER_R(me) (!((1!=(me) && inR[1]) || (2!=(me) && inR[2]) || (3!=(me) && inR[3])))
#else
#define NO_OTHER_W(me) (!((1!=(me) && inW[1]) || (2!=(me) && inW[2])))
#define NO_OTHER_R(me) (!((1!=(me) && inR[1]) || (2!=(me) && inR[2])))
#endif

/* a preemption point ends every check result: leave the write / read */
inline leave() {
	if
	:: inW[me] -> writers--; inW[me] = 0; data = 0
	:: else -> skip
	fi;
	inR[me] = 0
}

/* enter write access (ghost; rides on the step that grants it) */
inline enterW() {
	if
	:: !inW[me] -> inW[me] = 1; writers++
	:: else -> skip
	fi;
	assert(writers <= 1);                       /* (a) */
	assert(NO_OTHER_W(me) && NO_OTHER_R(me));   /* (a) */
	assert(!HAS(ctl[me], CLOSED));              /* (a) a closed owner writes nothing */
	data = me                                   /* plain write, step 1 */
}

/*
 * Plain write of the object by a holder of write access, in two steps: the
 * first (data = me) rides on the step that grants access (enterW callers),
 * the second checks that nobody wrote in between.
 */
inline plainwrite() {
	assert(data == me)	/* plain write, step 2: nobody wrote in between (a) */
}

/* ---------------------------------------------------------------------- */
/* Owns, then write if true                                                */
inline owns_write() {
	atomic {	/* claim.go:12 Owns: h.word.Load() == o.cur */
		if
		:: cur[me] != 0 && word == W(me, cur[me]) -> enterW(); ok = 1
		:: else -> ok = 0
		fi
	};
	if
	:: ok -> plainwrite()
	:: else -> skip
	fi
}

/* closed(): wake every waiter (owner.go:400 core.closed; deregistration
 * is not modelled: the closed bit stands for it) */
inline wake_closed(i) {
	gen[i]++	/* owner.go:401 wakeWaiters */
}

/* ---------------------------------------------------------------------- */
/* Preempt (owner.go:278) and preemptSlow (owner.go:288)                   */
inline preempt() {
	do
	:: atomic {	/* owner.go:282/291 Preempt: load ctl; fast path unless askMask */
		leave(); c2 = ctl[me];
		if
		:: !HAS(c2, ASK) -> break	/* closed: nothing is asked of a closed owner */
		:: else -> skip
		fi
	   };
	   atomic {	/* owner.go:300 CAS -> closedWord (retire asked) / :312 CAS -> answered(c) */
		if
		:: ctl[me] == c2 && HAS(c2, RETIRING) ->
			ctl[me] = CLOSEDW(c2); cur[me] = 0; ok = 1	/* :301 o.cur = noneWord */
		:: ctl[me] == c2 && !HAS(c2, RETIRING) ->
			ctl[me] = ANSWERED(c2); cur[me] = EP(ANSWERED(c2));	/* :313 o.cur */
#ifndef BROKEN_TICK_NOWAKE
			ok = HAS(c2, WAITING);
#else
			ok = HAS(c2, WAITING) && !HAS(c2, SAFEPT);	/* mutant: a safepoint answer wakes nobody */
#endif
			if
			:: !ok -> break
			:: else -> skip
			fi
		:: else -> ok = 0
		fi
	   };
	   if
	   :: atomic { ok -> gen[me]++; ok = 0 }; break	/* owner.go:302 closed() / :315 wakeWaiters */
	   :: !ok -> skip	/* CAS lost: retry */
	   fi
	od;
	c2 = 0
}

/* Park (owner.go:329): set parked; answer (or close for a retire) in the same CAS */
inline park() {
	do
	:: atomic {	/* owner.go:336 Park: load ctl */
		leave(); c2 = ctl[me];
		if
		:: HAS(c2, CLOSED) -> cur[me] = 0; break	/* :338-340 */
		:: else -> assert(!HAS(c2, PARKED))
		fi
	   };
	   atomic {	/* owner.go:352 Park: CAS c -> closedWord|parked / answered|parked / c|parked */
		if
		:: ctl[me] == c2 ->
			if
			:: HAS(c2, RETIRING) -> ctl[me] = CLOSEDW(c2) | PARKED; cur[me] = 0; ok = 1
			:: !HAS(c2, RETIRING) && HAS(c2, ASK) -> ctl[me] = ANSWERED(c2) | PARKED;
#ifndef BROKEN_TICK_NOWAKE
				ok = HAS(c2, WAITING)
#else
				ok = HAS(c2, WAITING) && !HAS(c2, SAFEPT)
#endif
			:: !HAS(c2, ASK) -> ctl[me] = c2 | PARKED; ok = HAS(c2, WAITING)
			fi;
			if
			:: !ok -> break
			:: else -> skip
			fi
		:: else -> ok = 0
		fi
	   };
	   if
	   :: atomic { ok -> gen[me]++; ok = 0 }; break	/* owner.go:356 closed() / :358 wakeWaiters */
	   :: !ok -> skip
	   fi
	od;
	c2 = 0
}

/* Unpark (owner.go:370): clear parked, refresh o.cur; closed: cur = none */
inline unpark() {
	do
	:: atomic {	/* owner.go:380 Unpark: load ctl */
		c2 = ctl[me];
		/* owner.go invariant 3 (a closed owner may have parked after its close: no bit) */
		assert(HAS(c2, CLOSED) || (HAS(c2, PARKED) && PEND(c2) == 0 && !HAS(c2, RETIRING|SAFEPT)));
#ifndef BROKEN_UNPARK_CLOSED
		if
		:: HAS(c2, CLOSED) -> cur[me] = 0; break	/* :381-384 closed on our behalf */
		:: else -> skip
		fi
#endif
	   };
	   atomic {	/* owner.go:390 Unpark: CAS c -> c&^parked; :391 o.cur = epoch */
		if
		:: ctl[me] == c2 -> ctl[me] = c2 & ~PARKED; cur[me] = EP(c2); break
		:: else -> skip
		fi
	   }
	od;
	c2 = 0
}

/* Close (owner.go:213): set closed (idempotent), wake */
inline close() {
	do
	:: atomic {	/* owner.go:216 Close: load ctl */
		leave(); c2 = ctl[me];
		if
		:: HAS(c2, CLOSED) -> cur[me] = 0; break	/* :217-219 closed before (Retire) */
		:: else -> skip
		fi
	   };
	   atomic {	/* owner.go:222 Close: CAS c -> closedWord(c); :227 o.cur = noneWord */
		if
		:: ctl[me] == c2 -> ctl[me] = CLOSEDW(c2); cur[me] = 0; ok = 1; break
		:: else -> skip
		fi
	   }
	od;
	if
	:: atomic { ok -> ok = 0; wake_closed(me) }	/* owner.go:223 closed() */
	:: atomic { !ok -> skip }
	fi;
	c2 = 0
}

/* stealFinished (owner.go:448), after every store that ends a steal/thaw */
inline steal_finished() {
	atomic {	/* owner.go:450 doneWaiters.Load() */
		ok = dflag[me]
	};
	if
	:: atomic { ok -> ok = dflag[me]; dflag[me] = 0 };	/* owner.go:450 doneWaiters.Swap(false) */
	   if
	   :: atomic { ok -> dgen[me]++; ok = 0 }	/* owner.go:451-455 lock; close(c.done); nil */
	   :: !ok -> skip
	   fi
	:: !ok -> skip
	fi
}

/*
 * waitCtl (steal.go:298) minus its spin phase (modelled by the caller):
 * parked, wait until owner vv's ctl meets (ee, tt, sp): a thief (sp = 0)
 * waits for vv to leave epoch ee or close; a thawer (sp = 1) also for vv
 * parked or its tick != tt. Expiry of the context sets res = R_TIMEOUT.
 * The ctx.Err() poll at steal.go:312 is folded into the select (same
 * outcomes, fewer states).
 */
inline await(vv, ee, tt, sp) {
	park();	/* steal.go:307 o.Park() */
	do
	::
#ifndef BROKEN_LATE_CHAN
	   g = gen[vv];	/* steal.go:315 ch := v.wakeChan() (under v.mu) */
#endif
	   do
	   :: atomic {	/* steal.go:317 load v.ctl */
		c = ctl[vv];
		if
		:: MET(c, ee, tt, sp) -> ok = 1; break	/* steal.go:318 met: return nil */
		:: !MET(c, ee, tt, sp) && (c & SLEEPBITS(sp)) == SLEEPBITS(sp) -> break	/* steal.go:323 bits already set */
		:: else -> skip
		fi
	      };
	      atomic {	/* steal.go:323 CAS c -> c|sleepBits (fails if the word moved) */
		if
		:: ctl[vv] == c -> ctl[vv] = c | SLEEPBITS(sp); break
		:: else -> skip
		fi
	      }
	   od;
#ifdef BROKEN_LATE_CHAN
	   g = gen[vv];	/* mutant: channel taken after the bit is set */
#endif
	   if
	   :: ok -> ok = 0; break
	   :: atomic { !ok && gen[vv] != g -> skip }	/* steal.go:328 <-ch */
	   :: atomic { !ok && CTX_DONE -> res = R_TIMEOUT }; break	/* steal.go:329 <-done */
	   fi
	od;
	unpark();	/* steal.go:308 defer o.Unpark() */
	c = 0; g = 0
}

/* ---------------------------------------------------------------------- */
/* Steal / TrySteal (try == 1): steal.go:91 steal. Expanded once per proctype. */
inline steal() {
	skip;
S1:
	atomic {	/* steal.go:96 closed? (local); :100 S1: w := h.word.Load() */
		if	/* checked first: a closed owner never writes a header */
		:: cur[me] == 0 -> res = R_CLOSED; goto SDONE	/* :96-98 callerClosed */
		:: else -> skip
		fi;
		w = word; v = WID(w); e = WEP(w);
		if
		:: w == W(me, cur[me]) -> res = R_OK; goto SDONE	/* :101 mine */
		:: w == FROZENW -> res = R_FAIL; goto SDONE	/* :116 ErrFrozen */
		:: w == 0 -> goto CLAIM	/* :105 free */
		:: e == STEALING && try -> res = R_FAIL; goto SDONE	/* :123 TrySteal (false, nil) */
		:: e == STEALING && !try -> assert(v != me); goto SWAIT	/* :126 */
		:: else -> skip
		fi
	};
	atomic {	/* steal.go:136-140 lookupCore(vid), v.ctl.Load(): stale or closed? (own word: v == nil) */
		c = ctl[v];
		if
		:: v == me || MOVED(c, e) -> goto CLAIM
		:: else -> goto S2
		fi
	};
SWAIT:	/* steal.go:337 waitStealDone(h, w): thief v's steal is in progress */
	atomic {	/* steal.go:339 spin: h.word.Load() != w */
		if
		:: word != w -> goto S1
		:: else -> skip
		fi
	};
	atomic {	/* steal.go:346 t := lookupCore(t) (closed <=> deregistered) */
		tcl = HAS(ctl[v], CLOSED)
	};
#ifndef BROKEN_NOPARK
	park();	/* steal.go:347 o.Park() */
#endif
	if
	:: tcl ->	/* steal.go:354-360 t closed: poll the word */
		tcl = 0;
		if
		:: atomic { word != w -> skip }	/* steal.go:356 */
		:: atomic { CTX_DONE -> res = R_TIMEOUT }	/* steal.go:351 ctx.Err() */
		fi
	:: !tcl ->
		do
		:: g = dgen[v];	/* steal.go:362 ch := t.doneChan() (under t.mu) */
		   dflag[v] = 1;	/* steal.go:363 t.doneWaiters.Store(true) */
		   atomic {	/* steal.go:366 h.word.Load() != w */
			if
			:: word != w -> break
			:: else -> skip
			fi
		   };
		   if
		   :: atomic { dgen[v] != g -> skip }	/* steal.go:370 <-ch */
		   :: atomic { CTX_DONE -> res = R_TIMEOUT }; break	/* steal.go:371 <-done */
		   fi
		od
	fi;
#ifndef BROKEN_NOPARK
	unpark();	/* steal.go:348 defer o.Unpark() */
#endif
	g = 0;
	if
	:: res == R_TIMEOUT -> goto SDONE
	:: else -> goto S1
	fi;
CLAIM:
	atomic {	/* steal.go:108/149 claim CAS w -> (o.id, cur) */
		if
		:: word == w -> word = W(me, cur[me]); res = R_OK; goto SDONE
		:: else -> goto S1
		fi
	};
S2:
	atomic {	/* steal.go:156 S2: CAS w -> (o.id, stealingEpoch) */
		if
		:: word == w -> word = W(me, STEALING)
		:: else -> goto S1
		fi
	};
S3:
	atomic {	/* steal.go:222 S3 requestBump: load v.ctl */
		c = ctl[v];
		if
		:: MOVED(c, e) -> goto S5	/* :223 */
		:: HAS(c, PARKED) -> goto S3P	/* :226 */
		:: else -> assert(PEND(c) < PENDMASK)	/* :239 */
		fi
	};
	atomic {	/* steal.go:242 requestBump: CAS c -> c+1 */
		if
		:: ctl[v] == c -> ctl[v] = c + 1
		:: else -> goto S3
		fi
	};
#ifdef BROKEN_SKIP_WAIT
	goto S5;
#endif
	atomic {	/* steal.go:302 S4 waitCtl spin: v.ctl.Load() moved? */
		c = ctl[v];
		if
		:: MOVED(c, e) -> goto S5
		:: else -> skip
		fi
	};
	await(v, e, 0, 0);	/* steal.go:163 S4 */
	if
	:: res == R_TIMEOUT -> goto RB
	:: else -> goto S5
	fi;
S3P:
	atomic {	/* steal.go:231 requestBump: CAS c -> bumped(c) for the parked victim */
		if
		:: ctl[v] == c -> ctl[v] = BUMP(c);
			if
			:: HAS(c, WAITING) -> skip
			:: else -> goto S5
			fi
		:: else -> goto S3
		fi
	};
	gen[v]++;	/* steal.go:233 v.wakeWaiters() */
	goto S5;
RB:	/* steal.go:165 rollback: withdraw(v, e) */
	atomic {	/* steal.go:257 withdraw: load v.ctl */
		c = ctl[v];
		if
		:: MOVED(c, e) -> res = R_OK; goto S5	/* :258 moved after all: complete */
		:: else -> assert(PEND(c) > 0)	/* :261 */
		fi
	};
	atomic {	/* steal.go:264 withdraw: CAS c -> c-1 */
		if
		:: ctl[v] == c -> ctl[v] = c - 1
		:: else -> goto RB
		fi
	};
	word = w;	/* steal.go:168 rollback: h.word.Store(w) */
	steal_finished();	/* steal.go:169 */
	goto SDONE;
S5:
	atomic {	/* steal.go:178 closed while waiting? (local); :181 / :189 S5 store */
#ifndef BROKEN_CLOSED_S5
		if
		:: cur[me] == 0 -> word = 0; res = R_CLOSED	/* :181 free, callerClosed */
		:: else -> word = W(me, cur[me]); res = R_OK	/* :189 h.word.Store(target) */
		fi
#else
		word = W(me, cur[me]); res = R_OK	/* mutant: completes as if open */
#endif
	};
	steal_finished();	/* steal.go:182/190 */
SDONE:	skip;
	d_step { v = 0; e = 0; c = 0; w = 0; g = 0 }
}

/* ---------------------------------------------------------------------- */
/* Thaw (freeze.go:47): frozen -> mine, after every other live, unparked   */
/* owner's next preemption point (a safepoint answer: no bump)              */
inline thaw_request(j) {	/* freeze.go:81 requestSafepoint(v) (freeze.go:127) */
	do
	:: atomic {	/* freeze.go:129 load v.ctl */
		c = ctl[j];
		if
		:: HAS(c, CLOSED|PARKED) -> te[j] = 0; break	/* :131 no wait */
		:: HAS(c, SAFEPT) -> te[j] = EP(c); tt[j] = TICK(c); break	/* :133 asked already */
		:: else -> skip
		fi
	   };
	   atomic {	/* freeze.go:140 CAS c -> c|safepoint */
		if
		:: ctl[j] == c -> ctl[j] = c | SAFEPT; te[j] = EP(c); tt[j] = TICK(c); break
		:: else -> skip
		fi
	   }
	od;
	c = 0
}

inline thaw_requests() {	/* freeze.go:79 T3: registry.Range (owners other than o) */
	j = 1;
	do
	:: j <= NOWN ->
		if
		:: j != me -> thaw_request(j)
		:: else -> te[j] = 0
		fi;
		j++
	:: else -> break
	od
}

inline thaw() {
#ifdef BROKEN_THAW_EARLY
	thaw_requests();	/* mutant: T3 before T2 */
#endif
	atomic {	/* freeze.go:49 closed? (local); :54 T1 w := h.word.Load(); :66 T2 CAS frozenWord -> (o.id, stealingEpoch) */
		if
		:: cur[me] == 0 -> res = R_CLOSED; goto TDONE	/* :49-51 */
		:: else -> skip
		fi;
		if
		:: word == FROZENW -> word = W(me, STEALING)
		:: else -> res = R_FAIL; goto TDONE	/* :56-63 (a failed CAS reloads: same outcome) */
		fi
	};
#ifndef BROKEN_THAW_EARLY
	thaw_requests();	/* T3 */
#endif
#ifdef BROKEN_THAW_NOWAIT
	goto T5;
#endif
	j = 1;	/* freeze.go:89 T4: wait for each */
	do
	:: j <= NOWN ->
		if
		:: te[j] != 0 ->
			atomic {	/* steal.go:302 waitCtl spin: load v.ctl, met? */
				c = ctl[j];
				ok = MET(c, te[j], tt[j], 1)
			};
			if
			:: ok -> ok = 0
			:: else -> await(j, te[j], tt[j], 1)	/* freeze.go:90 */
			fi;
			if
			:: res == R_TIMEOUT -> goto TEXPIRED
			:: else -> skip
			fi
		:: else -> skip
		fi;
		j++
	:: else -> break
	od;
	goto T5;
TEXPIRED:	/* freeze.go:91-101: any owner from i on not yet passed? refreeze */
	ok = 0;
	do
	:: j <= NOWN && !ok ->
		atomic {	/* freeze.go:92 r.wt.met(r.v.ctl.Load()) */
			ok = (te[j] != 0 && !MET(ctl[j], te[j], tt[j], 1))
		};
		j++
	:: else -> break
	od;
	if
	:: ok ->
		ok = 0;
		word = FROZENW;	/* freeze.go:96 h.word.Store(frozenWord) */
		steal_finished();	/* freeze.go:97 */
		goto TDONE
	:: else -> res = R_OK	/* freeze.go:101 every owner passed after all: complete */
	fi;
T5:
	atomic {	/* freeze.go:108 closed while waiting? (local); :110 / :114 T5 store */
		if
		:: cur[me] == 0 -> word = FROZENW; res = R_CLOSED	/* :110 stays frozen */
		:: else -> word = W(me, cur[me]); res = R_OK	/* :114 h.word.Store(me) */
		fi
	};
	steal_finished();	/* freeze.go:111/115 */
TDONE:	skip;
	d_step { j = 0; te[1] = 0; te[2] = 0; te[NOWN] = 0; tt[1] = 0; tt[2] = 0; tt[NOWN] = 0; c = 0; g = 0 }
}

/* ---------------------------------------------------------------------- */
inline freeze() {
	atomic {	/* freeze.go:13 Freeze: CAS o.cur -> frozenWord (ends the write) */
		if
		:: cur[me] != 0 && word == W(me, cur[me]) -> word = FROZENW;
			if
			:: inW[me] -> writers--; inW[me] = 0; data = 0
			:: else -> skip
			fi
		:: else -> skip
		fi
	}
}

inline canread() {
	atomic {	/* freeze.go:26-28 CanRead: one load; o.cur, or frozenWord if o is open */
		if
		:: cur[me] != 0 && (word == W(me, cur[me]) || word == FROZENW) ->
			inR[me] = 1;
			assert(NO_OTHER_W(me))	/* (a) readers vs writers */
		:: else -> skip
		fi
	}
}

/*
 * use: Owns -> write; else Steal or TrySteal. A nil Steal (true TrySteal) is
 * itself a successful check (steal.go:67): the caller writes WITHOUT
 * re-checking Owns, the strongest use the Go API allows.
 */
inline use() {
	owns_write();
	if
	:: !ok ->
#ifdef ANY_TRY
		if
		:: try = 0
		:: try = 1
		fi;
#else
		try = (me == 3);	/* owner 3 uses TrySteal, owners 1, 2 Steal */
#endif
		steal();
		try = 0;
		if
		:: atomic { res == R_OK -> enterW() }; plainwrite()
		:: res != R_OK -> skip
		fi
	:: else -> ok = 0
	fi;
	res = 0
}

/*
 * Owner 1 (victim; owns the object at the start), KV rounds of
 *     use; then one of: Preempt | Park, Unpark (and, with RETIRE, Owns ->
 *     write: a goroutine back from a blocking call) | Freeze, CanRead, Preempt
 * Owners 2, 3 (thieves), KT rounds of
 *     one of: use (Steal/TrySteal, write) | CanRead, Thaw, write
 *     then Preempt.
 * Everyone ends with Close (PARK_AT_END: Park).
 */
proctype Owner(byte me)
{
	int c, c2;
	short w;
	byte v, e, g, j, res, it, act;
	byte te[NOWN+1], tt[NOWN+1];
	bit ok, try, tcl;

	do
	:: me == 1 && it < KV ->
		use();
		/* pick first: SPIN cannot merge several leading else's */
		if
#ifndef THAW_ONLY
		:: act = 1
		:: act = 2
#endif
#ifndef NO_FREEZE
		:: act = 3
#endif
		fi;
		if
		:: act == 1 -> preempt()
		:: act == 2 -> park(); unpark()
#ifdef RETIRE
			; owns_write(); ok = 0
#endif
		:: act == 3 -> freeze(); canread(); preempt()
		fi;
		act = 0;
		it++
	:: me != 1 && it < KT ->
		if
#ifndef THAW_ONLY
		:: act = 1
#endif
#ifndef NO_FREEZE
		:: act = 2
#endif
		fi;
		if
		:: act == 1 -> use()
		:: act == 2 ->
			canread();
			thaw();
			if
			:: atomic { res == R_OK -> enterW() }; plainwrite()
			:: res != R_OK -> skip
			fi;
			res = 0
		fi;
		act = 0;
		preempt();
		it++
	:: (me == 1 && it >= KV) || (me != 1 && it >= KT) -> break
	od;
#ifndef PARK_AT_END
	close();
#else
	park();	/* blocked for good */
#endif
	finished++
}

#ifdef RETIRE
/* Retire (owner.go:245) of owner RETIRE, by another goroutine, once */
proctype Retirer()
{
	int c;
	bit ok;
	do
	:: atomic {	/* owner.go:248 Retire: load ctl */
		c = ctl[RETIRE];
		if
		:: HAS(c, CLOSED|RETIRING) -> break	/* :249 */
		:: else -> skip
		fi
	   };
	   if
	   :: HAS(c, PARKED) ->
#ifndef BROKEN_RETIRE_SPLIT
		atomic {	/* owner.go:258 CAS c -> closedWord(c) on the parked owner's behalf */
			if
			:: ctl[RETIRE] == c -> assert(!inW[RETIRE]); ctl[RETIRE] = CLOSEDW(c); ok = 1
			:: else -> skip
			fi
		};
#else
		ctl[RETIRE] = ctl[RETIRE] | CLOSED; ok = 1;	/* mutant: not one CAS with the parked check */
#endif
		if
		:: ok -> wake_closed(RETIRE); break	/* owner.go:259 closed() */
		:: else -> skip
		fi
	   :: !HAS(c, PARKED) ->
		atomic {	/* owner.go:266 CAS c -> c|retire */
			if
			:: ctl[RETIRE] == c ->
#ifndef BROKEN_RETIRE_EAGER
				ctl[RETIRE] = c | RETIRING; break
#else
				ctl[RETIRE] = CLOSEDW(c); ok = 1	/* mutant: close a running owner */
#endif
			:: else -> skip
			fi
		};
		if
		:: ok -> wake_closed(RETIRE); break
		:: else -> skip
		fi
	   fi
	od
}
#endif

init {
	byte i;
	atomic {
		i = 1;
		do
		:: i <= NOWN -> ctl[i] = EPOCH0 << EPSH; cur[i] = EPOCH0; i++
		:: else -> break
		od;
		run Owner(1); run Owner(2);
#if NOWN == 3
		run Owner(3);
#endif
#ifdef RETIRE
		run Retirer()
#endif
	};
	finished == NOWN;
	/* (b) no object is lost: owned, free or frozen, never left STEALING,
	 * and no header names an owner at epoch 0 (noneWord is never stored) */
	assert(WEP(word) != STEALING && (word == 0 || WEP(word) != 0));
	assert(writers == 0);
#ifndef PARK_AT_END
	/* nobody left parked (a close on a parked owner's behalf keeps the bit) */
	assert((!HAS(ctl[1], PARKED) || HAS(ctl[1], CLOSED)) && (!HAS(ctl[2], PARKED) || HAS(ctl[2], CLOSED)) &&
		(!HAS(ctl[NOWN], PARKED) || HAS(ctl[NOWN], CLOSED)));
#endif
#if defined(THAW_ONLY) && KV == 1
	/* no steal happens here (the victim's only use finds its own object),
	 * so nothing may have bumped: a thaw bumps nobody */
	assert(EP(ctl[1]) == EPOCH0 && EP(ctl[2]) == EPOCH0 && EP(ctl[NOWN]) == EPOCH0)
#endif
}

/* (c) every owner finishes: every steal/thaw completes or rolls back */
ltl done { <> (finished == NOWN) }
