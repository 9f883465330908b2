package datafile

import (
	"os"

	"golang.org/x/sys/unix"
)

// Forget tells the kernel that the committed data file at path will not be
// read again. Export fsync'd it, so its pages are clean and the kernel frees
// them at once: a large migration does not fill the page cache with data
// already loaded. (The snapshot benchmark measured no speed difference:
// bench/RESULTS.md, "A different machine".) Advice only: an error changes
// nothing and is ignored.
func Forget(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED) // length 0: to the end
}
