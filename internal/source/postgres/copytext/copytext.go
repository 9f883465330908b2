// Package copytext turns a PostgreSQL COPY binary stream into COPY text rows
// for the common column types, as a stream.
//
// Why: the export directory holds COPY text, and on the source the text
// output functions (timestamptz_out, numeric_out, int8out ...) cost more than
// reading the rows; the binary send functions are nearly free, and a Go
// formatter for these types is cheaper than the server's. The text written is
// the text the server itself writes with the exporter's session settings
// (DateStyle ISO, TimeZone UTC, bytea_output hex; floats in shortest exact
// form), so the data files do not depend on which path wrote them. Types
// outside the list keep the server's text output: a table with one of them
// is exported as text.
package copytext

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
)

// formatter appends the COPY text of one non-NULL binary value (already
// escaped for COPY) to dst.
type formatter func(dst, v []byte) ([]byte, error)

var formatters = map[uint32]formatter{
	pgoid.Bool: fmtBool, pgoid.Bytea: fmtBytea, pgoid.Int8: fmtInt8, pgoid.Int2: fmtInt2, pgoid.Int4: fmtInt4,
	pgoid.Text: fmtText, pgoid.JSON: fmtText, pgoid.Float4: fmtFloat4, pgoid.Float8: fmtFloat8,
	pgoid.Bpchar: fmtText, pgoid.Varchar: fmtText, pgoid.Date: fmtDate, pgoid.Time: fmtTime,
	pgoid.Timestamp: fmtTimestamp(false), pgoid.Timestamptz: fmtTimestamp(true), pgoid.Numeric: fmtNumeric,
	pgoid.UUID: fmtUUID, pgoid.JSONB: fmtJSONB,
}

// Plan formats rows whose columns have the given type OIDs, in order.
type Plan struct {
	fmt []formatter
}

// NewPlan returns a plan for these column types, or false when one has no
// formatter (the table is then exported as text by the server).
func NewPlan(oids []uint32) (*Plan, bool) {
	f, ok := pgoid.Lookup(formatters, oids)
	return &Plan{fmt: f}, ok
}

// Writer returns a writer that takes the COPY binary stream, in pieces of
// any size, and writes COPY text rows to w. Close reports a stream that
// ended early.
func (p *Plan) Writer(w io.Writer) *Writer {
	return &Writer{p: p, w: w, out: make([]byte, 0, 64<<10)}
}

// Writer is the converting writer of one COPY.
type Writer struct {
	p      *Plan
	w      io.Writer
	buf    []byte // input not yet converted: part of a tuple
	out    []byte
	header bool
	done   bool // trailer seen
}

var signature = []byte("PGCOPY\n\xff\r\n\x00")

var errFormat = errors.New("malformed COPY binary stream")

// Write converts every complete tuple in b (and what was left of the last
// call) and keeps the rest.
func (cw *Writer) Write(b []byte) (int, error) {
	in := b
	if len(cw.buf) > 0 {
		cw.buf = append(cw.buf, b...)
		in = cw.buf
	}
	n, err := cw.convert(in)
	if err != nil {
		return 0, err
	}
	rest := in[n:]
	if len(cw.buf) > 0 {
		cw.buf = append(cw.buf[:0], rest...)
	} else if len(rest) > 0 {
		cw.buf = append(cw.buf, rest...)
	}
	return len(b), nil
}

func (cw *Writer) flush() error {
	if len(cw.out) == 0 {
		return nil
	}
	_, err := cw.w.Write(cw.out)
	cw.out = cw.out[:0]
	return err
}

// Close writes what is left and checks that the stream ended with its
// trailer.
func (cw *Writer) Close() error {
	if err := cw.flush(); err != nil {
		return err
	}
	if !cw.done || len(cw.buf) > 0 {
		return fmt.Errorf("COPY binary stream ended early: %w", errFormat)
	}
	return nil
}

// convert formats the complete tuples at the start of in and returns how
// many bytes it used. COPY sends a message per row: the text is passed on
// in pieces of about 32 KiB.
func (cw *Writer) convert(in []byte) (int, error) {
	used := 0
	if !cw.header {
		if len(in) < len(signature)+8 {
			return 0, nil
		}
		if !bytes.Equal(in[:len(signature)], signature) {
			return 0, errFormat
		}
		ext := binary.BigEndian.Uint32(in[len(signature)+4:])
		if len(in) < len(signature)+8+int(ext) {
			return 0, nil
		}
		used = len(signature) + 8 + int(ext)
		cw.header = true
	}
	for used < len(in) {
		if cw.done {
			return 0, errFormat // bytes after the trailer
		}
		n, err := cw.tuple(in[used:])
		if err != nil || n == 0 {
			return used, err
		}
		used += n
		if len(cw.out) >= 32<<10 {
			if err := cw.flush(); err != nil {
				return used, err
			}
		}
	}
	return used, nil
}

// tuple formats one tuple from the start of in and returns its length, or 0
// when in does not hold all of it yet.
func (cw *Writer) tuple(in []byte) (int, error) {
	if len(in) < 2 {
		return 0, nil
	}
	nf := int16(binary.BigEndian.Uint16(in))
	if nf == -1 {
		cw.done = true
		return 2, nil
	}
	if int(nf) != len(cw.p.fmt) {
		return 0, fmt.Errorf("tuple of %d fields for %d columns: %w", nf, len(cw.p.fmt), errFormat)
	}
	// Check the whole tuple is here before writing any of it.
	off := 2
	for range cw.p.fmt {
		if len(in) < off+4 {
			return 0, nil
		}
		l := int32(binary.BigEndian.Uint32(in[off:]))
		off += 4
		if l > 0 {
			off += int(l)
		}
	}
	if len(in) < off {
		return 0, nil
	}
	pos := 2
	for i, f := range cw.p.fmt {
		if i > 0 {
			cw.out = append(cw.out, '\t')
		}
		l := int32(binary.BigEndian.Uint32(in[pos:]))
		pos += 4
		if l < 0 {
			cw.out = append(cw.out, '\\', 'N')
			continue
		}
		var err error
		if cw.out, err = f(cw.out, in[pos:pos+int(l)]); err != nil {
			return 0, err
		}
		pos += int(l)
	}
	cw.out = append(cw.out, '\n')
	return off, nil
}
