package copytext

import (
	"encoding/binary"
	"math"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
)

func fmtDate(dst, v []byte) ([]byte, error) {
	if len(v) != 4 {
		return nil, errFormat
	}
	switch d := int32(binary.BigEndian.Uint32(v)); d {
	case math.MaxInt32:
		return append(dst, "infinity"...), nil
	case math.MinInt32:
		return append(dst, "-infinity"...), nil
	default:
		dst, bc := appendDate(dst, int64(d))
		if bc {
			dst = append(dst, " BC"...)
		}
		return dst, nil
	}
}

func fmtTime(dst, v []byte) ([]byte, error) {
	if len(v) != 8 {
		return nil, errFormat
	}
	us := int64(binary.BigEndian.Uint64(v))
	if us < 0 || us > pgoid.USPerDay {
		return nil, errFormat
	}
	return appendClock(dst, us), nil
}

// fmtTimestamp writes ISO style; timestamptz in UTC ("+00"), as the
// exporter's sessions run.
func fmtTimestamp(withZone bool) formatter {
	return func(dst, v []byte) ([]byte, error) {
		if len(v) != 8 {
			return nil, errFormat
		}
		us := int64(binary.BigEndian.Uint64(v))
		switch us {
		case math.MaxInt64:
			return append(dst, "infinity"...), nil
		case math.MinInt64:
			return append(dst, "-infinity"...), nil
		}
		days := us / pgoid.USPerDay
		if us%pgoid.USPerDay < 0 {
			days--
		}
		dst, bc := appendDate(dst, days)
		dst = append(dst, ' ')
		dst = appendClock(dst, us-days*pgoid.USPerDay)
		if withZone {
			dst = append(dst, '+', '0', '0')
		}
		if bc {
			dst = append(dst, " BC"...)
		}
		return dst, nil
	}
}

// appendDate writes days since 2000-01-01 as YYYY-MM-DD (at least four year
// digits); bc reports a year before 1 AD, written as its BC year.
func appendDate(dst []byte, days int64) ([]byte, bool) {
	y, m, d := civilFromDays(days + pgoid.EpochDays)
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	if y < 10000 {
		dst = appendPadded(dst, int(y), 4)
	} else {
		dst = appendInt(dst, y)
	}
	dst = append(dst, '-')
	dst = appendPadded(dst, int(m), 2)
	dst = append(dst, '-')
	return appendPadded(dst, int(d), 2), bc
}

// appendClock writes microseconds since midnight as HH:MM:SS with the
// fraction's trailing zeros dropped, as the server does.
func appendClock(dst []byte, us int64) []byte {
	secs, frac := us/pgoid.USPerSecond, us%pgoid.USPerSecond
	dst = appendPadded(dst, int(secs/3600), 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, int(secs/60%60), 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, int(secs%60), 2)
	if frac == 0 {
		return dst
	}
	var b [7]byte
	b[0] = '.'
	for i := 6; i >= 1; i-- {
		b[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 7
	for b[n-1] == '0' {
		n--
	}
	return append(dst, b[:n]...)
}

func appendInt(dst []byte, n int64) []byte {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return append(dst, b[i:]...)
}

// civilFromDays is the proleptic Gregorian date of days since 1970-01-01
// (Howard Hinnant's algorithm); years before 1 AD are 0, -1, ...
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
