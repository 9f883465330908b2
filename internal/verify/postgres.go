package verify

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// The source side for a PostgreSQL source: both sides run exactly the same
// query (see doc.go, Hashing).

// pgSource is a PostgreSQL source database.
type pgSource struct{ pool *pgxpool.Pool }

// OpenPostgres opens the source side for a PostgreSQL source.
func OpenPostgres(ctx context.Context, cfg dbconn.Config, workers int) (Source, error) {
	pool, err := cfg.Pool(ctx, max(workers, 1))
	if err != nil {
		return nil, WrapSourceSetup(err)
	}
	return &pgSource{pool: pool}, nil
}

func (s *pgSource) Close() { s.pool.Close() }

// intKeyTypes are the key types chunking can split (format_type spelling).
var intKeyTypes = map[string]bool{"smallint": true, "integer": true, "bigint": true}

// Plan describes the table on the source and splits it into chunks.
func (s *pgSource) Plan(ctx context.Context, spec TableSpec, tgt Relation, chunkRows int64) ([]Job, error) {
	src, err := Describe(ctx, s.pool, spec.Table)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if err := Present(spec, src, tgt); err != nil {
		return nil, err
	}
	// A partitioned table (relkind 'p') is read with its partitions. A plain
	// table with inheritance children is read with ONLY, on both sides, since
	// the children are compared as tables of their own.
	from := spec.Table.Quoted()
	if src.Relkind == "r" && src.HasChildren {
		from = "ONLY " + from
	}
	conds, err := s.chunkConds(ctx, spec, src, tgt, from, chunkRows)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	jobs := make([]Job, len(conds))
	for i, cond := range conds {
		jobs[i] = &pgJob{src: s.pool, cond: cond, sql: checksumSQL(from, spec.Columns, cond)}
	}
	return jobs, nil
}

// pgJob runs one checksum query on both sides.
type pgJob struct {
	src  *pgxpool.Pool
	cond string
	sql  string
}

func (j *pgJob) Range() string { return j.cond }

func (j *pgJob) Run(ctx context.Context, tgt *pgxpool.Pool) (*Sums, *Sums, error) {
	return Both(func() (*Sums, error) { return checksum(ctx, j.src, j.sql) },
		func() (*Sums, error) { return checksum(ctx, tgt, j.sql) })
}

// chunkConds returns the WHERE conditions of the table's chunks: [""] unless
// the table has a single-column integer key and the source estimates more
// than chunkRows rows.
func (s *pgSource) chunkConds(ctx context.Context, spec TableSpec, src, tgt Relation, from string, chunkRows int64) ([]string, error) {
	whole := []string{""}
	if len(spec.PrimaryKey) != 1 || src.Reltuples <= float64(chunkRows) {
		return whole, nil
	}
	keyName := spec.PrimaryKey[0]
	if _, onTarget := tgt.ColTypes[keyName]; !onTarget || !intKeyTypes[src.ColTypes[keyName]] {
		return whole, nil
	}
	key := sqlname.Quote(keyName)
	lo, hi, ok, err := keyRange(ctx, s.pool, key, from)
	if err != nil || !ok {
		return whole, err
	}
	n := int64(math.Ceil(src.Reltuples / float64(chunkRows)))
	return RangeConds(key, SplitPoints(lo, hi, n)), nil
}

// keyRange returns min and max of the key on the source; ok is false for an
// empty table.
func keyRange(ctx context.Context, pool *pgxpool.Pool, key, from string) (lo, hi int64, ok bool, err error) {
	var mn, mx *int64
	q := "SELECT min(" + key + ")::bigint, max(" + key + ")::bigint FROM " + from
	err = WithConn(ctx, pool, func(tx pgx.Tx) error {
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

// checksumSQL builds the query for one table or chunk. from is the quoted
// table name, possibly prefixed with ONLY; cond is a WHERE condition built
// from quoted names and integer literals, or "".
//
// OFFSET 0 keeps the planner from pulling the subquery up, which would
// render every row as text twice (once per hash).
func checksumSQL(from string, columns []string, cond string) string {
	return "SELECT count(*), " +
		"coalesce(sum(pg_catalog.hashtextextended(v.r, 0)::numeric), 0)::text, " +
		"coalesce(sum(pg_catalog.hashtextextended(v.r, 1)::numeric), 0)::text " +
		"FROM (SELECT ROW(" + sqlname.QuoteList(columns) + ")::text AS r FROM " + from + Where(cond) +
		" OFFSET 0) AS v"
}

// checksum runs a checksumSQL query on one side.
func checksum(ctx context.Context, pool *pgxpool.Pool, query string) (*Sums, error) {
	s := &Sums{}
	var h0, h1 string
	err := WithConn(ctx, pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, query).Scan(&s.Rows, &h0, &h1)
	})
	if err != nil {
		return nil, fmt.Errorf("checksum query: %w", err)
	}
	if err := SetSum(&s.H0, h0); err != nil {
		return nil, err
	}
	return s, SetSum(&s.H1, h1)
}
