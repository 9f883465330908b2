package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// tablePlan is one table's work: its chunks (a single chunk with an empty
// condition for an unsplit table), or the error that prevents comparing it.
type tablePlan struct {
	spec   TableSpec
	chunks []*chunk
	err    error
}

// chunk is one job: a key range (or the whole table) checksummed on both sides.
type chunk struct {
	cond     string // WHERE condition; "" for the whole table
	sql      string
	src, tgt *sums
	err      error
}

// relInfo is what one side's catalog says about a table.
type relInfo struct {
	exists      bool
	relkind     string
	reltuples   float64 // planner estimate; -1 (PG 14+) or 0 if never analyzed
	hasChildren bool    // has inheritance children (or partitions)
	colTypes    map[string]string
}

// Catalog queries take the quoted, qualified name as a parameter, never as SQL text.
const (
	describeSQL = `SELECT c.relkind::text, c.reltuples::float8,
	EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid)
FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)`
	columnsSQL = `SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`
)

// intKeyTypes are the key types chunking can split (format_type spelling).
var intKeyTypes = map[string]bool{"smallint": true, "integer": true, "bigint": true}

// planTable describes the table on both sides and splits it into chunks.
func planTable(ctx context.Context, s sides, spec TableSpec, chunkRows int64) *tablePlan {
	p := &tablePlan{spec: spec}
	src, err := describe(ctx, s.src, spec.Table)
	if err != nil {
		p.err = fmt.Errorf("source: %w", err)
		return p
	}
	tgt, err := describe(ctx, s.tgt, spec.Table)
	if err != nil {
		p.err = fmt.Errorf("target: %w", err)
		return p
	}
	if p.err = errors.Join(checkPresent("source", src, spec), checkPresent("target", tgt, spec)); p.err != nil {
		return p
	}
	// A partitioned table (relkind 'p') is read with its partitions. A plain
	// table with inheritance children is read with ONLY, on both sides, since
	// the children are compared as tables of their own.
	from := spec.Table.Quoted()
	if src.relkind == "r" && src.hasChildren {
		from = "ONLY " + from
	}
	conds, err := chunkConds(ctx, s.src, spec, src, tgt, from, chunkRows)
	if err != nil {
		p.err = fmt.Errorf("source: %w", err)
		return p
	}
	for _, cond := range conds {
		p.chunks = append(p.chunks, &chunk{cond: cond, sql: checksumSQL(from, spec.Columns, cond)})
	}
	return p
}

// describe reads the table's catalog entry and columns; a missing table is
// not an error here (exists is false).
func describe(ctx context.Context, pool *pgxpool.Pool, t sqlname.Table) (relInfo, error) {
	ri := relInfo{colTypes: map[string]string{}}
	err := withConn(ctx, pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, describeSQL, t.Quoted()).Scan(&ri.relkind, &ri.reltuples, &ri.hasChildren)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ri.exists = true
		rows, err := tx.Query(ctx, columnsSQL, t.Quoted())
		if err != nil {
			return err
		}
		var name, typ string
		_, err = pgx.ForEachRow(rows, []any{&name, &typ}, func() error {
			ri.colTypes[name] = typ
			return nil
		})
		return err
	})
	if err != nil {
		return relInfo{}, fmt.Errorf("describe table %s: %w", t, err)
	}
	return ri, nil
}

// checkPresent reports a table or columns missing on one side.
func checkPresent(role string, ri relInfo, spec TableSpec) error {
	if !ri.exists {
		return fmt.Errorf("table %s does not exist on the %s", spec.Table, role)
	}
	var missing []string
	for _, c := range spec.Columns {
		if _, ok := ri.colTypes[c]; !ok {
			missing = append(missing, sqlname.Quote(c))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("table %s on the %s has no column %s", spec.Table, role, strings.Join(missing, ", "))
	}
	return nil
}

// chunkConds returns the WHERE conditions of the table's chunks: [""] unless
// the table has a single-column integer key and the source estimates more
// than chunkRows rows.
func chunkConds(ctx context.Context, pool *pgxpool.Pool, spec TableSpec, src, tgt relInfo, from string, chunkRows int64) ([]string, error) {
	whole := []string{""}
	if len(spec.PrimaryKey) != 1 || src.reltuples <= float64(chunkRows) {
		return whole, nil
	}
	keyName := spec.PrimaryKey[0]
	if _, onTarget := tgt.colTypes[keyName]; !onTarget || !intKeyTypes[src.colTypes[keyName]] {
		return whole, nil
	}
	key := sqlname.Quote(keyName)
	lo, hi, ok, err := keyRange(ctx, pool, key, from)
	if err != nil || !ok {
		return whole, err
	}
	n := int64(math.Ceil(src.reltuples / float64(chunkRows)))
	return rangeConds(key, splitPoints(lo, hi, n)), nil
}

// keyRange returns min and max of the key on the source; ok is false for an
// empty table.
func keyRange(ctx context.Context, pool *pgxpool.Pool, key, from string) (lo, hi int64, ok bool, err error) {
	var mn, mx *int64
	q := "SELECT min(" + key + ")::bigint, max(" + key + ")::bigint FROM " + from
	err = withConn(ctx, pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, q).Scan(&mn, &mx)
	})
	if err != nil {
		return 0, 0, false, fmt.Errorf("key range of %s: %w", from, err)
	}
	if mn == nil || mx == nil {
		return 0, 0, false, nil
	}
	return *mn, *mx, true, nil
}

// splitPoints divides [lo, hi] into at most n ranges of equal width and
// returns the interior boundaries (each range starts at a boundary), in
// increasing order, all in (lo, hi]. Arithmetic is exact for any int64 range.
func splitPoints(lo, hi, n int64) []int64 {
	if n < 2 || hi <= lo {
		return nil
	}
	span := new(big.Int).Sub(big.NewInt(hi), big.NewInt(lo))
	span.Add(span, big.NewInt(1))
	bn := big.NewInt(n)
	if span.Cmp(bn) < 0 {
		bn.Set(span)
	}
	width := new(big.Int).Add(span, new(big.Int).Sub(bn, big.NewInt(1)))
	width.Quo(width, bn) // ceil(span / n)
	var pts []int64
	p := big.NewInt(lo)
	bhi := big.NewInt(hi)
	for i := int64(1); i < bn.Int64(); i++ {
		p.Add(p, width)
		if p.Cmp(bhi) > 0 {
			break
		}
		pts = append(pts, p.Int64())
	}
	return pts
}

// rangeConds turns boundaries into conditions; the first and last ranges are
// open-ended so that every key value falls in exactly one range.
func rangeConds(key string, pts []int64) []string {
	if len(pts) == 0 {
		return []string{""}
	}
	conds := []string{fmt.Sprintf("%s < %d", key, pts[0])}
	for i := 1; i < len(pts); i++ {
		conds = append(conds, fmt.Sprintf("%s >= %d AND %s < %d", key, pts[i-1], key, pts[i]))
	}
	return append(conds, fmt.Sprintf("%s >= %d", key, pts[len(pts)-1]))
}

// result folds the chunks into the table's Result.
// results gathers the plans' results once their jobs ran; an interrupted
// comparison returns what it has with the reason.
func results(ctx context.Context, plans []*tablePlan) ([]Result, error) {
	out := make([]Result, len(plans))
	for i, p := range plans {
		out[i] = p.result()
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("compare data interrupted: %w", err)
	}
	return out, nil
}

func (p *tablePlan) result() Result {
	r := Result{Table: p.spec.Table}
	if p.err != nil {
		r.Err = p.err.Error()
		return r
	}
	var src, tgt sums
	for _, c := range p.chunks {
		if c.err != nil {
			r.Err = c.err.Error()
			if c.cond != "" {
				r.Err = fmt.Sprintf("range %s: %s", c.cond, r.Err)
			}
			return r
		}
		src.add(c.src)
		tgt.add(c.tgt)
		if c.cond != "" && !c.src.equal(c.tgt) {
			r.MismatchedChunks = append(r.MismatchedChunks, c.cond)
		}
	}
	r.SourceRows, r.TargetRows = src.rows, tgt.rows
	r.SourceChecksum, r.TargetChecksum = src.String(), tgt.String()
	r.Match = src.equal(&tgt) && len(r.MismatchedChunks) == 0
	return r
}
