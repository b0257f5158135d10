package main

import (
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"strconv"
)

// The generated object: byte stream number seed, position-dependent, so a
// chunk written at the wrong offset or twice changes the file's SHA-256.
// The 8 bytes at offset 8*i are splitmix64(seed + i*golden); generating
// them costs about as much as a memory copy, so the server is not the
// bottleneck.

const golden = 0x9e3779b97f4a7c15

func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// fill writes the stream's bytes [off, off+len(p)) into p.
func fill(p []byte, off int64, seed uint64) {
	for len(p) > 0 {
		i := uint64(off) / 8
		if off%8 == 0 {
			// Aligned: whole words straight into p.
			for len(p) >= 8 {
				binary.LittleEndian.PutUint64(p, mix(seed+i*golden))
				p = p[8:]
				i++
				off += 8
			}
			if len(p) == 0 {
				return
			}
		}
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], mix(seed+i*golden))
		n := copy(p, w[off%8:])
		p = p[n:]
		off += int64(n)
	}
}

// expectedSum returns the SHA-256 of the first size bytes of the stream,
// computed here, independently of the HTTP server and of any pipeline.
func expectedSum(size int64, seed uint64) [sha256.Size]byte {
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for off := int64(0); off < size; {
		n := int(min(int64(len(buf)), size-off))
		fill(buf[:n], off, seed)
		h.Write(buf[:n])
		off += int64(n)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// newServer starts a loopback HTTP server that serves the stream's first
// size bytes at every path, with a Content-Length, like an object store.
func newServer(size int64, seed uint64) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		buf := make([]byte, 256<<10)
		for off := int64(0); off < size; {
			n := int(min(int64(len(buf)), size-off))
			fill(buf[:n], off, seed)
			if _, err := w.Write(buf[:n]); err != nil {
				return // the client went away
			}
			off += int64(n)
		}
	}))
}
