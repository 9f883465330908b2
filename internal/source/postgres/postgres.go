// Package postgres is the PostgreSQL source: it discovers tables, opens one
// exported snapshot shared by all worker connections, splits tables into
// chunks (ctid block ranges on PostgreSQL 14+, primary-key ranges before
// that) and streams each chunk with COPY ... TO STDOUT in text format, which
// is exactly what the target's COPY FROM STDIN reads.
package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Source is a PostgreSQL source database.
type Source struct {
	cfg     dbconn.Config
	conn    *pgx.Conn // catalog queries
	version int       // server_version_num
}

var _ source.Source = (*Source)(nil)

// sessionSettings make COPY output unambiguous and identical whatever the
// server's defaults: ISO dates, UTC, exact floats, hex bytea.
var sessionSettings = append([]string{
	"SET statement_timeout = 0",
	"SET lock_timeout = 0",
	"SET idle_in_transaction_session_timeout = 0",
}, datafile.TextSettingsSQL()...)

// Open connects to the source and checks the selected schemas exist.
func Open(ctx context.Context, cfg dbconn.Config) (*Source, error) {
	if len(cfg.Schemas) == 0 {
		cfg.Schemas = []string{"public"}
	}
	conn, err := connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &Source{cfg: cfg, conn: conn}
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&s.version); err != nil {
		s.Close()
		return nil, fmt.Errorf("read source server version: %w", err)
	}
	if err := s.checkSchemas(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func connect(ctx context.Context, cfg dbconn.Config) (*pgx.Conn, error) {
	conn, err := cfg.Connect(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range sessionSettings {
		if _, err := conn.Exec(ctx, q); err != nil {
			conn.Close(ctx)
			return nil, fmt.Errorf("source session setup (%s): %w", q, err)
		}
	}
	return conn, nil
}

func (s *Source) checkSchemas(ctx context.Context) error {
	rows, err := s.conn.Query(ctx, `SELECT s FROM unnest($1::text[]) s WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = s)`, s.cfg.Schemas)
	if err != nil {
		return fmt.Errorf("check source schemas: %w", err)
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("check source schemas: %w", err)
	}
	if len(missing) > 0 {
		return fmt.Errorf("schema %s not found in source database %q: check --source-db-schema (a comma-separated list of schema names)",
			strings.Join(missing, ", "), s.cfg.DBName)
	}
	return nil
}

// Reconnect replaces the catalog connection (after the server restarted).
func (s *Source) Reconnect(ctx context.Context) error {
	conn, err := connect(ctx, s.cfg)
	if err != nil {
		return err
	}
	if s.conn != nil {
		s.conn.Close(ctx)
	}
	s.conn = conn
	return nil
}

// Close releases the catalog connection.
func (s *Source) Close() {
	if s.conn != nil {
		s.conn.Close(context.Background())
	}
}

// Identity is the cluster's system identifier plus the database name, so the
// same database reached through another host name is still recognised.
func (s *Source) Identity(ctx context.Context) (string, error) {
	var sysid string
	err := s.conn.QueryRow(ctx, `SELECT system_identifier::text FROM pg_control_system()`).Scan(&sysid)
	if err != nil {
		// pg_control_system may be restricted; fall back to the address.
		return fmt.Sprintf("postgresql://%s:%d/%s", s.cfg.Host, s.cfg.Port, s.cfg.DBName), nil
	}
	return "postgresql:" + sysid + "/" + s.cfg.DBName, nil
}

// ListTables resolves the include/exclude patterns over the selected schemas.
func (s *Source) ListTables(ctx context.Context, include, exclude []sqlname.Pattern) ([]source.Table, error) {
	all, err := s.allTables(ctx)
	if err != nil {
		return nil, err
	}
	selected, err := source.Select(all, include, exclude, s.cfg.Schemas)
	if err != nil {
		return nil, err
	}
	out := make([]source.Table, 0, len(selected))
	for _, t := range selected {
		full, err := s.describe(ctx, t)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

func (s *Source) allTables(ctx context.Context) ([]sqlname.Table, error) {
	rows, err := s.conn.Query(ctx, `
		SELECT n.nspname, c.relname
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1)
		ORDER BY array_position($1, n.nspname::text), c.relname`, s.cfg.Schemas)
	if err != nil {
		return nil, fmt.Errorf("list source tables: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (sqlname.Table, error) {
		var t sqlname.Table
		err := r.Scan(&t.Schema, &t.Name)
		return t, err
	})
}

func (s *Source) describe(ctx context.Context, t sqlname.Table) (source.Table, error) {
	out := source.Table{Name: t}
	rel := sqlname.QuoteLiteral(t.Quoted())
	rows, err := s.conn.Query(ctx, `SELECT attname FROM pg_attribute
		WHERE attrelid = `+rel+`::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
		ORDER BY attnum`)
	if err != nil {
		return out, fmt.Errorf("columns of %s: %w", t, err)
	}
	if out.Columns, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return out, fmt.Errorf("columns of %s: %w", t, err)
	}
	rows, err = s.conn.Query(ctx, `SELECT a.attname FROM pg_index i
		CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = `+rel+`::regclass AND i.indisprimary ORDER BY k.ord`)
	if err != nil {
		return out, fmt.Errorf("primary key of %s: %w", t, err)
	}
	if out.PrimaryKey, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return out, fmt.Errorf("primary key of %s: %w", t, err)
	}
	rows, err = s.conn.Query(ctx, `SELECT n.nspname, c.relname FROM pg_partition_tree(`+rel+`::regclass) p
		JOIN pg_class c ON c.oid = p.relid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE p.isleaf AND c.relkind = 'r' ORDER BY p.level, c.relname`)
	if err != nil {
		return out, fmt.Errorf("partitions of %s: %w", t, err)
	}
	out.Relations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (sqlname.Table, error) {
		var p sqlname.Table
		err := r.Scan(&p.Schema, &p.Name)
		return p, err
	})
	if err != nil {
		return out, fmt.Errorf("partitions of %s: %w", t, err)
	}
	if len(out.Relations) == 0 {
		out.Relations = []sqlname.Table{t} // a plain table is its own storage
	}
	err = s.conn.QueryRow(ctx, `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_class c
		WHERE c.oid = ANY($1::regclass[])`, quotedNames(out.Relations)).Scan(&out.EstRows)
	if err != nil {
		return out, fmt.Errorf("row estimate of %s: %w", t, err)
	}
	rels := append(quotedNames(out.Relations), t.Quoted())
	err = s.conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_index WHERE indrelid = ANY($1::regclass[])
		AND indisunique AND NOT indisprimary)`, rels).Scan(&out.HasUniqueKeys)
	if err != nil {
		return out, fmt.Errorf("unique keys of %s: %w", t, err)
	}
	return out, nil
}

func quotedNames(ts []sqlname.Table) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Quoted()
	}
	return out
}
