package queue

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Segments lists the segment numbers present in dir, ascending.
func Segments(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list queue segments: %w", err)
	}
	var out []int
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "segment-") || !strings.HasSuffix(name, ".ndjson") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "segment-"), ".ndjson"))
		if err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

// Archive removes (archiveDir empty) or moves into archiveDir every segment
// before segment `before`: segments the reader has moved past for good.
// It never touches `before` or later ones.
func Archive(dir string, before int, archiveDir string) ([]int, error) {
	segs, err := Segments(dir)
	if err != nil {
		return nil, err
	}
	var done []int
	for _, n := range segs {
		if n >= before {
			break
		}
		src := SegmentPath(dir, n)
		if archiveDir != "" {
			if err := moveFile(src, filepath.Join(archiveDir, filepath.Base(src))); err != nil {
				return done, err
			}
		} else if err := os.Remove(src); err != nil {
			return done, fmt.Errorf("delete queue segment %d: %w", n, err)
		}
		done = append(done, n)
	}
	return done, nil
}

// moveFile renames, or copies and fsyncs then removes across file systems.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.Create(dst + ".tmp")
	if err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("archive %s: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("archive %s: %w", src, err)
	}
	out.Close()
	if err := os.Rename(dst+".tmp", dst); err != nil {
		return fmt.Errorf("archive %s: %w", src, err)
	}
	return os.Remove(src)
}
