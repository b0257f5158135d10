package main

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Every goroutine the pipeline starts must have exited after each test,
// failures included.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The CI command, go run ./examples/treeserialize -smoke, in-process: both
// ways write a file that decodes to the original tree.
func TestSmoke(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-smoke", "-dir", t.TempDir()}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	out := stdout.String()
	assert.Regexp(t, `(?m)^1 goroutine .* same tree \(\d+ bytes\)$`, out)
	assert.Regexp(t, `(?m)^\d+ walkers \+ writer .* same tree \(\d+ bytes\)$`, out)
	assert.Contains(t, out, "speedup:")
	assert.NotContains(t, out, "MISMATCH")
}

// Both ways round-trip for odd shapes and settings: the smallest tree,
// fewer subtrees than walkers, one walker, the smallest chunk (many
// frames, every shard split across frames), a pool of one.
func TestRoundTrip(t *testing.T) {
	for _, c := range []struct{ nodes, shards, walkers, chunk, pool int }{
		{2, 256, 2, 64 << 10, 4},
		{3, 1, 3, minChunk, 1},
		{1000, 5, 7, minChunk, 1},
		{5000, 64, 1, 1024, 2},
		{30000, 256, 3, minChunk + 7, 3},
	} {
		root := build(c.nodes, c.shards, 11)
		require.Equal(t, c.nodes, count(root))
		want := hashTree(root)
		path := filepath.Join(t.TempDir(), "tree.bin")
		loader := loaderOf(t, root)

		single, err := serializeSingle(loader, root, c.nodes, path, c.chunk)
		require.NoError(t, err, "%+v", c)
		assert.Equal(t, want, decodeFile(t, path), "single %+v", c)
		assert.Equal(t, fileSize(t, path), single.bytes)

		multi, err := serializeParallel(loader, root, c.nodes, path, assign(root, c.walkers), c.chunk, c.pool)
		require.NoError(t, err, "%+v", c)
		assert.Equal(t, want, decodeFile(t, path), "parallel %+v", c)
		assert.Equal(t, fileSize(t, path), multi.bytes)

		// Every chunk went to the writer and came back (or was the last).
		data := multi.chans[0]
		assert.Equal(t, c.walkers, data.Lanes)
		assert.Equal(t, data.Sent, data.Received)
		assert.Equal(t, data.Sent, data.Transferred, "every chunk moved to the writer's owner")
		var back uint64
		for _, f := range multi.chans[1:] {
			back += f.Sent
		}
		assert.Equal(t, data.Received, back, "the writer returned every chunk to its walker")
	}
}

// loaderOf returns an owner that owns every region of root's tree, closed
// when the test ends.
func loaderOf(t *testing.T, root *Node) *ownership.Owner {
	t.Helper()
	o := ownership.NewOwner()
	t.Cleanup(o.Close)
	require.NoError(t, claimTree(o, root))
	return o
}

// owned counts the nodes of the tree at nd that o owns, each checked
// through the node itself.
func owned(o *ownership.Owner, nd *Node) int {
	c := 0
	if o.Owns(&nd.Header) {
		c = 1
	}
	for _, ch := range nd.Children {
		c += owned(o, ch)
	}
	return c
}

// The root has a region of its own and each shard one; every node of a
// shard is in its shard's region, and a decoded tree is built the same way.
func TestBuildMakesARegionPerShard(t *testing.T) {
	root := build(5000, 16, 7)
	seen := map[*ownership.Region]bool{root.Region: true}
	var in func(nd *Node, r *ownership.Region)
	in = func(nd *Node, r *ownership.Region) {
		require.Same(t, r, nd.Region)
		for _, ch := range nd.Children {
			in(ch, r)
		}
	}
	for _, sh := range root.Children {
		require.False(t, seen[sh.Region], "a region per shard")
		seen[sh.Region] = true
		in(sh, sh.Region)
	}
	path := filepath.Join(t.TempDir(), "tree.bin")
	_, err := serializeSingle(loaderOf(t, root), root, 5000, path, 1024)
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	back, err := decode(data)
	require.NoError(t, err)
	for _, sh := range back.Children {
		require.NotSame(t, back.Region, sh.Region)
		in(sh, sh.Region)
	}
}

// The walkers own the shards they walk and give them back: after a
// parallel run the loader owns every node again, and while a walker holds
// a shard the loader owns none of its nodes.
func TestShardsGoToTheWalkersAndBack(t *testing.T) {
	root := build(20000, 32, 3)
	loader := loaderOf(t, root)
	require.Equal(t, 20000, owned(loader, root))
	path := filepath.Join(t.TempDir(), "tree.bin")
	out, err := serializeParallel(loader, root, 20000, path, assign(root, 3), minChunk, 2)
	require.NoError(t, err)
	assert.Equal(t, 32, out.handed, "one Transfer per shard, not per node")
	assert.Equal(t, 20000, owned(loader, root), "every region came back")

	walker := ownership.NewOwner()
	defer walker.Close()
	sh := root.Children[5]
	require.NoError(t, loader.Transfer(&sh.Header, walker))
	assert.Zero(t, owned(loader, sh))
	assert.Equal(t, count(sh), owned(walker, sh))
}

// A goroutine that does not own a node's region does not read it: the
// encoder checks every node.
func TestEncoderChecksEveryNode(t *testing.T) {
	root := build(3000, 8, 2)
	loader := loaderOf(t, root)
	other := ownership.NewOwner()
	defer other.Close()
	require.NoError(t, loader.Transfer(&root.Children[6].Header, other))
	path := filepath.Join(t.TempDir(), "tree.bin")
	_, err := serializeSingle(loader, root, 3000, path, 1024)
	assert.ErrorIs(t, err, ownership.ErrNotOwner)
	_, err = serializeParallel(loader, root, 3000, path, assign(root, 2), 1024, 2)
	assert.ErrorIs(t, err, ownership.ErrNotOwner, "the loader cannot hand out a shard it does not own")
	assert.Equal(t, 3000-count(root.Children[6]), owned(loader, root), "what was handed out came back")
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	return fi.Size()
}

func decodeFile(t *testing.T, path string) uint64 {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	back, err := decode(data)
	require.NoError(t, err)
	return hashTree(back)
}

type frame struct {
	stream uint32
	raw    []byte
}

// splitFile cuts a file into its header, frames and trailer.
func splitFile(t *testing.T, data []byte) (header []byte, frames []frame, trailer []byte) {
	t.Helper()
	nameLen := binary.LittleEndian.Uint32(data[16:])
	off := 8 + 8 + 4 + int(nameLen) + 4
	header = data[:off]
	for {
		stream := binary.LittleEndian.Uint32(data[off:])
		n := int(binary.LittleEndian.Uint32(data[off+4:]))
		end := off + frameHeader + n
		if stream == trailerStream {
			require.Equal(t, len(data), end)
			return header, frames, data[off:end]
		}
		frames = append(frames, frame{stream, data[off:end]})
		off = end
	}
}

// The framing's promise: frames of different streams may interleave in
// any order and the file still decodes to the same tree; frames of one
// stream must keep their order.
func TestFramesInterleaveAcrossStreams(t *testing.T) {
	root := build(20000, 32, 5)
	want := hashTree(root)
	path := filepath.Join(t.TempDir(), "tree.bin")
	_, err := serializeParallel(loaderOf(t, root), root, 20000, path, assign(root, 3), minChunk, 2)
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	header, frames, trailer := splitFile(t, data)

	// Deal the frames out into a different interleaving that keeps each
	// stream's order: repeatedly take the next frame of a random stream.
	byStream := map[uint32][]frame{}
	var ids []uint32
	for _, f := range frames {
		if _, ok := byStream[f.stream]; !ok {
			ids = append(ids, f.stream)
		}
		byStream[f.stream] = append(byStream[f.stream], f)
	}
	require.Len(t, ids, 3, "three walkers, three streams")
	rng := rand.New(rand.NewPCG(1, 2))
	shuffled := slices.Clone(header)
	for len(ids) > 0 {
		i := rng.IntN(len(ids))
		s := ids[i]
		shuffled = append(shuffled, byStream[s][0].raw...)
		if byStream[s] = byStream[s][1:]; len(byStream[s]) == 0 {
			ids = slices.Delete(ids, i, i+1)
		}
	}
	shuffled = append(shuffled, trailer...)
	require.NotEqual(t, data, shuffled, "the interleaving changed")
	back, err := decode(shuffled)
	require.NoError(t, err)
	assert.Equal(t, want, hashTree(back))

	// Swapping two frames of the same stream breaks the stream.
	var a, b = -1, -1
	for i := range frames {
		for j := i + 1; j < len(frames) && a < 0; j++ {
			if frames[i].stream == frames[j].stream {
				a, b = i, j
			}
		}
	}
	require.GreaterOrEqual(t, a, 0)
	frames[a], frames[b] = frames[b], frames[a]
	swapped := slices.Clone(header)
	for _, f := range frames {
		swapped = append(swapped, f.raw...)
	}
	swapped = append(swapped, trailer...)
	back, err = decode(swapped)
	if err == nil {
		assert.NotEqual(t, want, hashTree(back))
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	root := build(5000, 16, 3)
	path := filepath.Join(t.TempDir(), "tree.bin")
	_, err := serializeParallel(loaderOf(t, root), root, 5000, path, assign(root, 2), 1024, 2)
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = decode(data)
	require.NoError(t, err)

	flipped := slices.Clone(data)
	flipped[len(flipped)/2] ^= 0x40
	_, err = decode(flipped)
	assert.ErrorContains(t, err, "bad CRC")

	_, err = decode(data[:len(data)-1])
	assert.ErrorContains(t, err, "truncated")

	_, err = decode(append(slices.Clone(data), 0))
	assert.ErrorContains(t, err, "after the trailer")

	bad := slices.Clone(data)
	bad[0] = 'X'
	_, err = decode(bad)
	assert.ErrorContains(t, err, "bad magic")
}

// A file that does not decode to the original tree fails the run with
// exit code 1 and says so.
func TestVerificationFailureExitsNonZero(t *testing.T) {
	tamper = func(path string) {
		require.NoError(t, os.Truncate(path, 100))
	}
	t.Cleanup(func() { tamper = nil })
	var stdout, stderr bytes.Buffer
	code := run([]string{"-smoke", "-dir", t.TempDir()}, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "1 goroutine: decode:")
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"-nosuchflag"},
		{"-nodes", "1"},
		{"-nodes", "many"},
		{"-walkers", "0"},
		{"-chunk", "10"},
		{"-pool", "0"},
		{"-shards", "0"},
		{"-runs", "0"},
		{"stray-argument"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, stderr.String(), "usage: treeserialize", "%v", args)
		assert.Empty(t, stdout.String(), "%v", args)
	}
}

func TestHelpExit0(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"-help"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-walkers")
}

func TestBuildIsDeterministic(t *testing.T) {
	a, b, c := build(10000, 50, 1), build(10000, 50, 1), build(10000, 50, 2)
	assert.Equal(t, hashTree(a), hashTree(b))
	assert.NotEqual(t, hashTree(a), hashTree(c))
	assert.Len(t, a.Children, 50)
	assert.Equal(t, 10000, count(a))
}

func TestAssignCoversEveryShardOnce(t *testing.T) {
	root := build(20000, 100, 4)
	plan := assign(root, 3)
	var all []int
	load := make([]int, len(plan))
	for w, shards := range plan {
		assert.True(t, slices.IsSorted(shards))
		all = append(all, shards...)
		for _, s := range shards {
			load[w] += count(root.Children[s])
		}
	}
	slices.Sort(all)
	want := make([]int, 100)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, all)
	// LPT: no walker exceeds the average by more than the largest shard.
	largest := 0
	for _, ch := range root.Children {
		largest = max(largest, count(ch))
	}
	for _, l := range load {
		assert.LessOrEqual(t, l, (20000-1)/3+largest)
	}
}

// When the writer fails (here: every write to /dev/full fails with
// ENOSPC), it disconnects, the walkers stop, and every goroutine exits:
// the call returns the writer's error instead of hanging.
func TestWriterFailureStopsWalkers(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	root := build(50000, 64, 9)
	loader := loaderOf(t, root)
	for _, w := range []int{1, 4} {
		_, err := serializeParallel(loader, root, 50000, "/dev/full", assign(root, w), minChunk, 2)
		assert.ErrorContains(t, err, "writer:", "%d walkers", w)
	}
}
