// Package endpoint holds the state that a channel's two endpoints share:
// the ring, the two parking spots, the closed flags and the ownership
// settings decided once at construction. The sender and receiver packages
// build their operations on it, so that neither imports the other.
//
// # Invariants
//
//   - The ring has exactly one producer (the Sender) and one consumer (the
//     Receiver); the State never touches the ring's data itself.
//   - A flag that ends a wait (an item published, a slot freed, an
//     endpoint closed) is always stored before the matching Parker.Wake,
//     and a waiter always announces itself (Parker.Prepare) before its last
//     check of that flag. See parker.go for why no wake-up is lost.
//   - senderClosed and receiverClosed only go from false to true.
//     senderClosed is stored after the sender's last publish, so a receiver
//     that observes it and then finds the ring empty has seen every item.
package endpoint
