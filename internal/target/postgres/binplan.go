package postgres

import (
	"context"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/target"
	"github.com/yugabyte/yb-voyager-go/internal/target/postgres/copybin"
)

// maxBinaryFailures is how many batches of one table may fall back to text
// before the rest of the table goes as text directly: a few odd values
// (a BC date, a numeric infinity) cost a retry of their batch, a table full
// of them does not pay twice for every batch.
const maxBinaryFailures = 3

// binaryPlans caches, per table and column list, the COPY binary plan
// (nil: load as text).
type binaryPlans struct {
	off      bool // YB_VOYAGER_COPY_FORMAT=text
	mu       sync.Mutex
	plans    map[string]*copybin.Plan
	failures map[string]int
}

func (p *binaryPlans) key(b target.Batch) string {
	return b.Table.Quoted() + "\x00" + strings.Join(b.Columns, "\x00")
}

// plan returns the table's binary plan, looking up the target's column
// types once; nil means text (an unsupported type, too many fallbacks, or
// the lookup failed — text always works).
func (p *binaryPlans) plan(ctx context.Context, pool *pgxpool.Pool, b target.Batch) *copybin.Plan {
	if p.off {
		return nil
	}
	k := p.key(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failures[k] >= maxBinaryFailures {
		return nil
	}
	if pl, ok := p.plans[k]; ok {
		return pl
	}
	if p.plans == nil {
		p.plans, p.failures = map[string]*copybin.Plan{}, map[string]int{}
	}
	oids, err := columnOIDs(ctx, pool, b)
	if err != nil {
		return nil // not cached: the next batch asks again
	}
	pl, ok := copybin.NewPlan(oids)
	if !ok {
		pl = nil
	}
	p.plans[k] = pl
	return pl
}

func (p *binaryPlans) failed(b target.Batch) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failures != nil {
		p.failures[p.key(b)]++
	}
}

// columnOIDs returns the type OIDs of the batch's columns, in its order.
func columnOIDs(ctx context.Context, pool *pgxpool.Pool, b target.Batch) ([]uint32, error) {
	rows, err := pool.Query(ctx, `SELECT a.atttypid FROM unnest($2::text[]) WITH ORDINALITY AS c(name, n)
		JOIN pg_attribute a ON a.attrelid = $1::regclass AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY c.n`, b.Table.Quoted(), b.Columns)
	if err != nil {
		return nil, err
	}
	oids, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
	if err != nil || len(oids) != len(b.Columns) {
		return nil, err
	}
	return oids, nil
}
