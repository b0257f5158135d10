package suite

import "strconv"

// spscScenario: one producer, one consumer, item by item, every
// implementation.
func spscScenario() Scenario {
	return Scenario{
		Name:     "spsc",
		Kind:     Channel,
		Title:    "1 producer -> 1 consumer, item by item",
		Unit:     "item",
		Baseline: "chan",
		Cases: func(Env) []Case {
			return append([]Case{
				pipeCase("spsc", "handoff", handoffPipe),
				baselineCase(pipeCase("spsc", "chan", chanPipe)),
				pipeCase("spsc", "xsync SPSCQueueOf", xsyncSPSCPipe),
				pipeCase("spsc", "xsync MPMCQueueOf", xsyncMPMCPipe),
				pipeCase("spsc", "mutex+cond", condPipe),
			}, boostCases("spsc", 1)...)
		},
	}
}

// batchScenario: handoff's SendBatch/RecvBatch of the given size against
// chan item by item (chan has no batch form).
func batchScenario(batch int) Scenario {
	name := "batch" + strconv.Itoa(batch)
	return Scenario{
		Name:     name,
		Kind:     Channel,
		Title:    "1 producer -> 1 consumer, SendBatch/RecvBatch of " + strconv.Itoa(batch),
		Unit:     "item",
		Baseline: "chan",
		Cases: func(Env) []Case {
			cs := []Case{
				pipeCase(name, "handoff batch "+strconv.Itoa(batch), handoffBatchPipe(batch)),
				baselineCase(pipeCase(name, "chan", chanPipe)),
			}
			if batch == 64 {
				// The design's peer for batches: boost's of 32 (the
				// target) and of 64 (the same size as handoff's).
				cs = append(cs, boostCases(name, 32, 64)...)
			}
			return cs
		},
	}
}

// pipeCase times one pipe of mk.
func pipeCase(scenario, impl string, mk pipeMaker) Case {
	return Case{
		Scenario: scenario,
		Impl:     impl,
		MinItems: 1,
		Run:      func(t *Timer, n int) { runPipes(t, mk, 1, n) },
	}
}

func baselineCase(c Case) Case {
	c.Baseline = true
	return c
}
