package ownership_test

import (
	"fmt"

	"github.com/handoff-go/handoff/ownership"
)

// leaf is a node of a tree whose header is its region's.
type leaf struct {
	*ownership.Region
	name string
	kids []*leaf
}

// A tree of a thousand nodes is handed over, frozen and re-claimed with one
// operation on its region, and every node is checked through itself.
func ExampleRegion() {
	builder, walker := ownership.NewOwner(), ownership.NewOwner()
	defer builder.Close()
	defer walker.Close()

	r := &ownership.Region{}
	_ = builder.Adopt(&r.Header)
	root := &leaf{Region: r, name: "root"}
	nodes := []*leaf{root}
	for i := 1; i < 1000; i++ {
		n := &leaf{Region: r, name: fmt.Sprint("n", i)}
		p := nodes[(i-1)/8]
		p.kids = append(p.kids, n)
		nodes = append(nodes, n)
	}
	last := nodes[len(nodes)-1]

	// One CAS moves all 1000 nodes (a channel send of root does the same).
	_ = builder.Transfer(&root.Header, walker)
	fmt.Println("builder owns the last node:", builder.Owns(&last.Header))
	fmt.Println("walker owns the last node:", walker.Owns(&last.Header))

	// One CAS freezes them all: every owner may read, nobody may write.
	_ = walker.Freeze(&r.Header)
	fmt.Println("builder may read it:", builder.CanRead(&last.Header), last.name)
	// Output:
	// builder owns the last node: false
	// walker owns the last node: true
	// builder may read it: true n999
}
