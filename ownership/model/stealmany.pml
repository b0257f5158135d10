/*
 * stealmany.pml: SPIN model of Owner.StealMany (ownership/stealmany.go):
 * two objects, one victim, two thieves that steal both objects at once.
 *
 * A small model of its own (steal.pml covers one object in detail: the
 * notification channels, spin phases, Retire, Thaw). Here a wait is a
 * blocking guard on the word it waits for (the lost-wake-up argument is
 * steal.pml's: StealMany calls the same waitCtl and waitStealDone), and a
 * waiter is parked for the whole wait (Go spins up to 64 loads first; a
 * spinning waiter is unparked for a bounded time, covered by steal.pml).
 * Every Go atomic is one step; each step names the Go line.
 *
 * Owners: 1 = victim (owns both objects at epoch 1 at the start), 2 and 3 =
 * thieves, each one StealMany of {obj0, obj1} then a section that checks
 * the pair is whole and writes both; victims of each other once they hold
 * the objects. Everyone ends parked for good (a goroutine blocked forever:
 * nobody may have to wait for it).
 *
 * Properties:
 *  (a) one writer: ghost nW counts owners inside a section (from a
 *      successful check to their next preemption point); assert nW <= 1.
 *  (c) seen whole: the victim writes data[0] then data[1] in one section; a
 *      thief asserts data[0] == data[1] when its StealMany returns nil.
 *  (b) all or nothing, nothing lost: at the end no header is STEALING, and
 *      a failed StealMany left no header marked.
 *  deadlock freedom: -DNO_TIMEOUT removes context expiry, so every wait must
 *      end by the protocol: no invalid end state.
 *
 * Mutants (check.sh expects SPIN to catch each):
 *  BROKEN_NO_ORDER         thief 3 marks obj1 before obj0 (no fixed order):
 *                          each thief holds one mark and waits for the
 *                          other's (invalid end state under NO_TIMEOUT).
 *  BROKEN_PARTIAL_ROLLBACK on expiry in M4 only the first mark is rolled
 *                          back: obj1 is left STEALING (assert (b)).
 *  BROKEN_NO_WAIT          M4 skipped: the thief publishes while the
 *                          victim is mid-section (assert (a) or (c)).
 */

#define NOBJ 2
#define STEALING 15

byte hid[NOBJ];   /* header word: owner id (0: free) */
byte hep[NOBJ];   /* header word: epoch (STEALING: marked) */
byte data[NOBJ];  /* the objects' plain field */

byte epoch[4];    /* ctl: epoch, parked, pending (owner.go ctl word) */
bool parked[4];
byte pending[4];
byte cur[4];      /* owner-local: o.cur's epoch */

byte nW;          /* ghost: owners inside a section */
byte done;

/* Park (owner.go:329): answer pending (bump) and set parked in one CAS. */
inline park(o) {
	atomic {
		if
		:: pending[o] > 0 -> epoch[o]++; pending[o] = 0
		:: else -> skip
		fi;
		parked[o] = 1
	}
}

/* Unpark (owner.go:370): clear parked in one CAS, refresh cur. */
inline unpark(o) {
	atomic { assert(pending[o] == 0); parked[o] = 0; cur[o] = epoch[o] }
}

/* Preempt (owner.go:278/288): answer pending with a bump; refresh cur. */
inline preempt(o) {
	atomic {
		if
		:: pending[o] > 0 -> epoch[o]++; pending[o] = 0
		:: else -> skip
		fi;
		cur[o] = epoch[o]
	}
}

proctype Victim() {
	byte r;
	for (r : 1 .. 2) {
		/* Owns x2 (claim.go:12): one load each, one section for both */
		if
		:: atomic { hid[0] == 1 && hep[0] == cur[1] && hid[1] == 1 && hep[1] == cur[1] -> nW++ };
			assert(nW <= 1);
			data[0] = 1;        /* the update: two plain writes */
			data[1] = 1;
			atomic { nW--; preempt(1) }   /* next preemption point */
		:: else -> preempt(1)
		fi;
		/* or a blocking call */
		if
		:: park(1); unpark(1)
		:: skip
		fi
	}
	park(1);   /* blocked for good */
	done++
}

proctype Thief(byte me) {
	byte k, idx, j;
	byte order[NOBJ];
	byte wid[NOBJ], wep[NOBJ];   /* manyEntry.w */
	byte vic[NOBJ], ve[NOBJ];    /* manyEntry.v, .e (vic 0: nobody to ask) */
	bool asked[NOBJ];
	byte lid, lep;
	bool ok = 1, dup;

	/* M1 (stealmany.go:99): sort by address. */
#ifdef BROKEN_NO_ORDER
	if
	:: me == 3 -> order[0] = 1; order[1] = 0
	:: else -> order[0] = 0; order[1] = 1
	fi;
#else
	order[0] = 0; order[1] = 1;
#endif

	/* M2 (stealmany.go:111, markOne stealmany.go:194): mark in order. */
	idx = 0;
	do
	:: idx == NOBJ -> break
	:: idx < NOBJ ->
		k = order[idx];
mark:
		atomic { lid = hid[k]; lep = hep[k] };        /* stealmany.go:202 load */
		if
		:: lep == STEALING && lid != me ->
			/* waitStealDone (steal.go:337): parked while it waits */
			park(me);
			if
			:: (hid[k] != lid || hep[k] != lep)      /* steal.go:366 load */
#ifndef NO_TIMEOUT
			:: true ->                               /* ctx ends: unmark idx-1..0 */
				j = 0;
				do
				:: j == idx -> break
				:: j < idx -> atomic { hid[order[j]] = wid[j]; hep[order[j]] = wep[j] }; j++   /* stealmany.go:244 */
				od;
				unpark(me);
				ok = 0;
				goto ended
#endif
			fi;
			unpark(me);
			goto mark
		:: else -> skip
		fi;
		vic[idx] = 0; ve[idx] = 0;
		if
		:: lid != 0 && lid != me ->
			/* stealmany.go:221 lookupCore + ctl load: moved? */
			atomic { if :: epoch[lid] == lep -> vic[idx] = lid; ve[idx] = lep :: else -> skip fi }
		:: else -> skip
		fi;
		/* the mark CAS (stealmany.go:230) */
		if
		:: atomic { hid[k] == lid && hep[k] == lep -> hid[k] = me; hep[k] = STEALING };
			wid[idx] = lid; wep[idx] = lep; idx++
		:: else -> goto mark
		fi
	od;

	/* M3 (stealmany.go:119): one requestBump per (victim, epoch). */
	for (idx : 0 .. NOBJ-1) {
		asked[idx] = 0;
		dup = 0;
		if
		:: idx == 1 && vic[0] == vic[1] && ve[0] == ve[1] -> dup = 1
		:: else -> skip
		fi;
		if
		:: vic[idx] != 0 && !dup ->
			atomic {   /* requestBump (steal.go:220): load + CAS */
				if
				:: epoch[vic[idx]] != ve[idx] -> skip
				:: else -> if
					:: parked[vic[idx]] -> epoch[vic[idx]]++      /* bump on its behalf (steal.go:231) */
					:: else -> pending[vic[idx]]++; asked[idx] = 1 /* steal.go:242 */
					fi
				fi
			}
		:: else -> skip
		fi
	}

	/* M4 (stealmany.go:138): wait for every asked victim (parked). */
#ifndef BROKEN_NO_WAIT
	park(me);
	for (idx : 0 .. NOBJ-1) {
		if
		:: asked[idx] ->
			if
			:: ok ->
				if
				:: (epoch[vic[idx]] != ve[idx])         /* waitCtl met (steal.go:318) */
#ifndef NO_TIMEOUT
				:: true -> ok = 0                        /* ctx ends */
#endif
				fi
			:: else -> skip
			fi;
			if
			:: !ok ->   /* withdraw (steal.go:255) */
				atomic { if :: epoch[vic[idx]] == ve[idx] -> assert(pending[vic[idx]] > 0); pending[vic[idx]]-- :: else -> skip fi }
			:: else -> skip
			fi
		:: else -> skip
		fi
	}
	unpark(me);
	if
	:: !ok ->   /* unmark all (stealmany.go:244) */
		atomic { hid[order[0]] = wid[0]; hep[order[0]] = wep[0] };
#ifndef BROKEN_PARTIAL_ROLLBACK
		atomic { hid[order[1]] = wid[1]; hep[order[1]] = wep[1] };
#endif
		goto ended
	:: else -> skip
	fi;
#endif

	/* M5 (stealmany.go:173): publish (me, cur) into every header. */
	atomic { hid[order[0]] = me; hep[order[0]] = cur[me] };
	atomic { hid[order[1]] = me; hep[order[1]] = cur[me] };

	/* the section: a nil StealMany is a successful check of both */
	atomic { nW++; assert(nW <= 1) };
	assert(data[0] == data[1]);   /* (c) seen whole */
	data[0] = me;
	data[1] = me;
	atomic { nW--; preempt(me) };
ended:
	assert(hep[0] != STEALING || hid[0] != me);   /* (b) no mark of ours left */
	assert(hep[1] != STEALING || hid[1] != me);
	park(me);   /* blocked for good */
	done++
}

init {
	epoch[1] = 1; epoch[2] = 1; epoch[3] = 1;
	cur[1] = 1; cur[2] = 1; cur[3] = 1;
	hid[0] = 1; hep[0] = 1;
	hid[1] = 1; hep[1] = 1;
	atomic {
		run Victim();
		run Thief(2);
		run Thief(3)
	}
	(done == 3);
	assert(hep[0] != STEALING && hep[1] != STEALING);   /* (b) nothing lost */
	assert(nW == 0)
}
