package ownership_test

import (
	"testing"

	"github.com/handoff-go/handoff/ownership"
)

// The check through a region's node (two dependent loads) against the
// check of a node that embeds its header (one load), walking 4096 nodes.
func BenchmarkOwnsRegionNode(b *testing.B) {
	o := newOwner(b)
	r := &ownership.Region{}
	_, all := regionTree(r, 4096)
	if err := o.Adopt(&r.Header); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if o.Owns(&all[i&4095].Header) {
			n++
		}
	}
	if n != b.N {
		b.Fatal("a node is not owned")
	}
}

func BenchmarkOwnsHeaderNode(b *testing.B) {
	o := newOwner(b)
	all := make([]*obj, 4096)
	for i := range all {
		all[i] = &obj{}
		if err := o.Adopt(&all[i].Header); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if o.Owns(&all[i&4095].Header) {
			n++
		}
	}
	if n != b.N {
		b.Fatal("a node is not owned")
	}
}
