package verify

import (
	"context"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// sessionSettings pins every setting that changes how a value renders as
// text, so that equal data gives equal text on both sides. lc_monetary
// (money output) is pinned too; "C" exists on every server.
const sessionSettings = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; ` +
	`SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; ` +
	`SET bytea_output = 'hex'; SET lc_monetary = 'C'; SET statement_timeout = 0`

// readTx is the transaction every read runs in, on both sides.
var readTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// WithConn acquires a pooled PostgreSQL connection, pins the session
// settings (cheap, and idempotent on a reused connection) and runs fn in a
// read-only repeatable-read transaction.
func WithConn(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
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

// Sums is the checksum of a table or chunk on one side: a row count and
// two sums of row hashes.
type Sums struct {
	Rows   int64
	H0, H1 big.Int
}

func (s *Sums) equal(o *Sums) bool {
	return s.Rows == o.Rows && s.H0.Cmp(&o.H0) == 0 && s.H1.Cmp(&o.H1) == 0
}

func (s *Sums) add(o *Sums) {
	s.Rows += o.Rows
	s.H0.Add(&s.H0, &o.H0)
	s.H1.Add(&s.H1, &o.H1)
}

// String is the checksum as reported: "<sum0>:<sum1>".
func (s *Sums) String() string { return s.H0.String() + ":" + s.H1.String() }

// SetSum parses a sum a checksum query returned as decimal text into h.
func SetSum(h *big.Int, v string) error {
	if _, ok := h.SetString(v, 10); !ok {
		return fmt.Errorf("checksum query returned non-integer sum %q", v)
	}
	return nil
}
