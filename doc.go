// Package handoff moves objects between goroutines with ownership. It holds
// the vocabulary that the channel packages share: the errors their
// operations return and the Stats counters of a channel. Start with
// package channel:
//
//	tx, rx := channel.Make[*Buf](64)       // like make(chan *Buf, 64)
//	go func() { tx.Send(b); tx.Close() }() // like ch <- b; close(ch)
//	for b := range rx.All() { ... }        // like for b := range ch
//
// The packages of the module:
//
//   - channel: Make, its options, and Selector (waiting on several
//     channels at once);
//   - sender and receiver: the two endpoints, Sender and Receiver;
//   - ownership: owners, epochs, the object Header, transfer, steal and
//     freeze;
//   - ringbuffer: the wait-free single-producer single-consumer ring the
//     channels are built on.
package handoff
