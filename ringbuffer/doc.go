// Package ringbuffer provides Ring, a bounded, wait-free,
// single-producer single-consumer (SPSC) ring buffer.
//
// Ring is a pure data structure: it never blocks, never allocates after
// construction and knows nothing of ownership. Blocking, closing and
// ownership transfer are layered on top of it by the channel packages.
//
// # Contract
//
// Exactly one goroutine at a time may act as the producer, through the
// ring's Producer view (TryPush, PushBatch, Full, Room, ...), and exactly
// one as the consumer, through its Consumer view (TryPop, PopBatch, Empty,
// ...). The two may run concurrently with each other. Handing a role to
// another goroutine needs a happens-before edge of the caller's own (a
// channel send, a mutex, a WaitGroup). The Ring's own methods (Len, Cap,
// Close, Closed, Pushed, Popped) may be called from anywhere.
//
// Each side keeps a private copy of the other side's index and reloads the
// shared index, a cache line the other side writes, only when its copy
// says full (producer) or empty (consumer). The methods named Cached...
// (Producer.CachedRoom, Consumer.CachedReady) read only the copy and never
// touch the other side's line; Producer.Room always reloads it.
//
// In the terms of the Go memory model: the push of a value v is
// synchronized before the pop that returns v, so every write the producer
// made before pushing v is visible to the consumer once it has popped v.
// Likewise the pop that frees a slot is synchronized before the push that
// reuses that slot.
//
// # Closing
//
// Close, which any goroutine may call, marks the ring closed in the very
// index word the producer publishes to: every later push fails, and a
// push that was under way when Close came fails at its publish and leaves
// nothing behind, so there is never an item that a push reported as
// accepted but that arrived after the consumer saw the ring closed. The
// consumer pops what was pushed before; Consumer.Drained then reports that the
// ring is closed and empty for good.
//
// # Publishing
//
// The producer publishes with one CAS on the tail word (the word Close
// marks). The consumer publishes with sync/atomic's Store by default; with
// WithReleasePublish it uses a release store instead (a plain MOV on amd64,
// STLR on arm64), which is all the contract above needs and does not wait
// for the consumer's earlier stores to reach the cache. A producer that
// sleeps when the ring is full and relies on the consumer to wake it must
// then re-check with Producer.FullAfterAnnounce (see WithReleasePublish).
//
// Every operation completes in a bounded number of its own steps whatever
// the other side does: there are no locks, no CAS loops and no waiting
// (a publish is one CAS that fails only when the ring was closed).
package ringbuffer
