package verify

import (
	"context"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// sessionSettings pins every setting that changes how a value renders as
// text, so that equal data gives equal text on both sides. lc_monetary
// (money output) is pinned too; "C" exists on every server.
const sessionSettings = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; ` +
	`SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; ` +
	`SET bytea_output = 'hex'; SET lc_monetary = 'C'; SET statement_timeout = 0`

// readTx is the transaction every read runs in, on both sides.
var readTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// withConn acquires a pooled connection, pins the session settings (cheap,
// and idempotent on a reused connection) and runs fn in a read-only
// repeatable-read transaction.
func withConn(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection: %w", err)
	}
	defer conn.Release()
	// No arguments: pgx sends this with the simple protocol, so the
	// multi-statement string is allowed.
	if _, err := conn.Exec(ctx, sessionSettings); err != nil {
		return fmt.Errorf("pin session settings: %w", err)
	}
	return pgx.BeginTxFunc(ctx, conn, readTx, fn)
}

// sums is the checksum of a table or chunk on one side.
type sums struct {
	rows   int64
	h0, h1 big.Int // sums of the seed-0 and seed-1 row hashes
}

func (s *sums) equal(o *sums) bool {
	return s.rows == o.rows && s.h0.Cmp(&o.h0) == 0 && s.h1.Cmp(&o.h1) == 0
}

func (s *sums) add(o *sums) {
	s.rows += o.rows
	s.h0.Add(&s.h0, &o.h0)
	s.h1.Add(&s.h1, &o.h1)
}

// String is the checksum as reported: "<sum0>:<sum1>".
func (s *sums) String() string { return s.h0.String() + ":" + s.h1.String() }

// checksumSQL builds the query for one table or chunk. from is the quoted
// table name, possibly prefixed with ONLY; cond is a WHERE condition built
// from quoted names and integer literals, or "".
//
// OFFSET 0 keeps the planner from pulling the subquery up, which would
// render every row as text twice (once per hash).
func checksumSQL(from string, columns []string, cond string) string {
	where := ""
	if cond != "" {
		where = " WHERE " + cond
	}
	return "SELECT count(*), " +
		"coalesce(sum(pg_catalog.hashtextextended(v.r, 0)::numeric), 0)::text, " +
		"coalesce(sum(pg_catalog.hashtextextended(v.r, 1)::numeric), 0)::text " +
		"FROM (SELECT ROW(" + sqlname.QuoteList(columns) + ")::text AS r FROM " + from + where +
		" OFFSET 0) AS v"
}

// checksum runs a checksumSQL query on one side.
func checksum(ctx context.Context, pool *pgxpool.Pool, query string) (*sums, error) {
	var rows int64
	var h0, h1 string
	err := withConn(ctx, pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, query).Scan(&rows, &h0, &h1)
	})
	if err != nil {
		return nil, fmt.Errorf("checksum query: %w", err)
	}
	s := &sums{rows: rows}
	if _, ok := s.h0.SetString(h0, 10); !ok {
		return nil, fmt.Errorf("checksum query returned non-integer sum %q", h0)
	}
	if _, ok := s.h1.SetString(h1, 10); !ok {
		return nil, fmt.Errorf("checksum query returned non-integer sum %q", h1)
	}
	return s, nil
}
