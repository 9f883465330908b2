package queue

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// SegmentBytes is the size after which the writer starts a new segment (at
// a transaction boundary), so applied segments can be archived. Tests make
// it small with YBV_QUEUE_SEGMENT_BYTES.
var SegmentBytes int64 = 64 << 20

func init() {
	if v, err := strconv.ParseInt(os.Getenv("YBV_QUEUE_SEGMENT_BYTES"), 10, 64); err == nil && v > 0 {
		SegmentBytes = v
	}
}

// Writer appends events to the queue.
type Writer struct {
	dir    string
	f      *os.File
	buf    *bufio.Writer
	pos    Position // position after the last buffered event
	synced Position
}

// SegmentPath names segment n in dir.
func SegmentPath(dir string, n int) string {
	return filepath.Join(dir, fmt.Sprintf("segment-%06d.ndjson", n))
}

// OpenWriter opens the queue in dir at a recorded durable position,
// discarding anything written after it (a transaction that was not synced
// and recorded before a crash). A zero Position starts a new queue.
func OpenWriter(dir string, at Position) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create queue dir: %w", err)
	}
	if at.Segment == 0 {
		at = Position{Segment: 1, NextSeq: 1}
	}
	f, err := os.OpenFile(SegmentPath(dir, at.Segment), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open queue segment %d: %w", at.Segment, err)
	}
	if err := f.Truncate(at.Offset); err != nil {
		f.Close()
		return nil, fmt.Errorf("truncate queue segment %d to %d: %w", at.Segment, at.Offset, err)
	}
	if _, err := f.Seek(at.Offset, 0); err != nil {
		f.Close()
		return nil, fmt.Errorf("seek queue segment: %w", err)
	}
	// Later segments can only hold unrecorded data: remove them.
	for n := at.Segment + 1; ; n++ {
		if err := os.Remove(SegmentPath(dir, n)); err != nil {
			break
		}
	}
	return &Writer{dir: dir, f: f, buf: bufio.NewWriterSize(f, 1<<20), pos: at, synced: at}, nil
}

// Append assigns the next sequence number to e and buffers it.
func (w *Writer) Append(e *Event) error {
	e.Seq = w.pos.NextSeq
	line, err := Encode(e)
	if err != nil {
		return err
	}
	if _, err := w.buf.Write(line); err != nil {
		return fmt.Errorf("append to queue: %w", err)
	}
	w.pos.NextSeq++
	w.pos.Offset += int64(len(line))
	return nil
}

// Pending reports whether events were appended since the last Sync.
func (w *Writer) Pending() bool { return w.pos != w.synced }

// Sync makes everything appended durable and returns the position to
// record. Call it only at a transaction boundary. It rolls over to a new
// segment when the current one is full.
func (w *Writer) Sync() (Position, error) {
	if err := w.buf.Flush(); err != nil {
		return w.synced, fmt.Errorf("flush queue: %w", err)
	}
	if err := w.f.Sync(); err != nil {
		return w.synced, fmt.Errorf("fsync queue: %w", err)
	}
	w.synced = w.pos
	if w.pos.Offset >= SegmentBytes {
		if err := w.roll(); err != nil {
			return w.synced, err
		}
	}
	return w.synced, nil
}

func (w *Writer) roll() error {
	next := Position{Segment: w.pos.Segment + 1, NextSeq: w.pos.NextSeq}
	f, err := os.OpenFile(SegmentPath(w.dir, next.Segment), os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("start queue segment %d: %w", next.Segment, err)
	}
	if err := syncDir(w.dir); err != nil {
		f.Close()
		return err
	}
	w.f.Close()
	w.f, w.pos, w.synced = f, next, next
	w.buf.Reset(f)
	return nil
}

// Close flushes nothing: unsynced events are dropped, as after a crash.
func (w *Writer) Close() error { return w.f.Close() }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}
