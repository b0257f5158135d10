package ownership

// Region is one Header for a whole graph of objects (a tree, a list, an
// index), so that moving, freezing, stealing or re-claiming the graph is one
// operation on one word, whatever the number of its nodes. Each node embeds
// a pointer to its region instead of a Header of its own:
//
//	type Node struct {
//		*ownership.Region // the node's header is its region's
//		Key      uint64
//		Children []*Node
//	}
//
// Through the embedded pointer, &n.Header is the region's Header, *Node is
// an Object, and code written for nodes that embed a Header compiles
// unchanged: o.Owns(&n.Header), o.Check(&n.Header), a Locator (which finds
// the header along the pointer with one load and an add) and a channel of
// *Node all work on the region.
//
// # A region is a header
//
// Nothing in the protocol changes: Region is a Header with a name, and every
// Owner method applies to &r.Header exactly as to any object's header, with
// the same states, the same happens-before edges and the same model checks
// (ownership/model). What changes is what the word governs: every node whose
// pointer names r.
//
//   - Transfer (and so a channel send of any node of r) moves every node of r
//     to the receiver: the sender's checks of every node fail from then on.
//     A channel of *Node therefore sends regions, not nodes: send one node
//     per region (its root, say). Sending a second node of a region already
//     sent is sending an object the sender no longer owns: with
//     channel.RejectUnowned the send fails; without it the node goes as it
//     is (HandOver finds it the receiver's already) and arrives owned.
//   - Freeze makes every node readable by every owner (CanRead(&n.Header)),
//     Thaw makes them all exclusive again; StealShared, Steal, TrySteal,
//     StealMany and With take them all with one handshake.
//   - After a steal bumps its owner's epoch, the owner re-claims the whole
//     graph with one Claim or TryClaim, not one per node.
//   - The grain is the region: two goroutines cannot own different nodes of
//     one region at the same time. Give each part that moves on its own
//     (each subtree a walker takes) a region of its own.
//
// # The rules
//
// A node belongs to the region its own pointer names, and to no other.
// Owning a region gives no right to a node of another region that is
// reachable from its nodes (an edge from one graph into another): such a
// node moves, freezes and is stolen with its own region, and a walker that
// may meet one checks it (o.Owns(&n.Header)) before it touches it. Keep the
// edges of a graph inside its region, or check at every edge that may
// leave it.
//
// The region pointer is a plain field of the node, read without
// synchronization by every check of the node (the first of the two loads of
// Owns). So a node must not be moved between regions (its pointer
// rewritten) while another goroutine may read it, check it included: move
// it while the caller owns both regions and nobody else can reach the node
// (before the graph is published, or while only the caller holds pointers
// into it). The race detector can report a move that breaks this rule. Moving
// a node never moves its children: each has its own pointer.
//
// # The cost
//
// Owns(&n.Header) is two dependent loads (n's region pointer, then the
// word) and a compare, against one load for an embedded Header; both load
// the node's cache line, and the region's word is one line shared by every
// node, so a walk touches no more memory than with per-node headers. Each
// node carries one pointer (8 bytes on 64-bit platforms), the same as an
// embedded Header, plus one Region (8 bytes) per graph. Transfer, Freeze,
// Steal and a re-claim cost what they cost for one object, instead of one
// CAS per node; Thaw's cost does not depend on the object either (see
// Thaw). The bench command's "region" scenario measures both layouts on a
// tree of a million nodes.
//
// The zero Region is free: Adopt or Claim takes it. A Region must not be
// copied after first use.
type Region struct {
	Header
}
