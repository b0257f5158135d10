package ownership_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

func TestHotPathsDoNotAllocate(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	c := ownership.NewCell(a, 0)
	bx, fz := &obj{}, &obj{}
	require.NoError(t, b.Adopt(&bx.Header))
	require.NoError(t, b.Adopt(&fz.Header))
	require.NoError(t, b.Freeze(&fz.Header))

	cases := map[string]func(){
		"Owns":    func() { _ = a.Owns(&x.Header) },
		"Check":   func() { _ = a.Check(&x.Header) },
		"CanRead": func() { _ = a.CanRead(&x.Header) },
		"Claim":   func() { _ = a.Claim(&x.Header) },
		// Failing re-claims: owned by a live owner, frozen, being stolen.
		"TryClaim(owned by b)": func() { _ = a.TryClaim(&bx.Header) },
		"TryClaim(frozen)":     func() { _ = a.TryClaim(&fz.Header) },
		"Transfer": func() {
			_ = a.Transfer(&x.Header, b)
			_ = b.Transfer(&x.Header, a)
		},
		"ReleaseClaim": func() {
			_ = a.Release(&x.Header)
			_ = a.Claim(&x.Header)
		},
		"Preempt":     a.Preempt,
		"ParkUnpark":  func() { a.Park(); a.Unpark() },
		"Cell.Borrow": func() { p, _ := c.Borrow(a); *p++ },
		"Steal(mine)": func() { _ = a.Steal(ctxBG, &x.Header) },
		// Claim of a stale object: b steals y from parked a, a re-claims
		// its other object z after the bump.
		"StealFromParked+Reclaim": func() {
			y := &x.Header
			a.Park()
			_ = b.Steal(ctxBG, y)
			a.Unpark()
			_ = a.Claim(&c.Header)
			_ = b.Transfer(y, a)
		},
	}
	for name, f := range cases {
		f() // warm up
		require.Zero(t, testing.AllocsPerRun(1000, f), name)
	}
	require.True(t, a.Owns(&x.Header))
	require.NoError(t, a.Check(&c.Header))
}
