package channel

import "github.com/handoff-go/handoff/internal/endpoint"

// Stats is a snapshot of a channel's counters, returned by the Stats
// method of either endpoint: items sent, received, transferred, stolen
// on the fallback path, discarded by a receiver disconnect, sends and
// receives that had to wait, and parks. The counters are read without
// stopping traffic and cost nothing on the fast path: sent and received
// are the rings' own indices, the rest are counted only on slow paths.
type Stats = endpoint.Snapshot
