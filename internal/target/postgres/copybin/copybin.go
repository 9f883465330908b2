// Package copybin turns rows in PostgreSQL COPY text format (what the
// export directory holds) into COPY binary format for the common column
// types, as a stream.
//
// Why: on a loaded target, parsing text (timestamptz_in, numeric_in,
// int8in ...) is the largest share of COPY's CPU; the binary receive
// functions are several times cheaper, and a specialised Go parser for the
// exact text our exporters write is cheaper still. The conversion is
// deliberately narrow: a value it does not recognise exactly makes the
// stream fail with ErrUnconvertible, and the caller loads that batch as text
// instead, so the target's own text parser stays the authority on every
// value outside the fast path.
package copybin

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
)

// ErrUnconvertible means a row or value is outside the fast path; nothing is
// wrong with the data, it has to go to the target as text.
var ErrUnconvertible = errors.New("value not convertible to COPY binary")

// encoder appends the binary value of one unescaped text field to dst,
// without the length word.
type encoder func(dst, field []byte) ([]byte, error)

var encoders = map[uint32]encoder{
	pgoid.Bool: encBool, pgoid.Bytea: encBytea, pgoid.Int8: encInt(64), pgoid.Int2: encInt(16), pgoid.Int4: encInt(32),
	pgoid.Text: encText, pgoid.JSON: encText, pgoid.Float4: encFloat(32), pgoid.Float8: encFloat(64),
	pgoid.Bpchar: encText, pgoid.Varchar: encText, pgoid.Date: encDate, pgoid.Time: encTime,
	pgoid.Timestamp: encTimestamp(false), pgoid.Timestamptz: encTimestamp(true), pgoid.Numeric: encNumeric,
	pgoid.UUID: encUUID, pgoid.JSONB: encJSONB,
}

// Plan converts rows whose columns have the given type OIDs, in order.
type Plan struct {
	enc  []encoder
	oids []uint32
}

// NewPlan returns a plan for columns of these types, or false when one of
// them has no binary fast path (the table is then loaded as text).
func NewPlan(oids []uint32) (*Plan, bool) {
	e, ok := pgoid.Lookup(encoders, oids)
	return &Plan{enc: e, oids: oids}, ok && len(oids) < 1<<15
}

// ArrayOID is the type OID of an array of column col's type.
func (p *Plan) ArrayOID(col int) uint32 { return pgoid.ArrayOf[p.oids[col]] }

// AppendArray appends, in PostgreSQL's binary array format (array_recv), a
// one-dimensional array of column col's type holding vals (nil is NULL),
// or returns ErrUnconvertible for a value outside the fast path. Set-based
// change apply sends its unnest() parameters this way: the server then
// receives typed values instead of parsing text per row.
func (p *Plan) AppendArray(dst []byte, col int, vals []*string) ([]byte, error) {
	return appendArray(dst, p.oids[col], p.enc[col], vals)
}

// AppendTextArray appends vals as a binary text[] (never fails): the
// parameters of a table or value outside the fast path, cast by the SQL.
func AppendTextArray(dst []byte, vals []*string) []byte {
	out, _ := appendArray(dst, pgoid.Text, encText, vals)
	return out
}

func appendArray(dst []byte, elemOID uint32, enc encoder, vals []*string) ([]byte, error) {
	hasNull := uint32(0)
	for _, v := range vals {
		if v == nil {
			hasNull = 1
			break
		}
	}
	dst = binary.BigEndian.AppendUint32(dst, 1) // dimensions
	dst = binary.BigEndian.AppendUint32(dst, hasNull)
	dst = binary.BigEndian.AppendUint32(dst, elemOID)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(vals)))
	dst = binary.BigEndian.AppendUint32(dst, 1) // lower bound
	for _, v := range vals {
		if v == nil {
			dst = binary.BigEndian.AppendUint32(dst, 0xffffffff)
			continue
		}
		at := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		var err error
		if dst, err = enc(dst, unsafe.Slice(unsafe.StringData(*v), len(*v))); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
	}
	return dst, nil
}

var header = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// Encode returns the whole COPY binary stream (header, one tuple per row,
// trailer) for rows of unescaped text values (nil is NULL), in the plan's
// column order; a value outside the fast path gives ErrUnconvertible. It is
// for rows already in memory (change batches), which need no COPY text.
func (p *Plan) Encode(rows [][]*string) ([]byte, error) {
	out := append([]byte(nil), header...)
	for _, row := range rows {
		if len(row) != len(p.enc) {
			return nil, ErrUnconvertible
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(p.enc)))
		for i, enc := range p.enc {
			if row[i] == nil {
				out = binary.BigEndian.AppendUint32(out, 0xffffffff)
				continue
			}
			at := len(out)
			out = append(out, 0, 0, 0, 0)
			var err error
			// The encoders only read the field: no copy of the string.
			if out, err = enc(out, unsafe.Slice(unsafe.StringData(*row[i]), len(*row[i]))); err != nil {
				return nil, err
			}
			binary.BigEndian.PutUint32(out[at:], uint32(len(out)-at-4))
		}
	}
	return append(out, 0xff, 0xff), nil
}

// Reader returns a reader of the COPY binary stream (header, tuples,
// trailer) for the COPY text rows read from r. A row it cannot convert makes
// Read return an error wrapping ErrUnconvertible. Release it once nothing
// reads from it any more: its buffers go to the next batch's reader.
func (p *Plan) Reader(r io.Reader) io.Reader {
	rd := readers.Get().(*reader)
	rd.in.Reset(r)
	*rd = reader{p: p, in: rd.in, out: append(rd.out[:0], header...), line: rd.line[:0], tmp: rd.tmp[:0]}
	return rd
}

// Release hands the buffers of a reader from Reader to the next one; rd
// must not be used after it. A batch moves a few MB through 384 KiB of
// buffers, and allocating them per batch showed as page faults and GC work.
func Release(rd io.Reader) {
	if r, ok := rd.(*reader); ok {
		// Reader sets every other field again; the batch's file is let go now.
		r.in.Reset(nil)
		if cap(r.line) > 1<<20 || cap(r.tmp) > 1<<20 || cap(r.out) > 1<<20 { // a huge row: let it go
			r.line, r.tmp, r.out = nil, nil, make([]byte, 0, 128<<10)
		}
		readers.Put(r)
	}
}

var readers = sync.Pool{New: func() any {
	return &reader{in: bufio.NewReaderSize(nil, 256<<10), out: make([]byte, 0, 128<<10)}
}}

type reader struct {
	p    *Plan
	in   *bufio.Reader
	out  []byte // converted bytes not yet read
	off  int
	line []byte // a line longer than the input buffer, being assembled
	tmp  []byte // unescaped field
	err  error  // sticky: io.EOF after the trailer, or the failure
	rows int64
}

func (r *reader) Read(b []byte) (int, error) {
	for r.off == len(r.out) {
		if r.err != nil {
			return 0, r.err
		}
		r.out, r.off = r.out[:0], 0
		r.fill()
	}
	n := copy(b, r.out[r.off:])
	r.off += n
	return n, nil
}

// fill converts input lines until about 64 KiB of output are ready, or the
// input ends.
func (r *reader) fill() {
	for len(r.out) < 64<<10 {
		line, err := r.in.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			r.line = append(r.line, line...)
			continue
		}
		if len(r.line) > 0 {
			line = append(r.line, line...)
			r.line = r.line[:0]
		}
		if len(line) > 0 {
			if line[len(line)-1] != '\n' {
				r.err = fmt.Errorf("row %d: no line end: %w", r.rows+1, ErrUnconvertible)
				return
			}
			if cerr := r.row(line[:len(line)-1]); cerr != nil {
				r.err = fmt.Errorf("row %d: %w", r.rows+1, cerr)
				return
			}
			r.rows++
		}
		if err == io.EOF {
			r.out = append(r.out, 0xff, 0xff) // trailer
			r.err = io.EOF
			return
		}
		if err != nil {
			r.err = err
			return
		}
	}
}

// row appends one tuple.
func (r *reader) row(line []byte) error {
	if len(line) > 0 && line[len(line)-1] == '\r' || bytes.Equal(line, []byte(`\.`)) {
		return ErrUnconvertible // CRLF files and the end-of-data marker: let the server judge
	}
	r.out = binary.BigEndian.AppendUint16(r.out, uint16(len(r.p.enc)))
	last := len(r.p.enc) - 1
	// Most lines have no escape at all: one scan of the line spares a scan
	// of every field.
	escapes := bytes.IndexByte(line, '\\') >= 0
	for i, enc := range r.p.enc {
		j := bytes.IndexByte(line, '\t')
		if (j < 0) != (i == last) {
			return ErrUnconvertible // fewer or more fields than columns
		}
		field := line
		if j >= 0 {
			field, line = line[:j], line[j+1:]
		}
		esc := escapes && bytes.IndexByte(field, '\\') >= 0
		if esc {
			if len(field) == 2 && field[1] == 'N' {
				r.out = binary.BigEndian.AppendUint32(r.out, 0xffffffff)
				continue
			}
			var err error
			if r.tmp, err = unescape(r.tmp[:0], field); err != nil {
				return err
			}
			field = r.tmp
		}
		at := len(r.out)
		r.out = append(r.out, 0, 0, 0, 0)
		var err error
		if r.out, err = enc(r.out, field); err != nil {
			return err
		}
		binary.BigEndian.PutUint32(r.out[at:], uint32(len(r.out)-at-4))
	}
	return nil
}

// unescape applies COPY text-format backslash escapes.
func unescape(dst, s []byte) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		if i == len(s) {
			return nil, ErrUnconvertible
		}
		switch c = s[i]; c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'v':
			dst = append(dst, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for k := 0; k < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(s[i]-'0')
			}
			dst = append(dst, byte(v))
		case 'x':
			v, n := 0, 0
			for n < 2 && i+1 < len(s) && hexVal(s[i+1]) >= 0 {
				i++
				n++
				v = v*16 + hexVal(s[i])
			}
			if n == 0 {
				dst = append(dst, 'x')
			} else {
				dst = append(dst, byte(v))
			}
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
