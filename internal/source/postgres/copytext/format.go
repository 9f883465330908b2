package copytext

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
)

// Each formatter checks the binary length it expects: a wrong one means the
// plan does not match the stream, which must stop the export, not skew it.

const hexDigits = "0123456789abcdef"

func fmtText(dst, v []byte) ([]byte, error) { return datafile.AppendEscaped(dst, v), nil }

// fmtJSONB drops the binary form's version byte.
func fmtJSONB(dst, v []byte) ([]byte, error) {
	if len(v) < 1 || v[0] != 1 {
		return nil, errFormat
	}
	return datafile.AppendEscaped(dst, v[1:]), nil
}

func fmtBool(dst, v []byte) ([]byte, error) {
	if len(v) != 1 {
		return nil, errFormat
	}
	if v[0] != 0 {
		return append(dst, 't'), nil
	}
	return append(dst, 'f'), nil
}

func fmtInt2(dst, v []byte) ([]byte, error) {
	if len(v) != 2 {
		return nil, errFormat
	}
	return strconv.AppendInt(dst, int64(int16(binary.BigEndian.Uint16(v))), 10), nil
}

func fmtInt4(dst, v []byte) ([]byte, error) {
	if len(v) != 4 {
		return nil, errFormat
	}
	return strconv.AppendInt(dst, int64(int32(binary.BigEndian.Uint32(v))), 10), nil
}

func fmtInt8(dst, v []byte) ([]byte, error) {
	if len(v) != 8 {
		return nil, errFormat
	}
	return strconv.AppendInt(dst, int64(binary.BigEndian.Uint64(v)), 10), nil
}

func fmtFloat4(dst, v []byte) ([]byte, error) {
	if len(v) != 4 {
		return nil, errFormat
	}
	return appendFloat(dst, float64(math.Float32frombits(binary.BigEndian.Uint32(v))), 32), nil
}

func fmtFloat8(dst, v []byte) ([]byte, error) {
	if len(v) != 8 {
		return nil, errFormat
	}
	return appendFloat(dst, math.Float64frombits(binary.BigEndian.Uint64(v)), 64), nil
}

// appendFloat writes the shortest text that reads back as exactly f, which
// is what the server writes with extra_float_digits > 0 (the digits may be
// laid out differently, the value never is).
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// fmtBytea writes bytea_output = 'hex' text, whose backslash COPY escapes.
func fmtBytea(dst, v []byte) ([]byte, error) {
	dst = append(dst, '\\', '\\', 'x')
	for _, c := range v {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst, nil
}

func fmtUUID(dst, v []byte) ([]byte, error) {
	if len(v) != 16 {
		return nil, errFormat
	}
	for i, c := range v {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst, nil
}

// Numeric's binary form: ndigits, weight, sign, dscale (16 bits each), then
// ndigits base-10000 digits, the first weight groups left of the point.
// fmtNumeric writes what numeric_out writes: every integer digit, then
// exactly dscale fraction digits.
func fmtNumeric(dst, v []byte) ([]byte, error) {
	if len(v) < 8 {
		return nil, errFormat
	}
	nd := int(binary.BigEndian.Uint16(v))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	dscale := int(binary.BigEndian.Uint16(v[6:]))
	if len(v) != 8+2*nd {
		return nil, errFormat
	}
	switch sign {
	case pgoid.NumericNaN:
		return append(dst, "NaN"...), nil
	case pgoid.NumericPInf:
		return append(dst, "Infinity"...), nil
	case pgoid.NumericNInf:
		return append(dst, "-Infinity"...), nil
	case pgoid.NumericNeg:
		dst = append(dst, '-')
	}
	digit := func(i int) int {
		if i >= 0 && i < nd {
			return int(binary.BigEndian.Uint16(v[8+2*i:]))
		}
		return 0
	}
	if weight < 0 {
		dst = append(dst, '0')
	} else {
		dst = strconv.AppendInt(dst, int64(digit(0)), 10)
		for i := 1; i <= weight; i++ {
			dst = appendPadded(dst, digit(i), 4)
		}
	}
	if dscale > 0 {
		dst = append(dst, '.')
		for i, left := weight+1, dscale; left > 0; i, left = i+1, left-4 {
			d := digit(i)
			if left >= 4 {
				dst = appendPadded(dst, d, 4)
				continue
			}
			for k := 4 - left; k > 0; k-- {
				d /= 10
			}
			dst = appendPadded(dst, d, left)
		}
	}
	return dst, nil
}

// pairs holds "00" to "99": dates and times are written two digits at a time.
const pairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// appendPadded writes n (0 <= n < 10^width) in exactly width digits,
// zero-padded; width is 1 to 4.
func appendPadded(dst []byte, n, width int) []byte {
	switch width {
	case 2:
		return append(dst, pairs[2*n], pairs[2*n+1])
	case 4:
		hi, lo := n/100, n%100
		return append(dst, pairs[2*hi], pairs[2*hi+1], pairs[2*lo], pairs[2*lo+1])
	}
	var b [4]byte
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, b[:width]...)
}
