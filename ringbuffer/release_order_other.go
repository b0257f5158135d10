//go:build !amd64 || race

package ringbuffer

// releaseNeedsBarrier: on arm64, storeRelease is STLR, and every sync/atomic
// load is LDAR; ARMv8 never lets a load-acquire overtake an earlier
// store-release (they are "RCsc"), so a release publish is ordered before
// the consumer's later atomic loads as sync/atomic's Store is (it is the
// same STLR). Everywhere else, and under the race detector, storeRelease
// is sync/atomic's Store. Either way no barrier is needed.
const releaseNeedsBarrier = false
