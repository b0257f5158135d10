package ownership_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// rnode is a node of a region: its header is its region's. v is a plain
// field written only by the region's owner, so the race detector reports
// any two owners touching the nodes without a happens-before edge.
type rnode struct {
	*ownership.Region
	v    int
	kids []*rnode
}

// regionTree builds a tree of n nodes (fan-out 4) in region r.
func regionTree(r *ownership.Region, n int) (root *rnode, all []*rnode) {
	all = make([]*rnode, n)
	for i := range all {
		all[i] = &rnode{Region: r}
		if i > 0 {
			p := all[(i-1)/4]
			p.kids = append(p.kids, all[i])
		}
	}
	return all[0], all
}

// ownsAll counts the nodes o owns, each checked through the node.
func ownsAll(o *ownership.Owner, all []*rnode) (n int) {
	for _, nd := range all {
		if o.Owns(&nd.Header) {
			n++
		}
	}
	return n
}

func TestRegionNodeHeaderIsTheRegions(t *testing.T) {
	r := &ownership.Region{}
	nd := &rnode{Region: r}
	require.Same(t, &r.Header, &nd.Header)
	require.Same(t, &r.Header, nd.OwnershipHeader())
	loc, ok := ownership.NewLocator[*rnode]()
	require.True(t, ok)
	require.Contains(t, loc.String(), "along embedded pointers")
	require.Same(t, &r.Header, loc.Header(nd))
	require.Nil(t, loc.Header(&rnode{}), "a node with no region has no header")
	require.Zero(t, testing.AllocsPerRun(100, func() { _ = loc.Header(nd) }))
}

func TestRegionTransferMovesEveryNode(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	r := &ownership.Region{}
	_, all := regionTree(r, 1000)
	require.NoError(t, a.Adopt(&r.Header))
	require.Equal(t, len(all), ownsAll(a, all))

	require.NoError(t, a.Transfer(&r.Header, b))
	require.Zero(t, ownsAll(a, all), "the old owner owns no node")
	require.Equal(t, len(all), ownsAll(b, all), "the new owner owns every node")
	err := a.Check(&all[len(all)-1].Header)
	require.ErrorIs(t, err, ownership.ErrNotOwner)

	// One Transfer back; no per-node work either way.
	allocs := testing.AllocsPerRun(100, func() {
		_ = b.Transfer(&r.Header, a)
		_ = a.Transfer(&r.Header, b)
	})
	require.Zero(t, allocs)
	require.Equal(t, len(all), ownsAll(b, all))
}

// A victim updates every node of its region between two preemption
// points; a thief that steals the region (one handshake) sees every
// update or none, and owns every node afterwards.
func TestRegionStealIsConsistentAcrossNodes(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		victim, thief := newOwner(t), newOwner(t)
		r := &ownership.Region{}
		_, all := regionTree(r, 200)
		require.NoError(t, victim.Adopt(&r.Header))
		started := make(chan struct{})
		done := make(chan int)
		var stop atomic.Bool
		go func() {
			// The victim keeps passing preemption points until the steal
			// is over: a thief's mark makes Owns false at once, and the
			// steal completes only at the victim's next preemption point,
			// so a victim that stopped at the first false Owns would leave
			// the thief waiting for ever.
			rounds := 0
			for !stop.Load() {
				if victim.Owns(&all[0].Header) {
					for _, nd := range all {
						nd.v++
					}
					rounds++
					if rounds == 1 {
						close(started)
					}
				}
				victim.Preempt()
			}
			done <- rounds
		}()
		<-started
		require.NoError(t, thief.Steal(context.Background(), &r.Header))
		stop.Store(true)
		rounds := <-done
		require.Equal(t, len(all), ownsAll(thief, all))
		require.Zero(t, ownsAll(victim, all))
		for _, nd := range all {
			require.Equal(t, rounds, nd.v, "every node shows the same number of updates")
			nd.v = 0 // ours to write
		}
	})
}

// After a steal of another object bumps the owner's epoch, the whole
// region is stale, and one TryClaim re-claims every node.
func TestRegionReclaimIsOneClaim(t *testing.T) {
	a, thief := newOwner(t), newOwner(t)
	r := &ownership.Region{}
	_, all := regionTree(r, 500)
	require.NoError(t, a.Adopt(&r.Header))
	other := &obj{}
	require.NoError(t, a.Adopt(&other.Header))

	a.Park()
	require.NoError(t, thief.Steal(context.Background(), &other.Header)) // bumps a's epoch
	a.Unpark()
	require.Zero(t, ownsAll(a, all), "every node is stale")
	require.Equal(t, ownership.Stale, all[7].State().Kind)
	require.True(t, a.TryClaim(&r.Header))
	require.Equal(t, len(all), ownsAll(a, all))
}

// Freeze makes every node readable by every owner; readers read until
// their check fails; Thaw waits for each reader's next preemption point
// and then the thawer writes every node.
func TestRegionFreezeThaw(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		w := newOwner(t)
		r := &ownership.Region{}
		_, all := regionTree(r, 300)
		require.NoError(t, w.Adopt(&r.Header))
		for i, nd := range all {
			nd.v = i
		}
		require.NoError(t, w.Freeze(&r.Header))
		require.Zero(t, ownsAll(w, all), "frozen: nobody owns a node")

		const readers = 3
		ready := make(chan struct{}, readers)
		sums := make(chan int, readers)
		for range readers {
			go func() {
				rd := ownership.NewOwner()
				defer rd.Close() // a preemption point: a Thaw waiting for rd goes on
				sum, once := 0, false
				for {
					for _, nd := range all {
						if !rd.CanRead(&nd.Header) {
							sums <- sum
							return
						}
						sum += nd.v
					}
					if !once {
						once = true
						ready <- struct{}{}
					}
					rd.Preempt()
				}
			}()
		}
		for range readers {
			<-ready
		}
		require.NoError(t, w.Thaw(context.Background(), &r.Header))
		require.Equal(t, len(all), ownsAll(w, all))
		for _, nd := range all {
			nd.v = -1 // exclusive again: no reader reads any more
		}
		for range readers {
			require.Positive(t, <-sums)
		}
	})
}

// StealMany of two regions takes both graphs in one handshake.
func TestRegionStealMany(t *testing.T) {
	a, b, thief := newOwner(t), newOwner(t), newOwner(t)
	r1, r2 := &ownership.Region{}, &ownership.Region{}
	_, n1 := regionTree(r1, 100)
	_, n2 := regionTree(r2, 100)
	require.NoError(t, a.Adopt(&r1.Header))
	require.NoError(t, b.Adopt(&r2.Header))
	a.Park()
	b.Park()
	require.NoError(t, thief.StealMany(context.Background(), &r1.Header, &r2.Header))
	a.Unpark()
	b.Unpark()
	require.Equal(t, 200, ownsAll(thief, append(n1, n2...)))
}

// A node reachable from another region's node belongs to its own region
// only: moving the first region does not move it.
func TestRegionEdgeIntoAnotherRegion(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	r1, r2 := &ownership.Region{}, &ownership.Region{}
	root, _ := regionTree(r1, 10)
	foreign := &rnode{Region: r2}
	root.kids = append(root.kids, foreign)
	require.NoError(t, a.Adopt(&r1.Header))
	require.NoError(t, a.Adopt(&r2.Header))
	require.NoError(t, a.Transfer(&root.Header, b))
	require.True(t, b.Owns(&root.Header))
	require.False(t, b.Owns(&root.kids[len(root.kids)-1].Header), "reachable, not moved")
	require.True(t, a.Owns(&foreign.Header))
}

// A channel send of a node moves its whole region: the sender's checks of
// every node fail afterwards (use-after-send is detected through any
// node), and the receiver owns every node on arrival.
func TestRegionSendMovesTheRegion(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	tx, rx := channel.Make[*rnode](1, channel.WithSenderOwner(a), channel.WithReceiverOwner(b))
	defer tx.Close()
	defer rx.Close()
	r := &ownership.Region{}
	root, all := regionTree(r, 100)
	require.NoError(t, a.Adopt(&r.Header))
	leaf := all[len(all)-1]

	require.NoError(t, tx.Send(root))
	err := a.Check(&leaf.Header)
	require.ErrorIs(t, err, ownership.ErrNotOwner, "use after send, caught through a leaf")
	var ne *ownership.NotOwnerError
	require.True(t, errors.As(err, &ne))
	require.Zero(t, ownsAll(a, all))

	got, ok := rx.Recv()
	require.True(t, ok)
	require.Same(t, root, got)
	require.Equal(t, len(all), ownsAll(b, all))
	require.Equal(t, uint64(1), rx.Stats().Transferred, "moved with one CAS, not stolen")
}

// A second node of a region already sent arrives owned and costs the
// receiver nothing: its epoch does not move.
func TestRegionSecondNodeSent(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	tx, rx := channel.Make[*rnode](2, channel.WithSenderOwner(a), channel.WithReceiverOwner(b))
	defer tx.Close()
	defer rx.Close()
	r := &ownership.Region{}
	root, all := regionTree(r, 10)
	require.NoError(t, a.Adopt(&r.Header))
	e := b.Epoch()
	require.NoError(t, tx.Send(root))
	require.NoError(t, tx.Send(all[3]))
	for _, want := range []*rnode{root, all[3]} {
		got, ok := rx.Recv()
		require.True(t, ok)
		require.Same(t, want, got)
		require.True(t, b.Owns(&got.Header))
	}
	b.Preempt()
	require.Equal(t, e, b.Epoch(), "nobody asked the receiver to give up its own region")
	require.Equal(t, len(all), ownsAll(b, all))
}

func TestRegionChecksDoNotAllocate(t *testing.T) {
	a := newOwner(t)
	r := &ownership.Region{}
	_, all := regionTree(r, 16)
	require.NoError(t, a.Adopt(&r.Header))
	nd := all[9]
	require.Zero(t, testing.AllocsPerRun(100, func() {
		_ = a.Owns(&nd.Header)
		_ = a.Check(&nd.Header)
		_ = a.CanRead(&nd.Header)
		_ = a.TryClaim(&nd.Header)
	}))
}
