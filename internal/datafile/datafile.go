// Package datafile owns the exported data files: PostgreSQL COPY text
// format, one row per line (COPY escapes newlines inside values, so a raw
// '\n' byte always ends a row). It writes them durably and splits them into
// batches that are byte ranges of the file, so the importer never copies data.
package datafile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Writer writes one data file: to name+".tmp" first, then Commit fsyncs and
// renames it into place, so a file under its final name is always complete.
type Writer struct {
	final string
	f     *os.File
	buf   *bufio.Writer
	Rows  int64
	Bytes int64
	// OnRows is told about rows written, in groups (COPY writes one row
	// per call; reporting each would cost more than writing it).
	OnRows  func(int64)
	unshown int64
}

// Create starts writing the data file at path (truncating a leftover temp file).
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path+".tmp", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create data file: %w", err)
	}
	return &Writer{final: path, f: f, buf: bufio.NewWriterSize(f, 1<<20)}, nil
}

// Write counts rows and bytes as the data streams through.
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.buf.Write(p)
	w.Bytes += int64(n)
	rows := int64(bytes.Count(p[:n], []byte{'\n'}))
	w.Rows += rows
	w.unshown += rows
	if w.unshown >= 4096 {
		w.showRows()
	}
	return n, err
}

func (w *Writer) showRows() {
	if w.OnRows != nil && w.unshown > 0 {
		w.OnRows(w.unshown)
	}
	w.unshown = 0
}

// Commit makes the file durable under its final name.
func (w *Writer) Commit() error {
	w.showRows()
	if err := w.buf.Flush(); err != nil {
		return w.fail("flush", err)
	}
	if err := w.f.Sync(); err != nil {
		return w.fail("fsync", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", w.final, err)
	}
	if err := os.Rename(w.final+".tmp", w.final); err != nil {
		return fmt.Errorf("rename data file into place: %w", err)
	}
	return syncDir(filepath.Dir(w.final))
}

// Abort discards the temporary file.
func (w *Writer) Abort() {
	w.f.Close()
	os.Remove(w.final + ".tmp")
}

func (w *Writer) fail(what string, err error) error {
	w.Abort()
	return fmt.Errorf("%s %s: %w", what, w.final, err)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}

// Batch is a byte range [Start, End) of a data file holding Rows whole rows,
// the first of which is line FirstLine (1-based) of the file.
type Batch struct {
	File      string
	Start     int64
	End       int64
	Rows      int64
	FirstLine int64
}

// Split scans the file and cuts it into batches of at most batchRows rows,
// leaving out the ranges in done (start offset -> end offset, as recorded on
// the target by earlier runs, possibly with another batch size). A new batch
// never overlaps a done range: it is cut where a done range starts.
// Scanning reads the file sequentially and counts '\n' bytes, a small
// fraction of the cost of a COPY of the same bytes.
func Split(path string, batchRows int64, done map[int64]int64) ([]Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open data file: %w", err)
	}
	defer f.Close()
	s := splitter{path: path, batchRows: batchRows, done: done}
	s.startAt(0, 1)
	buf := make([]byte, 1<<20)
	var pos, line int64
	for {
		n, err := f.Read(buf)
		chunk := buf[:n]
		for {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				break
			}
			pos += int64(i + 1)
			line++
			chunk = chunk[i+1:]
			s.rowEnd(pos, line)
		}
		pos += int64(len(chunk))
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read data file %s: %w", path, err)
		}
	}
	if s.skipUntil > 0 {
		return nil, fmt.Errorf("data file %s is shorter than the batches already imported from it: it was re-exported; rerun import data with --start-clean", path)
	}
	if s.cur.Rows > 0 {
		s.cur.End = pos
		s.out = append(s.out, s.cur)
	}
	return s.out, nil
}

type splitter struct {
	path      string
	batchRows int64
	done      map[int64]int64
	cur       Batch
	skipUntil int64 // > 0 while inside a done range
	out       []Batch
}

func (s *splitter) startAt(pos, line int64) {
	s.cur = Batch{File: s.path, Start: pos, FirstLine: line}
	if end, ok := s.done[pos]; ok {
		s.skipUntil = end
	}
}

func (s *splitter) rowEnd(pos, line int64) {
	if s.skipUntil > 0 {
		if pos == s.skipUntil {
			s.skipUntil = 0
			s.startAt(pos, line+1)
		}
		return
	}
	s.cur.Rows++
	_, doneStarts := s.done[pos]
	if s.cur.Rows == s.batchRows || doneStarts {
		s.cur.End = pos
		s.out = append(s.out, s.cur)
		s.startAt(pos, line+1)
	}
}
