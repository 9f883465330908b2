package mysql

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// valueConv converts the values go-mysql decodes from binlog rows of one
// column into the PostgreSQL text the snapshot export (appendValue) writes
// for the same value, unescaped (queue events carry plain text).
type valueConv struct {
	col      Column
	kind     kind
	conv     conv // as planColumn: date/timestamp/bytes/bool/bits/set handling
	unsigned bool
	intBits  int // width of an integer column, for reinterpreting signed values as unsigned
	scale    int32
	bits     int // bit(n) width
	labels   []string
	fixedLen int  // binary(n): values are padded to n bytes
	latin1   bool // character data arrives in latin1 (MySQL's cp1252)
	float    bool // FLOAT (printed with 6 significant digits)
	mariadb  bool // MariaDB prints floats like C's %g; MySQL like my_gcvt
	fsp      int  // fractional digits of a TIME column
	year     bool
	bad      string // why the column cannot be streamed
}

func newValueConv(c Column, mariadb bool) (valueConv, error) {
	charset := c.Charset
	m := mapType(c, false)
	p := planColumn(c)
	ct := strings.ToLower(c.ColumnType)
	v := valueConv{col: c, kind: m.kind, conv: p.conv, bits: p.width, labels: m.labels, mariadb: mariadb}
	v.unsigned = strings.Contains(ct, "unsigned") || strings.Contains(ct, "zerofill")
	switch strings.ToLower(c.DataType) {
	case "tinyint":
		v.intBits = 8
	case "smallint":
		v.intBits = 16
	case "mediumint":
		v.intBits = 24
	case "int", "integer":
		v.intBits = 32
	case "bigint":
		v.intBits = 64
	case "decimal", "numeric", "dec", "fixed":
		s, _ := intAttr(c.NumericScale, ct, 1)
		v.scale = int32(s)
	case "float":
		v.float = true
	case "year":
		v.year = true
	case "time":
		v.fsp = int(fsp(c, ct))
	case "enum":
		v.labels = typeLabels(c.ColumnType)
	case "set":
		v.labels = typeLabels(c.ColumnType)
	case "binary":
		n, _ := intAttr(c.CharMaxLen, ct, 0)
		v.fixedLen = int(n)
	case "uuid", "inet4", "inet6":
		v.bad = fmt.Sprintf("column %s: type %s cannot be read from the binlog yet", c.Name, c.DataType)
	}
	if strings.HasPrefix(m.note, "spatial type") {
		v.bad = fmt.Sprintf("column %s: spatial type %s cannot be read from the binlog yet", c.Name, c.DataType)
	}
	switch charset {
	case "", "utf8", "utf8mb3", "utf8mb4", "ascii", "binary":
	case "latin1":
		v.latin1 = true
	default:
		v.bad = fmt.Sprintf("column %s: character set %s is not supported for live migration (only utf8mb4, utf8, latin1, ascii)", c.Name, charset)
	}
	if v.bad != "" {
		return v, fmt.Errorf("%s", v.bad)
	}
	return v, nil
}

// text is the value's PostgreSQL text (nil for NULL) and, as appendValue
// reports it, whether it is a special value.
func (c *valueConv) text(v any) (*string, special, error) {
	if v == nil {
		return nil, spPlain, nil
	}
	if c.bad != "" {
		return nil, spPlain, fmt.Errorf("%s", c.bad)
	}
	s, null, sp, err := c.str(v)
	if err != nil || null {
		return nil, sp, err
	}
	return &s, sp, nil
}

func (c *valueConv) str(v any) (s string, null bool, sp special, err error) {
	switch c.kind {
	case kEnum:
		i, ok := asInt(v)
		if !ok {
			break
		}
		label, sp, err := enumLabel(c.labels, i)
		return label, sp == spEnumError, sp, err
	case kSet:
		i, ok := asInt(v)
		if !ok {
			break
		}
		var members []string
		for b := 0; b < len(c.labels) && b < 64; b++ {
			if uint64(i)&(1<<b) != 0 {
				members = append(members, c.labels[b])
			}
		}
		return string(setArray([]byte(strings.Join(members, ",")))), false, spPlain, nil
	case kBool, kBit:
		i, ok := asInt(v)
		if !ok {
			break
		}
		if c.kind == kBool {
			if i != 0 {
				return "t", false, spPlain, nil
			}
			return "f", false, spPlain, nil
		}
		var be [8]byte
		for k := 0; k < 8; k++ {
			be[7-k] = byte(uint64(i) >> (8 * k))
		}
		return string(appendBits(nil, be[:], c.bits)), false, spPlain, nil
	case kDate, kTimestamp:
		t, ok := v.(string)
		if !ok {
			break
		}
		if isZeroDate([]byte(t)) {
			return "", true, spZeroDate, nil
		}
		if c.conv == cTimestamp {
			t += "+00"
		}
		return t, false, spPlain, nil
	case kTime:
		t, ok := v.(string)
		if !ok {
			break
		}
		if c.fsp > 0 && !strings.Contains(t, ".") { // go-mysql leaves out a zero fraction
			t += "." + strings.Repeat("0", c.fsp)
		}
		if isLongTime([]byte(t)) {
			return t, false, spLongTime, nil
		}
		return t, false, spPlain, nil
	case kBytea:
		b := asBytes(v)
		if b == nil {
			break
		}
		if len(b) < c.fixedLen { // binary(n): the binlog drops the trailing zero bytes
			b = append(append([]byte{}, b...), make([]byte, c.fixedLen-len(b))...)
		}
		return `\x` + hex.EncodeToString(b), false, spPlain, nil
	}
	switch x := v.(type) {
	case int8:
		return c.signed(int64(x)), false, spPlain, nil
	case int16:
		return c.signed(int64(x)), false, spPlain, nil
	case int32:
		return c.signed(int64(x)), false, spPlain, nil
	case int64:
		return c.signed(x), false, spPlain, nil
	case int:
		if c.year {
			return fmt.Sprintf("%04d", x), false, spPlain, nil
		}
		return c.signed(int64(x)), false, spPlain, nil
	case uint8:
		return strconv.FormatUint(uint64(x), 10), false, spPlain, nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), false, spPlain, nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), false, spPlain, nil
	case uint64:
		return strconv.FormatUint(x, 10), false, spPlain, nil
	case interface{ StringFixed(int32) string }: // decimal.Decimal (UseDecimal)
		return x.StringFixed(c.scale), false, spPlain, nil
	case float32:
		return c.formatFloat(float64(x), true), false, spPlain, nil
	case float64:
		return c.formatFloat(x, c.float), false, spPlain, nil
	case string:
		return c.chars([]byte(x)), false, spPlain, nil
	case []byte:
		return c.chars(x), false, spPlain, nil
	}
	return "", false, spPlain, fmt.Errorf("unexpected binlog value %T %v for %s column", v, v, c.col.ColumnType)
}

// signed formats an integer, reinterpreting it as unsigned for UNSIGNED
// columns (go-mysql decodes them signed unless the table map says otherwise).
func (c *valueConv) signed(i int64) string {
	if c.unsigned && i < 0 && c.intBits > 0 {
		u := uint64(i)
		if c.intBits < 64 {
			u &= 1<<c.intBits - 1
		}
		return strconv.FormatUint(u, 10)
	}
	return strconv.FormatInt(i, 10)
}

// chars is character data as UTF-8.
func (c *valueConv) chars(b []byte) string {
	if c.latin1 {
		if out, err := charmap.Windows1252.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
	}
	return string(b)
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case int:
		return int64(x), true
	case uint64:
		return int64(x), true
	}
	return 0, false
}

func asBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}

// formatFloat prints a FLOAT (single) or DOUBLE value as the server's text
// protocol does: MariaDB like C's %g (FLOAT with 6 significant digits,
// DOUBLE with the shortest round-trip digits: "1e+20", "1.5e-07", "0.0001"),
// MySQL with my_gcvt (formatMySQLFloat).
func (c *valueConv) formatFloat(f float64, single bool) string {
	if !c.mariadb {
		return formatMySQLFloat(f, single)
	}
	if single {
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// formatMySQLFloat prints f as MySQL/MariaDB print FLOAT (single: 6
// significant digits) and DOUBLE (shortest round trip) values (my_gcvt):
// plain notation unless the decimal exponent is below -14 or above 15
// (with no fraction digits), then "1.5e20"-style exponent notation.
func formatMySQLFloat(f float64, single bool) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	if f == 0 {
		return "0"
	}
	var e string
	if single {
		e = strconv.FormatFloat(f, 'e', 5, 64)
	} else {
		e = strconv.FormatFloat(f, 'e', -1, 64)
	}
	neg := strings.HasPrefix(e, "-")
	e = strings.TrimPrefix(e, "-")
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		digits = "0"
	}
	decpt := x + 1 // digits d1d2... times 10^decpt as 0.d1d2...
	n := len(digits)
	var out string
	if decpt >= -14 && (decpt <= 15 || n > decpt) {
		switch {
		case decpt <= 0:
			out = "0." + strings.Repeat("0", -decpt) + digits
		case decpt >= n:
			out = digits + strings.Repeat("0", decpt-n)
		default:
			out = digits[:decpt] + "." + digits[decpt:]
		}
	} else {
		out = digits[:1]
		if n > 1 {
			out += "." + digits[1:]
		}
		out += "e" + strconv.Itoa(decpt-1)
	}
	if neg {
		out = "-" + out
	}
	return out
}
