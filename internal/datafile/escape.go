package datafile

import "sort"

// AppendEscaped appends s as a COPY text value, escaped as the server's own
// COPY TO does (backslash, and \b \f \n \r \t \v for those control bytes),
// so every writer of data files and COPY input produces the same bytes. It
// does not handle NULL (the caller writes \N).
func AppendEscaped(dst, s []byte) []byte {
	clean := true
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			clean = false
			break
		}
	}
	if clean {
		return append(dst, s...)
	}
	for _, c := range s {
		switch {
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c >= 0x20:
			dst = append(dst, c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\v':
			dst = append(dst, '\\', 'v')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// TextSettings are the session settings under which the exporters read
// values as text: what the data files and the change queue hold, and what
// the importer's converters (copybin) expect. They pin everything the
// server's text output depends on (dates, intervals, time zone, float
// digits, bytea, encoding).
var TextSettings = map[string]string{
	"client_encoding":    "UTF8",
	"DateStyle":          "ISO, MDY",
	"IntervalStyle":      "postgres",
	"TimeZone":           "UTC",
	"extra_float_digits": "3",
	"bytea_output":       "hex",
}

// TextSettingsSQL is TextSettings as SET statements, in a stable order.
func TextSettingsSQL() []string {
	names := make([]string, 0, len(TextSettings))
	for n := range TextSettings {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "SET " + n + " = '" + TextSettings[n] + "'"
	}
	return out
}
