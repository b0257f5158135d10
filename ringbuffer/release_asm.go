//go:build (amd64 || arm64) && !race

package ringbuffer

// storeRelease stores v at *p with release semantics: every load and store
// that comes before the call in program order is visible to any goroutine
// that observes v with an atomic load (an acquire) of *p. It is not a
// sequentially consistent store (see the ring's invariants for what that
// leaves out). Implemented in release_amd64.s and release_arm64.s:
//
//   - amd64: a plain MOVQ. In x86-TSO, the memory model of every x86-64
//     processor (Intel SDM vol. 3A, 9.2.2), stores are not reordered with
//     earlier loads or with earlier stores, so a plain store already orders
//     everything before it: it is a release store. What it does not do is
//     wait for the store buffer to drain, which is what sync/atomic's
//     Store (an XCHG, a locked instruction, chosen for sequential
//     consistency) does: the XCHG stalls until the core owns the index's
//     cache line and every earlier store (the slot zeroing, on a line the
//     producer wrote last) has reached the cache. That stall is the cost
//     this function removes.
//   - arm64: STLR, the ARMv8 store-release: every earlier load and store
//     of the core is observed before it (Arm ARM B2.3, "Barrier-ordered-
//     before"). It is the instruction sync/atomic's Store compiles to on
//     arm64, so there the function buys nothing but being named for what
//     it is; the file exists so that the release path is the same code on
//     both architectures and the arm64 build exercises it (CI runs it
//     under qemu-aarch64).
//
// The compiler cannot move a memory operation across the call either:
// Go assembly functions are never inlined, and the compiler knows nothing
// of what one reads or writes, so it must assume it may read or write any
// memory reachable by the program. Every store before the call (the slot
// zeroing) is emitted before it, and no load after it is hoisted above
// it.
//
// With the race detector on, release_other.go's sync/atomic version is
// used instead, so that the detector sees the happens-before edge.
//
//go:noescape
func storeRelease(p *uint64, v uint64)
