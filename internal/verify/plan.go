package verify

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// tablePlan is one table's work: its chunks (a single chunk with an empty
// range for an unsplit table), or the error that prevents comparing it.
type tablePlan struct {
	spec   TableSpec
	chunks []*chunk
	err    error
}

// chunk is one job and what it found.
type chunk struct {
	job      Job
	src, tgt *Sums
	err      error
}

func (c *chunk) run(ctx context.Context, tgt *pgxpool.Pool) {
	c.src, c.tgt, c.err = c.job.Run(ctx, tgt)
}

// planTable describes the table on the target, then has the source plan it.
func planTable(ctx context.Context, src Source, tgt *pgxpool.Pool, spec TableSpec, chunkRows int64) *tablePlan {
	p := &tablePlan{spec: spec}
	ti, err := Describe(ctx, tgt, spec.Table)
	if err != nil {
		p.err = fmt.Errorf("target: %w", err)
		return p
	}
	jobs, err := src.Plan(ctx, spec, ti, chunkRows)
	if err != nil {
		p.err = err
		return p
	}
	for _, j := range jobs {
		p.chunks = append(p.chunks, &chunk{job: j})
	}
	return p
}

// Relation is what one side's catalog says about a table.
type Relation struct {
	Exists      bool
	Relkind     string
	Reltuples   float64 // planner estimate; -1 (PG 14+) or 0 if never analyzed
	HasChildren bool    // has inheritance children (or partitions)
	ColTypes    map[string]string
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

// Describe reads a PostgreSQL table's catalog entry and columns; a missing
// table is not an error here (Exists is false).
func Describe(ctx context.Context, pool *pgxpool.Pool, t sqlname.Table) (Relation, error) {
	ri := Relation{ColTypes: map[string]string{}}
	err := WithConn(ctx, pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, describeSQL, t.Quoted()).Scan(&ri.Relkind, &ri.Reltuples, &ri.HasChildren)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ri.Exists = true
		rows, err := tx.Query(ctx, columnsSQL, t.Quoted())
		if err != nil {
			return err
		}
		var name, typ string
		_, err = pgx.ForEachRow(rows, []any{&name, &typ}, func() error {
			ri.ColTypes[name] = typ
			return nil
		})
		return err
	})
	if err != nil {
		return Relation{}, fmt.Errorf("describe table %s: %w", t, err)
	}
	return ri, nil
}

// Present reports the table or columns missing on either side.
func Present(spec TableSpec, src, tgt Relation) error {
	return errors.Join(checkPresent("source", src, spec), checkPresent("target", tgt, spec))
}

func checkPresent(role string, ri Relation, spec TableSpec) error {
	if !ri.Exists {
		return fmt.Errorf("table %s does not exist on the %s", spec.Table, role)
	}
	var missing []string
	for _, c := range spec.Columns {
		if _, ok := ri.ColTypes[c]; !ok {
			missing = append(missing, sqlname.Quote(c))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("table %s on the %s has no column %s", spec.Table, role, strings.Join(missing, ", "))
	}
	return nil
}

// SplitPoints divides [lo, hi] into at most n ranges of equal width and
// returns the interior boundaries (each range starts at a boundary), in
// increasing order, all in (lo, hi]. Arithmetic is exact for any int64 range.
func SplitPoints(lo, hi, n int64) []int64 {
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

// RangeConds turns boundaries into conditions on key (quoted in the
// dialect at hand); the first and last ranges are open-ended so that every
// key value falls in exactly one range.
func RangeConds(key string, pts []int64) []string {
	if len(pts) == 0 {
		return []string{""}
	}
	conds := []string{fmt.Sprintf("%s < %d", key, pts[0])}
	for i := 1; i < len(pts); i++ {
		conds = append(conds, fmt.Sprintf("%s >= %d AND %s < %d", key, pts[i-1], key, pts[i]))
	}
	return append(conds, fmt.Sprintf("%s >= %d", key, pts[len(pts)-1]))
}

// Where is " WHERE cond", or "" for no condition.
func Where(cond string) string {
	if cond == "" {
		return ""
	}
	return " WHERE " + cond
}

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

// result folds the chunks into the table's Result.
func (p *tablePlan) result() Result {
	r := Result{Table: p.spec.Table}
	if p.err != nil {
		r.Err = p.err.Error()
		return r
	}
	var src, tgt Sums
	for _, c := range p.chunks {
		cond := c.job.Range()
		if c.err != nil {
			r.Err = c.err.Error()
			if cond != "" {
				r.Err = fmt.Sprintf("range %s: %s", cond, r.Err)
			}
			return r
		}
		src.add(c.src)
		tgt.add(c.tgt)
		if cond != "" && !c.src.equal(c.tgt) {
			r.MismatchedChunks = append(r.MismatchedChunks, cond)
		}
	}
	r.SourceRows, r.TargetRows = src.Rows, tgt.Rows
	r.SourceChecksum, r.TargetChecksum = src.String(), tgt.String()
	r.Match = src.equal(&tgt) && len(r.MismatchedChunks) == 0
	return r
}
