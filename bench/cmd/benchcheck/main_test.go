package main

import "testing"

func TestUsage(t *testing.T) {
	if code := run([]string{"-h"}); code != 0 {
		t.Errorf("benchcheck -h: exit %d, want 0 (usage, not a folder named -h)", code)
	}
	if code := run(nil); code != 2 {
		t.Errorf("benchcheck with no folder: exit %d, want 2", code)
	}
	if code := run([]string{"a", "b"}); code != 2 {
		t.Errorf("benchcheck with two folders: exit %d, want 2", code)
	}
	if code := run([]string{t.TempDir()}); code != 1 {
		t.Errorf("benchcheck on an empty folder: exit %d, want 1", code)
	}
}
