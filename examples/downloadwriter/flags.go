package main

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag.Value for sizes like 256MiB, 8M, 64KiB or 1048576.
// K, M and G are binary (KiB, MiB, GiB), as buffer sizes usually are.
type byteSize int64

func (s *byteSize) String() string {
	v := int64(*s)
	switch {
	case v >= 1<<30 && v%(1<<30) == 0:
		return strconv.FormatInt(v>>30, 10) + "GiB"
	case v >= 1<<20 && v%(1<<20) == 0:
		return strconv.FormatInt(v>>20, 10) + "MiB"
	case v >= 1<<10 && v%(1<<10) == 0:
		return strconv.FormatInt(v>>10, 10) + "KiB"
	}
	return strconv.FormatInt(v, 10)
}

func (s *byteSize) Set(text string) error {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(text), "B"), "i")
	shift := 0
	if t != "" {
		switch t[len(t)-1] {
		case 'k', 'K':
			shift = 10
		case 'm', 'M':
			shift = 20
		case 'g', 'G':
			shift = 30
		}
	}
	if shift > 0 {
		t = t[:len(t)-1]
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 1 || v > (1<<40)>>shift {
		return fmt.Errorf("want a positive size such as 256MiB, 64KiB or 4096, got %q", text)
	}
	*s = byteSize(v << shift)
	return nil
}
