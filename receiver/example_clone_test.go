package receiver_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// A pool of workers on one jobs channel, as goroutines ranging over one
// Go channel: every job goes to exactly one worker.
func ExampleReceiver_Clone() {
	jobs, rx := channel.Make[int](16)
	workers := []*channel.Receiver[int]{rx}
	for range 3 {
		w, err := rx.Clone()
		if err != nil {
			panic(err)
		}
		workers = append(workers, w)
	}
	var sum atomic.Int64
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range w.All() {
				sum.Add(int64(j))
			}
		}()
	}
	for j := 1; j <= 100; j++ {
		_ = jobs.Send(j)
	}
	_ = jobs.Close()
	wg.Wait()
	fmt.Println(sum.Load())
	// Output: 5050
}

type Job struct {
	ownership.Header
	id int
}

// Each receiver has an owner of its own; an object belongs to the owner
// of the receiver that gets it, and no longer to the sender.
func ExampleReceiver_CloneOwned() {
	tx, rx := channel.Make[*Job](4)
	worker := ownership.NewNamedOwner("worker")
	defer worker.Close()
	rx2, _ := rx.CloneOwned(worker)
	j := &Job{id: 1}
	_ = tx.Owner().Adopt(&j.Header)
	_ = tx.Send(j)
	fmt.Println(errors.Is(tx.Owner().Check(&j.Header), ownership.ErrNotOwner))
	got, _ := rx2.Recv()
	fmt.Println(got.id, worker.Owns(&got.Header))
	// Output:
	// true
	// 1 true
}

func ExampleReceiver_TryRecvBatch() {
	tx, rx := channel.Make[int](8)
	dst := make([]int, 4)
	_, err := rx.TryRecvBatch(dst) // never waits
	fmt.Println(errors.Is(err, handoff.ErrEmpty))
	_, _ = tx.SendBatch([]int{1, 2, 3, 4, 5, 6})
	n, err := rx.TryRecvBatch(dst)
	fmt.Println(dst[:n], err)
	_ = tx.Close()
	n, err = rx.TryRecvBatch(dst)
	fmt.Println(dst[:n], err)
	_, err = rx.TryRecvBatch(dst)
	fmt.Println(errors.Is(err, handoff.ErrClosed))
	// Output:
	// true
	// [1 2 3 4] <nil>
	// [5 6] <nil>
	// true
}
