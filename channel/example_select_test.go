package channel_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"slices"
	"sync"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/sender"
)

// Two producers on one channel: the second Sender is a Clone with a lane
// of its own. The channel reports closed once both have closed and every
// item is received. Items of one producer arrive in order; the two
// producers interleave, so the output is sorted.
func ExampleMake_cloneSenders() {
	tx, rx := channel.Make[string](4)
	tx2, err := tx.Clone()
	if err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	for name, s := range map[string]*sender.Sender[string]{"a": tx, "b": tx2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 {
				_ = s.Send(fmt.Sprint(name, i))
			}
			_ = s.Close()
		}()
	}
	var got []string
	for v := range rx.All() {
		got = append(got, v)
	}
	wg.Wait()
	slices.Sort(got)
	fmt.Println(got)
	fmt.Println("lanes:", rx.Stats().Lanes)
	// Output:
	// [a0 a1 a2 b0 b1 b2]
	// lanes: 2
}

// A Selector waits on receivers of different element types at once, like
// a Go select with receive cases: Select returns the index of the case
// that delivered, and the value is in that case's variable.
func ExampleNewSelector() {
	nums, numsRx := channel.Make[int](1)
	words, wordsRx := channel.Make[string](1)
	var (
		n int
		w string
	)
	sel := channel.NewSelector(channel.On(numsRx, &n), channel.On(wordsRx, &w))

	go func() {
		_ = words.Send("hello")
		_ = words.Close()
	}()
	i, err := sel.Select(context.Background())
	fmt.Println(i, err, w)

	_ = nums.Send(42)
	i, err = sel.Select(context.Background())
	fmt.Println(i, err, n)
	_ = nums.Close()
	// Output:
	// 1 <nil> hello
	// 0 <nil> 42
}

// Select over channels until each is closed and drained: a closed case is
// ready and returns ErrClosed, so the loop drops it and builds a Selector
// of the rest (a Selector is otherwise built once and reused).
func ExampleSelector_Select() {
	a, aRx := channel.Make[int](4)
	b, bRx := channel.Make[int](4)
	for i := range 3 {
		_ = a.Send(i)
		_ = b.Send(10 * i)
	}
	_ = a.Close()
	_ = b.Close()

	var x, y int
	cases := []channel.Case{channel.On(aRx, &x), channel.On(bRx, &y)}
	names := []string{"a", "b"}
	sum := map[string]int{}
	sel := channel.NewSelector(cases...)
	for len(cases) > 0 {
		i, err := sel.Select(context.Background())
		if errors.Is(err, handoff.ErrClosed) {
			fmt.Println(names[i], "closed")
			cases = slices.Delete(cases, i, i+1)
			names = slices.Delete(names, i, i+1)
			if len(cases) > 0 {
				sel = channel.NewSelector(cases...)
			}
			continue
		}
		sum[names[i]] += map[string]int{"a": x, "b": y}[names[i]]
	}
	fmt.Println(sum)
	// Output:
	// a closed
	// b closed
	// map[a:3 b:30]
}

// A Select bounded by a context: with nothing to receive it returns -1 and
// the context's error once the deadline passes, and takes nothing.
func ExampleSelector_Select_timeout() {
	_, rx := channel.Make[int](1)
	var v int
	sel := channel.NewSelector(channel.On(rx, &v))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	i, err := sel.Select(ctx)
	fmt.Println(i, err)
	// Output:
	// -1 context deadline exceeded
}

// TrySelect never blocks: -1 and ErrEmpty when no case is ready. Ready
// cases take turns (round robin).
func ExampleSelector_TrySelect() {
	a, aRx := channel.Make[string](4)
	b, bRx := channel.Make[string](4)
	var x, y string
	sel := channel.NewSelector(channel.On(aRx, &x), channel.On(bRx, &y))

	i, err := sel.TrySelect()
	fmt.Println(i, err)

	_ = a.Send("a1")
	_ = a.Send("a2")
	_ = b.Send("b1")
	for {
		i, err := sel.TrySelect()
		if err != nil {
			fmt.Println(i, err)
			break
		}
		fmt.Println(i, []string{x, y}[i])
	}
	// Output:
	// -1 channel: empty
	// 0 a1
	// 1 b1
	// 0 a2
	// -1 channel: empty
}

// Stats is a snapshot of a channel's counters, from either endpoint.
func ExampleStats() {
	tx, rx := channel.Make[int](8)
	tx2, _ := tx.Clone()
	for i := range 5 {
		_ = tx.Send(i)
	}
	_, _ = tx2.SendBatch([]int{5, 6, 7})
	for range 6 {
		rx.Recv()
	}
	s := tx.Stats()
	fmt.Println("sent", s.Sent, "received", s.Received, "lanes", s.Lanes)

	_ = rx.Close() // disconnect: what is still buffered is discarded
	s = rx.Stats()
	fmt.Println("received", s.Received, "discarded", s.Discarded)
	// Output:
	// sent 8 received 6 lanes 2
	// received 6 discarded 2
}

// receiver.Chan feeds a Go channel from a handoff receiver, for a native
// select that mixes it with other Go channels. The Go channel is closed
// once the handoff channel is closed and drained (or ctx is done).
func ExampleMake_nativeSelect() {
	tx, rx := channel.Make[int](4)
	quit := make(chan struct{})
	for i := range 3 {
		_ = tx.Send(i)
	}
	_ = tx.Close()

	items := rx.Chan(context.Background(), 0)
	for {
		select {
		case v, ok := <-items:
			if !ok {
				fmt.Println("closed")
				return
			}
			fmt.Println("item", v)
		case <-quit:
			return
		}
	}
	// Output:
	// item 0
	// item 1
	// item 2
	// closed
}
