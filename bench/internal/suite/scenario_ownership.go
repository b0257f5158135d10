package suite

import (
	"fmt"
	"math"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// ownedBuf carries an ownership header: a handoff send moves its owner.
type ownedBuf struct {
	ownership.Header
	n int
}

// plainBuf is the same buffer without a header: sends copy the pointer.
type plainBuf struct{ n int }

// circulating is the number of buffers in flight, as in the lead's
// BenchmarkOwnership.
const circulating = 256

// ownershipScenario: buffers circulate producer -> consumer -> producer
// over two channels, each side writing a buffer before passing it on; one
// item is one buffer round (two sends, two receives).
func ownershipScenario() Scenario {
	return Scenario{
		Name:     "ownership",
		Kind:     Channel,
		Title:    "ownership transfer on vs off (buffers circulating over two channels)",
		Unit:     "round",
		Baseline: "chan",
		Notes:    ownershipNotes,
		Cases: func(Env) []Case {
			return []Case{
				{Scenario: "ownership", Impl: "handoff transfer=on", Run: circulateOwned},
				{Scenario: "ownership", Impl: "handoff transfer=off", Run: circulatePlain},
				{Scenario: "ownership", Impl: "chan", Baseline: true, Run: circulateChan},
			}
		},
	}
}

func ownershipNotes(rows []Row) []string {
	var on, off *Row
	for i, r := range rows {
		switch r.Impl {
		case "handoff transfer=on":
			on = &rows[i]
		case "handoff transfer=off":
			off = &rows[i]
		}
	}
	if on == nil || off == nil {
		return nil
	}
	st := RatioOf(*on, *off)
	if !(st.Median > 0) {
		return nil
	}
	spread := ""
	if !math.IsNaN(st.Lo) {
		spread = fmt.Sprintf(" (%.2f–%.2f× over the repetitions)", st.Lo, st.Hi)
	}
	return []string{fmt.Sprintf("transfer on costs %.2f× the time of transfer off%s; target ≤ 1.3×", st.Median, spread)}
}

func circulateOwned(t *Timer, n int) {
	prod, cons := ownership.NewOwner(), ownership.NewOwner()
	fwdTx, fwdRx := channel.Make[*ownedBuf](circulating, channel.WithSenderOwner(prod), channel.WithReceiverOwner(cons))
	backTx, backRx := channel.Make[*ownedBuf](circulating, channel.WithSenderOwner(cons), channel.WithReceiverOwner(prod))
	for range circulating {
		p := &ownedBuf{}
		if err := cons.Adopt(&p.Header); err != nil {
			t.Fail(err)
			return
		}
		if err := backTx.Send(p); err != nil {
			t.Fail(err)
			return
		}
	}
	done := make(chan error, 1)
	go func() {
		for range n {
			p, ok := fwdRx.Recv()
			if !ok { // the main loop failed and closed
				done <- nil
				return
			}
			p.n++
			if err := backTx.Send(p); err != nil {
				_ = backTx.Close() // unblocks the main loop
				done <- err
				return
			}
		}
		done <- nil
	}()
	t.Start()
	var err error
	for range n {
		p, ok := backRx.Recv()
		if !ok { // the other side failed and closed
			break
		}
		p.n++
		if err = fwdTx.Send(p); err != nil {
			break
		}
	}
	t.Stop()
	if err != nil {
		_ = fwdTx.Close() // unblocks the other side
		t.Fail(err)
	}
	t.Fail(<-done)
	prod.Close()
	cons.Close()
}

func circulatePlain(t *Timer, n int) {
	fwdTx, fwdRx := channel.Make[*plainBuf](circulating)
	backTx, backRx := channel.Make[*plainBuf](circulating)
	for range circulating {
		_ = backTx.Send(&plainBuf{})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			p, _ := fwdRx.Recv()
			p.n++
			_ = backTx.Send(p)
		}
	}()
	t.Start()
	for range n {
		p, _ := backRx.Recv()
		p.n++
		_ = fwdTx.Send(p)
	}
	t.Stop()
	<-done
}

func circulateChan(t *Timer, n int) {
	fwd, back := make(chan *plainBuf, circulating), make(chan *plainBuf, circulating)
	for range circulating {
		back <- &plainBuf{}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			p := <-fwd
			p.n++
			back <- p
		}
	}()
	t.Start()
	for range n {
		p := <-back
		p.n++
		fwd <- p
	}
	t.Stop()
	<-done
}
