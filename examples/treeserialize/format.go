package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/handoff-go/handoff/ownership"
)

// The file format. Walkers encode their subtrees concurrently, so their
// output is cut into frames, each tagged with the stream (walker) it
// belongs to, and frames of different streams interleave in the file in
// whatever order the writer got them. Within a stream frames keep their
// order (one walker's chunks travel through one FIFO lane), so the decoder
// concatenates each stream's payloads and parses the streams one by one.
//
//	file    := header frame* trailer
//	header  := "HOTREE01" rootKey:u64 nameLen:u32 name shards:u32
//	frame   := stream:u32 len:u32 crc:u32 payload[len]     (crc: CRC-32C of payload)
//	trailer := 0xFFFFFFFF 8:u32 crc:u32 nodes:u64          (total node count)
//	stream  := (shardIndex:uvarint node)*                  (a whole shard subtree)
//	node    := key:uvarint nameLen:uvarint name children:uvarint node*
//
// Fixed-size integers are little endian. A node is never split across
// frames (the encoder starts a new frame when fewer than maxNodeBytes are
// left), but a shard usually spans many frames.

const (
	magic         = "HOTREE01"
	frameHeader   = 12         // stream, len, crc
	trailerStream = 0xFFFFFFFF // the trailer's stream id
	// maxNodeBytes bounds one encoded node plus a shard index.
	maxNodeBytes = 3*binary.MaxVarintLen64 + binary.MaxVarintLen32 + maxName
	minChunk     = frameHeader + maxNodeBytes
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func appendHeader(b []byte, root *Node) []byte {
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint64(b, root.Key)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(root.Name)))
	b = append(b, root.Name...)
	return binary.LittleEndian.AppendUint32(b, uint32(len(root.Children)))
}

func appendTrailer(b []byte, nodes int) []byte {
	var p [8]byte
	binary.LittleEndian.PutUint64(p[:], uint64(nodes))
	b = binary.LittleEndian.AppendUint32(b, trailerStream)
	b = binary.LittleEndian.AppendUint32(b, 8)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(p[:], castagnoli))
	return append(b, p[:]...)
}

// encoder writes one stream: shards in the format above, into frame
// buffers. next is called with a sealed frame (header filled in); unless
// last is true it returns an empty buffer (capacity at least minChunk) to
// go on with. It is where a walker hands its chunk to the writer.
//
// own, when set, is the owner the encoding goroutine works for: every node
// is checked (own.Check(&nd.Header): two loads and a compare) before it is
// read, so a walker that meets a node of a region it does not own stops
// with an error wrapping ownership.ErrNotOwner instead of reading it.
type encoder struct {
	own    *ownership.Owner
	stream uint32
	buf    []byte // the current frame: header space, then payload
	next   func(frame []byte, last bool) ([]byte, error)
	nodes  int
	err    error
}

func (e *encoder) start(buf []byte) {
	e.buf = append(buf[:0], make([]byte, frameHeader)...)
}

// shard encodes the subtree of shard idx.
func (e *encoder) shard(idx int, root *Node) error {
	e.room()
	if e.err != nil {
		return e.err
	}
	e.buf = binary.AppendUvarint(e.buf, uint64(idx))
	e.node(root)
	return e.err
}

func (e *encoder) node(nd *Node) {
	e.room()
	if e.err != nil {
		return
	}
	if e.own != nil {
		if err := e.own.Check(&nd.Header); err != nil {
			e.err = fmt.Errorf("node %d: %w", nd.Key, err)
			return
		}
	}
	b := binary.AppendUvarint(e.buf, nd.Key)
	b = binary.AppendUvarint(b, uint64(len(nd.Name)))
	b = append(b, nd.Name...)
	e.buf = binary.AppendUvarint(b, uint64(len(nd.Children)))
	e.nodes++
	for _, ch := range nd.Children {
		e.node(ch)
	}
}

// room makes sure a whole node fits in the current frame.
func (e *encoder) room() {
	if cap(e.buf)-len(e.buf) < maxNodeBytes && e.err == nil {
		e.flush()
	}
}

// flush seals the current frame and hands it on for a fresh one.
func (e *encoder) flush() { e.seal(false) }

// finish seals the last frame, if it holds anything, and hands it on.
func (e *encoder) finish() error {
	if len(e.buf) > frameHeader {
		e.seal(true)
	}
	return e.err
}

func (e *encoder) seal(last bool) {
	if e.err != nil {
		return
	}
	h, payload := e.buf[:frameHeader], e.buf[frameHeader:]
	binary.LittleEndian.PutUint32(h[0:], e.stream)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(h[8:], crc32.Checksum(payload, castagnoli))
	buf, err := e.next(e.buf, last)
	if err != nil {
		e.err = err
		return
	}
	if !last {
		e.start(buf)
	}
}

// decode parses a whole file back into a tree.
func decode(data []byte) (*Node, error) {
	r := reader{b: data}
	if string(r.bytes(len(magic))) != magic {
		return nil, errors.New("decode: not a tree file (bad magic)")
	}
	root := &Node{Key: r.u64()}
	root.Name = r.bytes(int(r.u32()))
	shards := int(r.u32())
	if r.err != nil {
		return nil, fmt.Errorf("decode: header: %w", r.err)
	}
	// Frames: gather each stream's payload, in file order.
	var streams [][]byte
	nodes := -1
	for nodes < 0 {
		stream, n, sum := r.u32(), int(r.u32()), r.u32()
		payload := r.bytes(n)
		if r.err != nil {
			return nil, fmt.Errorf("decode: frame at byte %d: %w (no trailer: truncated?)", r.off, r.err)
		}
		if crc32.Checksum(payload, castagnoli) != sum {
			return nil, fmt.Errorf("decode: frame of stream %d ending at byte %d: bad CRC", stream, r.off)
		}
		switch {
		case stream == trailerStream:
			if n != 8 {
				return nil, errors.New("decode: bad trailer")
			}
			nodes = int(binary.LittleEndian.Uint64(payload))
		case stream > 1<<16:
			return nil, fmt.Errorf("decode: stream id %d out of range", stream)
		default:
			for int(stream) >= len(streams) {
				streams = append(streams, nil)
			}
			streams[stream] = append(streams[stream], payload...)
		}
	}
	if r.off != len(data) {
		return nil, fmt.Errorf("decode: %d bytes after the trailer", len(data)-r.off)
	}
	if nodes < 1+shards || nodes > len(data) {
		return nil, fmt.Errorf("decode: trailer says %d nodes, impossible for %d shards in %d bytes", nodes, shards, len(data))
	}
	// Nodes go into slabs sized by the trailer, as build does.
	d := nodeDecoder{slab: make([]Node, nodes-1), kids: make([]*Node, nodes-1)}
	regions := make([]ownership.Region, 1+shards) // as build makes them
	root.Region = &regions[0]
	root.Children = make([]*Node, shards)
	for s, b := range streams {
		d.r = reader{b: b}
		for d.r.off < len(b) && d.r.err == nil {
			idx := d.r.uvarint()
			if d.r.err == nil && (idx >= uint64(shards) || root.Children[idx] != nil) {
				return nil, fmt.Errorf("decode: stream %d: shard %d out of range or seen twice", s, idx)
			}
			if d.r.err == nil {
				d.region = &regions[1+idx]
			}
			if nd := d.node(); nd != nil {
				root.Children[idx] = nd
			}
		}
		if d.r.err != nil {
			return nil, fmt.Errorf("decode: stream %d at byte %d: %w", s, d.r.off, d.r.err)
		}
	}
	for i, ch := range root.Children {
		if ch == nil {
			return nil, fmt.Errorf("decode: shard %d missing", i)
		}
	}
	if d.used != len(d.slab) {
		return nil, fmt.Errorf("decode: %d nodes, the trailer says %d", d.used+1, nodes)
	}
	return root, nil
}

type nodeDecoder struct {
	r          reader
	region     *ownership.Region // the current shard's
	slab       []Node
	kids       []*Node
	used, kUse int
}

func (d *nodeDecoder) node() *Node {
	if d.used == len(d.slab) {
		d.r.fail(errors.New("more nodes than the trailer says"))
		return nil
	}
	nd := &d.slab[d.used]
	d.used++
	nd.Region = d.region
	nd.Key = d.r.uvarint()
	if n := d.r.uvarint(); n > maxName {
		d.r.fail(fmt.Errorf("name of %d bytes (at most %d)", n, maxName))
	} else {
		nd.Name = d.r.bytes(int(n))
	}
	k := d.r.uvarint()
	if d.r.err != nil {
		return nil
	}
	if k > uint64(len(d.kids)-d.kUse) {
		d.r.fail(fmt.Errorf("node with %d children: more than the trailer allows", k))
		return nil
	}
	nd.Children = d.kids[d.kUse : d.kUse+int(k) : d.kUse+int(k)]
	d.kUse += int(k)
	for i := range nd.Children {
		if nd.Children[i] = d.node(); d.r.err != nil {
			return nil
		}
	}
	return nd
}

// reader reads the fields above; its first error sticks and later reads
// return zeros.
type reader struct {
	b   []byte
	off int
	err error
}

var errShort = errors.New("unexpected end of data")

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b)-r.off {
		r.fail(errShort)
		return nil
	}
	b := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

func (r *reader) u32() uint32 {
	if b := r.bytes(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.bytes(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail(errors.New("bad varint"))
		return 0
	}
	r.off += n
	return v
}
