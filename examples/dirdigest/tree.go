package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// bufSize is each digester's read buffer.
const bufSize = 32 << 10

// makeTree writes files files under root, in nested directories of up to
// 16 entries, with sizes spread up to maxSize bytes (fixed by seed), and
// returns the number of bytes written.
func makeTree(root string, files, maxSize int, seed uint64) (int64, error) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	buf := make([]byte, maxSize)
	var total int64
	for i := range files {
		dir := filepath.Join(root, fmt.Sprintf("d%02d", i%16), fmt.Sprintf("e%02d", i/16%16))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return total, err
		}
		size := rng.IntN(maxSize + 1)
		for j := range buf[:size] {
			buf[j] = byte(rng.Uint32())
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d.bin", i)), buf[:size], 0o644); err != nil {
			return total, err
		}
		total += int64(size)
	}
	return total, nil
}
