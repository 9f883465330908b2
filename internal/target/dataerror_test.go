package target

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// A load error no source engine explains names the line and the generic
// fix. The message and context are PostgreSQL's own for COPY.
func TestDataError_Error(t *testing.T) {
	b := Batch{Table: sqlname.Table{Schema: "public", Name: "shifts"}, FileName: "public.shifts.00000.tsv", Start: 0, End: 40, FirstLine: 3}
	e := &DataError{Batch: b, Err: &pgconn.PgError{Code: "22P02", Message: `invalid input value for enum e: "x"`,
		Where: `COPY shifts, line 2, column e: "x"`}}
	e.Explain(func(LoadError) (string, string, bool) { return "", "", false })
	want := `import of table public.shifts failed: batch at bytes 0-40 of data file public.shifts.00000.tsv, line 4: ` +
		`invalid input value for enum e: "x" (SQLSTATE 22P02): fix the target table definition or the source row, ` +
		`then rerun import data (batches already imported are kept)`
	if msg := e.Error(); msg != want {
		t.Errorf("got  %s\nwant %s", msg, want)
	}
}

// TestDataError_Explain: a fix the source engine names replaces the
// generic one and names the column the server named.
func TestDataError_Explain(t *testing.T) {
	b := Batch{Table: sqlname.Table{Schema: "public", Name: "shifts"}, FileName: "f.tsv", FirstLine: 1}
	e := &DataError{Batch: b, Err: &pgconn.PgError{Code: "22008", Message: `date/time field value out of range: "838:59:59"`,
		Where: `COPY shifts, line 2, column took: "838:59:59"`}}
	var got LoadError
	e.Explain(func(le LoadError) (string, string, bool) { got = le; return le.Column, "do this", true })
	if got.Column != "took" || got.Code != "22008" || got.Table != b.Table {
		t.Errorf("explained %+v", got)
	}
	if msg := e.Error(); !strings.Contains(msg, "line 2, column took:") || !strings.Contains(msg, "do this, then rerun import data") {
		t.Errorf("message %s", msg)
	}
}
