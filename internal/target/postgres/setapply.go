package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
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
	key    queue.Row // the primary key columns, in the table's key order
	op     string    // I, U, D, or "DI" (delete then insert)
	values queue.Row // never written: events' rows are shared, merges make new ones
}

// fold computes the net change per row, or errSetMismatch when the
// sequence is not one a consistent target can produce (it goes per event).
func fold(events []*queue.Event, pk map[string][]string) ([]*netChange, error) {
	// Rows by table, then by key: the value itself for a one-column key, so
	// the common case builds no string.
	byTable := map[string]map[string]*netChange{}
	var byKey map[string]*netChange
	order := make([]*netChange, 0, len(events))
	slab := make([]netChange, 0, len(events)) // never grows: pointers into it stay valid
	var kb []byte
	var lastSchema, lastTable, table string // batches run long on one table: look it up once
	var cols []string
	var rel sqlname.Table
	for _, e := range events {
		if e.Op == queue.OpTruncate || e.Op == queue.OpEnd {
			return nil, errSetMismatch
		}
		if e.Schema != lastSchema || e.Table != lastTable || table == "" {
			lastSchema, lastTable, table = e.Schema, e.Table, e.Schema+"."+e.Table
			cols, rel = pk[table], sqlname.Table{Schema: e.Schema, Name: e.Table}
			if byKey = byTable[table]; byKey == nil {
				byKey = make(map[string]*netChange, len(events))
				byTable[table] = byKey
			}
		}
		if len(cols) == 0 {
			return nil, errSetMismatch
		}
		src := e.Key
		if e.Op == queue.OpInsert {
			src = e.New
		}
		key := queue.Row{Names: cols}
		var k string
		if len(cols) == 1 {
			i := slices.Index(src.Names, cols[0])
			if i < 0 || src.Vals[i] == nil {
				return nil, errSetMismatch
			}
			k, key.Vals = *src.Vals[i], src.Vals[i:i+1:i+1] // rows are never written: share it
		} else {
			kb, key.Vals = kb[:0], make([]*string, len(cols))
			for i, c := range cols {
				v, ok := src.Get(c)
				if !ok || v == nil {
					return nil, errSetMismatch
				}
				kb, key.Vals[i] = append(append(kb, 0), *v...), v
			}
			k = string(kb)
		}
		n := byKey[k]
		if n == nil {
			slab = append(slab, netChange{table: table, rel: rel, key: key})
			n = &slab[len(slab)-1]
			byKey[k] = n
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
		n.values = e.New
	case queue.OpUpdate:
		switch n.op {
		case "":
			n.op, n.values = "U", e.New
		case "I", "DI", "U":
			n.values = queue.Merge(n.values, e.New)
		default:
			return errSetMismatch
		}
	case queue.OpDelete:
		switch n.op {
		case "":
			n.op = "D"
		case "I":
			n.op, n.values = "", queue.Row{} // born and gone inside the batch
		case "U", "DI":
			n.op, n.values = "D", queue.Row{}
		default:
			return errSetMismatch
		}
	}
	return nil
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
			if !byColumns || queue.SameColumns(out[i][0].values, n.values) {
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

func (t *Target) setDelete(ctx context.Context, tx pgx.Tx, g []*netChange) error {
	rel := g[0].rel
	types, err := t.typesOf(ctx, tx, rel)
	if err != nil {
		return err
	}
	kcols := g[0].key.Names
	p := t.unnestParams(ctx, tx, rel, kcols, len(g), func(i int, vals []*string) {
		for j, n := range g {
			vals[j] = n.key.Vals[i]
		}
	})
	conds := make([]string, len(kcols))
	for i, c := range kcols {
		conds[i] = fmt.Sprintf("t.%s = v.%s::%s", sqlname.Quote(c), p.alias[i], types[c])
	}
	q := "DELETE FROM " + rel.Quoted() + " AS t USING " + p.from() + " WHERE " + strings.Join(conds, " AND ")
	tag, err := p.exec(ctx, tx, q)
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
	cols := g[0].values.Names
	rows := make([][]*string, len(g))
	for j, n := range g { // group gave every change of g these columns in this order
		rows[j] = n.values.Vals
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
	kcols, cols := g[0].key.Names, g[0].values.Names
	p := t.unnestParams(ctx, tx, rel, slices.Concat(kcols, cols), len(g), func(i int, vals []*string) {
		for j, n := range g {
			if i < len(kcols) {
				vals[j] = n.key.Vals[i]
			} else {
				vals[j] = n.values.Vals[i-len(kcols)]
			}
		}
	})
	conds, set := make([]string, len(kcols)), make([]string, len(cols))
	for i, c := range kcols {
		conds[i] = fmt.Sprintf("t.%s = v.%s::%s", sqlname.Quote(c), p.alias[i], types[c])
	}
	for i, c := range cols {
		set[i] = fmt.Sprintf("%s = v.%s::%s", sqlname.Quote(c), p.alias[len(kcols)+i], types[c])
	}
	q := "UPDATE " + rel.Quoted() + " AS t SET " + strings.Join(set, ", ") + " FROM " + p.from() + " WHERE " + strings.Join(conds, " AND ")
	tag, err := p.exec(ctx, tx, q)
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

// unnestArgs are the parameters of a set-based statement: one array per
// column, rows in the same order, read back with unnest().
type unnestArgs struct {
	args  [][]byte // arrays in binary form
	oids  []uint32 // their types
	alias []string // column i of unnest() is v.alias[i]
}

// unnestParams encodes the n values of each column (fill puts column i's
// into vals) as a typed binary array when the table's binary plan takes
// every value, so the server receives typed values instead of parsing text
// per row, else as text[], which the statement casts. Binary parameters
// also skip pgx's reflection-driven array encoding.
func (t *Target) unnestParams(ctx context.Context, tx pgx.Tx, rel sqlname.Table, cols []string, n int, fill func(i int, vals []*string)) *unnestArgs {
	plan := t.binary.plan(ctx, tx, rel, cols)
	p := &unnestArgs{}
	vals := make([]*string, n)
	for i := range cols {
		fill(i, vals)
		p.alias = append(p.alias, fmt.Sprintf("p%d", i+1))
		if plan != nil {
			if b, err := plan.AppendArray(nil, i, vals); err == nil {
				p.args, p.oids = append(p.args, b), append(p.oids, plan.ArrayOID(i))
				continue
			}
			t.binary.failed(rel, cols)
			plan = nil
		}
		p.args, p.oids = append(p.args, appendTextArray(nil, vals)), append(p.oids, pgoid.TextArray)
	}
	return p
}

// from is the FROM item: unnest($1, $2, ...) AS v(p1, p2, ...).
func (p *unnestArgs) from() string {
	ph := make([]string, len(p.args))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	return "unnest(" + strings.Join(ph, ", ") + ") AS v(" + strings.Join(p.alias, ", ") + ")"
}

// exec runs q with the arrays as binary parameters of their types.
func (p *unnestArgs) exec(ctx context.Context, tx pgx.Tx, q string) (pgconn.CommandTag, error) {
	formats := make([]int16, len(p.args))
	for i := range formats {
		formats[i] = 1
	}
	res := tx.Conn().PgConn().ExecParams(ctx, q, p.args, p.oids, formats, nil).Read()
	return res.CommandTag, res.Err
}

// appendTextArray appends a one-dimensional text[] in PostgreSQL's binary
// array format (array_recv): header, then each element's length (-1 for
// NULL) and bytes.
func appendTextArray(b []byte, vals []*string) []byte {
	size := 20
	hasNull := uint32(0)
	for _, v := range vals {
		size += 4
		if v == nil {
			hasNull = 1
		} else {
			size += len(*v)
		}
	}
	b = slices.Grow(b, size)
	b = binary.BigEndian.AppendUint32(b, 1) // dimensions
	b = binary.BigEndian.AppendUint32(b, hasNull)
	b = binary.BigEndian.AppendUint32(b, pgoid.Text)
	b = binary.BigEndian.AppendUint32(b, uint32(len(vals)))
	b = binary.BigEndian.AppendUint32(b, 1) // lower bound
	for _, v := range vals {
		if v == nil {
			b = binary.BigEndian.AppendUint32(b, 0xffffffff)
			continue
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(*v)))
		b = append(b, *v...)
	}
	return b
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
