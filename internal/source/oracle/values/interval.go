package values

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// fromIntervalYM reads TO_CHAR of an INTERVAL YEAR TO MONTH: a sign, the
// years padded to the leading precision, and the months (+01-02,
// -000000001-06). It writes ISO 8601 with the sign on each field.
func fromIntervalYM(s string) (string, error) {
	t := strings.TrimSpace(s)
	neg, t := cutSign(t)
	ys, ms, ok := strings.Cut(t, "-")
	years, ok1 := atoiDigits(ys)
	months, ok2 := atoiDigits(ms)
	if !ok || !ok1 || !ok2 || len(ms) > 2 {
		return "", bad(IntervalYM, s, "not in the form [+-]Y-MM")
	}
	if months > 11 {
		return "", bad(IntervalYM, s, "months must be 0 to 11")
	}
	// PostgreSQL holds an interval's months in 32 bits: about 178 million
	// years, where Oracle's YEAR(9) reaches a billion.
	if int64(years)*12+int64(months) > math.MaxInt32 {
		return "", bad(IntervalYM, s, "beyond PostgreSQL's interval range (178000000 years)")
	}
	if years == 0 && months == 0 {
		return "P0Y", nil
	}
	var b strings.Builder
	b.WriteByte('P')
	isoField(&b, neg, strconv.Itoa(years), years, 'Y')
	isoField(&b, neg, strconv.Itoa(months), months, 'M')
	return b.String(), nil
}

// dsInterval is an INTERVAL DAY TO SECOND's magnitude, rounded to
// microseconds.
type dsInterval struct {
	days, hours, mins, secs, micros int
}

// fromIntervalDS reads TO_CHAR of an INTERVAL DAY TO SECOND: a sign, the
// days padded to the leading precision, HH:MI:SS and the fraction padded
// to the fractional precision (+01 02:03:04.500000,
// -000000003 00:00:00.000000001). It writes ISO 8601 with the sign on
// each field.
func fromIntervalDS(s string) (string, error) {
	t := strings.TrimSpace(s)
	neg, t := cutSign(t)
	iv, reason := parseDS(t)
	if reason != "" {
		return "", bad(IntervalDS, s, reason)
	}
	return iv.iso(neg), nil
}

func parseDS(t string) (dsInterval, string) {
	var iv dsInterval
	ds, clock, ok := strings.Cut(t, " ")
	clock, frac, hasFrac := strings.Cut(clock, ".")
	var okD, okH, okM, okS bool
	iv.days, okD = atoiDigits(ds)
	if !ok || len(clock) != 8 || clock[2] != ':' || clock[5] != ':' {
		return iv, "not in the form [+-]D HH:MI:SS[.FF]"
	}
	iv.hours, okH = atoiDigits(clock[0:2])
	iv.mins, okM = atoiDigits(clock[3:5])
	iv.secs, okS = atoiDigits(clock[6:8])
	if !okD || !okH || !okM || !okS {
		return iv, "not in the form [+-]D HH:MI:SS[.FF]"
	}
	if iv.hours > 23 || iv.mins > 59 || iv.secs > 59 {
		return iv, "hours, minutes or seconds out of range"
	}
	if hasFrac {
		nanos, ok := atoiDigits(frac + strings.Repeat("0", max(0, 9-len(frac))))
		if !ok || frac == "" || len(frac) > 9 {
			return iv, "fractional seconds must be 1 to 9 digits"
		}
		iv.micros = (nanos + 500) / 1000 // half up on the magnitude: away from zero
	}
	iv.carry()
	return iv, ""
}

// carry moves a fraction rounded up to a whole second on through the
// fields, so that the result reads as Oracle's rounded value would.
func (iv *dsInterval) carry() {
	if iv.micros == 1_000_000 {
		iv.micros, iv.secs = 0, iv.secs+1
	}
	if iv.secs == 60 {
		iv.secs, iv.mins = 0, iv.mins+1
	}
	if iv.mins == 60 {
		iv.mins, iv.hours = 0, iv.hours+1
	}
	if iv.hours == 24 {
		iv.hours, iv.days = 0, iv.days+1
	}
}

func (iv dsInterval) iso(neg bool) string {
	var b strings.Builder
	b.WriteByte('P')
	isoField(&b, neg, strconv.Itoa(iv.days), iv.days, 'D')
	if iv.hours == 0 && iv.mins == 0 && iv.secs == 0 && iv.micros == 0 {
		if iv.days == 0 {
			return "PT0S"
		}
		return b.String()
	}
	b.WriteByte('T')
	isoField(&b, neg, strconv.Itoa(iv.hours), iv.hours, 'H')
	isoField(&b, neg, strconv.Itoa(iv.mins), iv.mins, 'M')
	secs := strconv.Itoa(iv.secs)
	if iv.micros != 0 {
		secs += strings.TrimRight(fmt.Sprintf(".%06d", iv.micros), "0")
	}
	isoField(&b, neg, secs, iv.secs+iv.micros, 'S')
	return b.String()
}

// isoField writes a non-zero field with its unit, negated if neg.
func isoField(b *strings.Builder, neg bool, text string, n int, unit byte) {
	if n == 0 {
		return
	}
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(text)
	b.WriteByte(unit)
}

func cutSign(s string) (bool, string) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[0] == '-', s[1:]
	}
	return false, s
}
