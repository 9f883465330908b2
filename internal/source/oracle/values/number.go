package values

import (
	"strconv"
	"strings"
)

// decimal is an exact decimal value: digits × 10^exp, digits without
// leading or trailing zeros ("" is zero).
type decimal struct {
	neg    bool
	digits string
	exp    int
	sci    bool // written with an exponent
}

// maxExpDigits bounds the exponent field: Oracle writes three digits, and
// a bound keeps a hostile exponent from producing a huge digit string.
const maxExpDigits = 4

// parseDecimal reads [sign] digits [. digits] [E [sign] digits], where
// either side of the point may be empty but not both (TM9 writes .5, -.5;
// other producers 5.). It returns a reason when s is not that.
func parseDecimal(s string) (decimal, string) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	intPart, i := digitRun(s, i)
	var frac string
	if i < len(s) && s[i] == '.' {
		frac, i = digitRun(s, i+1)
	}
	if intPart == "" && frac == "" {
		return d, "no digits"
	}
	exp := 0
	if i < len(s) && (s[i] == 'E' || s[i] == 'e') {
		var ok bool
		if exp, i, ok = exponent(s, i+1); !ok {
			return d, "malformed exponent"
		}
		d.sci = true
	}
	if i != len(s) {
		return d, "unexpected character " + quoteByte(s[i])
	}
	all := strings.TrimLeft(intPart+frac, "0")
	trimmed := strings.TrimRight(all, "0")
	d.digits = trimmed
	d.exp = exp - len(frac) + len(all) - len(trimmed)
	if d.digits == "" {
		d.neg, d.exp = false, 0
	}
	return d, ""
}

func digitRun(s string, i int) (string, int) {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return s[i:j], j
}

// exponent reads [sign] digits of at most maxExpDigits significant digits.
func exponent(s string, i int) (int, int, bool) {
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	run, j := digitRun(s, i)
	run = strings.TrimLeft(run, "0")
	if j == i || len(run) > maxExpDigits {
		return 0, j, false
	}
	n := 0
	for _, c := range run {
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, j, true
}

func quoteByte(b byte) string {
	if b < ' ' || b > '~' {
		return "(not printable)"
	}
	return "'" + string(b) + "'"
}

// magnitude is the power of ten of the leading digit (1 for 12.3).
func (d decimal) magnitude() int { return len(d.digits) + d.exp - 1 }

// plain writes d without an exponent.
func (d decimal) plain() string {
	if d.digits == "" {
		return "0"
	}
	var b strings.Builder
	if d.neg {
		b.WriteByte('-')
	}
	n := len(d.digits)
	switch k := -d.exp; {
	case k <= 0:
		b.WriteString(d.digits)
		b.WriteString(strings.Repeat("0", -k))
	case k >= n:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", k-n))
		b.WriteString(d.digits)
	default:
		b.WriteString(d.digits[:n-k])
		b.WriteByte('.')
		b.WriteString(d.digits[n-k:])
	}
	return b.String()
}

// scientific writes d as one digit, the rest after the point, and E.
func (d decimal) scientific() string {
	if d.digits == "" {
		return "0"
	}
	s := d.digits[:1]
	if len(d.digits) > 1 {
		s += "." + d.digits[1:]
	}
	if d.neg {
		s = "-" + s
	}
	return s + "E" + strconv.Itoa(d.magnitude())
}

// Oracle NUMBER holds magnitudes from 1E-130 to below 1E126.
const (
	minNumberMagnitude = -130
	maxNumberMagnitude = 125
)

// fromNumber reads NUMBER text (TO_CHAR TM9) and writes plain decimal
// digits, which numeric and the integer types all accept.
func fromNumber(s string) (string, error) {
	t := strings.TrimSpace(s)
	switch t {
	case "~", "-~":
		return "", bad(Number, s, "Oracle NUMBER infinity (~) has no numeric counterpart")
	}
	if strings.HasPrefix(t, "#") {
		return "", bad(Number, s, "the value did not fit its format model (#)")
	}
	d, reason := parseDecimal(t)
	if reason != "" {
		return "", bad(Number, s, reason)
	}
	if m := d.magnitude(); d.digits != "" && (m < minNumberMagnitude || m > maxNumberMagnitude) {
		return "", bad(Number, s, "outside Oracle NUMBER's range (1E-130 to below 1E126)")
	}
	return d.plain(), nil
}

// A double's magnitudes run from about 1E-324 to 1E308; well past that is
// not a value Oracle renders.
const maxFloatMagnitude = 400

// fromFloat reads BINARY_FLOAT / BINARY_DOUBLE text (TO_CHAR: 1.5E+000,
// Inf, -Inf, Nan) and FLOAT / REAL / DOUBLE PRECISION text (TM9 NUMBER
// forms). The digits are kept as written, normalised (PostgreSQL rounds
// them to the nearest real or double, as it would any input).
func fromFloat(s string) (string, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "nan":
		return "NaN", nil
	case "inf", "+inf", "infinity", "+infinity":
		return "Infinity", nil
	case "-inf", "-infinity":
		return "-Infinity", nil
	}
	if strings.HasPrefix(t, "#") {
		return "", bad(Float, s, "the value did not fit its format model (#)")
	}
	d, reason := parseDecimal(t)
	if reason != "" {
		return "", bad(Float, s, reason)
	}
	if m := d.magnitude(); d.digits != "" && (m < -maxFloatMagnitude || m > maxFloatMagnitude) {
		return "", bad(Float, s, "outside the range of a binary float")
	}
	if d.sci {
		return d.scientific(), nil
	}
	return d.plain(), nil
}
