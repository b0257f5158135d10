/*
 * steal.pml: SPIN model of the handoff ownership protocol
 * (github.com/handoff-go/handoff/ownership).
 *
 * What is modelled: one object header word; per owner the ctl word (epoch,
 * parked, waiting, closed, pending), the owner-local cur epoch, the bump
 * notification channel (o.wake) and the steal-finished notification
 * (o.doneWaiters + o.done). Steal S1..S5 with rollback on context expiry,
 * TrySteal, the wait for another thief's steal, Preempt, Park/Unpark,
 * Freeze, CanRead, Thaw (with its rollback), Close.
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
 * generation g is woken once gen != g.
 *
 * Processes: owner 1 (the victim, owns the object at the start) and owners 2
 * and 3 (thieves, which are victims of each other once they hold it). All
 * end with Close.
 *
 * Compile-time switches (spin -DNAME ...):
 *   KV=n, KT=n        rounds of the victim (default 2) and of each thief (1)
 *   NO_FREEZE         drop Freeze/CanRead/Thaw (smaller state space)
 *   NO_TIMEOUT        contexts never expire: every wait must be ended by the
 *                     protocol itself; lost wake-ups and wait cycles show up
 *                     as invalid end states / liveness violations
 * Mutants (each must make the check FAIL; check.sh runs them):
 *   BROKEN_SKIP_WAIT  thief skips S4 (does not wait for the victim's bump):
 *                     violates (a)
 *   BROKEN_LATE_CHAN  waitBump takes the notification channel AFTER setting
 *                     the waiting bit: lost wake-up, deadlock (NO_TIMEOUT)
 *   BROKEN_NOPARK     the wait for another thief's steal (waitStealDone) is
 *                     not a preemption point: victim and thief wait for each
 *                     other, deadlock (NO_TIMEOUT)
 */

#ifndef KV
#define KV 2
#endif
#ifndef KT
#define KT 1
#endif
#define NOWN 3

/* ---- object header word: id<<8 | epoch  (header.go) ------------------- */
#define FROZEN   1               /* frozenEpoch:   (0, FROZEN) = frozen     */
#define STEALING 255             /* stealingEpoch: (id, STEALING)           */
#define EPOCH0   2               /* firstEpoch                              */
#define W(id,ep) (((id)<<8)|(ep))
#define WID(w)   ((w)>>8)
#define WEP(w)   ((w)&255)
#define FROZENW  W(0,FROZEN)

/* ---- owner ctl word: epoch<<6 | closed | waiting | parked | pending --- */
#define PARKED   8
#define WAITING  16
#define CLOSED   32
#define PENDMASK 7
#define EP(c)    ((c)>>6)
#define PEND(c)  ((c)&PENDMASK)
#define HAS(c,b) (((c)&(b))!=0)
/* owner.go bumped(): epoch+1, pending and waiting cleared, parked/closed kept */
#define BUMP(c)  (((((c)>>6)+1)<<6) | ((c)&(PARKED|CLOSED)))
/* steal.go moved() */
#define MOVED(c,e) (EP(c)!=(e) || HAS(c,CLOSED))

#ifdef NO_TIMEOUT
#define CTX_DONE false
#else
#define CTX_DONE true
#endif

#define R_OK        1
#define R_FAIL      2   /* ErrFrozen, TrySteal (false, nil), ErrNotFrozen, ... */
#define R_TIMEOUT   3   /* ctx expired, rolled back */

short word = W(1,EPOCH0);      /* Header.word                                  */
short ctl[NOWN+1];             /* Owner.ctl                                    */
byte  cur[NOWN+1];             /* Owner.cur (its epoch; plain, owner-local)    */
byte  gen[NOWN+1];             /* Owner.wake: generation of the channel        */
bit   dflag[NOWN+1];           /* Owner.doneWaiters                            */
byte  dgen[NOWN+1];            /* Owner.done: generation of the channel        */

/* ghosts */
bit   inW[NOWN+1];             /* holds write access (a successful check) until its next preemption point */
bit   inR[NOWN+1];             /* holds read access (CanRead) until its next preemption point */
byte  writers;                 /* processes currently holding write access     */
byte  data;                    /* the object's plain field                     */
byte  finished;                /* owners that returned from Close              */

#define NO_OTHER_W(me) (!((1!=(me) && inW[1]) || (2!=(me) && inW[2]) || (3!=(me) && inW[3])))
#define NO_OTHER_R(me) (!((1!=(me) && inR[1]) || (2!=(me) && inR[2]) || (3!=(me) && inR[3])))

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
	atomic {	/* claim.go:11 Owns: h.word.Load() == o.cur */
		if
		:: word == W(me, cur[me]) -> enterW(); ok = 1
		:: else -> ok = 0
		fi
	};
	if
	:: ok -> plainwrite()
	:: else -> skip
	fi
}

/* ---------------------------------------------------------------------- */
/* Preempt (owner.go:153) and preemptSlow (owner.go:163)                   */
inline preempt() {
	do
	:: atomic {	/* owner.go:157/165 Preempt: load ctl */
		leave(); c2 = ctl[me];
		if
		:: PEND(c2) == 0 -> break
		:: else -> skip
		fi
	   };
	   atomic {	/* owner.go:172 preemptSlow: CAS c -> bumped(c); :173 refresh o.cur */
		if
		:: ctl[me] == c2 ->
			ctl[me] = BUMP(c2); cur[me] = EP(c2)+1;
			if
			:: !HAS(c2, WAITING) -> break
			:: else -> ok = 1
			fi
		:: else -> ok = 0
		fi
	   };
	   if
	   :: atomic { ok -> gen[me]++; ok = 0 }; break	/* owner.go:175 wakeWaiters */
	   :: !ok -> skip	/* CAS lost: retry */
	   fi
	od;
	c2 = 0
}

/* Park (owner.go:188): set parked; bump in the same CAS if pending */
inline park() {
	do
	:: atomic {	/* owner.go:194 Park: load ctl */
		leave(); c2 = ctl[me];
		assert(!HAS(c2, PARKED))
	   };
	   atomic {	/* owner.go:202 Park: CAS c -> c|parked (bumped(c)|parked if pending) */
		if
		:: ctl[me] == c2 ->
			if
			:: PEND(c2) > 0 -> ctl[me] = BUMP(c2) | PARKED
			:: else -> ctl[me] = c2 | PARKED
			fi;
			if
			:: !(PEND(c2) > 0 && HAS(c2, WAITING)) -> break
			:: else -> ok = 1
			fi
		:: else -> ok = 0
		fi
	   };
	   if
	   :: atomic { ok -> gen[me]++; ok = 0 }; break	/* owner.go:204 wakeWaiters */
	   :: !ok -> skip
	   fi
	od;
	c2 = 0
}

/* Unpark (owner.go:214): clear parked, refresh o.cur */
inline unpark() {
	do
	:: atomic {	/* owner.go:223 Unpark: load ctl */
		c2 = ctl[me];
		assert(HAS(c2, PARKED) && PEND(c2) == 0)	/* owner.go invariant 3 */
	   };
	   atomic {	/* owner.go:227 Unpark: CAS c -> c&^parked; :228 o.cur = epoch */
		if
		:: ctl[me] == c2 -> ctl[me] = c2 & ~PARKED; cur[me] = EP(c2); break
		:: else -> skip
		fi
	   }
	od;
	c2 = 0
}

/* Close (owner.go:130): set closed, clear waiting, wake */
inline close() {
	do
	:: atomic { leave(); c2 = ctl[me] };	/* owner.go:132 Close: load ctl */
	   atomic {	/* owner.go:138 Close: CAS c -> (c|closed)&^waiting */
		if
		:: ctl[me] == c2 -> ctl[me] = (c2 | CLOSED) & ~WAITING;
			cur[me] = 0;	/* owner.go:142 o.cur = noneWord (local) */
			break
		:: else -> skip
		fi
	   }
	od;
	gen[me]++;	/* owner.go:143 wakeWaiters (unconditional) */
	c2 = 0
}

/* stealFinished (owner.go:272), after every store that ends a steal/thaw */
inline steal_finished() {
	atomic {	/* owner.go:273 doneWaiters.Load() */
		ok = dflag[me]
	};
	if
	:: atomic { ok -> ok = dflag[me]; dflag[me] = 0 };	/* owner.go:273 doneWaiters.Swap(false) */
	   if
	   :: atomic { ok -> dgen[me]++; ok = 0 }	/* owner.go:274-278 lock; close(o.done); nil */
	   :: !ok -> skip
	   fi
	:: !ok -> skip
	fi
}

/*
 * waitBump (steal.go:235) minus its spin phase (modelled by the caller):
 * parked, wait until owner vv left epoch ee or closed. Expiry of the context
 * sets res = R_TIMEOUT. The ctx.Err() poll at steal.go:247 is folded into the
 * select (same outcomes, fewer states).
 */
inline await_bump(vv, ee) {
	park();	/* steal.go:243 o.Park() */
	do
	::
#ifndef BROKEN_LATE_CHAN
	   g = gen[vv];	/* steal.go:250 ch := v.wakeChan() (under v.mu) */
#endif
	   do
	   :: atomic {	/* steal.go:252 load v.ctl */
		c = ctl[vv];
		if
		:: MOVED(c, ee) -> ok = 1; break	/* steal.go:253 moved: return nil */
		:: HAS(c, WAITING) -> break	/* steal.go:258 bit already set */
		:: else -> skip
		fi
	      };
	      atomic {	/* steal.go:258 CAS c -> c|waiting (fails if the epoch moved) */
		if
		:: ctl[vv] == c -> ctl[vv] = c | WAITING; break
		:: else -> skip
		fi
	      }
	   od;
#ifdef BROKEN_LATE_CHAN
	   g = gen[vv];	/* mutant: channel taken after the bit is set */
#endif
	   if
	   :: ok -> ok = 0; break
	   :: atomic { !ok && gen[vv] != g -> skip }	/* steal.go:263 <-ch */
	   :: atomic { !ok && CTX_DONE -> res = R_TIMEOUT }; break	/* steal.go:264 <-done */
	   fi
	od;
	unpark();	/* steal.go:244 defer o.Unpark() */
	c = 0; g = 0
}

/* ---------------------------------------------------------------------- */
/* Steal / TrySteal (try == 1): steal.go:77 steal. Expanded once per proctype. */
inline steal() {
	skip;
S1:
	atomic {	/* steal.go:84 S1: w := h.word.Load() */
		w = word; v = WID(w); e = WEP(w);
		if
		:: w == W(me, cur[me]) -> res = R_OK; goto SDONE	/* :85 mine */
		:: w == FROZENW -> res = R_FAIL; goto SDONE	/* :103 ErrFrozen */
		:: w == 0 -> goto CLAIM	/* :96 free */
		:: e == STEALING && try -> res = R_FAIL; goto SDONE	/* :114 TrySteal (false, nil) */
		:: e == STEALING && !try -> assert(v != me); goto SWAIT	/* :117 */
		:: else -> skip
		fi
	};
	atomic {	/* steal.go:127-131 Lookup(vid), v.ctl.Load(): stale or closed? (own word: v == nil) */
		c = ctl[v];
		if
		:: v == me || MOVED(c, e) -> goto CLAIM
		:: else -> goto S2
		fi
	};
SWAIT:	/* steal.go:272 waitStealDone(h, w): thief v's steal is in progress */
	atomic {	/* steal.go:274 spin: h.word.Load() != w */
		if
		:: word != w -> goto S1
		:: else -> skip
		fi
	};
	atomic {	/* steal.go:279 t, ok := Lookup(t) (closed <=> deregistered) */
		tcl = HAS(ctl[v], CLOSED)
	};
#ifndef BROKEN_NOPARK
	park();	/* steal.go:280 o.Park() */
#endif
	if
	:: tcl ->	/* steal.go:287-294 t closed: poll the word */
		tcl = 0;
		if
		:: atomic { word != w -> skip }	/* steal.go:290 */
		:: atomic { CTX_DONE -> res = R_TIMEOUT }	/* steal.go:284 ctx.Err() */
		fi
	:: !tcl ->
		do
		:: g = dgen[v];	/* steal.go:296 ch := t.doneChan() (under t.mu) */
		   dflag[v] = 1;	/* steal.go:297 t.doneWaiters.Store(true) */
		   atomic {	/* steal.go:300 h.word.Load() != w */
			if
			:: word != w -> break
			:: else -> skip
			fi
		   };
		   if
		   :: atomic { dgen[v] != g -> skip }	/* steal.go:304 <-ch */
		   :: atomic { CTX_DONE -> res = R_TIMEOUT }; break	/* steal.go:305 <-done */
		   fi
		od
	fi;
#ifndef BROKEN_NOPARK
	unpark();	/* steal.go:281 defer o.Unpark() */
#endif
	g = 0;
	if
	:: res == R_TIMEOUT -> goto SDONE
	:: else -> goto S1
	fi;
CLAIM:
	atomic {	/* steal.go:99/134 claim CAS w -> o.curWord() */
		if
		:: word == w -> word = W(me, cur[me]); res = R_OK; goto SDONE
		:: else -> goto S1
		fi
	};
S2:
	atomic {	/* steal.go:141 S2: CAS w -> (o.id, stealingEpoch) */
		if
		:: word == w -> word = W(me, STEALING)
		:: else -> goto S1
		fi
	};
S3:
	atomic {	/* steal.go:191 S3 requestBump: load v.ctl */
		c = ctl[v];
		if
		:: MOVED(c, e) -> goto S5	/* :192 */
		:: HAS(c, PARKED) -> goto S3P	/* :195 */
		:: else -> assert(PEND(c) < PENDMASK)	/* :206 */
		fi
	};
	atomic {	/* steal.go:209 requestBump: CAS c -> c+1 */
		if
		:: ctl[v] == c -> ctl[v] = c + 1
		:: else -> goto S3
		fi
	};
#ifdef BROKEN_SKIP_WAIT
	goto S5;
#endif
	atomic {	/* steal.go:238 S4 waitBump spin: v.ctl.Load() moved? */
		c = ctl[v];
		if
		:: MOVED(c, e) -> goto S5
		:: else -> skip
		fi
	};
	await_bump(v, e);	/* steal.go:148 S4 */
	if
	:: res == R_TIMEOUT -> goto RB
	:: else -> goto S5
	fi;
S3P:
	atomic {	/* steal.go:198 requestBump: CAS c -> bumped(c) for the parked victim */
		if
		:: ctl[v] == c -> ctl[v] = BUMP(c);
			if
			:: HAS(c, WAITING) -> skip
			:: else -> goto S5
			fi
		:: else -> goto S3
		fi
	};
	gen[v]++;	/* steal.go:200 v.wakeWaiters() */
	goto S5;
RB:	/* steal.go:150 rollback: withdraw(v, e) */
	atomic {	/* steal.go:220 withdraw: load v.ctl */
		c = ctl[v];
		if
		:: MOVED(c, e) -> res = R_OK; goto S5	/* :221 moved after all: complete */
		:: else -> assert(PEND(c) > 0)	/* :224 */
		fi
	};
	atomic {	/* steal.go:227 withdraw: CAS c -> c-1 */
		if
		:: ctl[v] == c -> ctl[v] = c - 1
		:: else -> goto RB
		fi
	};
	word = w;	/* steal.go:153 rollback: h.word.Store(w) */
	steal_finished();	/* steal.go:154 */
	goto SDONE;
S5:
	word = W(me, cur[me]);	/* steal.go:163 S5: h.word.Store(o.curWord()) */
	res = R_OK;
	steal_finished();	/* steal.go:164 */
SDONE:	skip;
	d_step { v = 0; e = 0; c = 0; w = 0; g = 0 }
}

/* ---------------------------------------------------------------------- */
/* Thaw (freeze.go:40): frozen -> mine, after every other live owner's      */
/* next preemption point                                                    */
inline thaw_request(j) {	/* freeze.go:70-71 e := epoch(load); requestBump(v, e) */
	atomic {	/* freeze.go:70 e := ctlEpoch(v.ctl.Load()) */
		te[j] = EP(ctl[j])
	};
	do
	:: atomic {	/* steal.go:191 requestBump: load v.ctl */
		c = ctl[j];
		if
		:: MOVED(c, te[j]) -> te[j] = 0; break
		:: else -> skip
		fi
	   };
	   if
	   :: atomic {	/* steal.go:198 requestBump: CAS bumped(c) for a parked owner */
		HAS(c, PARKED) ->
		if
		:: ctl[j] == c -> ctl[j] = BUMP(c); te[j] = 0;
			if
			:: HAS(c, WAITING) -> ok = 1
			:: else -> break
			fi
		:: else -> skip
		fi
	      };
	      if
	      :: atomic { ok -> gen[j]++; ok = 0 }; break	/* steal.go:200 wakeWaiters */
	      :: !ok -> skip
	      fi
	   :: atomic {	/* steal.go:209 requestBump: CAS c -> c+1 */
		!HAS(c, PARKED) ->
		assert(PEND(c) < PENDMASK);
		if
		:: ctl[j] == c -> ctl[j] = c + 1; break	/* freeze.go:72 reqs = append(...) */
		:: else -> skip
		fi
	      }
	   fi
	od;
	c = 0
}

inline thaw_withdraw(j) {	/* steal.go:218 withdraw(v, e) */
	do
	:: te[j] == 0 -> break
	:: te[j] != 0 ->
	   atomic {	/* steal.go:220 withdraw: load v.ctl */
		c = ctl[j];
		if
		:: MOVED(c, te[j]) -> break
		:: else -> assert(PEND(c) > 0)
		fi
	   };
	   atomic {	/* steal.go:227 withdraw: CAS c -> c-1 */
		if
		:: ctl[j] == c -> ctl[j] = c - 1; ok = 1; break	/* freeze.go:83 withdrew = true */
		:: else -> skip
		fi
	   }
	od;
	c = 0
}

inline thaw() {
	atomic {	/* freeze.go:42 w := h.word.Load(); :51 CAS frozenWord -> (o.id, stealingEpoch) */
		if
		:: word == FROZENW -> word = W(me, STEALING)
		:: else -> res = R_FAIL; goto TDONE	/* :44-49 (a failed CAS reloads: same outcome) */
		fi
	};
	j = 1;	/* freeze.go:66 registry.Range (owners other than o, not closed) */
	do
	:: j <= NOWN ->
		if
		:: j != me -> thaw_request(j)
		:: else -> te[j] = 0
		fi;
		j++
	:: else -> break
	od;
	j = 1;	/* freeze.go:78 S4 for each request */
	do
	:: j <= NOWN ->
		if
		:: te[j] != 0 ->
			atomic {	/* steal.go:238 waitBump spin: v.ctl.Load() moved? */
				c = ctl[j];
				if
				:: MOVED(c, te[j]) -> ok = 1
				:: else -> ok = 0
				fi
			};
			if
			:: ok -> ok = 0
			:: else -> await_bump(j, te[j])	/* freeze.go:79 */
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
TEXPIRED:	/* freeze.go:80-92 withdraw reqs[i:]; refreeze if any was withdrawn */
	ok = 0;
	do
	:: j <= NOWN -> thaw_withdraw(j); j++
	:: else -> break
	od;
	if
	:: ok ->
		ok = 0;
		word = FROZENW;	/* freeze.go:88 h.word.Store(frozenWord) */
		steal_finished();	/* freeze.go:89 */
		goto TDONE
	:: else -> res = R_OK	/* freeze.go:92 every owner moved after all: complete */
	fi;
T5:
	word = W(me, cur[me]);	/* freeze.go:97 S5: h.word.Store(o.curWord()) */
	res = R_OK;
	steal_finished();	/* freeze.go:98 */
TDONE:	skip;
	d_step { j = 0; te[1] = 0; te[2] = 0; te[3] = 0; c = 0; g = 0 }
}

/* ---------------------------------------------------------------------- */
inline freeze() {
	atomic {	/* freeze.go:13 Freeze: CAS o.cur -> frozenWord (ends the write) */
		if
		:: word == W(me, cur[me]) -> word = FROZENW;
			if
			:: inW[me] -> writers--; inW[me] = 0; data = 0
			:: else -> skip
			fi
		:: else -> skip
		fi
	}
}

inline canread() {
	atomic {	/* freeze.go:25 CanRead: one load; o.cur or frozenWord */
		if
		:: word == W(me, cur[me]) || word == FROZENW ->
			inR[me] = 1;
			assert(NO_OTHER_W(me))	/* (a) readers vs writers */
		:: else -> skip
		fi
	}
}

/*
 * use: Owns -> write; else Steal or TrySteal. A nil Steal (true TrySteal) is
 * itself a successful check (steal.go:56): the caller writes WITHOUT
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
 *     use; then one of: Preempt | Park, Unpark | Freeze, CanRead, Preempt
 * Owners 2, 3 (thieves), KT rounds of
 *     one of: use (Steal/TrySteal, write) | CanRead, Thaw, write
 *     then Preempt.
 * Everyone ends with Close.
 */
proctype Owner(byte me)
{
	short w, c, c2;
	byte v, e, g, j, res, it, act;
	byte te[NOWN+1];
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
	close();
	finished++
}

init {
	byte i;
	atomic {
		i = 1;
		do
		:: i <= NOWN -> ctl[i] = EPOCH0 << 6; cur[i] = EPOCH0; i++
		:: else -> break
		od;
		run Owner(1); run Owner(2); run Owner(3)
	};
	finished == NOWN;
	/* (b) no object is lost: owned, free or frozen, never left STEALING */
	assert(WEP(word) != STEALING);
	assert(writers == 0 && !HAS(ctl[1], PARKED) && !HAS(ctl[2], PARKED) && !HAS(ctl[3], PARKED))
}

/* (c) every owner finishes: every steal/thaw completes or rolls back */
ltl done { <> (finished == NOWN) }
