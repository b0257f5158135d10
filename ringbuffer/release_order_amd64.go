//go:build !race

package ringbuffer

// releaseNeedsBarrier: on amd64, storeRelease is a plain MOV, which x86-TSO
// lets a later load of the same core overtake (a store may wait in the
// store buffer while later loads read the cache). A producer's announce,
// re-check, sleep then needs FullAfterAnnounce's process barrier (see
// WithReleasePublish).
const releaseNeedsBarrier = true
