package ownership_test

import (
	"strconv"
	"testing"

	"github.com/handoff-go/handoff/ownership"
)

// BenchmarkStealManyParked: taking k objects from a parked victim (bumped on
// its behalf) and giving them back, with one StealMany or k Steal calls; ns
// per round of k.
func BenchmarkStealManyParked(b *testing.B) {
	for _, k := range []int{1, 4, 16, 64} {
		for _, many := range []bool{false, true} {
			name := "Steal/k=" + strconv.Itoa(k)
			if many {
				name = "StealMany/k=" + strconv.Itoa(k)
			}
			b.Run(name, func(b *testing.B) {
				v, th := newOwner(b), newOwner(b)
				hs := make([]*ownership.Header, k)
				for i := range hs {
					hs[i] = &(&obj{}).Header
				}
				b.ReportAllocs()
				for b.Loop() {
					for _, h := range hs {
						if !v.TryClaim(h) {
							b.Fatal("victim could not re-claim")
						}
					}
					v.Park()
					if many {
						if err := th.StealMany(ctxBG, hs...); err != nil {
							b.Fatal(err)
						}
					} else {
						for _, h := range hs {
							if err := th.Steal(ctxBG, h); err != nil {
								b.Fatal(err)
							}
						}
					}
					v.Unpark()
					for _, h := range hs {
						_ = th.Release(h)
					}
				}
			})
		}
	}
}
