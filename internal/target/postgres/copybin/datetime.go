package copybin

import (
	"encoding/binary"
	"math"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
)

const dateInfinity = math.MaxInt32

func encDate(dst, f []byte) ([]byte, error) {
	switch string(f) {
	case "infinity":
		return binary.BigEndian.AppendUint32(dst, uint32(dateInfinity)), nil
	case "-infinity":
		return binary.BigEndian.AppendUint32(dst, 1<<31), nil
	}
	days, ok := parseDate(f)
	if !ok || len(f) != 10 {
		return nil, ErrUnconvertible
	}
	return binary.BigEndian.AppendUint32(dst, uint32(int32(days))), nil
}

func encTime(dst, f []byte) ([]byte, error) {
	us, rest, ok := parseClock(f)
	if !ok || len(rest) != 0 {
		return nil, ErrUnconvertible
	}
	return binary.BigEndian.AppendUint64(dst, uint64(us)), nil
}

// encTimestamp reads "YYYY-MM-DD HH:MM:SS[.ffffff]", with a "+HH[:MM[:SS]]"
// offset when withZone (timestamptz is written in UTC, "+00").
func encTimestamp(withZone bool) encoder {
	return func(dst, f []byte) ([]byte, error) {
		switch string(f) {
		case "infinity":
			return binary.BigEndian.AppendUint64(dst, uint64(math.MaxInt64)), nil
		case "-infinity":
			return binary.BigEndian.AppendUint64(dst, 1<<63), nil
		}
		if len(f) < 19 || f[10] != ' ' {
			return nil, ErrUnconvertible
		}
		days, ok := parseDate(f[:10])
		if !ok {
			return nil, ErrUnconvertible
		}
		us, rest, ok := parseClock(f[11:])
		if !ok || us >= pgoid.USPerDay {
			return nil, ErrUnconvertible
		}
		if withZone {
			off, ok := parseOffset(rest)
			if !ok {
				return nil, ErrUnconvertible
			}
			us -= off * pgoid.USPerSecond
		} else if len(rest) != 0 {
			return nil, ErrUnconvertible
		}
		return binary.BigEndian.AppendUint64(dst, uint64(days*pgoid.USPerDay+us)), nil
	}
}

// parseDate reads "YYYY-MM-DD" (years 1..9999, AD) into days since
// 2000-01-01; it rejects dates that do not exist.
func parseDate(f []byte) (int64, bool) {
	if len(f) < 10 || f[4] != '-' || f[7] != '-' {
		return 0, false
	}
	y, ok1 := num(f[0:4])
	m, ok2 := num(f[5:7])
	d, ok3 := num(f[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, d) - pgoid.EpochDays, true
}

// parseClock reads "HH:MM:SS[.f{1,6}]" and returns microseconds since
// midnight and what follows. 24:00:00 is allowed, as PostgreSQL does.
func parseClock(f []byte) (int64, []byte, bool) {
	if len(f) < 8 || f[2] != ':' || f[5] != ':' {
		return 0, nil, false
	}
	h, ok1 := num(f[0:2])
	mi, ok2 := num(f[3:5])
	s, ok3 := num(f[6:8])
	if !ok1 || !ok2 || !ok3 || h > 24 || mi > 59 || s > 59 {
		return 0, nil, false
	}
	us := (h*3600 + mi*60 + s) * pgoid.USPerSecond
	rest := f[8:]
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && n <= 6 && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			return 0, nil, false // no digit, or more than 6: PostgreSQL would round
		}
		frac, _ := num(rest[1:n])
		for k := n - 1; k < 6; k++ {
			frac *= 10
		}
		us += frac
		rest = rest[n:]
	}
	if us > pgoid.USPerDay {
		return 0, nil, false
	}
	return us, rest, true
}

// parseOffset reads "+HH", "+HH:MM" or "+HH:MM:SS" (or "-") into seconds
// east of UTC.
func parseOffset(f []byte) (int64, bool) {
	if len(f) != 3 && len(f) != 6 && len(f) != 9 || f[0] != '+' && f[0] != '-' {
		return 0, false
	}
	var secs int64
	for i, mul := 1, int64(3600); i < len(f); i, mul = i+3, mul/60 {
		if i > 1 && f[i-1] != ':' {
			return 0, false
		}
		v, ok := num(f[i : i+2])
		if !ok || i > 1 && v > 59 {
			return 0, false
		}
		secs += v * mul
	}
	if f[0] == '-' {
		secs = -secs
	}
	return secs, true
}

func num(b []byte) (int64, bool) {
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, len(b) > 0
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
