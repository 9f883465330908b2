package mysql

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// A MySQL TIME duration that a PostgreSQL time column rejects gets its fix
// named; other load errors do not. The messages and contexts are
// PostgreSQL's own for COPY into a time column.
func TestEngine_ExplainLoadError(t *testing.T) {
	b := target.Batch{Table: sqlname.Table{Schema: "public", Name: "shifts"}, FileName: "public.shifts.00000.tsv", Start: 0, End: 40, FirstLine: 1}
	for _, c := range []struct {
		name string
		pg   pgconn.PgError
		want []string
		not  []string
	}{
		{"beyond 24:00:00", pgconn.PgError{Code: "22008", Message: `date/time field value out of range: "838:59:59.000"`,
			Where: `COPY shifts, line 2, column took: "838:59:59.000"`},
			[]string{"line 2, column took:", `ALTER TABLE "public"."shifts" ALTER COLUMN "took" TYPE interval`, "rerun import data"}, nil},
		{"negative", pgconn.PgError{Code: "22007", Message: `invalid input syntax for type time: "-00:00:01"`,
			Where: `COPY shifts, line 1, column My Col: "-00:00:01"`},
			[]string{`ALTER COLUMN "My Col" TYPE interval`}, nil},
		{"binary COPY context", pgconn.PgError{Code: "22008", Message: `date/time field value out of range: "25:00:00"`,
			Where: `COPY shifts, line 1, column took`},
			[]string{`ALTER COLUMN "took" TYPE interval`}, nil},
		{"timestamp", pgconn.PgError{Code: "22007", Message: `invalid input syntax for type timestamp: "12:00:00"`,
			Where: `COPY shifts, line 1, column at: "12:00:00"`},
			[]string{"fix the target table definition or the source row"}, []string{"interval"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &target.DataError{Batch: b, Err: &c.pg}
			e.Explain(Engine{}.ExplainLoadError)
			msg := e.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%s\nlacks %q", msg, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(msg, w) {
					t.Errorf("%s\nmust not mention %q", msg, w)
				}
			}
		})
	}
}
