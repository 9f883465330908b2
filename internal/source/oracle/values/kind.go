package values

import "github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"

// Kind is the family of text forms a column's values arrive in, and so the
// reading FromOracle applies. It follows package oracle's MapType: each
// Kind lands in one family of PostgreSQL types.
type Kind int

const (
	Text         Kind = iota // character, LOB, XML, JSON, ROWID, user-defined → text-like
	Number                   // NUMBER and its ANSI names → numeric / smallint / integer / bigint
	Float                    // BINARY_FLOAT, BINARY_DOUBLE, FLOAT, REAL, DOUBLE PRECISION → real / double precision
	Date                     // DATE → timestamp(0)
	Timestamp                // TIMESTAMP → timestamp(n)
	TimestampTZ              // TIMESTAMP WITH TIME ZONE → timestamptz
	TimestampLTZ             // TIMESTAMP WITH LOCAL TIME ZONE → timestamptz
	IntervalYM               // INTERVAL YEAR TO MONTH
	IntervalDS               // INTERVAL DAY TO SECOND
	Bytes                    // RAW, LONG RAW, BLOB, BFILE → bytea
	Bool                     // BOOLEAN (23ai) → boolean
)

var kindNames = [...]string{
	Text: "text", Number: "number", Float: "float", Date: "date",
	Timestamp: "timestamp", TimestampTZ: "timestamp with time zone",
	TimestampLTZ: "timestamp with local time zone",
	IntervalYM:   "interval year to month", IntervalDS: "interval day to second",
	Bytes: "bytes", Bool: "boolean",
}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown kind"
	}
	return kindNames[k]
}

// KindOf gives the Kind of an Oracle column type. Anything MapType sends to
// text (including user-defined and unknown types) is Text.
func KindOf(t ddl.Type) Kind {
	switch t.Name {
	case "NUMBER", "DECIMAL", "DEC", "NUMERIC", "INTEGER", "INT", "SMALLINT":
		return Number
	case "FLOAT", "REAL", "DOUBLE PRECISION", "BINARY_FLOAT", "BINARY_DOUBLE":
		return Float
	case "DATE":
		return Date
	case "TIMESTAMP":
		return Timestamp
	case "TIMESTAMP WITH TIME ZONE":
		return TimestampTZ
	case "TIMESTAMP WITH LOCAL TIME ZONE":
		return TimestampLTZ
	case "INTERVAL YEAR TO MONTH":
		return IntervalYM
	case "INTERVAL DAY TO SECOND":
		return IntervalDS
	case "RAW", "LONG RAW", "BLOB", "BFILE":
		return Bytes
	case "BOOLEAN":
		return Bool
	}
	return Text
}
