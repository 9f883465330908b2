package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// PGName is the PostgreSQL spelling of an Oracle name in catalog form: a
// name Oracle stores in upper case (it was written unquoted) becomes lower
// case, as PostgreSQL folds unquoted names; any other (quoted mixed-case
// or lower-case) keeps its spelling. Output always quotes it.
func PGName(catalog string) string {
	if strings.ToUpper(catalog) == catalog {
		return strings.ToLower(catalog)
	}
	return catalog
}

// MapType gives the PostgreSQL type of an Oracle column type (see doc.go)
// and, when the mapping changes what the column can hold, why.
func MapType(t ddl.Type) (pg, note string) {
	p := t.Precision
	switch t.Name {
	case "NUMBER", "DECIMAL", "DEC", "NUMERIC":
		return mapNumber(t)
	case "INTEGER", "INT":
		return "integer", ""
	case "SMALLINT":
		return "smallint", ""
	case "FLOAT", "REAL", "DOUBLE PRECISION":
		return "double precision", fmt.Sprintf("%s is a decimal NUMBER of up to 38 digits in Oracle; double precision keeps about 15", t.Text)
	case "BINARY_FLOAT":
		return "real", ""
	case "BINARY_DOUBLE":
		return "double precision", ""
	case "DATE":
		return "timestamp(0) without time zone", ""
	case "TIMESTAMP":
		return "timestamp" + fraction(t.Fraction) + " without time zone", fractionNote(t)
	case "TIMESTAMP WITH TIME ZONE":
		return "timestamp" + fraction(t.Fraction) + " with time zone", joinNotes("the value's own time zone region is not kept: timestamptz stores the instant", fractionNote(t))
	case "TIMESTAMP WITH LOCAL TIME ZONE":
		return "timestamp" + fraction(t.Fraction) + " with time zone", fractionNote(t)
	case "INTERVAL YEAR TO MONTH":
		return "interval year to month", ""
	case "INTERVAL DAY TO SECOND":
		return "interval day to second" + fraction(t.Fraction), fractionNote(t)
	case "VARCHAR2", "VARCHAR", "NVARCHAR2":
		if p <= 0 {
			return "text", ""
		}
		return fmt.Sprintf("varchar(%d)", p), ""
	case "CHAR", "NCHAR", "CHARACTER":
		if p <= 0 {
			p = 1
		}
		return fmt.Sprintf("char(%d)", p), ""
	case "CLOB", "NCLOB":
		return "text", ""
	case "LONG":
		return "text", ""
	case "BLOB", "RAW", "LONG RAW":
		return "bytea", ""
	case "BFILE":
		return "bytea", "BFILE data lives in files outside the database: the column is created, its data is not exported"
	case "XMLTYPE":
		return "xml", ""
	case "JSON":
		return "jsonb", ""
	case "BOOLEAN":
		return "boolean", ""
	case "ROWID", "UROWID":
		return "text", "ROWID values name Oracle row locations; they are kept as text and mean nothing on the target"
	case "SDO_GEOMETRY":
		return "text", "SDO_GEOMETRY needs PostGIS on the target: the column is created as text"
	}
	return "text", fmt.Sprintf("type %s is a user-defined or unsupported type: the column is created as text", t.Text)
}

// mapNumber follows ora2pg: whole numbers by precision, numeric otherwise.
func mapNumber(t ddl.Type) (string, string) {
	p, s := t.Precision, t.Scale
	switch {
	case p < 0 && !t.ScaleGiven:
		return "numeric", ""
	case p < 0: // NUMBER(*, s)
		return fmt.Sprintf("numeric(38,%d)", s), ""
	case s == 0:
		// NUMBER(p) or NUMBER(p,0): a whole number of at most p digits.
		switch {
		case p <= 4:
			return "smallint", ""
		case p <= 9:
			return "integer", ""
		case p <= 18:
			return "bigint", ""
		}
		return fmt.Sprintf("numeric(%d)", p), ""
	case s < 0:
		return fmt.Sprintf("numeric(%d)", p-s), fmt.Sprintf("NUMBER(%d,%d) rounds to a multiple of 10^%d in Oracle; numeric(%d) keeps the values as stored and does not round new ones", p, s, -s, p-s)
	case s > p:
		return fmt.Sprintf("numeric(%d,%d)", s, s), fmt.Sprintf("NUMBER(%d,%d) (scale above precision) holds values below 10^-%d; numeric(%d,%d) holds the same values and also larger ones up to 1", p, s, s-p, s, s)
	}
	return fmt.Sprintf("numeric(%d,%d)", p, s), ""
}

// fraction writes a fractional-second precision; PostgreSQL's maximum is 6.
func fraction(f int) string {
	switch {
	case f < 0:
		return ""
	case f > 6:
		return "(6)"
	}
	return fmt.Sprintf("(%d)", f)
}

func fractionNote(t ddl.Type) string {
	if t.Fraction > 6 {
		return fmt.Sprintf("%s keeps %d fractional digits; PostgreSQL keeps 6 (values are rounded)", t.Text, t.Fraction)
	}
	return ""
}

func joinNotes(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}
