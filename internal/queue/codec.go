package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The queue is one JSON object per line, readable with any JSON tool. The
// hot path (one call per change event on each side) uses this hand-written
// encoder and decoder for Event's exact shape instead of reflection, which
// made JSON the largest cost of applying changes.

// Encode renders an event as one line.
func Encode(e *Event) ([]byte, error) {
	b := make([]byte, 0, 128)
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = appendField(b, "op", e.Op)
	if e.Schema != "" {
		b = appendField(b, "schema", e.Schema)
	}
	if e.Table != "" {
		b = appendField(b, "table", e.Table)
	}
	if len(e.Key) > 0 {
		b = appendMap(append(b, `,"key":`...), e.Key)
	}
	if len(e.New) > 0 {
		b = appendMap(append(b, `,"new":`...), e.New)
	}
	if e.LSN != "" {
		b = appendField(b, "lsn", e.LSN)
	}
	if e.TxTime != 0 {
		b = strconv.AppendInt(append(b, `,"tx_us":`...), e.TxTime, 10)
	}
	if len(e.Sequences) > 0 {
		seqs, err := json.Marshal(e.Sequences)
		if err != nil {
			return nil, fmt.Errorf("encode event %d: %w", e.Seq, err)
		}
		b = append(append(b, `,"sequences":`...), seqs...)
	}
	if len(e.Identities) > 0 {
		ids, err := json.Marshal(e.Identities)
		if err != nil {
			return nil, fmt.Errorf("encode event %d: %w", e.Seq, err)
		}
		b = append(append(b, `,"identities":`...), ids...)
	}
	return append(b, '}', '\n'), nil
}

func appendField(b []byte, name, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

func appendMap(b []byte, m map[string]*string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		if v := m[k]; v == nil {
			b = append(b, "null"...)
		} else {
			b = appendString(b, *v)
		}
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// Decode parses one line written by Encode (or any JSON of the same shape).
func Decode(line []byte) (*Event, error) { return decode(string(line), nil) }

// decode parses line. Values without escapes are substrings of line (one
// allocation per line, not per value: a change event is mostly values), and
// the names that repeat in every event (op, schema, table, columns) come
// from names when it is not nil.
func decode(line string, names *interner) (*Event, error) {
	d := decoder{s: line, names: names}
	e := &Event{}
	if err := d.object(e); err != nil {
		return nil, fmt.Errorf("decode event: %w", err)
	}
	return e, nil
}

// interner hands out one copy of each name, so that events do not pin the
// lines they were read from and names are not allocated per event. It stops
// growing at a bound: past it, names are copied as usual.
type interner struct{ m map[string]string }

const maxInterned = 1 << 14

func (in *interner) get(s string) string {
	if in == nil {
		return strings.Clone(s)
	}
	if v, ok := in.m[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if in.m == nil {
		in.m = map[string]string{}
	}
	if len(in.m) < maxInterned {
		in.m[v] = v
	}
	return v
}

type decoder struct {
	s     string
	i     int
	names *interner
	slab  []string // backing store of the value pointers of one event
}

var errSyntax = errors.New("malformed event line")

func (d *decoder) ws() {
	for d.i < len(d.s) && (d.s[d.i] == ' ' || d.s[d.i] == '\n' || d.s[d.i] == '\t' || d.s[d.i] == '\r') {
		d.i++
	}
}

func (d *decoder) expect(c byte) error {
	d.ws()
	if d.i >= len(d.s) || d.s[d.i] != c {
		return errSyntax
	}
	d.i++
	return nil
}

func (d *decoder) object(e *Event) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == '}' {
			d.i++
			return nil
		}
		if !first {
			if err := d.expect(','); err != nil {
				return err
			}
		}
		name, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := d.field(e, name); err != nil {
			return err
		}
	}
}

func (d *decoder) field(e *Event, name string) error {
	var err error
	switch name {
	case "seq":
		e.Seq, err = d.int()
	case "tx_us":
		e.TxTime, err = d.int()
	case "op":
		e.Op, err = d.name()
	case "schema":
		e.Schema, err = d.name()
	case "table":
		e.Table, err = d.name()
	case "lsn":
		e.LSN, err = d.str()
		e.LSN = strings.Clone(e.LSN) // kept in positions long after the line
	case "key":
		e.Key, err = d.strMap()
	case "new":
		e.New, err = d.strMap()
	case "sequences":
		start := d.i
		if err = d.skipValue('{', '}'); err == nil {
			err = json.Unmarshal([]byte(d.s[start:d.i]), &e.Sequences)
		}
	case "identities":
		start := d.i
		if err = d.skipValue('[', ']'); err == nil {
			err = json.Unmarshal([]byte(d.s[start:d.i]), &e.Identities)
		}
	default:
		err = fmt.Errorf("unknown field %q", name)
	}
	return err
}

func (d *decoder) int() (int64, error) {
	d.ws()
	start := d.i
	for d.i < len(d.s) && (d.s[d.i] == '-' || d.s[d.i] >= '0' && d.s[d.i] <= '9') {
		d.i++
	}
	return strconv.ParseInt(d.s[start:d.i], 10, 64)
}

// name reads a string that repeats across events.
func (d *decoder) name() (string, error) {
	s, err := d.str()
	if err != nil {
		return "", err
	}
	return d.names.get(s), nil
}

func (d *decoder) strMap() (map[string]*string, error) {
	if err := d.expect('{'); err != nil {
		return nil, err
	}
	m := map[string]*string{}
	for first := true; ; first = false {
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == '}' {
			d.i++
			return m, nil
		}
		if !first {
			if err := d.expect(','); err != nil {
				return nil, err
			}
		}
		k, err := d.name()
		if err != nil {
			return nil, err
		}
		if err := d.expect(':'); err != nil {
			return nil, err
		}
		d.ws()
		if d.i+4 <= len(d.s) && d.s[d.i:d.i+4] == "null" {
			d.i += 4
			m[k] = nil
			continue
		}
		v, err := d.str()
		if err != nil {
			return nil, err
		}
		m[k] = d.ptr(v)
	}
}

// ptr returns a pointer to v from the event's slab: one allocation per
// 16 values instead of one per value.
func (d *decoder) ptr(v string) *string {
	if len(d.slab) == cap(d.slab) {
		d.slab = make([]string, 0, 16)
	}
	d.slab = append(d.slab, v)
	return &d.slab[len(d.slab)-1]
}

// str reads a JSON string; the common case (no escapes) is a substring.
func (d *decoder) str() (string, error) {
	if err := d.expect('"'); err != nil {
		return "", err
	}
	start := d.i
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case '"':
			s := d.s[start:d.i]
			d.i++
			return s, nil
		case '\\':
			return d.escaped(start)
		}
		d.i++
	}
	return "", errSyntax
}

func (d *decoder) escaped(start int) (string, error) {
	// Find the end honouring escapes, then let encoding/json unquote it.
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case '\\':
			d.i += 2
			continue
		case '"':
			var s string
			if err := json.Unmarshal([]byte(d.s[start-1:d.i+1]), &s); err != nil {
				return "", err
			}
			d.i++
			return s, nil
		}
		d.i++
	}
	return "", errSyntax
}

// skipValue moves past one JSON object or array (open/close its brackets).
func (d *decoder) skipValue(open, close byte) error {
	d.ws()
	depth := 0
	inStr := false
	for ; d.i < len(d.s); d.i++ {
		c := d.s[d.i]
		switch {
		case inStr && c == '\\':
			d.i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == open:
			depth++
		case c == close:
			depth--
			if depth == 0 {
				d.i++
				return nil
			}
		}
	}
	return errSyntax
}
