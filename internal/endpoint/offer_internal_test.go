package endpoint

import "testing"

// ABA: a receiver that loaded the offer word and found the ring empty,
// then lost the CPU while the sender withdrew, pushed and offered again,
// must not take the new offer (the ring is no longer empty): the
// sequence bits make its CAS fail. The steps are TakeOffer's, split at the
// point where the race happens.
func TestOfferSequenceDefeatsABA(t *testing.T) {
	_, l, _ := New[int](Config{Capacity: 1})
	for round := range 1000 {
		l.Offer(2 * round)
		w := l.offer.Load() // the receiver: offer up, ring empty ...
		if w&offerState != offerUp || !l.Ring.Consumer().Empty() {
			t.Fatal("setup")
		}
		if l.Withdraw() { // ... the sender withdraws, pushes, offers again ...
			t.Fatal("taken")
		}
		if !l.Ring.Producer().TryPush(2 * round) {
			t.Fatal("push")
		}
		l.Offer(2*round + 1)
		if l.offer.CompareAndSwap(w, w&^offerState|offerTaking) { // ... the receiver's CAS
			t.Fatalf("round %d: the CAS for the first offer took the second, past an item in the ring", round)
		}
		if v, _ := l.Ring.Consumer().TryPop(); v != 2*round {
			t.Fatalf("round %d: pop %d", round, v)
		}
		if v, ok := l.TakeOffer(); !ok || v != 2*round+1 {
			t.Fatalf("round %d: TakeOffer %d %v", round, v, ok)
		}
		if !l.Withdraw() {
			t.Fatal("not taken")
		}
	}
}
