package snapshot

import (
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
)

// AppendRow appends one row read by a chunk query as a COPY text line:
// each value is what the driver returned for its select-list expression —
// nil for NULL, a string (the text values.SelectExpr rendered, or a CLOB),
// or bytes (a BLOB or LONG RAW) — converted for its column's kind. Oracle
// has no empty string (it is NULL), so an empty string only comes from an
// empty LOB and is written as such.
func AppendRow(dst []byte, kinds []values.Kind, row []any) ([]byte, error) {
	if len(row) != len(kinds) {
		return dst, fmt.Errorf("a row of %d values for %d columns", len(row), len(kinds))
	}
	for i, v := range row {
		if i > 0 {
			dst = append(dst, '\t')
		}
		var s string
		switch v := v.(type) {
		case nil:
			dst = append(dst, '\\', 'N')
			continue
		case []byte:
			s = values.FromBytes(v)
		case string:
			var err error
			if s, err = values.FromOracle(kinds[i], v); err != nil {
				return dst, fmt.Errorf("column %d: %w", i+1, err)
			}
		default:
			return dst, fmt.Errorf("column %d: the driver returned a %T", i+1, v)
		}
		dst = datafile.AppendEscaped(dst, []byte(s))
	}
	return append(dst, '\n'), nil
}
