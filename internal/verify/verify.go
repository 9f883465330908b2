package verify

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// DefaultChunkRows is the chunk size used when Options.ChunkRows is not set.
const DefaultChunkRows int64 = 1_000_000

// DefaultWorkers is the parallelism used when Options.Workers is not set.
const DefaultWorkers = 4

// TableSpec names one table to compare. Columns are in source order and the
// same names exist on the target; PrimaryKey may be empty.
type TableSpec struct {
	Table      sqlname.Table
	Columns    []string
	PrimaryKey []string
}

// Options configures Compare.
type Options struct {
	Source, Target dbconn.Config
	Tables         []TableSpec
	Workers        int   // concurrent jobs, and connections per side; default DefaultWorkers
	ChunkRows      int64 // default DefaultChunkRows
}

// Result is the comparison of one table.
type Result struct {
	Table            sqlname.Table `json:"table"`
	SourceRows       int64         `json:"source_rows"`
	TargetRows       int64         `json:"target_rows"`
	SourceChecksum   string        `json:"source_checksum"`
	TargetChecksum   string        `json:"target_checksum"`
	Match            bool          `json:"match"`
	Err              string        `json:"error,omitempty"`
	MismatchedChunks []string      `json:"mismatched_chunks,omitempty"`
}

// sides holds the connection pools of both databases.
type sides struct {
	src, tgt *pgxpool.Pool
}

// Compare checksums every table of o.Tables on the source and the target and
// returns one Result per table, in the order given. The error is only for
// setup failures (unsupported database type, cannot connect) and for ctx
// being cancelled; a failure confined to one table is reported in its
// Result.Err with Match false.
func Compare(ctx context.Context, o Options) ([]Result, error) {
	o = o.withDefaults()
	if o.Source.Type == "mysql" {
		return compareMySQL(ctx, o)
	}
	if err := checkTypes(o); err != nil {
		return nil, err
	}
	s, err := openSides(ctx, o)
	if err != nil {
		return nil, err
	}
	defer s.src.Close()
	defer s.tgt.Close()

	plans := make([]*tablePlan, len(o.Tables))
	forEach(len(plans), o.Workers, func(i int) {
		plans[i] = planTable(ctx, s, o.Tables[i], o.ChunkRows)
	})
	var jobs []*chunk
	for _, p := range plans {
		if p.err == nil {
			jobs = append(jobs, p.chunks...)
		}
	}
	forEach(len(jobs), o.Workers, func(i int) { jobs[i].run(ctx, s) })
	return results(ctx, plans)
}

// AllMatch reports whether every table matched (true for no tables).
func AllMatch(rs []Result) bool {
	for _, r := range rs {
		if !r.Match {
			return false
		}
	}
	return true
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.ChunkRows <= 0 {
		o.ChunkRows = DefaultChunkRows
	}
	return o
}

// checkTypes rejects databases that do not speak PostgreSQL's SQL dialect.
func checkTypes(o Options) error {
	for _, c := range []struct {
		role string
		cfg  dbconn.Config
	}{{"source", o.Source}, {"target", o.Target}} {
		switch c.cfg.Type {
		case "", "postgresql", "yugabytedb":
		default:
			return fmt.Errorf("compare data: %s database type %q is not supported (only postgresql and yugabytedb)", c.role, c.cfg.Type)
		}
	}
	return nil
}

// openSides opens both pools concurrently.
func openSides(ctx context.Context, o Options) (sides, error) {
	var s sides
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		s.src, err = o.Source.Pool(gctx, o.Workers)
		return wrapSetup("source", err)
	})
	g.Go(func() (err error) {
		s.tgt, err = o.Target.Pool(gctx, o.Workers)
		return wrapSetup("target", err)
	})
	err := g.Wait()
	if err != nil {
		if s.src != nil {
			s.src.Close()
		}
		if s.tgt != nil {
			s.tgt.Close()
		}
		return sides{}, err
	}
	return s, nil
}

func wrapSetup(role string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("compare data: %s: %w", role, err)
}

// forEach runs fn(0..n-1) on at most workers goroutines. fn records its own
// failures; a cancelled ctx makes the remaining calls fail fast on their own.
func forEach(n, workers int, fn func(i int)) {
	var g errgroup.Group
	g.SetLimit(workers)
	for i := range n {
		g.Go(func() error { fn(i); return nil })
	}
	_ = g.Wait() // fn never returns an error
}

// run checksums the chunk on both sides at once.
func (c *chunk) run(ctx context.Context, s sides) {
	var wg sync.WaitGroup
	var srcErr error
	wg.Go(func() { c.src, srcErr = checksum(ctx, s.src, c.sql) })
	tgt, tgtErr := checksum(ctx, s.tgt, c.sql)
	wg.Wait()
	c.tgt = tgt
	switch {
	case srcErr != nil:
		c.err = fmt.Errorf("source: %w", srcErr)
	case tgtErr != nil:
		c.err = fmt.Errorf("target: %w", tgtErr)
	}
}
