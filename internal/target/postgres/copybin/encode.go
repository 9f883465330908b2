package copybin

import (
	"encoding/binary"
	"math"
	"strconv"
	"unsafe"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
)

// Every encoder accepts exactly the text our exporters write for its type
// (PostgreSQL output with DateStyle ISO, TimeZone UTC, bytea_output hex)
// and returns ErrUnconvertible for anything else, rather than guessing.

func encText(dst, f []byte) ([]byte, error) { return append(dst, f...), nil }

// encJSONB: jsonb's binary form is a version byte, then the text.
func encJSONB(dst, f []byte) ([]byte, error) { return append(append(dst, 1), f...), nil }

func encBool(dst, f []byte) ([]byte, error) {
	if len(f) == 1 {
		switch f[0] {
		case 't':
			return append(dst, 1), nil
		case 'f':
			return append(dst, 0), nil
		}
	}
	return nil, ErrUnconvertible
}

func encInt(bits int) encoder {
	return func(dst, f []byte) ([]byte, error) {
		v, ok := parseInt(f)
		if !ok || bits < 64 && (v < -(1<<(bits-1)) || v >= 1<<(bits-1)) {
			return nil, ErrUnconvertible
		}
		switch bits {
		case 16:
			return binary.BigEndian.AppendUint16(dst, uint16(v)), nil
		case 32:
			return binary.BigEndian.AppendUint32(dst, uint32(v)), nil
		}
		return binary.BigEndian.AppendUint64(dst, uint64(v)), nil
	}
}

// parseInt parses an optionally signed decimal int64 without allocating.
func parseInt(f []byte) (int64, bool) {
	neg := len(f) > 0 && f[0] == '-'
	if neg {
		f = f[1:]
	}
	if len(f) == 0 || len(f) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range f {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

func encFloat(bits int) encoder {
	return func(dst, f []byte) ([]byte, error) {
		v, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(f), len(f)), bits)
		if err != nil || len(f) == 0 {
			return nil, ErrUnconvertible
		}
		if bits == 32 {
			return binary.BigEndian.AppendUint32(dst, math.Float32bits(float32(v))), nil
		}
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(v)), nil
	}
}

// encBytea decodes bytea_output = 'hex' text ("\x0a1b...").
func encBytea(dst, f []byte) ([]byte, error) {
	if len(f) < 2 || f[0] != '\\' || f[1] != 'x' || len(f)%2 != 0 {
		return nil, ErrUnconvertible
	}
	for i := 2; i < len(f); i += 2 {
		hi, lo := hexVal(f[i]), hexVal(f[i+1])
		if hi < 0 || lo < 0 {
			return nil, ErrUnconvertible
		}
		dst = append(dst, byte(hi<<4|lo))
	}
	return dst, nil
}

func encUUID(dst, f []byte) ([]byte, error) {
	if len(f) != 36 || f[8] != '-' || f[13] != '-' || f[18] != '-' || f[23] != '-' {
		return nil, ErrUnconvertible
	}
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, lo := hexVal(f[i]), hexVal(f[i+1])
		if hi < 0 || lo < 0 {
			return nil, ErrUnconvertible
		}
		dst = append(dst, byte(hi<<4|lo))
		i += 2
	}
	return dst, nil
}

// Numeric's binary form: ndigits, weight, sign, dscale (int16 each), then
// ndigits base-10000 digits, the first one weight groups left of the point.
func encNumeric(dst, f []byte) ([]byte, error) {
	if string(f) == "NaN" {
		return binary.BigEndian.AppendUint64(dst, uint64(pgoid.NumericNaN)<<16), nil
	}
	sign := uint16(pgoid.NumericPos)
	if len(f) > 0 && f[0] == '-' {
		sign, f = pgoid.NumericNeg, f[1:]
	}
	intPart, frac := f, []byte(nil)
	for i, c := range f {
		if c == '.' {
			intPart, frac = f[:i], f[i+1:]
			break
		}
	}
	if len(intPart) == 0 || !allDigits(intPart) || !allDigits(frac) || len(frac) > 0x3FFF {
		return nil, ErrUnconvertible
	}
	for len(intPart) > 1 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	// Groups of 4 decimal digits aligned at the point: the integer part is
	// padded on the left, the fraction on the right.
	var digits [64]int16
	ds := digits[:0]
	lead := (4 - len(intPart)%4) % 4
	nInt := (len(intPart) + lead) / 4
	g, n := 0, lead
	for _, c := range intPart {
		g = g*10 + int(c-'0')
		if n++; n == 4 {
			ds, g, n = append(ds, int16(g)), 0, 0
		}
	}
	for _, c := range frac {
		g = g*10 + int(c-'0')
		if n++; n == 4 {
			ds, g, n = append(ds, int16(g)), 0, 0
		}
	}
	if n > 0 {
		for ; n < 4; n++ {
			g *= 10
		}
		ds = append(ds, int16(g))
	}
	weight := nInt - 1
	for len(ds) > 0 && ds[0] == 0 {
		ds, weight = ds[1:], weight-1
	}
	for len(ds) > 0 && ds[len(ds)-1] == 0 {
		ds = ds[:len(ds)-1]
	}
	if len(ds) == 0 {
		sign, weight = pgoid.NumericPos, 0
	}
	if len(ds) > 0x7FFF || weight > 0x7FFF || weight < -0x8000 {
		return nil, ErrUnconvertible
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(ds)))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(frac)))
	for _, d := range ds {
		dst = binary.BigEndian.AppendUint16(dst, uint16(d))
	}
	return dst, nil
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
