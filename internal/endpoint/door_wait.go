package endpoint

import (
	"context"
	"slices"

	"github.com/handoff-go/handoff/ownership"
)

// AwaitDoors is Await for a Selector some of whose receive cases are on
// channels with several receivers (see Consumers). Only the receiver that
// holds a channel's door may announce itself on that channel's RecvPark,
// so the selector takes the door of each such channel (doors[i], whose
// RecvPark is parks[i]; distinct) before it sleeps there, and passes them
// on when its wait ends.
//
// While it waits for a door, the selector is announced on every other
// Parker of its set, the RecvParks of the doors it holds included (a
// door's holder is the one waiter there), and re-checks c after the
// announcement, as every wait does: a case of any channel that becomes
// ready meanwhile wakes it, so waiting for a door never hides a ready
// case, and two selectors that hold each other's next door are not stuck
// (each is woken by the channels whose doors it holds). quits[i] is
// closed when the selector's receiver on doors[i]'s channel is closed
// (its ReceiverFlag): that too ends the wait for the door, since the
// Close's Wake goes to the door's holder, not to the selector. With every
// door held it waits as Await does, on every Parker.
func AwaitDoors[C Condition](ctx context.Context, c C, s *Sleeper, doors []*Consumers, parks []*Parker, quits []<-chan struct{}) error {
	set := s.set
	countWait(set) // one wait, however many doors and sleeps it takes
	held := 0
	var err error
	for held < len(doors) {
		d := doors[held]
		select {
		case d.door <- struct{}{}:
			held++
			continue
		default:
		}
		for _, p := range set.parkers {
			if !slices.Contains(parks[held:], p) {
				p.Prepare(&set.wake)
			}
		}
		done, rerr := c.Ready()
		got := false
		if !done {
			for _, st := range set.stats {
				st.Parks.Add(1) // a sleep, as Await counts its sleeps
			}
			got, err = waitDoor(ctx, d, quits[held], set.wake, set.owners)
		}
		for _, p := range set.parkers {
			if !slices.Contains(parks[held:], p) {
				p.Cancel()
			}
		}
		if got {
			held++
			continue
		}
		if !done {
			done, rerr = c.Ready() // after a sleep: a ready case wins over the context
		}
		if done || err != nil {
			for _, d := range doors[:held] {
				d.LeaveDoor()
			}
			if done {
				return rerr
			}
			return err
		}
	}
	err = awaitSetCounted(ctx, c, s)
	for _, d := range doors {
		d.LeaveDoor()
	}
	return err
}

// waitDoor waits until the selector gets door d (got), a token arrives on
// wake, quit is closed, or ctx is done (err). The owners are parked
// meanwhile.
func waitDoor(ctx context.Context, d *Consumers, quit <-chan struct{}, wake chan struct{}, owners []*ownership.Owner) (got bool, err error) {
	for _, o := range owners {
		o.Park()
	}
	select {
	case d.door <- struct{}{}:
		got = true
	case <-wake:
	case <-quit:
	case <-ctx.Done():
		err = ctx.Err()
	}
	for _, o := range owners {
		o.Unpark()
	}
	return got, err
}
