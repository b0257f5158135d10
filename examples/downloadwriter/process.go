package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// childEnv names the file a re-executed copy of this program writes: when
// it is set, the program is the writer child of -mode process (see
// childMain), not the example.
const childEnv = "DOWNLOADWRITER_CHILD_FILE"

// runProcess is the multiprocessing shape of the pipeline: the downloader
// stays here, the writer runs in a child process (this same executable,
// re-executed with childEnv set) and gets the data over a pipe. Every
// chunk is copied into the kernel by write(2) and out of it by the
// child's read(2), as a multiprocessing.Queue would (minus pickling).
// The downloader can reuse its one buffer at once, since the write copied
// it; the price is the copies and the pipe's wake-ups.
func runProcess(ctx context.Context, url, path string, cfg config, stderr io.Writer) (result, error) {
	res := result{mode: "process"}
	exe, err := os.Executable()
	if err != nil {
		return res, err
	}
	pr, pw, err := os.Pipe() // the default pipe buffer (64 KiB on Linux)
	if err != nil {
		return res, err
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), childEnv+"="+path, "DOWNLOADWRITER_CHUNK="+strconv.Itoa(cfg.chunk))
	cmd.Stdin = pr
	cmd.Stdout = &out
	cmd.Stderr = stderr

	start := time.Now()
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return res, err
	}
	pr.Close() // the child holds the read end now

	dlErr := func() error {
		defer pw.Close() // EOF for the child
		body, err := get(ctx, url, cfg.size)
		if err != nil {
			return err
		}
		defer body.Close()
		buf := make([]byte, cfg.chunk)
		for taken := 0; ; taken++ {
			if taken == cfg.pool { // same window as the other modes
				res.steady.begin()
			}
			n, err := io.ReadFull(body, buf)
			if n > 0 {
				if _, werr := pw.Write(buf[:n]); werr != nil {
					return fmt.Errorf("downloader: writing to the child: %w", werr)
				}
				res.bytes += int64(n)
				res.steady.tick()
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				res.steady.end()
				return nil
			}
			if err != nil {
				return err
			}
		}
	}()
	waitErr := cmd.Wait()
	res.elapsed = time.Since(start)
	if waitErr != nil {
		return res, errors.Join(dlErr, fmt.Errorf("writer child: %w", waitErr))
	}
	if dlErr != nil {
		return res, dlErr
	}
	// The child reports how much it wrote; check it agrees.
	wrote, err := strconv.ParseInt(strings.TrimSpace(out.String()), 10, 64)
	if err != nil || wrote != res.bytes {
		return res, fmt.Errorf("writer child reported %q, want %d bytes", out.String(), res.bytes)
	}
	return res, nil
}

// childMain is the writer child: it copies stdin to the file named by
// childEnv, one chunk at a time through its own buffer (read(2) into user
// memory, then write(2), as a real writer that looks at its data would),
// and prints the byte count. It returns the exit code.
func childMain(path string) int {
	size, err := strconv.Atoi(os.Getenv("DOWNLOADWRITER_CHUNK"))
	if err != nil || size < 1 {
		size = 1 << 20
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer child:", err)
		return 1
	}
	buf := make([]byte, size)
	var total int64
	for {
		n, rerr := io.ReadFull(os.Stdin, buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				fmt.Fprintln(os.Stderr, "writer child:", err)
				return 1
			}
			total += int64(n)
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			fmt.Fprintln(os.Stderr, "writer child:", rerr)
			return 1
		}
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "writer child:", err)
		return 1
	}
	fmt.Println(total)
	return 0
}
