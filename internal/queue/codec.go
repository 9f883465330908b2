package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
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
	if e.Key.Len() > 0 {
		b = appendRow(append(b, `,"key":`...), e.Key)
	}
	if e.New.Len() > 0 {
		b = appendRow(append(b, `,"new":`...), e.New)
	}
	if e.TxTime != 0 {
		b = strconv.AppendInt(append(b, `,"tx_us":`...), e.TxTime, 10)
	}
	if e.At != "" {
		b = appendField(b, "at", e.At)
	}
	if len(e.Values) > 0 {
		vals, err := json.Marshal(e.Values)
		if err != nil {
			return nil, fmt.Errorf("encode event %d: %w", e.Seq, err)
		}
		b = append(append(b, `,"cutover_values":`...), vals...)
	}
	return append(b, '}', '\n'), nil
}

func appendField(b []byte, name, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

// appendRow writes a row as a JSON object, columns in the row's order.
func appendRow(b []byte, r Row) []byte {
	b = append(b, '{')
	for i, k := range r.Names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		if v := r.Vals[i]; v == nil {
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
func Decode(line []byte) (*Event, error) {
	var d decoder
	return d.decode(string(line))
}

// decode parses line. Values without escapes are substrings of line (one
// allocation per line, not per value: a change event is mostly values), and
// the names that repeat in every event (op, schema, table, columns) come
// from d.names when it is not nil. A decoder that is kept (a Reader's)
// carves events, value pointers and row slices from shared chunks, so an
// event costs a few allocations per chunk instead of several of its own.
func (d *decoder) decode(line string) (*Event, error) {
	d.s, d.i = line, 0
	if len(d.events) == cap(d.events) {
		d.events = make([]Event, 0, grow(cap(d.events), 64))
	}
	d.events = d.events[:len(d.events)+1]
	e := &d.events[len(d.events)-1]
	if err := d.object(e); err != nil {
		*e = Event{}
		return nil, fmt.Errorf("decode event: %w", err)
	}
	return e, nil
}

// interner hands out one copy of each name, so that events do not pin the
// lines they were read from and names are not allocated per event. It stops
// growing at a bound: past it, names are copied as usual.
type interner struct {
	m     map[string]string
	lists map[uint64][][]string // column lists by hash of their names
	seed  maphash.Seed
}

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

// list returns a shared copy of names (whose strings came from get).
func (in *interner) list(names []string) []string {
	if in == nil {
		return append([]string(nil), names...)
	}
	if in.seed == (maphash.Seed{}) {
		in.seed = maphash.MakeSeed()
	}
	var mh maphash.Hash
	mh.SetSeed(in.seed)
	for _, n := range names {
		mh.WriteString(n)
		mh.WriteByte(0)
	}
	h := mh.Sum64()
	for _, l := range in.lists[h] {
		if slices.Equal(l, names) {
			return l
		}
	}
	l := append([]string(nil), names...)
	if in.lists == nil {
		in.lists = map[uint64][][]string{}
	}
	if len(in.lists) < maxInterned {
		in.lists[h] = append(in.lists[h], l)
	}
	return l
}

type decoder struct {
	s       string
	i       int
	names   *interner
	slab    []string  // chunk the value pointers point into
	pslab   []*string // chunk the rows' value slices are carved from
	events  []Event   // chunk events are carved from
	scratch []string  // a row's names while it is read
	width   int       // the last row's column count: the next is likely the same
	// The previous event's names: the next event's are usually the same.
	lastOp, lastSchema, lastTable string
	lastKey, lastNew              []string
}

var errSyntax = errors.New("malformed event line")

func (d *decoder) ws() {
	if d.i < len(d.s) && d.s[d.i] > ' ' { // the encoder writes no whitespace
		return
	}
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
		e.Op, err = d.nameLike(&d.lastOp)
	case "schema":
		e.Schema, err = d.nameLike(&d.lastSchema)
	case "table":
		e.Table, err = d.nameLike(&d.lastTable)
	case "at", "lsn": // "lsn": the end marker of queues written before 2026-12
		e.At, err = d.str()
		e.At = strings.Clone(e.At) // kept long after the line
	case "key":
		e.Key, err = d.row(&d.lastKey)
	case "new":
		e.New, err = d.row(&d.lastNew)
	case "cutover_values":
		err = d.jsonValue('[', ']', &e.Values)
	case "sequences", "identities": // end markers of queues written before 2026-12
		err = d.legacyValues(e, name)
	default:
		err = fmt.Errorf("unknown field %q", name)
	}
	return err
}

func (d *decoder) int() (int64, error) {
	d.ws()
	start := d.i
	var v int64
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		v = v*10 + int64(d.s[d.i]-'0')
		d.i++
	}
	if n := d.i - start; n > 0 && n < 19 { // the common case: no sign, no overflow
		return v, nil
	}
	for d.i < len(d.s) && (d.s[d.i] == '-' || d.s[d.i] >= '0' && d.s[d.i] <= '9') {
		d.i++
	}
	return strconv.ParseInt(d.s[start:d.i], 10, 64)
}

// nameLike reads a name that is usually *last (the previous event's):
// equal, it is returned without a lookup; else it is interned and becomes
// *last.
func (d *decoder) nameLike(last *string) (string, error) {
	s, err := d.str()
	if err != nil {
		return "", err
	}
	if s != *last {
		*last = d.names.get(s)
	}
	return *last, nil
}

// row reads a JSON object of column values. Its column list comes from
// names.lists when one with the same names was seen before, so rows of one
// table share one Names slice.
//
// *last is the column list of the previous row of this field: a row with
// the same columns (the usual case) gets it without any lookup.
func (d *decoder) row(last *[]string) (Row, error) {
	if err := d.expect('{'); err != nil {
		return Row{}, err
	}
	names := d.scratch[:0]
	prev := *last
	same := true // names so far are prev's
	var vals []*string
	for first := true; ; first = false {
		d.ws()
		if d.i < len(d.s) && d.s[d.i] == '}' {
			d.i++
			d.scratch, d.width = names, len(vals)
			if !same || len(names) != len(prev) {
				*last = d.names.list(names)
			}
			return Row{Names: *last, Vals: vals}, nil
		}
		if !first {
			if err := d.expect(','); err != nil {
				return Row{}, err
			}
		}
		k, err := d.str()
		if err != nil {
			return Row{}, err
		}
		if n := len(names); same && n < len(prev) && prev[n] == k {
			k = prev[n]
		} else {
			same, k = false, d.names.get(k)
		}
		if err := d.expect(':'); err != nil {
			return Row{}, err
		}
		if vals == nil {
			vals = d.ptrs(max(8, d.width))
		}
		names = append(names, k)
		d.ws()
		if d.i+4 <= len(d.s) && d.s[d.i:d.i+4] == "null" {
			d.i += 4
			vals = append(vals, nil)
			continue
		}
		v, err := d.str()
		if err != nil {
			return Row{}, err
		}
		vals = append(vals, d.ptr(v))
	}
}

// grow is the size of a decoder's next chunk: small for a decoder used
// once, doubling up to max for one that is kept.
func grow(prev, max int) int { return min(2*prev+8, max) }

// ptrs is an empty slice for a row's value pointers, carved from the
// event's slab when it has room.
func (d *decoder) ptrs(n int) []*string {
	if len(d.pslab)+n > cap(d.pslab) {
		d.pslab = make([]*string, 0, max(n, grow(cap(d.pslab), 512)))
	}
	s := d.pslab[len(d.pslab) : len(d.pslab) : len(d.pslab)+n]
	d.pslab = d.pslab[:len(d.pslab)+n]
	return s
}

// ptr returns a pointer to v from the slab: one allocation per 256 values
// instead of one per value.
func (d *decoder) ptr(v string) *string {
	if len(d.slab) == cap(d.slab) {
		d.slab = make([]string, 0, grow(cap(d.slab), 256))
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
	for i := start; i < len(d.s); i++ {
		switch d.s[i] {
		case '"':
			d.i = i + 1
			return d.s[start:i], nil
		case '\\':
			return d.escaped(start)
		}
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

// jsonValue decodes the JSON object or array (open/close its brackets) at the
// cursor into v with encoding/json: for the rare fields off the hot path.
func (d *decoder) jsonValue(open, close byte, v any) error {
	d.ws()
	start := d.i
	if err := d.skipValue(open, close); err != nil {
		return err
	}
	return json.Unmarshal([]byte(d.s[start:d.i]), v)
}

// legacyValues reads the end marker payload of earlier releases: a map of
// sequence values, or a list of identity values.
func (d *decoder) legacyValues(e *Event, name string) error {
	if name == "identities" {
		var ids []CutoverValue // same fields: table, column, value
		if err := d.jsonValue('[', ']', &ids); err != nil {
			return err
		}
		e.Values = append(e.Values, ids...)
		return nil
	}
	var seqs map[string]int64
	if err := d.jsonValue('{', '}', &seqs); err != nil {
		return err
	}
	names := make([]string, 0, len(seqs))
	for n := range seqs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		e.Values = append(e.Values, CutoverValue{Sequence: n, Value: seqs[n]})
	}
	return nil
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
