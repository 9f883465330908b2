package queue

import (
	"errors"
	"fmt"
	"io"
	"os"
	"unsafe"
)

// Reader reads events in order, never past a limit the caller gets from the
// writer's recorded (durable) position.
type Reader struct {
	dir   string
	pos   Position // position of the next event to read
	f     *os.File
	r     lines
	names interner
	dec   decoder // kept across events: its chunks and scratch are reused
}

// OpenReader starts reading at pos (a position recorded by the writer or by
// a previous reader).
func OpenReader(dir string, pos Position) *Reader {
	if pos.Segment == 0 {
		pos = Position{Segment: 1, NextSeq: 1}
	}
	return &Reader{dir: dir, pos: pos}
}

// Position is where the next event will be read from.
func (r *Reader) Position() Position { return r.pos }

// Next returns the next event before limit, or nil if the reader has
// reached limit.
func (r *Reader) Next(limit Position) (*Event, error) {
	for {
		if r.pos.Segment > limit.Segment || r.pos.Segment == limit.Segment && r.pos.Offset >= limit.Offset {
			if r.r.off < r.r.end {
				// Bytes read ahead past the durable limit may be a killed
				// writer's, which its successor truncates and writes
				// again: drop them, and read afresh from here next time.
				r.Close()
			}
			return nil, nil
		}
		if r.f == nil {
			if err := r.open(); err != nil {
				return nil, err
			}
		}
		line, err := r.r.next()
		if errors.Is(err, io.EOF) && len(line) == 0 && r.pos.Segment < limit.Segment {
			r.next()
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read queue segment %d at %d: %w", r.pos.Segment, r.pos.Offset, err)
		}
		// line's bytes are never overwritten (lines does not reuse its
		// chunks): the event's values may point into it instead of being
		// copied one by one.
		r.dec.names = &r.names
		e, err := r.dec.decode(unsafe.String(unsafe.SliceData(line), len(line)))
		if err != nil {
			return nil, fmt.Errorf("queue segment %d at %d: %w", r.pos.Segment, r.pos.Offset, err)
		}
		r.pos.Offset += int64(len(line))
		r.pos.NextSeq = e.Seq + 1
		return e, nil
	}
}

func (r *Reader) open() error {
	f, err := os.Open(SegmentPath(r.dir, r.pos.Segment))
	if err != nil {
		return fmt.Errorf("open queue segment %d: %w", r.pos.Segment, err)
	}
	if _, err := f.Seek(r.pos.Offset, io.SeekStart); err != nil {
		f.Close()
		return fmt.Errorf("seek queue segment %d: %w", r.pos.Segment, err)
	}
	r.f, r.r = f, lines{r: f}
	return nil
}

func (r *Reader) next() {
	r.Close()
	r.pos.Segment++
	r.pos.Offset = 0
}

// Close releases the open segment.
func (r *Reader) Close() {
	if r.f != nil {
		r.f.Close()
		r.f, r.r = nil, lines{}
	}
}
