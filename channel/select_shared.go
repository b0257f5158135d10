package channel

import "github.com/handoff-go/handoff/internal/endpoint"

// sharedRecv reports whether the case's receiver has clones (see
// receiver.Receiver.Clone). Its senders wake one Parker, on which the
// receivers of the channel wait in turns (endpoint.Consumers); a Selector
// cannot take such a turn while it waits on other channels too.
func (c *recvCase[T]) sharedRecv() bool {
	return endpoint.PartsOf[endpoint.ReceiverParts[T]](c.rx).Shared != nil
}

// mustNotWaitShared panics if a Select would have to sleep on a receiver
// that has clones: TrySelect, and a Select that finds a case ready, work
// with such receivers; a sleeping Select does not (yet).
func (s *Selector) mustNotWaitShared() {
	for _, c := range s.cases {
		if rc, ok := c.(interface{ sharedRecv() bool }); ok && rc.sharedRecv() {
			panic("channel: Select cannot wait on a receiver that has clones (Receiver.Clone); use TrySelect, or a receiver of its own per channel")
		}
	}
}
