package datafile

import (
	"os"

	"golang.org/x/sys/unix"
)

// Forget tells the kernel that bytes [start, end) of f (end 0: to the end of
// the file), a committed data file, will not be read again. Export fsync'd
// them, so the pages are clean and the kernel frees them at once: a large
// migration does not fill the page cache with data already loaded, and the
// memory is free for the next writes. (On a VM that hands free memory back to
// its host that could save host page faults; the snapshot benchmark measured
// no speed difference: bench/RESULTS.md, "A different machine".)
// Advice only: an error changes nothing and is ignored.
func Forget(f *os.File, start, end int64) {
	n := int64(0) // fadvise's "to the end"
	if end > 0 {
		n = end - start
	}
	_ = unix.Fadvise(int(f.Fd()), start, n, unix.FADV_DONTNEED)
}
