// Package endpoint holds the state that a channel's endpoints share: the
// lanes (one ring per sender), the parking spots, the closed flags, the
// counters and the ownership settings decided once at construction. The
// sender and receiver packages build their operations on it, so that
// neither imports the other.
//
// # Invariants
//
//   - Each lane's ring has exactly one producer (its Sender) and one
//     consumer (the Receiver); the State itself never pops or pushes,
//     except that the receiver's own Close clears its rings in place.
//   - A flag that ends a wait (an item published, a slot freed, an
//     endpoint closed) is always stored before the matching Parker.Wake,
//     and a waiter always announces itself (Parker.Prepare) before its last
//     check of that flag. See parker.go for why no wake-up is lost.
//   - Closed flags only go from false to true. A sender closes after its
//     last publish, so a receiver that sees every sender closed and then
//     finds every lane empty has seen every item. See State for the lanes
//     and the receiver's disconnect, stats.go for the counters.
package endpoint
