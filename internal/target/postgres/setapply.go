package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

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
	key    queue.Row // the primary key columns, in the table's key order
	op     string    // I, U, D, or "DI" (delete then insert)
	values queue.Row // never written: events' rows are shared, merges make new ones
	// ikey is a one-column key in canonical integer form (intKey): folding
	// and sorting then use the number, not the text behind two pointers.
	ikey   int64
	intKey bool
}

// rowsOf finds a batch's rows of one table: by number for a one-column
// key written as a canonical integer (one text for each number, so the two
// maps never hold the same row), else by the key's text. Each map is made
// when first needed.
type rowsOf struct {
	byInt map[int64]*netChange
	byKey map[string]*netChange
}

// fold computes the net change per row, or errSetMismatch when the
// sequence is not one a consistent target can produce (it goes per event).
func fold(events []*queue.Event, pk map[string][]string) ([]*netChange, error) {
	byTable := map[string]*rowsOf{}
	var rows *rowsOf
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
			if rows = byTable[table]; rows == nil {
				rows = &rowsOf{}
				byTable[table] = rows
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
		var ik int64
		intKey := false
		if len(cols) == 1 {
			i := slices.Index(src.Names, cols[0])
			if i < 0 || src.Vals[i] == nil {
				return nil, errSetMismatch
			}
			k, key.Vals = *src.Vals[i], src.Vals[i:i+1:i+1] // rows are never written: share it
			ik, intKey = canonicalInt(k)
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
		if intKey && rows.byInt == nil {
			rows.byInt = make(map[int64]*netChange, len(events))
		} else if !intKey && rows.byKey == nil {
			rows.byKey = make(map[string]*netChange, len(events))
		}
		var n *netChange
		if intKey {
			n = rows.byInt[ik]
		} else {
			n = rows.byKey[k]
		}
		if n == nil {
			slab = append(slab, netChange{table: table, rel: rel, key: key, ikey: ik, intKey: intKey})
			n = &slab[len(slab)-1]
			if intKey {
				rows.byInt[ik] = n
			} else {
				rows.byKey[k] = n
			}
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

// canonicalInt is s as an int64 when s is exactly how that number is
// written (no sign but a leading minus, no leading zero, no "-0"), so that
// no two texts of one table share a number.
func canonicalInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s[0] == '+' || s[0] == '0' && len(s) > 1 || strings.HasPrefix(s, "-0") {
		return 0, false
	}
	return n, true
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

// setStmt is one statement of a folded batch, built in full (values
// encoded) before the batch's transaction begins: a write transaction that
// stays open while the client encodes holds back pruning of every other
// channel's dead row versions on the target.
type setStmt struct {
	sql  string
	args *unnestArgs // DELETE and UPDATE
	copy io.Reader   // COPY
	rows int64       // rows it must touch
	what string      // for errors: "delete from t"
}

// planSet builds the statements of a folded batch: one DELETE per table,
// then one COPY and one UPDATE per table and column set.
func (t *Target) planSet(ctx context.Context, changes []*netChange) ([]setStmt, error) {
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
	var out []setStmt
	for _, g := range group(dels, false) {
		st, err := t.setDelete(ctx, g)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	for _, g := range group(ins, true) {
		out = append(out, t.setInsert(ctx, g))
	}
	for _, g := range group(upds, true) {
		st, err := t.setUpdate(ctx, g)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// runSet executes a folded batch's statements in tx. A unique violation or
// a row count that does not match sends the batch to the per-event path.
func runSet(ctx context.Context, tx pgx.Tx, stmts []setStmt) error {
	for _, st := range stmts {
		var tag pgconn.CommandTag
		var err error
		if st.copy != nil {
			tag, err = tx.Conn().PgConn().CopyFrom(ctx, st.copy, st.sql)
		} else {
			tag, err = st.args.exec(ctx, tx, st.sql)
		}
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return errSetMismatch
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
		if tag.RowsAffected() != st.rows {
			return errSetMismatch
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

// keyed builds what a DELETE or UPDATE of g needs: g in key order, the
// unnest() parameters (the key columns, then cols taken from each row at
// positions at) and the WHERE that matches each row by key and by the
// first nmatch of cols.
func (t *Target) keyed(ctx context.Context, g []*netChange, cols []string, at []int, nmatch int) (*unnestArgs, *columnInfo, string, error) {
	rel := g[0].rel
	info, err := t.columnsOf(ctx, rel)
	if err != nil {
		return nil, nil, "", err
	}
	sortByKey(g)
	kcols := g[0].key.Names
	p := t.unnestParams(ctx, rel, slices.Concat(kcols, cols), len(g), func(i int, vals []*string) {
		for j, n := range g {
			if i < len(kcols) {
				vals[j] = n.key.Vals[i]
			} else {
				vals[j] = n.values.Vals[at[i-len(kcols)]]
			}
		}
	})
	matched := slices.Concat(kcols, cols[:nmatch])
	conds := make([]string, len(matched))
	for i, c := range matched {
		conds[i] = fmt.Sprintf("t.%s = v.%s::%s", sqlname.Quote(c), p.alias[i], info.types[c])
	}
	return p, info, strings.Join(conds, " AND "), nil
}

func (t *Target) setDelete(ctx context.Context, g []*netChange) (setStmt, error) {
	rel := g[0].rel
	p, info, where, err := t.keyed(ctx, g, nil, nil, 0)
	if err != nil {
		return setStmt{}, err
	}
	st := setStmt{sql: "DELETE FROM " + rel.Quoted() + " AS t USING " + p.from() + " WHERE " + where,
		args: p, rows: int64(len(g)), what: "delete from " + rel.String()}
	if k := g[0].key.Names; len(k) == 1 && !strings.HasSuffix(info.types[k[0]], "]") {
		// One key column: an index scan over the array's values, without
		// the join (in isolation, finding the rows cost 17 % less). An
		// array-typed key would make ANY compare elements: it keeps the join.
		st.sql = "DELETE FROM " + rel.Quoted() + " WHERE " + sqlname.Quote(k[0]) + " = ANY ($1::" + info.types[k[0]] + "[])"
	}
	return st, nil
}

// setInsert loads g's rows with COPY, which also takes the source's values
// for GENERATED ALWAYS identity columns. (INSERT ... SELECT from unnested
// arrays measured no faster on the CDC benchmark.)
func (t *Target) setInsert(ctx context.Context, g []*netChange) setStmt {
	rel := g[0].rel
	cols := g[0].values.Names
	rows := make([][]*string, len(g))
	for j, n := range g { // group gave every change of g these columns in this order
		rows[j] = n.values.Vals
	}
	in, format := t.binaryInput(ctx, t.pool, rel, cols, rows)
	return setStmt{sql: "COPY " + rel.Quoted() + " (" + sqlname.QuoteList(cols) + ") FROM STDIN" + format,
		copy: in, rows: int64(len(g)), what: "copy into " + rel.String()}
}

// setColumns are the columns an UPDATE of g matches and sets, with their
// positions in the rows, the nmatch matched ones first: every column but
// the key columns whose new value is the key itself (all of them in a
// folded batch: key changes are applied alone), so the target neither
// rewrites nor rechecks the key. GENERATED ALWAYS identity columns cannot
// be set: they are matched, so a changed one fails loudly instead of
// staying behind. A row of key columns only keeps them all: the UPDATE must
// still find each row. ok is false when nothing is left to set.
func setColumns(g []*netChange, always map[string]bool) (cols []string, at []int, nmatch int, ok bool) {
	var set []string
	var setAt []int
	for i, c := range g[0].values.Names {
		switch {
		case sameKeyValue(g, c, i):
		case always[c]:
			cols, at = append(cols, c), append(at, i)
		default:
			set, setAt = append(set, c), append(setAt, i)
		}
	}
	if len(set) == 0 {
		for i, c := range g[0].values.Names {
			if !always[c] {
				set, setAt = append(set, c), append(setAt, i)
			}
		}
	}
	return append(cols, set...), append(at, setAt...), len(cols), len(set) > 0
}

// sameKeyValue: column c (at position i of the rows) is a key column and
// every change of g sets it to the key's own value.
func sameKeyValue(g []*netChange, c string, i int) bool {
	k := slices.Index(g[0].key.Names, c)
	if k < 0 {
		return false
	}
	for _, n := range g {
		v, kv := n.values.Vals[i], n.key.Vals[k]
		if v == nil || kv == nil || *v != *kv {
			return false
		}
	}
	return true
}

// sortByKey orders g by key (numbers as numbers when written alike), so the
// target visits index and heap pages in order rather than at random.
func sortByKey(g []*netChange) {
	if !slices.ContainsFunc(g, func(n *netChange) bool { return !n.intKey }) {
		slices.SortFunc(g, func(a, b *netChange) int { return cmp.Compare(a.ikey, b.ikey) })
		return
	}
	slices.SortFunc(g, func(a, b *netChange) int {
		for i, av := range a.key.Vals {
			bv := b.key.Vals[i]
			if av == nil || bv == nil {
				continue // not in a key: fold refuses NULL keys
			}
			if c := cmp.Compare(len(*av), len(*bv)); c != 0 {
				return c
			}
			if c := strings.Compare(*av, *bv); c != 0 {
				return c
			}
		}
		return 0
	})
}

func (t *Target) setUpdate(ctx context.Context, g []*netChange) (setStmt, error) {
	rel := g[0].rel
	info, err := t.columnsOf(ctx, rel)
	if err != nil {
		return setStmt{}, err
	}
	cols, at, nmatch, ok := setColumns(g, info.always)
	if !ok {
		return setStmt{}, errSetMismatch
	}
	p, _, where, err := t.keyed(ctx, g, cols, at, nmatch)
	if err != nil {
		return setStmt{}, err
	}
	nk := g[0].key.Len()
	set := make([]string, 0, len(cols)-nmatch)
	for i, c := range cols[nmatch:] {
		set = append(set, fmt.Sprintf("%s = v.%s::%s", sqlname.Quote(c), p.alias[nk+nmatch+i], info.types[c]))
	}
	return setStmt{sql: "UPDATE " + rel.Quoted() + " AS t SET " + strings.Join(set, ", ") + " FROM " + p.from() +
		" WHERE " + where, args: p, rows: int64(len(g)), what: "update " + rel.String()}, nil
}
