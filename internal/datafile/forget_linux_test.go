package datafile

import (
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// resident counts the pages of f's first size bytes that are in the page cache.
func resident(t *testing.T, f *os.File, size int) int {
	t.Helper()
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (size+os.Getpagesize()-1)/os.Getpagesize())
	_, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(size), uintptr(unsafe.Pointer(&vec[0])))
	if errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

// A committed file's pages leave the page cache, and its bytes stay intact.
func TestForgetDropsTheFilesPages(t *testing.T) {
	p := writeRows(t, 200000) // ~1 MB, committed: fsync'd, so its pages are clean
	var fs unix.Statfs_t
	if err := unix.Statfs(p, &fs); err != nil || fs.Type == unix.TMPFS_MAGIC {
		t.Skip("the temp dir is on tmpfs, whose pages are the file itself")
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	Forget(p)
	if got := resident(t, f, len(want)); got != 0 {
		t.Fatalf("after Forget to the end: %d pages resident, want 0", got)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != string(want) {
		t.Fatalf("file after Forget: %d bytes (want %d), %v", len(got), len(want), err)
	}
}
