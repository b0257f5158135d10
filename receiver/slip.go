package receiver

import "github.com/handoff-go/handoff/internal/endpoint"

// slipPause is Slip's pause, in pause iterations (about 300ns here).
const slipPause = 256

// slip delays an endpoint that is about to reload the other side's index
// while the two stream items to each other. When a consumer keeps up with
// its producer, every reload of the producer's index pulls that index's
// cache line over, and the producer's next publish (an atomic store, a
// locked instruction on amd64) stalls until it gets the line back: each
// item then costs a cache-line round trip. Waiting a moment before the
// reload, without touching shared memory, lets the producer publish a run
// of items that the consumer then takes with one reload ("temporal
// slipping", as in FastForward and B-Queue). Measured on the 2-core VM:
// a bare ring moved items at ~100ns each without it and ~30ns with it. It
// is applied only while the other side is streaming (the previous reload
// found more than one item), so a ping-pong never pays it.
func slip() { endpoint.Pause(slipPause) }
