package channel

import (
	"context"
	"slices"

	"github.com/handoff-go/handoff/internal/endpoint"
)

// sharedDoor returns the Consumers of the case's channel, its RecvPark and
// the receiver's quit channel (closed by its Close) when the receiver has
// clones (see receiver.Receiver.Clone), else nil.
func (c *recvCase[T]) sharedDoor() (*endpoint.Consumers, *endpoint.Parker, <-chan struct{}) {
	p := endpoint.PartsOf[endpoint.ReceiverParts[T]](c.rx)
	if p.Shared == nil {
		return nil, nil, nil
	}
	return p.Shared, &p.St.RecvPark, p.Flag.Quit()
}

// maxDoorsOnStack is how many channels with several receivers a Select
// handles without allocating.
const maxDoorsOnStack = 8

// await is the Selector's wait: endpoint.Await, or, when some receive case
// is on a channel whose receiver has clones (the receivers of such a
// channel wait on its RecvPark in turns, holding its door),
// endpoint.AwaitDoors, which takes those doors before it sleeps there.
// Whether a case's receiver has clones is read at every Select: a
// receiver may be cloned after the Selector was built.
func (s *Selector) await(ctx context.Context) error {
	var doorBuf [maxDoorsOnStack]*endpoint.Consumers
	var parkBuf [maxDoorsOnStack]*endpoint.Parker
	var quitBuf [maxDoorsOnStack]<-chan struct{}
	doors, parks, quits := doorBuf[:0], parkBuf[:0], quitBuf[:0]
	for _, c := range s.cases {
		rc, ok := c.(interface {
			sharedDoor() (*endpoint.Consumers, *endpoint.Parker, <-chan struct{})
		})
		if !ok {
			continue
		}
		// Two receivers of one channel in one Selector: its door is taken
		// once, and the first one's Close ends a wait for it.
		if d, p, q := rc.sharedDoor(); d != nil && !slices.Contains(doors, d) {
			doors = append(doors, d)
			parks = append(parks, p)
			quits = append(quits, q)
		}
	}
	if len(doors) == 0 {
		return endpoint.Await(ctx, selectReady{s}, &s.sleeper)
	}
	return endpoint.AwaitDoors(ctx, selectReady{s}, &s.sleeper, doors, parks, quits)
}
