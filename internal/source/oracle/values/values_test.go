package values

import (
	"errors"
	"strings"
	"testing"
)

type fromCase struct {
	kind Kind
	in   string
	want string // "" with err set: an error is expected
	err  string // a fragment of the expected error's reason
}

func runFromCases(t *testing.T, cases []fromCase) {
	t.Helper()
	for _, c := range cases {
		got, err := FromOracle(c.kind, c.in)
		switch {
		case c.err != "" && err == nil:
			t.Errorf("FromOracle(%s, %q) = %q, want an error with %q", c.kind, c.in, got, c.err)
		case c.err != "" && !strings.Contains(err.Error(), c.err):
			t.Errorf("FromOracle(%s, %q) error %q, want it to contain %q", c.kind, c.in, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("FromOracle(%s, %q): %v", c.kind, c.in, err)
		case c.err == "" && got != c.want:
			t.Errorf("FromOracle(%s, %q) = %q, want %q", c.kind, c.in, got, c.want)
		}
	}
}

// Forms from Oracle Database SQL Language Reference, "Format Models" →
// "Number Format Elements" (TM: text minimum, fixed notation unless the
// output passes 64 characters, then scientific; no leading zero before the
// decimal character), and "Floating-Point Numbers" / TO_BINARY_DOUBLE
// (the strings INF, -INF, NaN; values displayed as 1.235E+003).
func TestFromOracle_Number(t *testing.T) {
	big := "123456789012345678901234567890123456789" + strings.Repeat("0", 87)
	tiny := "0." + strings.Repeat("0", 129) + "1"
	runFromCases(t, []fromCase{
		{Number, "0", "0", ""},
		{Number, "42", "42", ""},
		{Number, "-42", "-42", ""},
		{Number, ".5", "0.5", ""},
		{Number, "-.5", "-0.5", ""},
		{Number, "5.", "5", ""},
		{Number, "+5", "5", ""},
		{Number, "1234.5600", "1234.56", ""},
		{Number, "007", "7", ""},
		{Number, "-0", "0", ""},
		{Number, "12345678901234567890123456789012345678", "12345678901234567890123456789012345678", ""},
		{Number, "1.23456789012345678901234567890123456789E+125", big, ""},
		{Number, "1E-130", tiny, ""},
		{Number, "-1.5E-005", "-0.000015", ""},
		{Number, "2.5e3", "2500", ""},
		{Number, "1E+126", "", "range"},
		{Number, "1E-131", "", "range"},
		{Number, "1E+99999", "", "exponent"},
		{Number, "~", "", "infinity"},
		{Number, "-~", "", "infinity"},
		{Number, "#####", "", "format model"},
		{Number, "1,5", "", "unexpected character"},
		{Number, "", "", "no digits"},
		{Number, ".", "", "no digits"},
		{Number, "1E", "", "exponent"},
		{Number, "Inf", "", "no digits"},
		{Number, "1.2.3", "", "unexpected character"},
	})
}

func TestFromOracle_Float(t *testing.T) {
	runFromCases(t, []fromCase{
		{Float, "1.235E+003", "1.235E3", ""},
		{Float, "1.5E+000", "1.5E0", ""},
		{Float, "-3.3333333333333331E-001", "-3.3333333333333331E-1", ""},
		{Float, "0E+000", "0", ""},
		{Float, ".1", "0.1", ""}, // FLOAT / REAL through TM9
		{Float, "Nan", "NaN", ""},
		{Float, "NaN", "NaN", ""},
		{Float, "Inf", "Infinity", ""},
		{Float, "+Inf", "Infinity", ""},
		{Float, "Infinity", "Infinity", ""},
		{Float, "-Inf", "-Infinity", ""},
		{Float, "-INF", "-Infinity", ""},
		{Float, "1E+999", "", "range"},
		{Float, "####", "", "format model"},
		{Float, "abc", "", "no digits"},
	})
}

// Forms from SQL Language Reference, "Format Models" → "Datetime Format
// Elements": SYYYY (S prefixes BC dates with a minus sign), HH24, MI, SS,
// FF [1..9] (fractional seconds, as many digits as asked), TZH and TZM
// (hour and minute of the time zone offset), TZR (region name); and
// "Datetime and Interval Data Types": years -4712 to 9999, no year 0.
func TestFromOracle_Datetime(t *testing.T) {
	runFromCases(t, []fromCase{
		{Date, " 2024-02-29 23:59:59", "2024-02-29 23:59:59", ""},
		{Date, "2024-01-15 10:20:30", "2024-01-15 10:20:30", ""},
		{Date, "-0044-03-15 12:00:00", "0044-03-15 12:00:00 BC", ""},
		{Date, "-0001-01-01 00:00:00", "0001-01-01 00:00:00 BC", ""},
		{Date, "-4712-01-01 00:00:00", "4712-01-01 00:00:00 BC", ""},
		{Date, " 9999-12-31 23:59:59", "9999-12-31 23:59:59", ""},
		{Date, " 1066-10-14 09:00:00", "1066-10-14 09:00:00", ""}, // Julian label kept
		{Date, " 1500-02-29 00:00:00", "", "Julian-calendar leap day"},
		{Date, " 2023-02-29 00:00:00", "", "no such date"},
		{Date, " 0000-01-01 00:00:00", "", "year 0"},
		{Date, " 2024-01-15 24:00:00", "", "time of day"},
		{Date, " 2024-01-15 10:20:30.5", "", "unexpected text"},
		{Date, "15-JAN-24", "", "not in the form"},
		{Timestamp, " 2024-01-15 10:20:30.123456789", "2024-01-15 10:20:30.123457", ""},
		{Timestamp, " 2024-01-15 10:20:30.123456499", "2024-01-15 10:20:30.123456", ""},
		{Timestamp, " 2024-01-15 10:20:30.000000500", "2024-01-15 10:20:30.000001", ""},
		{Timestamp, " 2024-01-15 10:20:30.000000000", "2024-01-15 10:20:30", ""},
		{Timestamp, " 2024-01-15 10:20:30.5", "2024-01-15 10:20:30.5", ""},
		{Timestamp, " 2024-01-15 10:20:30", "2024-01-15 10:20:30", ""},
		{Timestamp, " 1999-12-31 23:59:59.999999500", "2000-01-01 00:00:00", ""},
		{Timestamp, " 2024-02-28 23:59:59.9999999", "2024-02-29 00:00:00", ""},
		{Timestamp, "-0001-12-31 23:59:59.999999999", "0001-01-01 00:00:00", ""},
		{Timestamp, "-0044-03-15 12:00:00.000000700", "0044-03-15 12:00:00.000001 BC", ""},
		{Timestamp, " 9999-12-31 23:59:59.999999999", "10000-01-01 00:00:00", ""},
		{Timestamp, " 2024-01-15 10:20:30.1234567890", "", "1 to 9 digits"},
		{Timestamp, " 2024-01-15 10:20:30.", "", "1 to 9 digits"},
		{Timestamp, " 2024-01-15 10:20:30.5 +01:00", "", "unexpected text"},
		{TimestampTZ, " 2024-01-15 10:20:30.500000000 +05:30", "2024-01-15 10:20:30.5+05:30", ""},
		{TimestampTZ, " 2024-01-15 10:20:30.000000000 -08:00", "2024-01-15 10:20:30-08:00", ""},
		{TimestampTZ, "-0044-03-15 12:00:00.000000000 +01:00", "0044-03-15 12:00:00+01:00 BC", ""},
		{TimestampTZ, " 2024-07-01 12:00:00.000000000 America/Los_Angeles", "2024-07-01 12:00:00 America/Los_Angeles", ""},
		{TimestampTZ, " 2024-07-01 12:00:00 UTC", "2024-07-01 12:00:00 UTC", ""},
		{TimestampTZ, " 2024-07-01 12:00:00.000000000", "", "no time zone"},
		{TimestampTZ, " 2024-07-01 12:00:00.000000000 +5:30", "", "offset"},
		{TimestampTZ, " 2024-07-01 12:00:00.000000000 +16:00", "", "offset"},
		{TimestampTZ, " 2024-07-01 12:00:00.000000000 Bad;Zone", "", "region"},
		{TimestampTZ, " 2024-07-01 12:00:00.000000000+01:00", "", "blank"},
		{TimestampLTZ, " 2024-01-15 10:20:30.000000000 +00:00", "2024-01-15 10:20:30+00:00", ""},
		{TimestampLTZ, " 2024-01-15 10:20:30.250000000", "2024-01-15 10:20:30.25+00:00", ""},
	})
}

// Forms from SQL Language Reference, "Literals" → "Interval Literals"
// (INTERVAL '123-2' YEAR(3) TO MONTH, INTERVAL '4 5:12:10.222' DAY TO
// SECOND(3)) as TO_CHAR renders them: a sign, the leading field padded to
// its precision (9 for the largest), the fraction to its precision.
func TestFromOracle_Interval(t *testing.T) {
	runFromCases(t, []fromCase{
		{IntervalYM, "+01-02", "P1Y2M", ""},
		{IntervalYM, "+123-02", "P123Y2M", ""},
		{IntervalYM, "-000000001-06", "P-1Y-6M", ""},
		{IntervalYM, "-00-03", "P-3M", ""},
		{IntervalYM, "+02-00", "P2Y", ""},
		{IntervalYM, "+00-00", "P0Y", ""},
		{IntervalYM, "+01-12", "", "0 to 11"},
		{IntervalYM, "+999999999-11", "", "interval range"},
		{IntervalYM, "1 year", "", "not in the form"},
		{IntervalDS, "+01 02:03:04.500000", "P1DT2H3M4.5S", ""},
		{IntervalDS, "+04 05:12:10.222", "P4DT5H12M10.222S", ""},
		{IntervalDS, "-000000003 00:00:00.000000001", "P-3D", ""},
		{IntervalDS, "-01 02:03:04.5", "P-1DT-2H-3M-4.5S", ""},
		{IntervalDS, "-00 00:00:00.000001", "PT-0.000001S", ""},
		{IntervalDS, "+00 00:00:30", "PT30S", ""},
		{IntervalDS, "+00 23:59:59.9999995", "P1D", ""},
		{IntervalDS, "+00 00:00:00.0000004", "PT0S", ""},
		{IntervalDS, "+000000000 00:00:00.000000", "PT0S", ""},
		{IntervalDS, "+999999999 23:59:59.999999999", "P1000000000D", ""},
		{IntervalDS, "+01 24:00:00", "", "out of range"},
		{IntervalDS, "+01 02:03", "", "not in the form"},
		{IntervalDS, "+01 02:03:04.", "", "1 to 9 digits"},
	})
}

// RAWTOHEX (SQL Language Reference, RAWTOHEX) writes upper-case hex;
// TO_CHAR (boolean) (SQL Language Reference 23ai) writes TRUE / FALSE.
func TestFromOracle_BytesBoolText(t *testing.T) {
	runFromCases(t, []fromCase{
		{Bytes, "DEADBEEF", `\xdeadbeef`, ""},
		{Bytes, "00ff", `\x00ff`, ""},
		{Bytes, "", `\x`, ""},
		{Bytes, "ABC", "", "odd"},
		{Bytes, "GG", "", "hex"},
		{Bool, "TRUE", "t", ""},
		{Bool, "FALSE", "f", ""},
		{Bool, "1", "t", ""},
		{Bool, "0", "f", ""},
		{Bool, "yes", "", "not TRUE"},
		{Text, "O'Reilly \\ \t tab", "O'Reilly \\ \t tab", ""},
		{Text, "a\x00b", "", "NUL"},
		{Kind(99), "x", "", "unknown kind"},
	})
}

func TestFromBytes(t *testing.T) {
	if got := FromBytes([]byte{0xDE, 0xAD, 0x01}); got != `\xdead01` {
		t.Errorf("FromBytes = %q", got)
	}
}

func TestValueError_Truncates(t *testing.T) {
	_, err := FromOracle(Number, strings.Repeat("9", 100)+"x")
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Kind != Number || len(ve.Value) != maxShown+3 {
		t.Fatalf("error %v: want a ValueError of kind number with the value truncated", err)
	}
	if !strings.HasPrefix(err.Error(), `Oracle number value "9999`) {
		t.Errorf("error text %q", err)
	}
}
