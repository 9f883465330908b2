// Package postgres is the PostgreSQL-protocol target: YugabyteDB YSQL and
// any PostgreSQL-compatible database. Bulk load is COPY FROM STDIN, one
// transaction per batch that also inserts the batch's row into
// ybvoyager_metadata, which is how exactly-once survives kill -9.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// MetadataSchema holds everything yb-voyager keeps on the target.
const MetadataSchema = "ybvoyager_metadata"

const batchesTable = MetadataSchema + ".ybvoyager_import_data_batches_metainfo"

// Target is a connection pool to the target database.
type Target struct {
	pool    *pgxpool.Pool
	version string
	yb      bool
	log     *slog.Logger
	types   columnTypes
	binary  binaryPlans
}

var _ target.Target = (*Target)(nil)

// bulkSettings apply to every import connection. session_replication_role
// = replica skips triggers and foreign-key checks during the bulk load (the
// source already enforced them); it needs superuser, as the documented
// ybvoyager user has, and is skipped with a warning otherwise.
// synchronous_commit = off is safe here: a batch and its record commit
// together, so a target crash can only lose both, and the rerun reloads
// what the target no longer records (the data files stay until end migration).
var bulkSettings = []string{
	"SET synchronous_commit = off",
	"SET client_encoding = 'UTF8'",
	"SET DateStyle = 'ISO, MDY'",
	"SET IntervalStyle = 'postgres'",
	"SET TimeZone = 'UTC'", // change filters compare values as text
	"SET extra_float_digits = 3",
	"SET statement_timeout = 0",
	"SET check_function_bodies = false",  // as pg_dump does: bodies may name objects created later
	"SET maintenance_work_mem = '256MB'", // post-data index builds
	"SET session_replication_role = replica",
}

// yugabyteSettings apply only when version() says YugabyteDB; each is best
// effort, since not every YugabyteDB release knows every setting.
var yugabyteSettings = []string{
	"SET yb_fast_path_for_colocated_copy = true",
}

// Open connects a pool of `size` connections with bulk-load settings.
func Open(ctx context.Context, cfg dbconn.Config, size int, log *slog.Logger) (*Target, error) {
	ccfg, err := cfg.PgxConfig()
	if err != nil {
		return nil, err
	}
	t := &Target{log: log}
	t.binary.off = os.Getenv("YB_VOYAGER_COPY_FORMAT") == "text"
	// Probe once so connection problems surface as one clear line, and learn
	// the server flavour before the pool's connections are set up.
	probe, err := pgx.ConnectConfig(ctx, ccfg.Copy())
	if err != nil {
		return nil, dbconn.Explain(cfg, err)
	}
	err = probe.QueryRow(ctx, "SELECT version()").Scan(&t.version)
	probe.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("read target version: %w", err)
	}
	t.yb = strings.Contains(t.version, "YugabyteDB")
	pcfg, _ := pgxpool.ParseConfig("")
	pcfg.ConnConfig = ccfg
	pcfg.MaxConns = int32(max(size, 1))
	pcfg.AfterConnect = t.setupSession
	if t.pool, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return nil, dbconn.Explain(cfg, err)
	}
	return t, nil
}

func (t *Target) setupSession(ctx context.Context, c *pgx.Conn) error {
	for _, q := range bulkSettings {
		if _, err := c.Exec(ctx, q); err != nil {
			if strings.Contains(q, "session_replication_role") && ctx.Err() == nil {
				t.log.Warn("target user cannot set session_replication_role; triggers and foreign keys stay active during import", "err", err)
				continue
			}
			return fmt.Errorf("target session setup (%s): %w", q, err)
		}
	}
	if t.yb {
		for _, q := range yugabyteSettings {
			if _, err := c.Exec(ctx, q); err != nil {
				t.log.Debug("YugabyteDB setting not available", "setting", q, "err", err)
			}
		}
	}
	return nil
}

// IsYugabyte reports whether the target is YugabyteDB.
func (t *Target) IsYugabyte() bool { return t.yb }

// Close closes the pool.
func (t *Target) Close() { t.pool.Close() }

// EnsureMetadata creates the metadata schema and batch table.
func (t *Target) EnsureMetadata(ctx context.Context) error {
	err := t.createIfMissing(ctx, `CREATE SCHEMA IF NOT EXISTS `+sqlname.Quote(MetadataSchema)+`;
		CREATE TABLE IF NOT EXISTS `+batchesTable+` (
			migration_uuid uuid   NOT NULL,
			export_run_id  text   NOT NULL,
			data_file_name text   NOT NULL,
			batch_start    bigint NOT NULL,
			batch_end      bigint NOT NULL,
			schema_name    text   NOT NULL,
			table_name     text   NOT NULL,
			rows_imported  bigint NOT NULL,
			imported_at    timestamptz NOT NULL DEFAULT now(),
			PRIMARY KEY (migration_uuid, export_run_id, data_file_name, batch_start)
		)`)
	if err != nil {
		return fmt.Errorf("create %s on target: %w", batchesTable, err)
	}
	return nil
}

// createIfMissing runs CREATE ... IF NOT EXISTS statements. Two processes
// creating the same object at once (import data and a status command on a
// fresh target) can both pass the IF NOT EXISTS test, and the loser gets a
// unique violation on the catalog; on its next try the object exists.
func (t *Target) createIfMissing(ctx context.Context, ddl string) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		_, err = t.pool.Exec(ctx, ddl)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "23505" && pgErr.Code != "42P07" && pgErr.Code != "42P06") {
			return err
		}
	}
	return err
}

// MissingTables checks each table with to_regclass.
func (t *Target) MissingTables(ctx context.Context, tables []sqlname.Table) ([]sqlname.Table, error) {
	var missing []sqlname.Table
	for _, tb := range tables {
		var ok bool
		if err := t.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, tb.Quoted()).Scan(&ok); err != nil {
			return nil, fmt.Errorf("check target table %s: %w", tb, err)
		}
		if !ok {
			missing = append(missing, tb)
		}
	}
	return missing, nil
}

// DoneBatches reads the committed batches of one export run.
func (t *Target) DoneBatches(ctx context.Context, migrationUUID, runID string) (map[string]map[int64]int64, error) {
	rows, err := t.pool.Query(ctx, `SELECT data_file_name, batch_start, batch_end FROM `+batchesTable+`
		WHERE migration_uuid = $1 AND export_run_id = $2`, migrationUUID, runID)
	if err != nil {
		return nil, fmt.Errorf("read imported batches: %w", err)
	}
	defer rows.Close()
	out := map[string]map[int64]int64{}
	for rows.Next() {
		var f string
		var s, e int64
		if err := rows.Scan(&f, &s, &e); err != nil {
			return nil, fmt.Errorf("read imported batches: %w", err)
		}
		if out[f] == nil {
			out[f] = map[int64]int64{}
		}
		out[f][s] = e
	}
	return out, rows.Err()
}

// OtherRuns reports whether an earlier export run's batches are recorded.
func (t *Target) OtherRuns(ctx context.Context, migrationUUID, runID string) (bool, error) {
	var n int64
	err := t.pool.QueryRow(ctx, `SELECT count(*) FROM `+batchesTable+` WHERE migration_uuid = $1 AND export_run_id <> $2`,
		migrationUUID, runID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read imported batches: %w", err)
	}
	return n > 0, nil
}

// ImportedRows sums rows per table.
func (t *Target) ImportedRows(ctx context.Context, migrationUUID string) ([]target.TableCount, error) {
	rows, err := t.pool.Query(ctx, `SELECT schema_name, table_name, sum(rows_imported)::bigint FROM `+batchesTable+`
		WHERE migration_uuid = $1 GROUP BY 1, 2 ORDER BY 1, 2`, migrationUUID)
	if err != nil {
		return nil, fmt.Errorf("read imported rows: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (target.TableCount, error) {
		var c target.TableCount
		err := r.Scan(&c.Table.Schema, &c.Table.Name, &c.Rows)
		return c, err
	})
}

// ForgetMigration deletes the migration's batch records and its change
// apply records (a new export run numbers its changes from 1 again).
func (t *Target) ForgetMigration(ctx context.Context, migrationUUID string) error {
	if _, err := t.pool.Exec(ctx, `DELETE FROM `+batchesTable+` WHERE migration_uuid = $1`, migrationUUID); err != nil {
		return fmt.Errorf("forget imported batches: %w", err)
	}
	if err := t.ensureCDC(ctx); err != nil {
		return err
	}
	for _, tbl := range []string{channelsTable, cdcStateTable, cdcStatsTable} {
		if _, err := t.pool.Exec(ctx, `DELETE FROM `+tbl+` WHERE migration_uuid = $1`, migrationUUID); err != nil {
			return fmt.Errorf("forget applied changes: %w", err)
		}
	}
	return nil
}

// Truncate empties tables in one statement.
func (t *Target) Truncate(ctx context.Context, tables []sqlname.Table) error {
	if len(tables) == 0 {
		return nil
	}
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Quoted())
	}
	if _, err := t.pool.Exec(ctx, `TRUNCATE `+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("truncate target tables: %w", err)
	}
	return nil
}

// DropMetadata removes the metadata schema.
func (t *Target) DropMetadata(ctx context.Context) error {
	if _, err := t.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+sqlname.Quote(MetadataSchema)+` CASCADE`); err != nil {
		return fmt.Errorf("drop %s on target: %w", MetadataSchema, err)
	}
	return nil
}

// Exec runs one statement with the simple protocol in its own transaction
// (schema DDL: some statements cannot run inside a transaction block).
func (t *Target) Exec(ctx context.Context, sql string) error {
	_, err := t.pool.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	return err
}

// RowCount counts a table's rows (reports' final row count).
func (t *Target) RowCount(ctx context.Context, tb sqlname.Table) (int64, error) {
	var n int64
	if err := t.pool.QueryRow(ctx, `SELECT count(*) FROM `+tb.Quoted()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count rows of %s on the target: %w", tb, err)
	}
	return n, nil
}
