package main

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/handoff-go/handoff/ownership"
)

// Node is one node of the in-memory tree: a key, a short name and ordered
// children. The tree's nodes, children slices and names live in three
// slabs (see build), as a loaded index would.
//
// A node's ownership header is its region's (ownership.Region): the root
// has a region of its own, and each subtree under it (a shard, the unit
// the walkers share out) has one. So handing a shard to a walker is one
// Transfer of its region, whatever its size, and o.Owns(&nd.Header)
// checks any node: a load of its region pointer, a load of the region's
// word, a compare. The pointer costs 8 bytes per node.
type Node struct {
	*ownership.Region
	Key      uint64
	Name     []byte
	Children []*Node
}

const maxName = 32 // longest name, in bytes

// build makes a tree of exactly n nodes (n >= 2) whose shape depends only
// on seed. The root has shards children; shard i's subtree gets a random
// share of the nodes (shares vary by more than 10x, as real data does) and
// a random shape: nodes are expanded in random order with 1 to 8 children
// each until the share is used up.
func build(n, shards int, seed uint64) *Node {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	nodes := make([]Node, n)
	kids := make([]*Node, n-1) // every node but the root is somebody's child
	names := make([]byte, 0, n*(maxName/2+1))
	shards = max(1, min(shards, n-1))
	regions := make([]ownership.Region, 1+shards) // the root's, then one per shard
	region := &regions[0]
	used := 0 // nodes taken from the slab
	newNode := func() *Node {
		nd := &nodes[used]
		used++
		nd.Region = region
		nd.Key = rng.Uint64() >> 24
		start := len(names)
		for range rng.IntN(maxName + 1) {
			names = append(names, byte('a'+rng.IntN(26)))
		}
		nd.Name = names[start:len(names):len(names)]
		return nd
	}
	kidsUsed := 0
	children := func(nd *Node, k int) {
		nd.Children = kids[kidsUsed : kidsUsed+k : kidsUsed+k]
		kidsUsed += k
		for i := range k {
			nd.Children[i] = newNode()
		}
	}

	root := newNode()
	budgets := shares(n-1, shards, rng)
	children(root, shards)
	for i, sh := range root.Children {
		sh.Region = &regions[1+i]
	}
	var open []*Node
	for i, sh := range root.Children {
		region = sh.Region     // every node of the shard is in the shard's region
		left := budgets[i] - 1 // the shard root is made
		open = append(open[:0], sh)
		for left > 0 {
			j := rng.IntN(len(open))
			nd := open[j]
			open[j] = open[len(open)-1]
			open = open[:len(open)-1]
			k := min(left, 1+rng.IntN(8))
			children(nd, k)
			left -= k
			open = append(open, nd.Children...)
		}
	}
	if used != n || kidsUsed != n-1 {
		panic("treeserialize: build miscounted")
	}
	return root
}

// claimTree makes o the owner of every region of the tree: the root's and
// each shard's (one Claim each: they are free, or were left by an owner
// that has closed).
func claimTree(o *ownership.Owner, root *Node) error {
	if err := o.Claim(&root.Header); err != nil {
		return fmt.Errorf("root: %w", err)
	}
	for i, sh := range root.Children {
		if err := o.Claim(&sh.Header); err != nil {
			return fmt.Errorf("shard %d: %w", i, err)
		}
	}
	return nil
}

// shares splits total into k positive parts with uneven random sizes.
func shares(total, k int, rng *rand.Rand) []int {
	w := make([]float64, k)
	sum := 0.0
	for i := range w {
		w[i] = 0.1 + rng.ExpFloat64()
		sum += w[i]
	}
	out := make([]int, k)
	given := 0
	for i := range out {
		out[i] = 1 + int(w[i]/sum*float64(total-k))
		given += out[i]
	}
	for i := 0; given < total; i = (i + 1) % k { // rounding leftovers
		out[i]++
		given++
	}
	return out
}

// count returns the number of nodes in the subtree at nd.
func count(nd *Node) int {
	c := 1
	for _, ch := range nd.Children {
		c += count(ch)
	}
	return c
}

// assign splits the root's subtrees among w walkers, largest first, each
// to the walker with the fewest nodes so far (LPT scheduling), so that the
// walkers finish at about the same time. It returns, for each walker, its
// shard indices in increasing order.
func assign(root *Node, w int) [][]int {
	type shard struct{ idx, size int }
	all := make([]shard, len(root.Children))
	for i, ch := range root.Children {
		all[i] = shard{i, count(ch)}
	}
	slices.SortFunc(all, func(a, b shard) int { return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.idx, b.idx)) })
	out := make([][]int, w)
	load := make([]int, w)
	for _, s := range all {
		best := 0
		for i := range load {
			if load[i] < load[best] {
				best = i
			}
		}
		out[best] = append(out[best], s.idx)
		load[best] += s.size
	}
	for _, o := range out {
		slices.Sort(o)
	}
	return out
}

// hashTree is a structural hash: it covers every key, name and child
// count, and the order of children, so two trees hash alike only if they
// are (up to a 64-bit collision) the same tree.
func hashTree(nd *Node) uint64 {
	h := mix(nd.Key ^ 0x7265_6520_6861_7368)
	h = mix(h ^ hashBytes(nd.Name))
	h = mix(h ^ uint64(len(nd.Children)))
	for _, ch := range nd.Children {
		h = mix(h*31 ^ hashTree(ch))
	}
	return h
}

func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037) // FNV-1a
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func mix(x uint64) uint64 { // splitmix64's finalizer
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
