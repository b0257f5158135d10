package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/handoff-go/handoff/ownership"
)

// Every goroutine the pipeline starts must have exited after each test,
// failures included.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The CI command, go run ./examples/pipeline -smoke, in-process.
func TestSmoke(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-smoke"}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	out := stdout.String()
	assert.Contains(t, out, "\nverified\n")
	assert.Regexp(t, `(?m)^parsed +10000 +10000 +10000 `, out)
	assert.Regexp(t, `(?m)^transformed +10000 +10000 +10000 `, out)
	assert.Regexp(t, `(?m)^free +10000 +9744 +10000 `, out)
}

// The sink's totals equal the ones computed without the pipeline, for
// tight settings too (one record in circulation, channels of one), and
// every record moves by transfer, never by stealing.
func TestPipelineMatchesExpected(t *testing.T) {
	for _, cfg := range []config{
		{records: 0, pool: 4, capacity: 4, seed: 1},
		{records: 1, pool: 1, capacity: 1, seed: 2},
		{records: 5000, pool: 1, capacity: 1, seed: 3},
		{records: 5000, pool: 3, capacity: 64, seed: 4},
		{records: 20000, pool: 256, capacity: 8, seed: 5},
	} {
		res, err := runPipeline(newInput(cfg.records, cfg.seed), cfg)
		require.NoError(t, err, "%+v", cfg)
		assert.Equal(t, expect(cfg.records, cfg.seed), res.got, "%+v", cfg)
		n := uint64(cfg.records)
		for _, c := range res.chans {
			assert.Equal(t, n, c.stats.Sent, "%s %+v", c.name, cfg)
			assert.Equal(t, n, c.stats.Transferred, "%s %+v", c.name, cfg)
			assert.Zero(t, c.stats.Stolen, "%s %+v", c.name, cfg)
		}
		assert.Equal(t, n, res.chans[0].stats.Received)
		assert.Equal(t, n, res.chans[1].stats.Received)
		assert.Equal(t, n-min(n, uint64(cfg.pool)), res.chans[2].stats.Received, "parse reuses a record once its pool is made")
	}
}

// The checksum is order-sensitive and covers names: a changed input
// changes the expected totals.
func TestExpectDependsOnInput(t *testing.T) {
	assert.NotEqual(t, expect(1000, 1), expect(1000, 2))
	assert.NotEqual(t, expect(1000, 1), expect(999, 1))
}

// -bug: transform's use-after-send is caught by Check before the write;
// the error names the stages (named owners) and the program exits 1. Under -race this test also
// shows there is no data race: the write never happens.
func TestBugIsCaught(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-smoke", "-bug"}, &stdout, &stderr)
	assert.Equal(t, 1, code)
	msg := stderr.String()
	assert.Regexp(t, `transform: record \d+ used after it was sent: ownership: owner \d+ \("transform"\) does not own the object: owned by owner \d+ \("(sink|parse)"\)`, msg)
	assert.NotContains(t, stdout.String(), "verified")

	res, err := runPipeline(newInput(1000, 1), config{records: 1000, pool: 256, capacity: 64, seed: 1, bug: true})
	var uas *UseAfterSendError
	require.ErrorAs(t, err, &uas)
	assert.ErrorIs(t, err, ownership.ErrNotOwner)
	var noe *ownership.NotOwnerError
	require.ErrorAs(t, err, &noe)
	assert.Equal(t, "transform", noe.CallerName)
	assert.Less(t, res.got.Records, uint64(1000), "the pipeline stopped early")
}

// A malformed line stops the pipeline with the parser's error, and every
// stage exits.
func TestMalformedInputStops(t *testing.T) {
	var in strings.Builder
	n, _ := io.Copy(&in, newInput(100, 1))
	require.Positive(t, n)
	text := in.String() + "100,broken\n" + "101,ok,1,1\n"
	res, err := runPipeline(strings.NewReader(text), config{records: 102, pool: 8, capacity: 4, seed: 1})
	assert.ErrorContains(t, err, "parse: line 101: want id,name,qty,price")
	assert.Equal(t, uint64(100), res.got.Records, "everything before the bad line arrived")

	for _, line := range []string{"1,a,2,x", "1,a,,3", "x,a,2,3", "1,,2,3", "1,a,2,99999999999999999999"} {
		var r Record
		assert.Error(t, r.parse([]byte(line)), line)
	}
	var r Record
	require.NoError(t, r.parse([]byte("7,abc,2,300")))
	assert.Equal(t, []uint64{7, 2, 300}, []uint64{r.ID, r.Qty, r.Price})
	assert.Equal(t, "abc", string(r.Name))
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"-nosuchflag"},
		{"-records", "-1"},
		{"-records", "lots"},
		{"-pool", "0"},
		{"-cap", "0"},
		{"stray-argument"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, stderr.String(), "usage: pipeline", "%v", args)
		assert.Empty(t, stdout.String(), "%v", args)
	}
}

func TestHelpExit0(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"-h"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-bug")
}
