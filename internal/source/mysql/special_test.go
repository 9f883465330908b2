package mysql

import (
	"strings"
	"testing"
)

func TestIsLongTime(t *testing.T) {
	for v, want := range map[string]bool{
		"00:00:00": false, "12:34:56.789": false, "23:59:59.999999": false,
		"24:00:00": false, "24:00:00.000": false,
		"24:00:01": true, "24:00:00.001": true, "25:00:00": true, "99:59:59": true,
		"100:00:00": true, "838:59:59": true, "838:59:59.000000": true,
		"-00:00:01": true, "-12:34:56.789": true, "-838:59:59": true,
		"": false,
	} {
		if got := isLongTime([]byte(v)); got != want {
			t.Errorf("isLongTime(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestEnumLabel(t *testing.T) {
	labels := []string{"x", ""}
	for _, c := range []struct {
		i     int64
		label string
		sp    special
		err   bool
	}{
		{1, "x", spPlain, false},
		{2, "", spPlain, false}, // a declared '' label is a value, not the error value
		{0, "", spEnumError, false},
		{3, "", spPlain, true},
		{-1, "", spPlain, true},
	} {
		label, sp, err := enumLabel(labels, c.i)
		if label != c.label || sp != c.sp || (err != nil) != c.err {
			t.Errorf("enumLabel(%d) = %q, %v, %v; want %q, %v, error %v", c.i, label, sp, err, c.label, c.sp, c.err)
		}
	}
}

func TestSource_Warnings(t *testing.T) {
	s := &Source{}
	if w := s.Warnings(); len(w) != 0 {
		t.Fatalf("no special values: %q", w)
	}
	var a, b tally
	a.add(spZeroDate, "t", "d", nil)
	a.add(spEnumError, "t", "e", nil)
	a.add(spLongTime, "t", "tm", []byte("838:59:59"))
	a.add(spLongTime, "t", "tm", []byte("-01:00:00"))
	b.add(spEnumError, "u", "e", nil)
	b.add(spLongTime, "a", "dur", []byte("-00:00:01.5"))
	s.stats.merge(&a)
	s.stats.merge(&b)
	w := s.Warnings()
	want := []string{
		"MySQL placeholder values written as NULL: 3 (1 zero date like 0000-00-00, 2 ENUM error values '' from invalid input).",
		"TIME values outside 00:00:00-24:00:00 exported as durations: a.dur (1 value, e.g. '-00:00:01.5'), t.tm (2 values, e.g. '838:59:59')",
	}
	if len(w) != 2 || w[0] != want[0] || !strings.HasPrefix(w[1], want[1]) || !strings.Contains(w[1], "TYPE interval") {
		t.Errorf("Warnings() =\n%q\nwant\n%q...", w, want)
	}
	if s.ZeroDates() != 1 || s.EnumErrors() != 2 {
		t.Errorf("ZeroDates, EnumErrors = %d, %d; want 1, 2", s.ZeroDates(), s.EnumErrors())
	}
}
