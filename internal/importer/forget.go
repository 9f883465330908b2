package importer

import (
	"sync"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
)

// loadedFiles counts the batches of each data file still to load, so that
// the file's page cache is released once all of them are (whole files: the
// kernel drops only whole folios, which may straddle a batch's ends).
type loadedFiles struct {
	mu   sync.Mutex
	left map[string]int
}

func newLoadedFiles() *loadedFiles { return &loadedFiles{left: map[string]int{}} }

func (l *loadedFiles) add(file string, batches int) {
	if batches == 0 { // loaded by an earlier run
		return
	}
	l.mu.Lock()
	l.left[file] += batches
	l.mu.Unlock()
}

// loaded records one batch of file as loaded and, after its last one,
// releases what the page cache still holds of the file.
func (l *loadedFiles) loaded(path, file string) {
	l.mu.Lock()
	l.left[file]--
	last := l.left[file] == 0
	if last {
		delete(l.left, file)
	}
	l.mu.Unlock()
	if !last {
		return
	}
	datafile.Forget(path)
}
