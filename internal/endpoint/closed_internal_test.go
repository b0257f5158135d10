package endpoint

import "testing"

// A receiver's "closed" is the senders' one: the lanes' marks. CloseLane
// marks a lane before anything else a receiver could read, so the state
// between the mark and the rest of CloseLane (which a receive can observe
// from another goroutine) must already read as closed once every lane is
// marked, and as open while any lane is not.
func TestLanesClosedAtTheMarks(t *testing.T) {
	st, first, _ := New[int](Config{Capacity: 1})
	if st.LanesClosed() {
		t.Fatal("a new channel reads closed")
	}
	second, err := st.AddLane(first)
	if err != nil {
		t.Fatal(err)
	}
	first.Ring.Close() // the first step of CloseLane, alone
	if st.LanesClosed() {
		t.Fatal("closed with the clone's lane open")
	}
	second.Ring.Close()
	if !st.LanesClosed() {
		t.Fatal("every lane marked, and still open: a receive would report ErrEmpty after sends failed with ErrClosed")
	}
}

// A disconnect marks every lane too: from then on no lane takes a push.
func TestLanesClosedAfterDisconnect(t *testing.T) {
	st, first, _ := New[int](Config{Capacity: 2})
	if _, err := st.AddLane(first); err != nil {
		t.Fatal(err)
	}
	if !st.CloseOneReceiver(new(ReceiverFlag)) {
		t.Fatal("CloseOneReceiver")
	}
	if !st.LanesClosed() {
		t.Fatal("open after a disconnect")
	}
}
