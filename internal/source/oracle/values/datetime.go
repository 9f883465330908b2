package values

import (
	"fmt"
	"strings"
	"time"
)

// stamp is a datetime as Oracle writes it: the calendar label (Oracle's
// signed year, no year 0), nanoseconds, and the zone text if any.
type stamp struct {
	year, month, day, hour, min, sec int
	nanos                            int
	zone                             string // "+05:30", a region name, or ""
}

// fromDatetime reads DateFormat, TimestampFormat or TimestampTZFormat
// text (a leading blank or + for AD, - for BC) and writes PostgreSQL's
// ISO form: "YYYY-MM-DD HH:MM:SS[.ffffff][zone][ BC]".
func fromDatetime(k Kind, s string) (string, error) {
	st, reason := parseStamp(k, strings.TrimSpace(s))
	if reason != "" {
		return "", bad(k, s, reason)
	}
	out, reason := st.postgres()
	if reason != "" {
		return "", bad(k, s, reason)
	}
	return out, nil
}

// parseStamp reads the fixed-width fields of the pinned formats.
func parseStamp(k Kind, s string) (stamp, string) {
	var st stamp
	bc := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		bc = s[0] == '-'
		s = s[1:]
	}
	// "YYYY-MM-DD HH:MM:SS" is 19 bytes.
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return st, "not in the form [-]YYYY-MM-DD HH24:MI:SS"
	}
	fields := []*int{&st.year, &st.month, &st.day, &st.hour, &st.min, &st.sec}
	for i, span := range [][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}} {
		n, ok := atoiDigits(s[span[0]:span[1]])
		if !ok {
			return st, "not in the form [-]YYYY-MM-DD HH24:MI:SS"
		}
		*fields[i] = n
	}
	if st.year == 0 {
		return st, "year 0 does not exist in Oracle"
	}
	if bc {
		st.year = -st.year
	}
	rest := s[19:]
	if k != Date && strings.HasPrefix(rest, ".") {
		frac, n := digitRun(rest, 1)
		if frac == "" || len(frac) > 9 {
			return st, "fractional seconds must be 1 to 9 digits"
		}
		nanos, _ := atoiDigits(frac + strings.Repeat("0", 9-len(frac)))
		st.nanos, rest = nanos, rest[n:]
	}
	return st.withZone(k, rest)
}

// withZone reads what follows the seconds: nothing for DATE and TIMESTAMP,
// " TZH:TZM" or " region" for WITH TIME ZONE. WITH LOCAL TIME ZONE may
// omit it: the session time zone, pinned to UTC, is meant.
func (st stamp) withZone(k Kind, rest string) (stamp, string) {
	switch {
	case rest == "" && k == TimestampLTZ:
		st.zone = SessionTimeZone
		return st, ""
	case rest == "" && k == TimestampTZ:
		return st, "no time zone"
	case rest == "":
		return st, ""
	case k != TimestampTZ && k != TimestampLTZ:
		return st, "unexpected text after the seconds"
	case rest[0] != ' ':
		return st, "the time zone must follow a blank"
	}
	z := strings.TrimLeft(rest, " ")
	if z != "" && (z[0] == '+' || z[0] == '-') {
		if !validOffset(z) {
			return st, "time zone offset must be +HH:MM or -HH:MM"
		}
	} else if !validRegion(z) {
		return st, "not a time zone offset or region name"
	}
	st.zone = z
	return st, ""
}

// validOffset accepts TZH:TZM within what PostgreSQL reads (±15:59;
// Oracle's own range is -12:00 to +14:00).
func validOffset(z string) bool {
	if len(z) != 6 || z[3] != ':' {
		return false
	}
	h, ok1 := atoiDigits(z[1:3])
	m, ok2 := atoiDigits(z[4:6])
	return ok1 && ok2 && h <= 15 && m <= 59
}

// validRegion accepts a TZR name such as America/Los_Angeles, Etc/GMT+5
// or UTC; PostgreSQL resolves it.
func validRegion(z string) bool {
	if z == "" || len(z) > 64 || !isLetter(z[0]) {
		return false
	}
	for i := 0; i < len(z); i++ {
		c := z[i]
		if !isLetter(c) && !(c >= '0' && c <= '9') && !strings.ContainsRune("_/+-", rune(c)) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// atoiDigits reads a non-empty run of ASCII digits only (no sign).
func atoiDigits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// postgres validates the label and writes it rounded to microseconds.
// Go's calendar is proleptic Gregorian like PostgreSQL's, so its
// arithmetic carries a rounded-up fraction as PostgreSQL would.
func (st stamp) postgres() (string, string) {
	astro := st.year // astronomical year: 1 BC is 0
	if astro < 0 {
		astro++
	}
	if st.hour > 23 || st.min > 59 || st.sec > 59 {
		return "", "time of day out of range"
	}
	t := time.Date(astro, time.Month(st.month), st.day, st.hour, st.min, st.sec, 0, time.UTC)
	if t.Year() != astro || int(t.Month()) != st.month || t.Day() != st.day {
		if st.year < 1583 && st.month == 2 && st.day == 29 {
			return "", "a Julian-calendar leap day: Oracle counts dates before 1582-10-15 in the Julian calendar, PostgreSQL has no such day"
		}
		return "", "no such date"
	}
	// Half up to microseconds: the fraction is never negative.
	t = t.Add(time.Duration((st.nanos+500)/1000) * time.Microsecond)
	return formatStamp(t, st.zone), ""
}

func formatStamp(t time.Time, zone string) string {
	year, era := t.Year(), ""
	if year <= 0 {
		year, era = 1-year, " BC"
	}
	out := fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", year, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second())
	if us := t.Nanosecond() / 1000; us != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%06d", us), "0")
	}
	switch {
	case zone == "":
	case zone[0] == '+' || zone[0] == '-':
		out += zone
	default:
		out += " " + zone
	}
	return out + era
}
