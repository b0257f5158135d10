package ownership_test

import (
	"context"
	"fmt"

	"github.com/handoff-go/handoff/ownership"
)

// account is an object a victim updates together with another one.
type account struct {
	ownership.Header
	balance int
}

func ExampleOwner_StealMany() {
	bank, auditor := ownership.NewOwner(), ownership.NewOwner()
	defer bank.Close()
	defer auditor.Close()
	from, to := &account{balance: 100}, &account{}
	_ = bank.Adopt(&from.Header)
	_ = bank.Adopt(&to.Header)
	// The bank moves money between its two accounts with no preemption
	// point in between: a thief sees both updates or neither.
	from.balance -= 30
	to.balance += 30
	bank.Park() // the bank's goroutine blocks elsewhere

	// One handshake for both: all or nothing.
	err := auditor.StealMany(context.Background(), &from.Header, &to.Header)
	fmt.Println(err, from.balance+to.balance, auditor.Owns(&from.Header), auditor.Owns(&to.Header))
	bank.Unpark()
	// Output: <nil> 100 true true
}

func ExampleWith() {
	bank, clerk := ownership.NewOwner(), ownership.NewOwner()
	defer bank.Close()
	defer clerk.Close()
	from, to := &account{balance: 100}, &account{}
	_ = bank.Adopt(&from.Header)
	_ = bank.Adopt(&to.Header)
	bank.Park()
	defer bank.Unpark()

	ctx := context.Background()
	err := ownership.With(ctx, clerk, []*ownership.Header{&from.Header}, func(ctx context.Context) error {
		from.balance -= 30
		// A nested section: takes `to` too, keeps `from`.
		return ownership.With(ctx, clerk, []*ownership.Header{&to.Header}, func(context.Context) error {
			to.balance += 30
			return nil
		})
	}) // the outermost exit is clerk's preemption point
	fmt.Println(err, from.balance, to.balance)
	// Output: <nil> 70 30
}
