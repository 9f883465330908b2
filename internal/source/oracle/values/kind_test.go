package values_test

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
)

func typ(name string, p, s int) ddl.Type {
	return ddl.Type{Name: name, Precision: p, Scale: s, ScaleGiven: s != 0, Fraction: -1, Leading: -1, Text: name}
}

// pgFamily is the Kind whose forms a PostgreSQL type of MapType reads.
func pgFamily(pg string) values.Kind {
	switch {
	case pg == "timestamp(0) without time zone":
		return values.Date
	case strings.HasPrefix(pg, "timestamp") && strings.HasSuffix(pg, "without time zone"):
		return values.Timestamp
	case strings.HasPrefix(pg, "timestamp"):
		return values.TimestampTZ // or LTZ: the same PostgreSQL type
	case pg == "interval year to month":
		return values.IntervalYM
	case strings.HasPrefix(pg, "interval day to second"):
		return values.IntervalDS
	case strings.HasPrefix(pg, "numeric"), pg == "smallint", pg == "integer", pg == "bigint":
		return values.Number
	case pg == "real", pg == "double precision":
		return values.Float
	case pg == "bytea":
		return values.Bytes
	case pg == "boolean":
		return values.Bool
	}
	return values.Text // text, varchar(n), char(n), xml, jsonb
}

// TestKindOf_AgreesWithMapType checks that every Oracle type's Kind reads
// the forms of the PostgreSQL type package oracle maps it to.
func TestKindOf_AgreesWithMapType(t *testing.T) {
	types := []ddl.Type{
		typ("NUMBER", -1, 0), typ("NUMBER", 4, 0), typ("NUMBER", 9, 0), typ("NUMBER", 18, 0),
		typ("NUMBER", 20, 0), typ("NUMBER", 10, 2), typ("NUMBER", 5, -2), typ("NUMBER", 2, 5),
		typ("DECIMAL", 10, 2), typ("DEC", -1, 0), typ("NUMERIC", 8, 0), typ("INTEGER", -1, 0),
		typ("INT", -1, 0), typ("SMALLINT", -1, 0), typ("FLOAT", 126, 0), typ("REAL", -1, 0),
		typ("DOUBLE PRECISION", -1, 0), typ("BINARY_FLOAT", -1, 0), typ("BINARY_DOUBLE", -1, 0),
		typ("DATE", -1, 0), typ("TIMESTAMP", -1, 0), typ("TIMESTAMP WITH TIME ZONE", -1, 0),
		typ("TIMESTAMP WITH LOCAL TIME ZONE", -1, 0), typ("INTERVAL YEAR TO MONTH", -1, 0),
		typ("INTERVAL DAY TO SECOND", -1, 0), typ("VARCHAR2", 20, 0), typ("VARCHAR", 20, 0),
		typ("NVARCHAR2", 20, 0), typ("CHAR", 1, 0), typ("NCHAR", 3, 0), typ("CHARACTER", 3, 0),
		typ("CLOB", -1, 0), typ("NCLOB", -1, 0), typ("LONG", -1, 0), typ("BLOB", -1, 0),
		typ("RAW", 16, 0), typ("LONG RAW", -1, 0), typ("BFILE", -1, 0), typ("XMLTYPE", -1, 0),
		typ("JSON", -1, 0), typ("BOOLEAN", -1, 0), typ("ROWID", -1, 0), typ("UROWID", -1, 0),
		typ("SDO_GEOMETRY", -1, 0), typ("ADDRESS_T", -1, 0),
	}
	for _, ty := range types {
		pg, _ := oracle.MapType(ty)
		k := values.KindOf(ty)
		want := pgFamily(pg)
		if k == values.TimestampLTZ {
			k = values.TimestampTZ
		}
		if k != want {
			t.Errorf("KindOf(%s) = %s; MapType gives %s, read as %s", ty.Name, values.KindOf(ty), pg, want)
		}
	}
}

func TestSelectExpr(t *testing.T) {
	cases := []struct {
		ty   ddl.Type
		want string
	}{
		{typ("NUMBER", 10, 2), `TO_CHAR("AMOUNT", 'TM9')`},
		{typ("FLOAT", 126, 0), `TO_CHAR("AMOUNT", 'TM9')`},
		{typ("BINARY_DOUBLE", -1, 0), `TO_CHAR("AMOUNT")`},
		{typ("DATE", -1, 0), `TO_CHAR("AMOUNT", 'SYYYY-MM-DD HH24:MI:SS')`},
		{typ("TIMESTAMP", -1, 0), `TO_CHAR("AMOUNT", 'SYYYY-MM-DD HH24:MI:SS.FF9')`},
		{typ("TIMESTAMP WITH TIME ZONE", -1, 0), `TO_CHAR("AMOUNT", 'SYYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')`},
		{typ("TIMESTAMP WITH LOCAL TIME ZONE", -1, 0), `TO_CHAR(SYS_EXTRACT_UTC("AMOUNT"), 'SYYYY-MM-DD HH24:MI:SS.FF9') || ' +00:00'`},
		{typ("INTERVAL DAY TO SECOND", -1, 0), `TO_CHAR("AMOUNT")`},
		{typ("RAW", 16, 0), `RAWTOHEX("AMOUNT")`},
		{typ("BLOB", -1, 0), `"AMOUNT"`},
		{typ("LONG RAW", -1, 0), `"AMOUNT"`},
		{typ("CLOB", -1, 0), `"AMOUNT"`},
		{typ("VARCHAR2", 10, 0), `"AMOUNT"`},
		{typ("BFILE", -1, 0), `NULL`},
		{typ("BOOLEAN", -1, 0), `TO_CHAR("AMOUNT")`},
		{typ("UROWID", -1, 0), `CAST("AMOUNT" AS VARCHAR2(4000))`},
		{typ("XMLTYPE", -1, 0), `XMLSERIALIZE(CONTENT "AMOUNT" AS CLOB)`},
		{typ("JSON", -1, 0), `JSON_SERIALIZE("AMOUNT" RETURNING CLOB)`},
	}
	for _, c := range cases {
		if got := values.SelectExpr(c.ty, `"AMOUNT"`); got != c.want {
			t.Errorf("SelectExpr(%s) = %s, want %s", c.ty.Name, got, c.want)
		}
	}
}

// TestSessionSettings checks that every format FromOracle relies on is
// pinned (Oracle Database Reference: NLS_DATE_FORMAT,
// NLS_TIMESTAMP_FORMAT, NLS_TIMESTAMP_TZ_FORMAT, NLS_NUMERIC_CHARACTERS;
// SQL Language Reference, ALTER SESSION: TIME_ZONE).
func TestSessionSettings(t *testing.T) {
	all := strings.Join(values.SessionSettings(), "\n")
	for _, want := range []string{
		"NLS_DATE_FORMAT = '" + values.DateFormat + "'",
		"NLS_TIMESTAMP_FORMAT = '" + values.TimestampFormat + "'",
		"NLS_TIMESTAMP_TZ_FORMAT = '" + values.TimestampTZFormat + "'",
		"NLS_NUMERIC_CHARACTERS = '.,'",
		"TIME_ZONE = '+00:00'",
		"NLS_CALENDAR = 'GREGORIAN'",
	} {
		if !strings.Contains(all, "ALTER SESSION SET "+want) {
			t.Errorf("SessionSettings lacks %s:\n%s", want, all)
		}
	}
}

func TestKind_String(t *testing.T) {
	if values.IntervalDS.String() != "interval day to second" || values.Kind(-1).String() != "unknown kind" {
		t.Error("Kind names")
	}
}
