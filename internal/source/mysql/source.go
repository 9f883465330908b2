package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// TargetSchema is the target schema every MySQL table is exported into: a
// source.Table's Name and Relations carry it, while queries use the MySQL
// database the Source was opened on.
const TargetSchema = "public"

// Source is a MySQL/MariaDB source database (one database of the server).
type Source struct {
	cfg      dbconn.Config
	db       *sql.DB
	database string // the MySQL database all tables live in
	mariadb  bool

	mu   sync.Mutex
	cols map[string][]Column // table name -> columns, in ordinal order

	stats valueStats // special values met by all exports (special.go)
}

var _ source.Source = (*Source)(nil)

// Open connects to the MySQL/MariaDB database cfg.DBName. Every session runs
// with time_zone '+00:00', so TIMESTAMP values are read in UTC.
func Open(ctx context.Context, cfg dbconn.Config) (*Source, error) {
	if cfg.DBName == "" {
		return nil, errors.New("MySQL source: no database name: set --source-db-name")
	}
	db, err := Connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &Source{cfg: cfg, db: db, database: cfg.DBName, cols: map[string][]Column{}}
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("read MySQL source version: %w", err)
	}
	s.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	return s, nil
}

// DB is the connection pool, for callers that need their own queries.
func (s *Source) DB() *sql.DB { return s.db }

// Database is the MySQL database the tables are read from.
func (s *Source) Database() string { return s.database }

// ZeroDates is how many zero or partly zero dates/datetimes/timestamps
// ('0000-00-00', '2020-00-10', ...) all exports of this Source wrote as NULL:
// PostgreSQL has no such values.
func (s *Source) ZeroDates() int64 { return s.stats.zeroDates.Load() }

// EnumErrors is how many ENUM error values (the empty string with index 0
// that MySQL stores for an invalid value in non-strict sql_mode) all
// exports of this Source wrote as NULL: a PostgreSQL enum has no such label.
func (s *Source) EnumErrors() int64 { return s.stats.enumErrors.Load() }

// Close releases every connection.
func (s *Source) Close() {
	if s.db != nil {
		s.db.Close()
	}
}

// Identity is "mysql:<@@hostname>:<@@port>/<database>", as export schema
// records it.
func (s *Source) Identity(ctx context.Context) (string, error) {
	var host string
	var port int
	if err := s.db.QueryRowContext(ctx, `SELECT @@hostname, @@port`).Scan(&host, &port); err != nil {
		return "", fmt.Errorf("identify MySQL source: %w", err)
	}
	return fmt.Sprintf("mysql:%s:%d/%s", host, port, s.database), nil
}

// metaConn is a pool connection for information_schema queries; on MySQL 8
// it asks for current (not day-old cached) table statistics.
func (s *Source) metaConn(ctx context.Context) (*sql.Conn, error) {
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to MySQL source: %w", err)
	}
	if !s.mariadb {
		_, _ = c.ExecContext(ctx, "SET SESSION information_schema_stats_expiry = 0") // absent before 8.0
	}
	return c, nil
}

// ListTables lists the base tables of the database as tables of the target
// schema "public". A pattern qualified with the MySQL database name is
// taken as qualified with "public".
func (s *Source) ListTables(ctx context.Context, include, exclude []sqlname.Pattern) ([]source.Table, error) {
	conn, err := s.metaConn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var all []sqlname.Table
	byName := map[string]*source.Table{}
	err = each(ctx, conn, `SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME`,
		func(r *sql.Rows) error {
			t := &source.Table{}
			var name string
			if err := r.Scan(&name, &t.EstRows); err != nil {
				return err
			}
			t.Name = sqlname.Table{Schema: TargetSchema, Name: name}
			t.Relations = []sqlname.Table{t.Name}
			byName[name] = t
			all = append(all, t.Name)
			return nil
		}, s.database)
	if err != nil {
		return nil, fmt.Errorf("list tables of MySQL database %q: %w", s.database, err)
	}
	selected, err := source.Select(all, s.localPatterns(include), s.localPatterns(exclude), []string{s.database})
	if err != nil {
		return nil, err
	}
	cols, err := s.readColumns(ctx, conn, "")
	if err != nil {
		return nil, err
	}
	err = each(ctx, conn, `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COALESCE(COLUMN_NAME, '')
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
		func(r *sql.Rows) error {
			var tname, iname, col string
			var nonUnique int
			if err := r.Scan(&tname, &iname, &nonUnique, &col); err != nil {
				return err
			}
			t := byName[tname]
			switch {
			case t == nil:
			case iname == "PRIMARY":
				t.PrimaryKey = append(t.PrimaryKey, col)
			case nonUnique == 0:
				t.HasUniqueKeys = true
			}
			return nil
		}, s.database)
	if err != nil {
		return nil, fmt.Errorf("read indexes of MySQL database %q: %w", s.database, err)
	}
	out := make([]source.Table, 0, len(selected))
	for _, name := range selected {
		t := byName[name.Name]
		for _, c := range cols[name.Name] {
			if !isGenerated(c) {
				t.Columns = append(t.Columns, c.Name)
			}
		}
		out = append(out, *t)
	}
	return out, nil
}

// localPatterns rewrites patterns qualified with the MySQL database name to
// the target schema the tables are listed in.
func (s *Source) localPatterns(ps []sqlname.Pattern) []sqlname.Pattern {
	out := make([]sqlname.Pattern, len(ps))
	for i, p := range ps {
		if p.Schema != "" && strings.EqualFold(p.Schema, s.database) {
			p.Schema = TargetSchema
		}
		out[i] = p
	}
	return out
}

// readColumns reads the columns of one table (all tables when table is
// empty) and caches them for value conversion.
func (s *Source) readColumns(ctx context.Context, conn *sql.Conn, table string) (map[string][]Column, error) {
	out, err := readColumns(ctx, conn, s.database, s.mariadb, table)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	for t, cs := range out {
		s.cols[t] = cs
	}
	s.mu.Unlock()
	return out, nil
}

// columns returns the cached column info of table, reading it when needed.
func (s *Source) columns(ctx context.Context, table string) ([]Column, error) {
	s.mu.Lock()
	cs, ok := s.cols[table]
	s.mu.Unlock()
	if ok {
		return cs, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer conn.Close()
	all, err := s.readColumns(ctx, conn, table)
	if err != nil {
		return nil, err
	}
	if cs, ok = all[table]; !ok {
		return nil, fmt.Errorf("table %q not found in MySQL database %q", table, s.database)
	}
	return cs, nil
}

// each runs q on conn and calls fn for every row.
func each(ctx context.Context, conn *sql.Conn, q string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BinlogLagBytes is how many bytes of binary log the server has written
// after from (the rest of from's file and all of every later one), and the
// end it measured: the current file and position. It is one query on the
// SQL pool, never on a replication connection, so it can run while
// streaming. From at or past the end is 0 bytes behind.
func (s *Source) BinlogLagBytes(ctx context.Context, from BinlogPosition) (int64, BinlogPosition, error) {
	files, err := s.binaryLogs(ctx)
	if err != nil {
		return 0, BinlogPosition{}, err
	}
	if len(files) == 0 {
		return 0, BinlogPosition{}, errors.New("SHOW BINARY LOGS lists no binary log: binary logging is off")
	}
	last := files[len(files)-1]
	end := BinlogPosition{File: last.name, Pos: uint32(last.size)}
	lag, found := int64(0), false
	for _, f := range files {
		if f.name == from.File {
			found = true
			lag += max(f.size-int64(from.Pos), 0)
		} else if found {
			lag += f.size
		}
	}
	if !found {
		return 0, end, fmt.Errorf("binlog %s is not among the server's binary logs (purged?)", from.File)
	}
	return lag, end, nil
}

// binlogFile is one row of SHOW BINARY LOGS.
type binlogFile struct {
	name string
	size int64
}

// binaryLogs lists the binary logs, oldest first. For the file being
// written the server reports its write position as the size (MySQL and
// MariaDB alike), so the last entry is the current end of the binlog.
func (s *Source) binaryLogs(ctx context.Context) ([]binlogFile, error) {
	rows, err := s.db.QueryContext(ctx, "SHOW BINARY LOGS")
	if err != nil {
		return nil, fmt.Errorf("SHOW BINARY LOGS (needs REPLICATION CLIENT or BINLOG MONITOR): %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("SHOW BINARY LOGS: %w", err)
	}
	if len(cols) < 2 {
		return nil, fmt.Errorf("SHOW BINARY LOGS returned columns %v, want Log_name, File_size", cols)
	}
	var f binlogFile
	dest := []any{&f.name, &f.size} // then MySQL 8's Encrypted, unused
	for range cols[2:] {
		dest = append(dest, new(sql.RawBytes))
	}
	var out []binlogFile
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("SHOW BINARY LOGS: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("SHOW BINARY LOGS: %w", err)
	}
	return out, nil
}
