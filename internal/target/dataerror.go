package target

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
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
		return fmt.Sprintf("import of table %s failed: %s: %s (SQLSTATE %s): fix the target table definition or the source row, then rerun import data (batches already imported are kept)",
			e.Batch.Table, where, pgErr.Message, pgErr.Code)
	}
	return fmt.Sprintf("import of table %s failed: %s: %v", e.Batch.Table, where, e.Err)
}

func (e *DataError) Unwrap() error { return e.Err }
