package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// Set-based apply: a batch folded by the importer to one net change per
// row (target.NetChange) is applied as one DELETE per table, one COPY per
// table and column set, and one UPDATE ... FROM unnest(...) per table and
// column set. Any surprise (a unique violation, a row count that does not
// match) rolls the attempt back and the batch goes through the exact
// per-event path, which resolves ordering conflicts.

// errSetMismatch sends a batch to the per-event path.
var errSetMismatch = target.ErrNotSetBased

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
func (t *Target) planSet(ctx context.Context, changes []*target.NetChange) ([]setStmt, error) {
	var dels, ins, upds []*target.NetChange
	for _, n := range changes {
		switch n.Op {
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
func group(ns []*target.NetChange, byColumns bool) [][]*target.NetChange {
	byTable := map[string][]int{}
	var out [][]*target.NetChange
	for _, n := range ns {
		gi := -1
		for _, i := range byTable[n.Table] {
			if !byColumns || queue.SameColumns(out[i][0].Values, n.Values) {
				gi = i
				break
			}
		}
		if gi < 0 {
			gi = len(out)
			byTable[n.Table] = append(byTable[n.Table], gi)
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
func (t *Target) keyed(ctx context.Context, g []*target.NetChange, cols []string, at []int, nmatch int) (*unnestArgs, *columnInfo, string, error) {
	rel := g[0].Rel
	info, err := t.columnsOf(ctx, rel)
	if err != nil {
		return nil, nil, "", err
	}
	sortByKey(g)
	kcols := g[0].Key.Names
	p := t.unnestParams(ctx, rel, slices.Concat(kcols, cols), len(g), func(i int, vals []*string) {
		for j, n := range g {
			if i < len(kcols) {
				vals[j] = n.Key.Vals[i]
			} else {
				vals[j] = n.Values.Vals[at[i-len(kcols)]]
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

func (t *Target) setDelete(ctx context.Context, g []*target.NetChange) (setStmt, error) {
	rel := g[0].Rel
	p, info, where, err := t.keyed(ctx, g, nil, nil, 0)
	if err != nil {
		return setStmt{}, err
	}
	st := setStmt{sql: "DELETE FROM " + rel.Quoted() + " AS t USING " + p.from() + " WHERE " + where,
		args: p, rows: int64(len(g)), what: "delete from " + rel.String()}
	if k := g[0].Key.Names; len(k) == 1 && !strings.HasSuffix(info.types[k[0]], "]") {
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
func (t *Target) setInsert(ctx context.Context, g []*target.NetChange) setStmt {
	rel := g[0].Rel
	cols := g[0].Values.Names
	rows := make([][]*string, len(g))
	for j, n := range g { // group gave every change of g these columns in this order
		rows[j] = n.Values.Vals
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
func setColumns(g []*target.NetChange, always map[string]bool) (cols []string, at []int, nmatch int, ok bool) {
	var set []string
	var setAt []int
	for i, c := range g[0].Values.Names {
		switch {
		case sameKeyValue(g, c, i):
		case always[c]:
			cols, at = append(cols, c), append(at, i)
		default:
			set, setAt = append(set, c), append(setAt, i)
		}
	}
	if len(set) == 0 {
		for i, c := range g[0].Values.Names {
			if !always[c] {
				set, setAt = append(set, c), append(setAt, i)
			}
		}
	}
	return append(cols, set...), append(at, setAt...), len(cols), len(set) > 0
}

// sameKeyValue: column c (at position i of the rows) is a key column and
// every change of g sets it to the key's own value.
func sameKeyValue(g []*target.NetChange, c string, i int) bool {
	k := slices.Index(g[0].Key.Names, c)
	if k < 0 {
		return false
	}
	for _, n := range g {
		v, kv := n.Values.Vals[i], n.Key.Vals[k]
		if v == nil || kv == nil || *v != *kv {
			return false
		}
	}
	return true
}

// sortByKey orders g by key (numbers as numbers when written alike), so the
// target visits index and heap pages in order rather than at random.
func sortByKey(g []*target.NetChange) {
	if !slices.ContainsFunc(g, func(n *target.NetChange) bool { return !n.IntKey }) {
		slices.SortFunc(g, func(a, b *target.NetChange) int { return cmp.Compare(a.IKey, b.IKey) })
		return
	}
	slices.SortFunc(g, func(a, b *target.NetChange) int {
		for i, av := range a.Key.Vals {
			bv := b.Key.Vals[i]
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

func (t *Target) setUpdate(ctx context.Context, g []*target.NetChange) (setStmt, error) {
	rel := g[0].Rel
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
	nk := g[0].Key.Len()
	set := make([]string, 0, len(cols)-nmatch)
	for i, c := range cols[nmatch:] {
		set = append(set, fmt.Sprintf("%s = v.%s::%s", sqlname.Quote(c), p.alias[nk+nmatch+i], info.types[c]))
	}
	return setStmt{sql: "UPDATE " + rel.Quoted() + " AS t SET " + strings.Join(set, ", ") + " FROM " + p.from() +
		" WHERE " + where, args: p, rows: int64(len(g)), what: "update " + rel.String()}, nil
}
