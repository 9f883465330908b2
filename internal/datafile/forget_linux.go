package datafile

import (
	"os"

	"golang.org/x/sys/unix"
)

// Forget tells the kernel that bytes [start, end) of f (end 0: to the end of
// the file), a committed data file, will not be read again. Export wrote them through the page cache and
// fsync'd them, so they are clean and the kernel frees them at once; the
// exporter's next writes (and the target's) then reuse memory the machine
// already holds instead of taking fresh pages, which on a VM whose balloon
// hands free memory back to the host costs a host page fault per page
// (bench/RESULTS.md, "Where the snapshot's CPU goes"). It also keeps a
// large migration from filling the page cache with data already loaded.
// Advice only: an error changes nothing and is ignored.
func Forget(f *os.File, start, end int64) {
	n := int64(0) // fadvise's "to the end"
	if end > 0 {
		n = end - start
	}
	_ = unix.Fadvise(int(f.Fd()), start, n, unix.FADV_DONTNEED)
}
