package target

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// DataError is a COPY failure; when the server names a line, Line is the
// line of the data file (not of the batch).
type DataError struct {
	Batch Batch
	Err   error
}

var copyLineRe = regexp.MustCompile(`line (\d+)`)

// Line returns the failing line of the data file, or 0 if unknown.
func (e *DataError) Line() int64 {
	var pgErr *pgconn.PgError
	if !errors.As(e.Err, &pgErr) {
		return 0
	}
	m := copyLineRe.FindStringSubmatch(pgErr.Where)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return e.Batch.FirstLine + n - 1
}

func (e *DataError) Error() string {
	where := fmt.Sprintf("batch at bytes %d-%d of data file %s", e.Batch.Start, e.Batch.End, e.Batch.FileName)
	if l := e.Line(); l > 0 {
		where += fmt.Sprintf(", line %d", l)
	}
	var pgErr *pgconn.PgError
	if errors.As(e.Err, &pgErr) {
		fix := "fix the target table definition or the source row"
		if col, ok := durationColumn(pgErr); ok {
			where += ", column " + col
			fix = fmt.Sprintf("the value is a duration (MySQL TIME holds -838:59:59 to 838:59:59, PostgreSQL time only 00:00:00 to 24:00:00): "+
				"change the column to interval (ALTER TABLE %s ALTER COLUMN %s TYPE interval)", e.Batch.Table.Quoted(), sqlname.Quote(col))
		}
		return fmt.Sprintf("import of table %s failed: %s: %s (SQLSTATE %s): %s, then rerun import data (batches already imported are kept)",
			e.Batch.Table, where, pgErr.Message, pgErr.Code, fix)
	}
	return fmt.Sprintf("import of table %s failed: %s: %v", e.Batch.Table, where, e.Err)
}

var (
	// copyColumnRe finds the column in a COPY error's context
	// ("COPY t, line 3, column tm: \"838:59:59\"").
	copyColumnRe = regexp.MustCompile(`, column (.+?)(?:: "|$)`)
	// durationValueRe matches an error message about a [-]hh:mm:ss[.f]
	// value: a MySQL TIME outside PostgreSQL time's range.
	durationValueRe = regexp.MustCompile(`: "-?\d{2,3}:\d{2}:\d{2}(\.\d+)?"$`)
)

// durationColumn reports a time column that rejected a MySQL TIME duration
// (negative, or beyond 24:00:00), and the column's name.
func durationColumn(pgErr *pgconn.PgError) (string, bool) {
	// 22008: "date/time field value out of range" (beyond 24:00:00);
	// 22007: "invalid input syntax for type time" (negative).
	timeErr := pgErr.Code == "22008" || (pgErr.Code == "22007" && strings.HasPrefix(pgErr.Message, "invalid input syntax for type time:"))
	if !timeErr || !durationValueRe.MatchString(pgErr.Message) {
		return "", false
	}
	m := copyColumnRe.FindStringSubmatch(pgErr.Where)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func (e *DataError) Unwrap() error { return e.Err }
