package values

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// ValueError is a value FromOracle cannot read as its Kind.
type ValueError struct {
	Kind   Kind
	Value  string // the value, truncated to maxShown bytes
	Reason string
}

const maxShown = 40

func (e *ValueError) Error() string {
	return fmt.Sprintf("Oracle %s value %q: %s", e.Kind, e.Value, e.Reason)
}

func bad(k Kind, s, reason string) error {
	if len(s) > maxShown {
		s = s[:maxShown] + "..."
	}
	return &ValueError{Kind: k, Value: s, Reason: reason}
}

// FromOracle turns Oracle's text for a value of Kind k (in the forms
// SelectExpr renders under SessionSettings) into PostgreSQL input text for
// the converted column type. The result is not escaped for COPY.
func FromOracle(k Kind, s string) (string, error) {
	switch k {
	case Text:
		return fromText(s)
	case Number:
		return fromNumber(s)
	case Float:
		return fromFloat(s)
	case Date, Timestamp, TimestampTZ, TimestampLTZ:
		return fromDatetime(k, s)
	case IntervalYM:
		return fromIntervalYM(s)
	case IntervalDS:
		return fromIntervalDS(s)
	case Bytes:
		return fromHex(s)
	case Bool:
		return fromBool(s)
	}
	return "", bad(k, s, "unknown kind")
}

// FromBytes is the bytea input text of a value the driver returned as
// bytes (BLOB, LONG RAW): \x and lower-case hex.
func FromBytes(b []byte) string {
	return `\x` + hex.EncodeToString(b)
}

// fromText keeps the text, except that PostgreSQL text cannot hold NUL
// (Oracle's CHR(0)); that is an error here rather than at the load.
func fromText(s string) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", bad(Text, s, "contains a NUL character, which PostgreSQL text cannot hold")
	}
	return s, nil
}

// fromHex reads RAWTOHEX's output (upper case; any case accepted).
func fromHex(s string) (string, error) {
	if len(s)%2 != 0 {
		return "", bad(Bytes, s, "odd number of hex digits")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return "", bad(Bytes, s, "not hex digits")
	}
	return FromBytes(b), nil
}

func fromBool(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "TRUE", "1":
		return "t", nil
	case "FALSE", "0":
		return "f", nil
	}
	return "", bad(Bool, s, "not TRUE, FALSE, 1 or 0")
}
