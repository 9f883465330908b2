package logminer

import "time"

// Window chooses the SCN ranges mined one after another: each starts
// after the last and spans Size SCNs, never past the database's current
// SCN. The size grows when a window comes back with few rows (little load:
// fewer, larger sessions cost less) and shrinks when one brings many rows
// or takes long (heavy load: smaller windows keep memory and latency
// down), between Min and Max.
type Window struct {
	Min, Max  uint64
	Size      uint64
	next      uint64 // the first SCN of the next window
	TargetRow int    // rows per window above which it shrinks
	Slow      time.Duration
}

// NewWindow starts mining at from.
func NewWindow(from uint64) *Window {
	return &Window{Min: 1_000, Max: 1_000_000, Size: 20_000, next: from, TargetRow: 50_000, Slow: 5 * time.Second}
}

// Next is the range [start, end] to mine given the database's current
// SCN; ok is false when there is nothing new yet.
func (w *Window) Next(current uint64) (start, end uint64, ok bool) {
	if current < w.next {
		return 0, 0, false
	}
	start, end = w.next, w.next+w.Size-1
	if end > current {
		end = current
	}
	return start, end, true
}

// Done records that [start, end] was mined, with rows rows in elapsed,
// and adjusts the size for the next window.
func (w *Window) Done(end uint64, rows int, elapsed time.Duration) {
	w.next = end + 1
	switch {
	case rows > w.TargetRow || elapsed > w.Slow:
		w.Size = max(w.Min, w.Size/2)
	case rows < w.TargetRow/10 && elapsed < w.Slow/10:
		w.Size = min(w.Max, w.Size*2)
	}
}

// Restart makes the next window start at from (after a reconnect, or when
// the restart position moved back to an open transaction's start).
func (w *Window) Restart(from uint64) { w.next = from }

// From is the first SCN of the next window.
func (w *Window) From() uint64 { return w.next }
