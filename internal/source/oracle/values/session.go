package values

import "github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"

// The datetime formats the session is pinned to. S prefixes BC years with
// a minus sign (AD years with a blank), so the year's era is never lost;
// FF9 keeps every fractional digit a TIMESTAMP(9) holds; TZH:TZM writes
// the offset with its sign. The LogMiner parser compares the format
// arguments of TO_DATE / TO_TIMESTAMP / TO_TIMESTAMP_TZ with these.
const (
	DateFormat        = "SYYYY-MM-DD HH24:MI:SS"
	TimestampFormat   = "SYYYY-MM-DD HH24:MI:SS.FF9"
	TimestampTZFormat = "SYYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM"
	// NumberFormat is text minimum: the fewest characters that hold every
	// significant digit, scientific beyond 64 characters.
	NumberFormat = "TM9"
	// NumericCharacters makes '.' the decimal character and ',' the group
	// separator (never rendered by TM9).
	NumericCharacters = ".,"
	// SessionTimeZone is UTC, so that anything rendered in the session
	// time zone (TIMESTAMP WITH LOCAL TIME ZONE) is rendered in UTC.
	SessionTimeZone = "+00:00"
)

// SessionSettings returns the ALTER SESSION statements that pin the forms
// FromOracle reads; run them on every connection (snapshot and LogMiner)
// before reading values. NLS_CALENDAR is pinned too: a Thai Buddha or
// Japanese Imperial calendar would renumber the years.
func SessionSettings() []string {
	return []string{
		"ALTER SESSION SET NLS_CALENDAR = 'GREGORIAN'",
		"ALTER SESSION SET NLS_DATE_FORMAT = '" + DateFormat + "'",
		"ALTER SESSION SET NLS_TIMESTAMP_FORMAT = '" + TimestampFormat + "'",
		"ALTER SESSION SET NLS_TIMESTAMP_TZ_FORMAT = '" + TimestampTZFormat + "'",
		"ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '" + NumericCharacters + "'",
		"ALTER SESSION SET TIME_ZONE = '" + SessionTimeZone + "'",
	}
}

// SelectExpr gives the snapshot's select-list expression for column col
// (already quoted) of Oracle type t, rendering the value in the form
// FromOracle(KindOf(t), ...) reads. It takes the type rather than the Kind
// because types of one Kind need different expressions (RAW is hex-encoded
// in SQL, BLOB is not).
//
// The expression is explicit even where the pinned session formats would
// give the same text, so that the snapshot does not depend on the settings
// having been applied.
func SelectExpr(t ddl.Type, col string) string {
	switch t.Name {
	case "NUMBER", "DECIMAL", "DEC", "NUMERIC", "INTEGER", "INT", "SMALLINT",
		"FLOAT", "REAL", "DOUBLE PRECISION":
		// FLOAT, REAL and DOUBLE PRECISION are decimal NUMBERs in Oracle.
		return "TO_CHAR(" + col + ", '" + NumberFormat + "')"
	case "BINARY_FLOAT", "BINARY_DOUBLE", "BOOLEAN", "INTERVAL YEAR TO MONTH", "INTERVAL DAY TO SECOND":
		// Without a format: binary floats give every digit needed to read
		// the value back, Inf and Nan (a format model would give ####);
		// intervals give their leading and fractional precision;
		// booleans give TRUE / FALSE.
		return "TO_CHAR(" + col + ")"
	case "DATE":
		return "TO_CHAR(" + col + ", '" + DateFormat + "')"
	case "TIMESTAMP":
		return "TO_CHAR(" + col + ", '" + TimestampFormat + "')"
	case "TIMESTAMP WITH TIME ZONE":
		return "TO_CHAR(" + col + ", '" + TimestampTZFormat + "')"
	case "TIMESTAMP WITH LOCAL TIME ZONE":
		// The instant in UTC with an explicit offset, whatever the
		// session's time zone.
		return "TO_CHAR(SYS_EXTRACT_UTC(" + col + "), '" + TimestampFormat + "') || ' +00:00'"
	case "RAW":
		return "RAWTOHEX(" + col + ")"
	case "BFILE":
		// BFILE data lives in files outside the database and is not
		// exported (MapType notes it); the column is loaded as NULL.
		return "NULL"
	case "ROWID", "UROWID":
		return "CAST(" + col + " AS VARCHAR2(4000))"
	case "XMLTYPE":
		return "XMLSERIALIZE(CONTENT " + col + " AS CLOB)"
	case "JSON":
		return "JSON_SERIALIZE(" + col + " RETURNING CLOB)"
	case "SDO_GEOMETRY":
		return "SDO_UTIL.TO_WKTGEOMETRY(" + col + ")"
	}
	// Character types and CLOB / NCLOB / LONG arrive as text; BLOB and
	// LONG RAW as bytes (FromBytes). LOBs are streamed by the driver, and
	// LONG / LONG RAW cannot be passed to SQL functions at all, so they
	// are selected as they are. Other user-defined types are selected as
	// they are too: the driver reports the ones it cannot read, rather
	// than the snapshot loading NULLs.
	return col
}
