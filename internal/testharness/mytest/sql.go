package mytest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // registers the "mysql" database/sql driver
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

// opTimeout bounds each helper call (Exec, QueryInt, CreateDatabase, drop).
const opTimeout = 5 * time.Minute

// DSN returns a go-sql-driver/mysql data source name for database db (may
// be empty) as root over TCP, including the password, with
// parseTime=false and multiStatements=true:
//
//	root:mysql@tcp(127.0.0.1:PORT)/db?parseTime=false&multiStatements=true
func (s *Server) DSN(db string) string {
	return s.dsn(s.User, s.Password, db)
}

func (s *Server) dsn(user, password, db string) string {
	return fmt.Sprintf("%s:%s@tcp(%s)/%s?parseTime=false&multiStatements=true&timeout=10s",
		user, password, s.Addr(), db)
}

// Open returns a *sql.DB for database db (may be empty) as root, after
// checking that a connection can be made. The caller must close it.
func (s *Server) Open(ctx context.Context, db string) (*sql.DB, error) {
	conn, err := sql.Open("mysql", s.DSN(db))
	if err != nil {
		return nil, fmt.Errorf("open %s database %q at %s: %w", s.name, db, s.Addr(), err)
	}
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("connect to %s database %q at %s: %w", s.name, db, s.Addr(), err)
	}
	return conn, nil
}

// setRootPassword gives root@127.0.0.1 and root@localhost the password
// RootPassword and all privileges.
func (s *Server) setRootPassword(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	db, err := sql.Open("mysql", s.dsn(s.User, "", ""))
	if err != nil {
		return err
	}
	defer db.Close()
	var b strings.Builder
	for _, host := range []string{"127.0.0.1", "localhost"} {
		acct := fmt.Sprintf("'%s'@'%s'", s.User, host)
		pw := "'" + strings.ReplaceAll(s.Password, "'", "''") + "'"
		fmt.Fprintf(&b, "CREATE USER IF NOT EXISTS %s IDENTIFIED BY %s;\n", acct, pw)
		fmt.Fprintf(&b, "ALTER USER %s IDENTIFIED BY %s;\n", acct, pw)
		fmt.Fprintf(&b, "GRANT ALL PRIVILEGES ON *.* TO %s WITH GRANT OPTION;\n", acct)
	}
	// The other root accounts mariadb-install-db made ('root'@'::1' and
	// 'root'@'<hostname>', which DROP USER cannot name under
	// --skip-name-resolve) must not stay password-less.
	for _, table := range []string{"mysql.global_priv", "mysql.proxies_priv"} {
		fmt.Fprintf(&b, "DELETE FROM %s WHERE User = '%s' AND Host NOT IN ('127.0.0.1', 'localhost');\n", table, s.User)
	}
	b.WriteString("FLUSH PRIVILEGES;\n")
	if _, err := db.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("set root password: %w", err)
	}
	s.passwordOn = true
	return nil
}

// CreateDatabase creates a fresh database named <prefix>_<random> (lowercase,
// only [a-z0-9_]) and drops it when the test ends, after killing the
// connections still using it. It returns the database name.
func (s *Server) CreateDatabase(t testing.TB, prefix string) string {
	t.Helper()
	name, err := proc.UniqueName(prefix)
	if err != nil {
		t.Fatalf("mytest: %v", err)
	}
	s.Exec(t, "", "CREATE DATABASE "+QuoteIdent(name))
	t.Cleanup(func() { s.dropDatabase(t, name) })
	return name
}

func (s *Server) dropDatabase(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.killSessions(ctx, name); err != nil {
		t.Logf("mytest: kill sessions using database %s: %v", name, err)
	}
	if err := s.exec(ctx, "", "DROP DATABASE IF EXISTS "+QuoteIdent(name)); err != nil {
		t.Errorf("mytest: drop database %s: %v", name, err)
	}
}

// killSessions kills the other connections whose current database is name,
// so that DROP DATABASE does not wait for their metadata locks.
func (s *Server) killSessions(ctx context.Context, name string) error {
	db, err := s.Open(ctx, "")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx,
		"SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()", name)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, id := range ids {
		_, _ = db.ExecContext(ctx, fmt.Sprintf("KILL %d", id)) // it may be gone already
	}
	return nil
}

// QuoteIdent quotes a MySQL identifier with backticks.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// Exec runs a (possibly multi-statement) SQL script in database db (empty:
// none selected) on one connection and fails the test on error, including
// an error in any statement after the first. Like t.Fatal, it must be
// called from the test goroutine.
func (s *Server) Exec(t testing.TB, db string, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := s.exec(ctx, db, sql); err != nil {
		t.Fatalf("mytest: exec in %s database %q: %v\nSQL:\n%s", s.name, db, err, sql)
	}
}

func (s *Server) exec(ctx context.Context, db, query string) error {
	conn, err := s.Open(ctx, db)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, query); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	return nil
}

// QueryInt runs a query returning a single integer value (one row, one
// column, not NULL) in database db (empty: none selected) and fails the
// test otherwise.
func (s *Server) QueryInt(t testing.TB, db string, query string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	conn, err := s.Open(ctx, db)
	if err != nil {
		t.Fatalf("mytest: %v", err)
	}
	defer conn.Close()
	var v int64
	if err := conn.QueryRowContext(ctx, query).Scan(&v); err != nil {
		t.Fatalf("mytest: query in %s database %q: %v\nSQL:\n%s", s.name, db, err, query)
	}
	return v
}
