package pgtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

// opTimeout bounds each helper call (Exec, QueryInt, CreateDatabase, drop).
const opTimeout = 5 * time.Minute

// DSN returns a keyword/value connection string for database db, usable
// by pgx (and libpq), including the password.
func (c *Cluster) DSN(db string) string {
	return strings.Join([]string{
		"host=" + quoteDSN(c.Host),
		"port=" + strconv.Itoa(c.Port),
		"user=" + quoteDSN(c.User),
		"password=" + quoteDSN(c.Password),
		"dbname=" + quoteDSN(db),
		"sslmode=disable",
	}, " ")
}

// quoteDSN single-quotes a DSN value, escaping backslashes and quotes.
func quoteDSN(v string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	return "'" + strings.ReplaceAll(v, `'`, `\'`) + "'"
}

// Connect opens a connection to database db as the superuser.
func (c *Cluster) Connect(ctx context.Context, db string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, c.DSN(db))
	if err != nil {
		return nil, fmt.Errorf("connect to %s database %q at %s: %w", c.name, db, c.Addr(), err)
	}
	return conn, nil
}

// CreateDatabase creates a fresh database named <prefix>_<random> (lowercase,
// only [a-z0-9_]) and drops it WITH (FORCE) when the test ends. It returns
// the database name.
func (c *Cluster) CreateDatabase(t testing.TB, prefix string) string {
	t.Helper()
	name, err := proc.UniqueName(prefix)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	c.Exec(t, "postgres", "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	t.Cleanup(func() { c.dropDatabase(t, name) })
	return name
}

func (c *Cluster) dropDatabase(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	sql := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	if err := c.exec(ctx, "postgres", sql); err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// Exec runs a (possibly multi-statement) SQL script in database db using
// the simple query protocol and fails the test on error. Like t.Fatal, it
// must be called from the test goroutine.
func (c *Cluster) Exec(t testing.TB, db string, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := c.exec(ctx, db, sql); err != nil {
		t.Fatalf("pgtest: exec in %s database %q: %v\nSQL:\n%s", c.name, db, err, sql)
	}
}

func (c *Cluster) exec(ctx context.Context, db, sql string) error {
	conn, err := c.Connect(ctx, db)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	return nil
}

// QueryInt runs a query returning a single integer value (one row, one
// column, not NULL) in database db and fails the test otherwise.
func (c *Cluster) QueryInt(t testing.TB, db string, sql string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	var v int64
	if err := conn.QueryRow(ctx, sql).Scan(&v); err != nil {
		t.Fatalf("pgtest: query in %s database %q: %v\nSQL:\n%s", c.name, db, err, sql)
	}
	return v
}

// TypeOIDs returns the type OID of each column of table, in column order.
func TypeOIDs(ctx context.Context, t testing.TB, conn *pgx.Conn, table string) []uint32 {
	t.Helper()
	rows, err := conn.Query(ctx, `SELECT atttypid FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, table)
	if err != nil {
		t.Fatal(err)
	}
	oids, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
	if err != nil {
		t.Fatal(err)
	}
	return oids
}
