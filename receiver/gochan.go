package receiver

import "context"

// Chan returns a Go channel for use in a native select statement, fed by
// a goroutine that receives from r until the channel is closed and
// drained or ctx is done, and then closes the Go channel. It is slower
// than Recv (a goroutine and a Go channel hop per item) and meant for code
// that must mix a handoff channel with other Go channels; to wait on
// several handoff receivers prefer channel.Selector. buffer is the Go
// channel's capacity.
//
// The feeding goroutine becomes r's goroutine: do not use r otherwise
// until the returned channel is closed. An item the goroutine received
// when ctx was cancelled is dropped with the Go channel.
//
// Objects with an ownership header come out free: the feeding goroutine,
// whose owner (r's) each receive made theirs, releases each
// (ownership.Owner.Release) before it hands it over, and the goroutine
// that reads the Go channel takes it with its own owner in one CAS
// (Claim, Adopt or Steal), never waiting. Left with r's owner, a steal
// would wait for the feeder's next preemption point, which never comes
// once the feeder has handed over the last item and returned.
func (r *Receiver[T]) Chan(ctx context.Context, buffer int) <-chan T {
	out := make(chan T, buffer)
	go func() {
		defer close(out)
		for {
			v, err := r.RecvContext(ctx)
			if err != nil {
				return
			}
			if r.p.HasHeader {
				if h := r.p.St.Header(v); h != nil {
					// Happens-before: this Release CAS (release), the Go
					// channel's send and receive, the reader's claiming
					// CAS (acquire). An object r's owner does not hold
					// (frozen) stays as it is.
					_ = r.p.Owner.Release(h)
				}
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
