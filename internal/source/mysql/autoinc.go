package mysql

import (
	"context"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Identities reports, for every AUTO_INCREMENT column of the database, the
// highest value handed out so far (AUTO_INCREMENT - 1), as the target's
// identity columns must continue after it at cutover.
func (s *Source) Identities(ctx context.Context) ([]queue.CutoverValue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.TABLE_NAME, c.COLUMN_NAME, t.AUTO_INCREMENT
		FROM information_schema.TABLES t JOIN information_schema.COLUMNS c
		  ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.EXTRA LIKE '%auto_increment%'
		WHERE t.TABLE_SCHEMA = ? AND t.AUTO_INCREMENT IS NOT NULL`, s.database)
	if err != nil {
		return nil, fmt.Errorf("read AUTO_INCREMENT values: %w", err)
	}
	defer rows.Close()
	var out []queue.CutoverValue
	for rows.Next() {
		var table, col string
		var next int64
		if err := rows.Scan(&table, &col, &next); err != nil {
			return nil, err
		}
		if next > 1 {
			out = append(out, queue.CutoverValue{Table: sqlname.Table{Schema: TargetSchema, Name: table}.Quoted(), Column: col, Value: next - 1})
		}
	}
	return out, rows.Err()
}
