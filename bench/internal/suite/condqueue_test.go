package suite_test

import (
	"testing"

	"github.com/handoff-go/handoff/bench/internal/suite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCondQueueFIFOAcrossGoroutines(t *testing.T) {
	const n = 10000
	q := suite.NewCondQueue[int](4) // small: Put waits often
	go func() {
		for i := range n {
			q.Put(i)
		}
		q.Close()
	}()
	next := 0
	for {
		v, ok := q.Get()
		if !ok {
			break
		}
		require.Equal(t, next, v)
		next++
	}
	assert.Equal(t, n, next, "every item, once, in order")
}

func TestCondQueueClose(t *testing.T) {
	q := suite.NewCondQueue[string](2)
	require.True(t, q.Put("a"))
	require.True(t, q.Put("b"))
	assert.Equal(t, 2, q.Len())
	q.Close()
	assert.False(t, q.Put("c"), "put after close")
	v, ok := q.Get()
	assert.True(t, ok)
	assert.Equal(t, "a", v)
	v, ok = q.Get()
	assert.True(t, ok)
	assert.Equal(t, "b", v)
	_, ok = q.Get()
	assert.False(t, ok, "drained and closed")
}

func TestCondQueueCloseWakesWaiter(t *testing.T) {
	q := suite.NewCondQueue[int](1)
	got := make(chan bool)
	go func() {
		_, ok := q.Get() // empty: waits until Close
		got <- ok
	}()
	q.Close()
	assert.False(t, <-got)
}

func TestCondQueueBadCapacity(t *testing.T) {
	assert.PanicsWithValue(t, "CondQueue capacity must be at least 1", func() { suite.NewCondQueue[int](0) })
}
