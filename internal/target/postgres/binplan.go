package postgres

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"unsafe"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
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

func planKey(rel sqlname.Table, cols []string) string {
	return rel.Quoted() + "\x00" + strings.Join(cols, "\x00")
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// plan returns the table's binary plan, looking up the target's column
// types once; nil means text (an unsupported type, too many fallbacks, or
// the lookup failed — text always works).
func (p *binaryPlans) plan(ctx context.Context, q querier, rel sqlname.Table, cols []string) *copybin.Plan {
	if p.off {
		return nil
	}
	k := planKey(rel, cols)
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
	oids, err := columnOIDs(ctx, q, rel, cols)
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

func (p *binaryPlans) failed(rel sqlname.Table, cols []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failures != nil {
		p.failures[planKey(rel, cols)]++
	}
}

// columnOIDs returns the type OIDs of the columns, in their order.
func columnOIDs(ctx context.Context, q querier, rel sqlname.Table, cols []string) ([]uint32, error) {
	rows, err := q.Query(ctx, `SELECT a.atttypid FROM unnest($2::text[]) WITH ORDINALITY AS c(name, n)
		JOIN pg_attribute a ON a.attrelid = $1::regclass AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY c.n`, rel.Quoted(), cols)
	if err != nil {
		return nil, err
	}
	oids, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
	if err != nil || len(oids) != len(cols) {
		return nil, err
	}
	return oids, nil
}

// binaryInput is the COPY input for rows in memory: COPY binary when the
// table has a plan and every value converts (checked before anything is
// sent, so a change batch's transaction never sees a failed COPY), else COPY
// text.
func (t *Target) binaryInput(ctx context.Context, q querier, rel sqlname.Table, cols []string, rows [][]*string) (io.Reader, string) {
	if plan := t.binary.plan(ctx, q, rel, cols); plan != nil {
		out, err := plan.Encode(rows)
		if err == nil {
			return bytes.NewReader(out), " (FORMAT binary)"
		}
		t.binary.failed(rel, cols)
	}
	var buf []byte
	for _, row := range rows {
		for i, v := range row {
			if i > 0 {
				buf = append(buf, '\t')
			}
			if v == nil {
				buf = append(buf, `\N`...)
			} else {
				buf = datafile.AppendEscaped(buf, unsafe.Slice(unsafe.StringData(*v), len(*v)))
			}
		}
		buf = append(buf, '\n')
	}
	return bytes.NewReader(buf), ""
}
