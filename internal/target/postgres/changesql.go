package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// changeSQL renders one event as a parameterised statement. Values travel
// as text parameters, which the server parses with the column's own type,
// exactly like COPY text. Columns keep the row's order, which is the same
// for every change of one shape, so each shape reuses one prepared statement.
// always are the table's GENERATED ALWAYS identity columns: an INSERT
// overrides them with the source's values, an UPDATE matches them (it
// cannot set them), so one the source changed fails loudly.
func changeSQL(e *queue.Event, hasPK bool, always map[string]bool) (string, []any) {
	tbl := sqlname.Table{Schema: e.Schema, Name: e.Table}.Quoted()
	switch e.Op {
	case queue.OpInsert:
		cols := e.New.Names
		args := make([]any, len(cols))
		ph := make([]string, len(cols))
		for i := range cols {
			args[i], ph[i] = e.New.Vals[i], fmt.Sprintf("$%d", i+1)
		}
		return "INSERT INTO " + tbl + " (" + sqlname.QuoteList(cols) + ") OVERRIDING SYSTEM VALUE VALUES (" + strings.Join(ph, ", ") + ")", args
	case queue.OpUpdate:
		var args []any
		var set, match []string
		for i, c := range e.New.Names {
			args = append(args, e.New.Vals[i])
			if always[c] {
				match = append(match, fmt.Sprintf(" AND %s = $%d", sqlname.Quote(c), len(args)))
			} else {
				set = append(set, fmt.Sprintf("%s = $%d", sqlname.Quote(c), len(args)))
			}
		}
		where, args := rowFilter(tbl, e.Key, hasPK, args)
		where += strings.Join(match, "")
		if len(set) == 0 { // nothing it may set: the row must still be there
			return "SELECT FROM " + tbl + " WHERE " + where, args
		}
		return "UPDATE " + tbl + " SET " + strings.Join(set, ", ") + " WHERE " + where, args
	case queue.OpDelete:
		where, args := rowFilter(tbl, e.Key, hasPK, nil)
		return "DELETE FROM " + tbl + " WHERE " + where, args
	case queue.OpTruncate:
		return "TRUNCATE " + tbl, nil
	}
	return "SELECT 1", nil
}

// rowFilter finds the row by its key: by primary key with "=", or, for a
// table without one (REPLICA IDENTITY FULL), the one row whose every old
// value matches as text (tableoid and ctid pick exactly one row, even
// among duplicates and across partitions).
func rowFilter(tbl string, key queue.Row, hasPK bool, args []any) (string, []any) {
	conds := make([]string, key.Len())
	for i, c := range key.Names {
		args = append(args, key.Vals[i])
		if hasPK {
			conds[i] = fmt.Sprintf("%s = $%d", sqlname.Quote(c), len(args))
		} else {
			conds[i] = fmt.Sprintf("%s::text IS NOT DISTINCT FROM $%d::text", sqlname.Quote(c), len(args))
		}
	}
	where := strings.Join(conds, " AND ")
	if hasPK {
		return where, args
	}
	return "(tableoid, ctid) = (SELECT tableoid, ctid FROM " + tbl + " WHERE " + where + " LIMIT 1)", args
}

// SaveProgress records a lower bound of what the whole queue has applied.
func (t *Target) SaveProgress(ctx context.Context, uuid string, through int64, pos queue.Position) error {
	b, _ := json.Marshal(pos)
	_, err := t.pool.Exec(ctx, `UPDATE `+cdcStateTable+` SET applied_through = greatest(applied_through, $2), queue_position = $3
		WHERE migration_uuid = $1 AND applied_through <= $2`, uuid, through, b)
	if err != nil {
		return fmt.Errorf("record CDC progress: %w", err)
	}
	return nil
}

// SetCutoverValues moves each sequence, or identity column's sequence,
// forward to at least its value (setval of the greater), never back.
func (t *Target) SetCutoverValues(ctx context.Context, vals []queue.CutoverValue) ([]string, error) {
	var missing []string
	for _, v := range vals {
		seq, err := t.sequenceOf(ctx, v)
		if err != nil {
			return missing, err
		}
		if seq == "" {
			missing = append(missing, v.Name())
			continue
		}
		_, err = t.pool.Exec(ctx, `SELECT setval($1::regclass, greatest($2::bigint, (SELECT last_value FROM `+seq+`)), true)`, seq, v.Value)
		if err != nil {
			return missing, fmt.Errorf("set sequence of %s on the target: %w", v.Name(), err)
		}
	}
	return missing, nil
}

// sequenceOf is the quoted sequence behind v on the target, or "" when
// the target has none.
func (t *Target) sequenceOf(ctx context.Context, v queue.CutoverValue) (string, error) {
	if v.Sequence != "" {
		var exists bool
		if err := t.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, v.Sequence).Scan(&exists); err != nil {
			return "", fmt.Errorf("look up sequence %s on the target: %w", v.Sequence, err)
		}
		if !exists {
			return "", nil
		}
		return v.Sequence, nil
	}
	var seq *string
	if err := t.pool.QueryRow(ctx, `SELECT pg_get_serial_sequence($1, $2)`, v.Table, v.Column).Scan(&seq); err != nil || seq == nil {
		return "", nil // no such table or column, or no sequence behind it
	}
	return *seq, nil
}

// ChangeCounts sums applied changes per table.
func (t *Target) ChangeCounts(ctx context.Context, uuid string) (map[string][3]int64, error) {
	out := map[string][3]int64{}
	var ok bool
	if err := t.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, cdcStatsTable).Scan(&ok); err != nil || !ok {
		return out, err
	}
	rows, err := t.pool.Query(ctx, `SELECT table_name, inserts, updates, deletes FROM `+cdcStatsTable+` WHERE migration_uuid = $1`, uuid)
	if err != nil {
		return nil, fmt.Errorf("read change counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		var c [3]int64
		if err := rows.Scan(&n, &c[0], &c[1], &c[2]); err != nil {
			return nil, err
		}
		out[n] = c
	}
	return out, rows.Err()
}

// MarkCutoverComplete records the cutover on the target.
func (t *Target) MarkCutoverComplete(ctx context.Context, uuid string) error {
	_, err := t.pool.Exec(ctx, `UPDATE `+cdcStateTable+` SET cutover_done = true WHERE migration_uuid = $1`, uuid)
	return err
}
