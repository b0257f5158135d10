package suite

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/handoff-go/handoff/ownership"
)

// regionNodes is the tree size of the region scenario (regionSmokeNodes
// in smoke mode).
const (
	regionNodes      = 1_000_000
	regionSmokeNodes = 10_000
)

// regionOps are the whole-tree operations the scenario times, in order;
// each case's Param is its index + 1, so that a region row is compared
// with the per-node row of the same operation.
var regionOps = []string{"transfer", "freeze+thaw", "steal", "re-claim"}

// Two layouts of the same tree node: a header per node, or a pointer to
// the region's header. Both carry a value and children, as a real node
// does.
type (
	perNodeNode struct {
		ownership.Header
		v    int
		kids []*perNodeNode
	}
	regionNode struct {
		*ownership.Region
		v    int
		kids []*regionNode
	}
)

// Metric names the region scenario records.
const (
	MetricBytesPerNode = "bytes_per_node" // heap allocated per node by building the tree
	MetricNodes        = "nodes"          // nodes in the tree
)

// regionScenario: per-node headers against one region header, for the
// whole-tree operations of the protocol.
func regionScenario() Scenario {
	return Scenario{
		Name:     "region",
		Kind:     Experiment,
		Title:    "Regions: one header for a tree against a header per node",
		Unit:     "tree op",
		Baseline: "per-node headers",
		About: fmt.Sprintf("A tree of %d nodes (fan-out 4; %d in smoke mode), built twice: each node embeds an "+
			"ownership.Header (per-node headers), or each node embeds a *ownership.Region whose one header "+
			"governs the tree (region; o.Owns(&n.Header) still works on every node, with one more load). "+
			"The figure is one operation on the whole tree; the notes divide it by the node count. "+
			"transfer: owner A hands every node to B (Transfer per header, or one Transfer of the region), "+
			"then B back to A in the next item. freeze+thaw: freeze every node, then thaw it (Thaw asks every "+
			"live unparked owner for a preemption point; here there is none besides the thawer, so it is a "+
			"registry scan). steal: the owner is parked (blocked elsewhere, as a channel's owner is while it "+
			"waits) and another owner takes the whole tree: StealMany over every header (one handshake, all or "+
			"nothing: the per-node equivalent of stealing a region), or one Steal of the region; the roles "+
			"alternate. re-claim: after a steal of one other object bumps A's epoch (untimed), every node is "+
			"stale and A takes the tree back: TryClaim per header, or one TryClaim. Memory: heap bytes allocated "+
			"per node by building the tree (a slab of nodes, a slab of child pointers), in the notes.", regionNodes, regionSmokeNodes),
		Notes: regionNotes,
		Cases: func(env Env) []Case {
			nodes := regionNodes
			if env.Smoke {
				nodes = regionSmokeNodes
			}
			var cases []Case
			for i, op := range regionOps {
				for _, region := range []bool{false, true} {
					impl, series := op+", per-node headers", "per-node headers"
					if region {
						impl, series = op+", region", "region"
					}
					cases = append(cases, Case{Scenario: "region", Impl: impl, Series: series,
						Param: float64(i + 1), Baseline: !region, MinItems: 1,
						Run: func(t *Timer, n int) { regionRun(t, n, nodes, op, region) }})
				}
			}
			return cases
		},
	}
}

// regionNotes states the per-node cost of each operation in each layout,
// and the memory per node of each layout, from the rows.
func regionNotes(rows []Row) []string {
	var out, mem []string
	for _, op := range regionOps {
		var parts []string
		for _, r := range rows {
			nodes := r.Metrics[MetricNodes]
			o, layout, ok := strings.Cut(r.Impl, ", ")
			if !ok || o != op || !(nodes > 0) {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %.3g ns per node (%s ns for the %d-node tree)",
				layout, r.NSPerItem/nodes, FormatNS(r.NSPerItem), int(nodes)))
			if op == regionOps[0] {
				mem = append(mem, fmt.Sprintf("%s %.1f bytes per node", layout, r.Metrics[MetricBytesPerNode]))
			}
		}
		if len(parts) > 0 {
			out = append(out, op+": "+strings.Join(parts, ", "))
		}
	}
	if len(mem) > 0 {
		out = append(out, "memory (the node slab and the child-pointer slab, as allocated while building): "+strings.Join(mem, ", ")+
			"; a *Region and a Header are both one 8-byte word per node")
	}
	return out
}

// regionTree is one of the two layouts, built; headers lists every header
// a per-node operation goes through (one for a region).
type regionTree struct {
	headers []*ownership.Header
	keep    any // the nodes, kept reachable
}

// buildRegionTree builds a tree of n nodes (fan-out 4: node i's children
// are nodes 4i+1 to 4i+4) in one layout, in two slabs (the nodes, and the
// children slices' pointers), as a loaded index would, and returns it with
// the heap bytes per node the build allocated (the headers list
// excluded). Slabs keep the build short: calibration counts a run's
// untimed setup against its wall-time budget.
func buildRegionTree(n int, region bool) (regionTree, float64) {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	var tr regionTree
	if region {
		r := &ownership.Region{}
		nodes := make([]regionNode, n)
		kids := make([]*regionNode, n-1)
		for i := range nodes {
			nodes[i].Region, nodes[i].v = r, i
			if i > 0 {
				kids[i-1] = &nodes[i]
			}
		}
		for i := range nodes {
			lo, hi := min(4*i, n-1), min(4*i+4, n-1)
			nodes[i].kids = kids[lo:hi:hi]
		}
		runtime.ReadMemStats(&m1)
		tr = regionTree{headers: []*ownership.Header{&r.Header}, keep: nodes}
	} else {
		nodes := make([]perNodeNode, n)
		kids := make([]*perNodeNode, n-1)
		for i := range nodes {
			nodes[i].v = i
			if i > 0 {
				kids[i-1] = &nodes[i]
			}
		}
		for i := range nodes {
			lo, hi := min(4*i, n-1), min(4*i+4, n-1)
			nodes[i].kids = kids[lo:hi:hi]
		}
		runtime.ReadMemStats(&m1)
		hs := make([]*ownership.Header, n)
		for i := range nodes {
			hs[i] = &nodes[i].Header
		}
		tr = regionTree{headers: hs, keep: nodes}
	}
	return tr, float64(m1.TotalAlloc-m0.TotalAlloc) / float64(n)
}

// regionRun performs n whole-tree operations op on a tree of nodes nodes.
func regionRun(t *Timer, n, nodes int, op string, region bool) {
	tr, perNode := buildRegionTree(nodes, region)
	t.Metric(MetricBytesPerNode, perNode)
	t.Metric(MetricNodes, float64(nodes))
	hs := tr.headers
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	for _, h := range hs {
		if err := a.Adopt(h); err != nil {
			t.Fail(err)
			return
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), stealTimeout)
	defer cancel()
	var err error
	switch op {
	case "transfer":
		t.Start()
		for i := 0; i < n && err == nil; i++ {
			from, to := a, b
			if i%2 == 1 {
				from, to = b, a
			}
			for _, h := range hs {
				if err = from.Transfer(h, to); err != nil {
					break
				}
			}
		}
		t.Stop()
	case "freeze+thaw":
		b.Park() // b has nothing to read; a Thaw would wait for its next preemption point
		defer b.Unpark()
		t.Start()
		for i := 0; i < n && err == nil; i++ {
			for _, h := range hs {
				if err = a.Freeze(h); err != nil {
					break
				}
			}
			for _, h := range hs {
				if err == nil {
					err = a.Thaw(ctx, h)
				}
			}
		}
		t.Stop()
	case "steal":
		for i := 0; i < n && err == nil; i++ {
			victim, thief := a, b
			if i%2 == 1 {
				victim, thief = b, a
			}
			victim.Park()
			t.Start()
			if len(hs) == 1 {
				err = thief.Steal(ctx, hs[0])
			} else {
				err = thief.StealMany(ctx, hs...)
			}
			t.Stop()
			victim.Unpark()
		}
	case "re-claim":
		extra := &perNodeNode{}
		for i := 0; i < n && err == nil; i++ {
			if err = a.Claim(&extra.Header); err != nil {
				break
			}
			a.Park()
			err = b.Steal(ctx, &extra.Header) // bumps a: every node is stale
			a.Unpark()
			if err != nil {
				break
			}
			t.Start()
			for _, h := range hs {
				if !a.TryClaim(h) {
					err = fmt.Errorf("region: re-claim failed: %v", h.State())
					break
				}
			}
			t.Stop()
			if err == nil {
				err = b.Release(&extra.Header)
			}
		}
	}
	t.Fail(err)
	runtime.KeepAlive(tr.keep)
}
