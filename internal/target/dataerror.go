package target

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// DataError is a COPY failure; when the server names a line, Line is the
// line of the data file (not of the batch). Column and Fix are set when the
// source engine knows what caused it (Explain).
type DataError struct {
	Batch       Batch
	Err         error
	Column, Fix string
}

// LoadError is what the target said about a value it rejected, for a
// source engine to explain.
type LoadError struct {
	Table   sqlname.Table
	Code    string // SQLSTATE
	Message string
	Column  string // the column the server names ("" if none)
}

var (
	copyLineRe = regexp.MustCompile(`line (\d+)`)
	// copyColumnRe finds the column in a COPY error's context
	// ("COPY t, line 3, column tm: \"838:59:59\"").
	copyColumnRe = regexp.MustCompile(`, column (.+?)(?:: "|$)`)
)

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

// Explain asks a source engine (explain) for the cause of the error.
func (e *DataError) Explain(explain func(LoadError) (column, fix string, ok bool)) {
	var pgErr *pgconn.PgError
	if explain == nil || !errors.As(e.Err, &pgErr) {
		return
	}
	le := LoadError{Table: e.Batch.Table, Code: pgErr.Code, Message: pgErr.Message}
	if m := copyColumnRe.FindStringSubmatch(pgErr.Where); m != nil {
		le.Column = m[1]
	}
	if col, fix, ok := explain(le); ok {
		e.Column, e.Fix = col, fix
	}
}

func (e *DataError) Error() string {
	where := fmt.Sprintf("batch at bytes %d-%d of data file %s", e.Batch.Start, e.Batch.End, e.Batch.FileName)
	if l := e.Line(); l > 0 {
		where += fmt.Sprintf(", line %d", l)
	}
	var pgErr *pgconn.PgError
	if errors.As(e.Err, &pgErr) {
		fix := "fix the target table definition or the source row"
		if e.Fix != "" {
			fix = e.Fix
			if e.Column != "" {
				where += ", column " + e.Column
			}
		}
		return fmt.Sprintf("import of table %s failed: %s: %s (SQLSTATE %s): %s, then rerun import data (batches already imported are kept)",
			e.Batch.Table, where, pgErr.Message, pgErr.Code, fix)
	}
	return fmt.Sprintf("import of table %s failed: %s: %v", e.Batch.Table, where, e.Err)
}

func (e *DataError) Unwrap() error { return e.Err }
