package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Set-based apply: a channel's batch is folded to one net change per row
// (insert, update, delete, or delete-and-insert), then applied as one
// DELETE per table, one COPY per table and column set, and one UPDATE ...
// FROM unnest(...) per table and column set. Per-row order is kept by the
// folding; rows of one channel never depend on each other except through
// unique keys, and any surprise (a unique violation, a row count that does
// not match) rolls the attempt back and the batch goes through the exact
// per-event path, which resolves ordering conflicts.

// errSetMismatch sends a batch to the per-event path.
var errSetMismatch = errors.New("batch needs the per-event path")

type netChange struct {
	table  string // schema.table
	rel    sqlname.Table
	key    map[string]*string
	op     string // I, U, D, or "DI" (delete then insert)
	values map[string]*string
	owned  bool // values is our copy (else it is an event's map: never written)
}

// fold computes the net change per row, or errSetMismatch when the
// sequence is not one a consistent target can produce (it goes per event).
func fold(events []*queue.Event, pk map[string][]string) ([]*netChange, error) {
	byKey := make(map[string]*netChange, len(events))
	order := make([]*netChange, 0, len(events))
	kb := make([]byte, 0, 64)
	var lastSchema, lastTable, table string // batches run long on one table: name it once
	for _, e := range events {
		if e.Op == queue.OpTruncate || e.Op == queue.OpEnd {
			return nil, errSetMismatch
		}
		if e.Schema != lastSchema || e.Table != lastTable || table == "" {
			lastSchema, lastTable, table = e.Schema, e.Table, e.Schema+"."+e.Table
		}
		cols := pk[table]
		if len(cols) == 0 {
			return nil, errSetMismatch
		}
		src := e.Key
		if e.Op == queue.OpInsert {
			src = e.New
		}
		kb = append(append(append(kb[:0], e.Schema...), 0), e.Table...)
		for _, c := range cols {
			v, ok := src[c]
			if !ok || v == nil {
				return nil, errSetMismatch
			}
			kb = append(append(kb, 0), *v...)
		}
		n := byKey[string(kb)]
		if n == nil {
			key := make(map[string]*string, len(cols))
			for _, c := range cols {
				key[c] = src[c]
			}
			n = &netChange{table: table, rel: sqlname.Table{Schema: e.Schema, Name: e.Table}, key: key}
			byKey[string(kb)] = n
			order = append(order, n)
		}
		if err := n.apply(e); err != nil {
			return nil, err
		}
	}
	out := order[:0]
	for _, n := range order {
		if n.op != "" {
			out = append(out, n)
		}
	}
	return out, nil
}

func (n *netChange) apply(e *queue.Event) error {
	switch e.Op {
	case queue.OpInsert:
		switch n.op {
		case "":
			n.op = "I"
		case "D":
			n.op = "DI"
		default:
			return errSetMismatch
		}
		n.values, n.owned = e.New, false
	case queue.OpUpdate:
		switch n.op {
		case "":
			n.op, n.values, n.owned = "U", e.New, false
		case "I", "DI", "U":
			if !n.owned { // copy on first merge: the event's own map stays intact for a fallback
				n.values, n.owned = copyMap(n.values), true
			}
			for k, v := range e.New {
				n.values[k] = v
			}
		default:
			return errSetMismatch
		}
	case queue.OpDelete:
		switch n.op {
		case "":
			n.op = "D"
		case "I":
			n.op, n.values = "", nil // born and gone inside the batch
		case "U", "DI":
			n.op, n.values = "D", nil
		default:
			return errSetMismatch
		}
	}
	return nil
}

func copyMap(m map[string]*string) map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// columnTypes caches each table's column SQL types, for casts from text.
type columnTypes struct {
	mu sync.Mutex
	m  map[string]map[string]string
}

func (t *Target) typesOf(ctx context.Context, tx pgx.Tx, rel sqlname.Table) (map[string]string, error) {
	t.types.mu.Lock()
	defer t.types.mu.Unlock()
	if t.types.m == nil {
		t.types.m = map[string]map[string]string{}
	}
	if m, ok := t.types.m[rel.String()]; ok {
		return m, nil
	}
	rows, err := tx.Query(ctx, `SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, rel.Quoted())
	if err != nil {
		return nil, fmt.Errorf("column types of %s: %w", rel, err)
	}
	m := map[string]string{}
	for rows.Next() {
		var n, typ string
		if err := rows.Scan(&n, &typ); err != nil {
			return nil, err
		}
		m[n] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	t.types.m[rel.String()] = m
	return m, nil
}

// applySet applies a folded batch; the caller has already moved the
// channel's position inside tx.
func (t *Target) applySet(ctx context.Context, tx pgx.Tx, changes []*netChange) error {
	var dels, ins, upds []*netChange
	for _, n := range changes {
		switch n.op {
		case "D":
			dels = append(dels, n)
		case "DI":
			dels, ins = append(dels, n), append(ins, n)
		case "I":
			ins = append(ins, n)
		case "U":
			upds = append(upds, n)
		}
	}
	for _, g := range group(dels, false) {
		if err := t.setDelete(ctx, tx, g); err != nil {
			return err
		}
	}
	for _, g := range group(ins, true) {
		if err := t.setInsert(ctx, tx, g); err != nil {
			return err
		}
	}
	for _, g := range group(upds, true) {
		if err := t.setUpdate(ctx, tx, g); err != nil {
			return err
		}
	}
	return nil
}

// group splits changes by table and (when byColumns) by column set. A
// table's changes nearly always share one column set, so each change is
// checked against the groups of its table instead of building a sorted key
// per change.
func group(ns []*netChange, byColumns bool) [][]*netChange {
	byTable := map[string][]int{}
	var out [][]*netChange
	for _, n := range ns {
		gi := -1
		for _, i := range byTable[n.table] {
			if !byColumns || sameColumns(out[i][0].values, n.values) {
				gi = i
				break
			}
		}
		if gi < 0 {
			gi = len(out)
			byTable[n.table] = append(byTable[n.table], gi)
			out = append(out, nil)
		}
		out[gi] = append(out[gi], n)
	}
	return out
}

func sameColumns(a, b map[string]*string) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func keyColumns(n *netChange) []string { return sortedKeys(n.key) }

func (t *Target) setDelete(ctx context.Context, tx pgx.Tx, g []*netChange) error {
	rel := g[0].rel
	types, err := t.typesOf(ctx, tx, rel)
	if err != nil {
		return err
	}
	kcols := keyColumns(g[0])
	args, alias, conds := make([]any, len(kcols)), make([]string, len(kcols)), make([]string, len(kcols))
	for i, c := range kcols {
		vals := make([]*string, len(g))
		for j, n := range g {
			vals[j] = n.key[c]
		}
		args[i] = vals
		alias[i] = fmt.Sprintf("p%d", i)
		conds[i] = fmt.Sprintf("t.%s = v.p%d::%s", sqlname.Quote(c), i, types[c])
	}
	q := "DELETE FROM " + rel.Quoted() + " AS t USING unnest(" + placeholders(len(kcols), 1) + ") AS v(" +
		strings.Join(alias, ", ") + ") WHERE " + strings.Join(conds, " AND ")
	tag, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("delete from %s: %w", rel, err)
	}
	if tag.RowsAffected() != int64(len(g)) {
		return errSetMismatch
	}
	return nil
}

func (t *Target) setInsert(ctx context.Context, tx pgx.Tx, g []*netChange) error {
	rel := g[0].rel
	cols := sortedKeys(g[0].values)
	rows := make([][]*string, len(g))
	for j, n := range g {
		rows[j] = make([]*string, len(cols))
		for i, c := range cols {
			rows[j][i] = n.values[c]
		}
	}
	in, format := t.binaryInput(ctx, tx, rel, cols, rows)
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, in, "COPY "+rel.Quoted()+" ("+sqlname.QuoteList(cols)+") FROM STDIN"+format)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return errSetMismatch
	}
	if err != nil {
		return fmt.Errorf("copy into %s: %w", rel, err)
	}
	if tag.RowsAffected() != int64(len(g)) {
		return errSetMismatch
	}
	return nil
}

func (t *Target) setUpdate(ctx context.Context, tx pgx.Tx, g []*netChange) error {
	rel := g[0].rel
	types, err := t.typesOf(ctx, tx, rel)
	if err != nil {
		return err
	}
	kcols, cols := keyColumns(g[0]), sortedKeys(g[0].values)
	var args []any
	var alias, set, conds []string
	add := func(vals []*string) string {
		args = append(args, vals)
		a := fmt.Sprintf("p%d", len(args))
		alias = append(alias, a)
		return a
	}
	for _, c := range kcols {
		vals := make([]*string, len(g))
		for j, n := range g {
			vals[j] = n.key[c]
		}
		conds = append(conds, fmt.Sprintf("t.%s = v.%s::%s", sqlname.Quote(c), add(vals), types[c]))
	}
	for _, c := range cols {
		vals := make([]*string, len(g))
		for j, n := range g {
			vals[j] = n.values[c]
		}
		set = append(set, fmt.Sprintf("%s = v.%s::%s", sqlname.Quote(c), add(vals), types[c]))
	}
	q := "UPDATE " + rel.Quoted() + " AS t SET " + strings.Join(set, ", ") + " FROM unnest(" + placeholders(len(args), 1) +
		") AS v(" + strings.Join(alias, ", ") + ") WHERE " + strings.Join(conds, " AND ")
	tag, err := tx.Exec(ctx, q, args...)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return errSetMismatch
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", rel, err)
	}
	if tag.RowsAffected() != int64(len(g)) {
		return errSetMismatch
	}
	return nil
}

func placeholders(n, from int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = fmt.Sprintf("$%d::text[]", from+i)
	}
	return strings.Join(p, ", ")
}

// writeCopyValue writes one value in COPY text format.
func writeCopyValue(b *bytes.Buffer, v *string) {
	if v == nil {
		b.WriteString(`\N`)
		return
	}
	s := *v
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
}
