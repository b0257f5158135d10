package sender

import "github.com/handoff-go/handoff/ownership"

// to is the owner a send hands objects over to: the receiver's, or, once
// the channel has several receivers (receiver.Receiver.Clone), the
// channel's Transit owner, from which the receiver that pops the object
// takes it with one CAS (see endpoint.Consumers). One atomic load of a
// word written once; nil until the first receiver clone.
func (s *Sender[T]) to() *ownership.Owner {
	if t := s.p.St.Transit(); t != nil {
		return t
	}
	return s.p.To
}

// recall gives back the ownership of h that a send moved and could not
// publish (the channel closed meanwhile). The send moved it to the
// receiver's owner or to Transit, whichever to returned then; the switch
// to Transit is one-way, so trying the receiver's owner first and then
// Transit finds it: Recall changes nothing unless the word names the
// owner it is given.
func (s *Sender[T]) recall(h *ownership.Header) {
	if s.p.Owner.Recall(h, s.p.To) {
		return
	}
	if t := s.p.St.Transit(); t != nil {
		s.p.Owner.Recall(h, t)
	}
}
