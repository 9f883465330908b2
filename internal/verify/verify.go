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

// Source is the source side of a comparison. Each engine has its own: a
// PostgreSQL source runs the target's very SQL (OpenPostgres), another
// engine renders its rows as text the target side can render alike
// (normalized.go) and provides both halves of each job.
type Source interface {
	// Plan describes spec on the source, checks both sides have it
	// (Present), and cuts it into jobs. tgt is the target's catalog view.
	Plan(ctx context.Context, spec TableSpec, tgt Relation, chunkRows int64) ([]Job, error)
	Close()
}

// Job is one checksum of a table or a key range of it, on both sides.
type Job interface {
	// Range is the key range as a PostgreSQL condition, "" for the table.
	Range() string
	// Run computes the source's and the target's sums.
	Run(ctx context.Context, target *pgxpool.Pool) (src, tgt *Sums, err error)
}

// Options configures Compare.
type Options struct {
	Source    Source
	Target    dbconn.Config
	Tables    []TableSpec
	Workers   int   // concurrent jobs, and connections per side; default DefaultWorkers
	ChunkRows int64 // default DefaultChunkRows
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

// Compare checksums every table of o.Tables on the source and the target and
// returns one Result per table, in the order given. The error is only for
// setup failures (unsupported target type, cannot connect) and for ctx
// being cancelled; a failure confined to one table is reported in its
// Result.Err with Match false.
func Compare(ctx context.Context, o Options) ([]Result, error) {
	o = o.withDefaults()
	switch o.Target.Type {
	case "", "postgresql", "yugabytedb":
	default:
		return nil, fmt.Errorf("compare data: target database type %q is not supported (only postgresql and yugabytedb)", o.Target.Type)
	}
	tgt, err := o.Target.Pool(ctx, o.Workers)
	if err != nil {
		return nil, wrapSetup("target", err)
	}
	defer tgt.Close()
	plans := make([]*tablePlan, len(o.Tables))
	forEach(len(plans), o.Workers, func(i int) {
		plans[i] = planTable(ctx, o.Source, tgt, o.Tables[i], o.ChunkRows)
	})
	var jobs []*chunk
	for _, p := range plans {
		if p.err == nil {
			jobs = append(jobs, p.chunks...)
		}
	}
	forEach(len(jobs), o.Workers, func(i int) { jobs[i].run(ctx, tgt) })
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

func wrapSetup(role string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("compare data: %s: %w", role, err)
}

// WrapSourceSetup is how an engine's source side reports a failure to
// connect: "compare data: source: ...".
func WrapSourceSetup(err error) error { return wrapSetup("source", err) }

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

// Both runs the two sides of a job at once: src on a goroutine, tgt here.
func Both(src, tgt func() (*Sums, error)) (s, t *Sums, err error) {
	var wg sync.WaitGroup
	var srcErr error
	wg.Go(func() { s, srcErr = src() })
	t, tgtErr := tgt()
	wg.Wait()
	switch {
	case srcErr != nil:
		return nil, nil, fmt.Errorf("source: %w", srcErr)
	case tgtErr != nil:
		return nil, nil, fmt.Errorf("target: %w", tgtErr)
	}
	return s, t, nil
}
