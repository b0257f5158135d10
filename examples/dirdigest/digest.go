package main

import (
	"crypto/md5"
	"fmt"
	"io"
	"os"
	"strings"
)

// Sum is one file's MD5, as in the blog post.
type Sum = [md5.Size]byte

// digestFile hashes the file at path through buf, the calling digester's
// own read buffer (no allocation per file beyond opening it). A path that
// ends with fail (when fail is not empty) fails instead, so that tests and
// -fail can exercise the cancellation on the first error.
func digestFile(path string, buf []byte, fail string) (Sum, int64, error) {
	var sum Sum
	if fail != "" && strings.HasSuffix(path, fail) {
		return sum, 0, fmt.Errorf("%s: injected failure", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return sum, 0, err
	}
	defer f.Close()
	h := md5.New()
	n, err := io.CopyBuffer(h, struct{ io.Reader }{f}, buf) // the wrapper keeps CopyBuffer on buf (no WriterTo)
	if err != nil {
		return sum, n, err
	}
	h.Sum(sum[:0])
	return sum, n, nil
}
