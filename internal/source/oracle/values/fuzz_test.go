package values

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var pgDecimal = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$`)

// FuzzFromOracle checks that no input panics, that accepted NUMBER text
// becomes a plain PostgreSQL decimal of the same exact value, and that
// accepted float text is something a double reads.
func FuzzFromOracle(f *testing.F) {
	for _, c := range pgCases {
		f.Add(uint8(c.kind), c.oracle)
	}
	for _, s := range []string{".5", "-.5", "5.", "1E+125", "1.5E+000", "~", "-0", "0E-999", "+01 02:03:04.5", "-0044-03-15 12:00:00"} {
		f.Add(uint8(Number), s)
	}
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		kind := Kind(int(k) % (int(Bool) + 1))
		out, err := FromOracle(kind, s)
		if err != nil {
			return
		}
		switch kind {
		case Number:
			checkNumber(t, s, out)
		case Float:
			checkFloat(t, s, out)
		case Bytes:
			if !strings.HasPrefix(out, `\x`) || len(out)%2 != 0 {
				t.Fatalf("bytes %q → %q", s, out)
			}
		}
	})
}

func checkNumber(t *testing.T, in, out string) {
	if !pgDecimal.MatchString(out) || out == "-0" {
		t.Fatalf("number %q → %q: not a plain decimal", in, out)
	}
	want, ok1 := new(big.Rat).SetString(strings.TrimSpace(in))
	got, ok2 := new(big.Rat).SetString(out)
	if ok1 && (!ok2 || want.Cmp(got) != 0) {
		t.Fatalf("number %q → %q: value changed", in, out)
	}
}

func checkFloat(t *testing.T, in, out string) {
	switch out {
	case "NaN", "Infinity", "-Infinity":
		return
	}
	if _, err := strconv.ParseFloat(out, 64); err != nil && !strings.Contains(err.Error(), "range") {
		t.Fatalf("float %q → %q: %v", in, out, err)
	}
}
