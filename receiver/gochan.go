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
func (r *Receiver[T]) Chan(ctx context.Context, buffer int) <-chan T {
	out := make(chan T, buffer)
	go func() {
		defer close(out)
		for {
			v, err := r.RecvContext(ctx)
			if err != nil {
				return
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
