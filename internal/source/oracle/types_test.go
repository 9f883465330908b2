package oracle

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// Every row of the mapping table in doc.go, read through the DDL reader
// from the declarations as Oracle writes them.
func TestMapType(t *testing.T) {
	cases := []struct{ oracle, pg, note string }{
		{"NUMBER", "numeric", ""},
		{"NUMBER(4)", "smallint", ""},
		{"NUMBER(9,0)", "integer", ""},
		{"NUMBER(18)", "bigint", ""},
		{"NUMBER(19)", "numeric(19)", ""},
		{"NUMBER(38)", "numeric(38)", ""},
		{"NUMBER(8,2)", "numeric(8,2)", ""},
		{"NUMBER(*,2)", "numeric(38,2)", ""},
		{"NUMBER(*)", "numeric", ""},
		{"NUMBER(5,-2)", "numeric(7)", "rounds to a multiple of 10^2"},
		{"NUMBER(3,5)", "numeric(5,5)", "scale above precision"},
		{"DECIMAL(10,3)", "numeric(10,3)", ""},
		{"INTEGER", "integer", ""},
		{"SMALLINT", "smallint", ""},
		{"FLOAT", "double precision", "keeps about 15"},
		{"FLOAT(63)", "double precision", "keeps about 15"},
		{"BINARY_FLOAT", "real", ""},
		{"BINARY_DOUBLE", "double precision", ""},
		{"DATE", "timestamp(0) without time zone", ""},
		{"TIMESTAMP", "timestamp without time zone", ""},
		{"TIMESTAMP(3)", "timestamp(3) without time zone", ""},
		{"TIMESTAMP(9)", "timestamp(6) without time zone", "keeps 9 fractional digits"},
		{"TIMESTAMP(6) WITH TIME ZONE", "timestamp(6) with time zone", "time zone region is not kept"},
		{"TIMESTAMP WITH LOCAL TIME ZONE", "timestamp with time zone", ""},
		{"INTERVAL YEAR(2) TO MONTH", "interval year to month", ""},
		{"INTERVAL DAY(3) TO SECOND(2)", "interval day to second(2)", ""},
		{"VARCHAR2(25)", "varchar(25)", ""},
		{"VARCHAR2(25 BYTE)", "varchar(25)", ""},
		{"VARCHAR2(10 CHAR)", "varchar(10)", ""},
		{"NVARCHAR2(100)", "varchar(100)", ""},
		{"CHAR(2)", "char(2)", ""},
		{"CHAR", "char(1)", ""},
		{"NCHAR(3)", "char(3)", ""},
		{"CLOB", "text", ""},
		{"NCLOB", "text", ""},
		{"LONG", "text", ""},
		{"BLOB", "bytea", ""},
		{"RAW(16)", "bytea", ""},
		{"LONG RAW", "bytea", ""},
		{"BFILE", "bytea", "data is not exported"},
		{"XMLTYPE", "xml", ""},
		{"JSON", "jsonb", ""},
		{"BOOLEAN", "boolean", ""},
		{"ROWID", "text", "ROWID values"},
		{"UROWID(4000)", "text", "ROWID values"},
		{"SDO_GEOMETRY", "text", "needs PostGIS"},
		{"MDSYS.SDO_GEOMETRY", "text", "needs PostGIS"},
		{"HR.ADDR_T", "text", "user-defined"},
	}
	for _, tc := range cases {
		tb, err := ddl.ParseTable("CREATE TABLE t (c " + tc.oracle + ")")
		if err != nil {
			t.Fatalf("%s: %v", tc.oracle, err)
		}
		pg, note := MapType(tb.Columns[0].Type)
		if pg != tc.pg || (tc.note == "") != (note == "") || !strings.Contains(note, tc.note) {
			t.Errorf("%s: %q (%q), want %q (%q)", tc.oracle, pg, note, tc.pg, tc.note)
		}
	}
}

func TestPGName(t *testing.T) {
	for in, want := range map[string]string{"EMPLOYEES": "employees", "Album": "Album", "lower": "lower", "MY$TABLE#1": "my$table#1", "ÉTÉ": "été"} {
		if got := PGName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
