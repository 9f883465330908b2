package exportdir

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is the metainfo store: the exporter side's durable state, in
// metainfo/meta.db. Writers and readers may be different processes (export
// data and import data run at the same time), so the database runs in WAL
// mode with a busy timeout, and every state change is a single transaction.
type Store struct {
	db *sql.DB
}

const schemaDDL = `
CREATE TABLE IF NOT EXISTS migration (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	migration_uuid  TEXT NOT NULL,
	export_run_id   TEXT NOT NULL DEFAULT '',
	source_db_type  TEXT NOT NULL DEFAULT '',
	source_identity TEXT NOT NULL DEFAULT '',
	source_settings TEXT NOT NULL DEFAULT '{}',
	target_settings TEXT NOT NULL DEFAULT '{}',
	export_type     TEXT NOT NULL DEFAULT '',
	export_status   TEXT NOT NULL DEFAULT '',
	plan_complete   INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
	table_name   TEXT PRIMARY KEY,
	schema_name  TEXT NOT NULL,
	name         TEXT NOT NULL,
	columns_json TEXT NOT NULL,
	pk_json      TEXT NOT NULL DEFAULT '[]',
	est_rows     INTEGER NOT NULL DEFAULT 0,
	unique_keys  INTEGER NOT NULL DEFAULT 0,
	ordinal      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
	file_name   TEXT PRIMARY KEY,
	table_name  TEXT NOT NULL REFERENCES tables(table_name),
	relation    TEXT NOT NULL,
	chunk_no    INTEGER NOT NULL,
	filter      TEXT NOT NULL,
	status      TEXT NOT NULL,
	rows        INTEGER NOT NULL DEFAULT 0,
	bytes       INTEGER NOT NULL DEFAULT 0,
	finished_at TEXT
);
CREATE INDEX IF NOT EXISTS chunks_by_table ON chunks(table_name, chunk_no);
CREATE TABLE IF NOT EXISTS state (
	direction  TEXT NOT NULL,
	role       TEXT NOT NULL,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (direction, role)
);
CREATE TABLE IF NOT EXISTS metrics (
	direction  TEXT NOT NULL,
	role       TEXT NOT NULL,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (direction, role)
);
CREATE TABLE IF NOT EXISTS cutover (
	direction    TEXT PRIMARY KEY,
	requested_at TEXT,
	exported_at  TEXT,
	applied_at   TEXT
);
`

// legacyDDL is the key-value table earlier releases kept live state in;
// upgradeLegacy moves what it holds into the tables above.
const legacyDDL = `CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);`

// OpenStore opens (creating if needed) the metainfo store of d.
func (d *Dir) OpenStore() (*Store, error) {
	p := d.Path(MetainfoDir, "meta.db")
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	db, err := sql.Open("sqlite", "file:"+p+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open metainfo store %s: %w", p, err)
	}
	// One connection per process: SQLite serialises writers anyway, and a single
	// connection makes every write from this process a clean queue.
	db.SetMaxOpenConns(1)
	if err := initSchema(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("initialise metainfo store %s: %w", p, err)
	}
	st := &Store{db: db}
	if err := st.upgradeLegacy(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return st, nil
}

// initSchema creates the tables. Switching a new database to WAL needs an
// exclusive lock and SQLite does not wait for it (the busy timeout does not
// apply), so two processes opening a brand-new store at once retry here.
func initSchema(db *sql.DB) error {
	var err error
	for attempt := 0; attempt < 100; attempt++ {
		if _, err = db.Exec(schemaDDL + legacyDDL); err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") && !strings.Contains(err.Error(), "database is locked") {
			return err
		}
		time.Sleep(time.Duration(10+attempt*5) * time.Millisecond)
	}
	return err
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Migration is the one migration an export directory belongs to.
type Migration struct {
	UUID           string
	ExportRunID    string // changes on export data --start-clean; keys import batches
	SourceDBType   string
	SourceIdentity string
	SourceSettings string // JSON, never contains secrets
	TargetSettings string // JSON, never contains secrets
	ExportType     string
	ExportStatus   string
	PlanComplete   bool
	CreatedAt      time.Time
}

// Export statuses.
const (
	ExportNotStarted = ""
	ExportRunning    = "RUNNING"
	ExportStreaming  = "STREAMING" // live export: snapshot done, changes flowing
	ExportDone       = "DONE"
)

// ErrNoMigration means nothing has been exported into this directory yet.
var ErrNoMigration = errors.New("no migration recorded in this export directory")

// Migration returns the migration record, or ErrNoMigration.
func (s *Store) Migration(ctx context.Context) (*Migration, error) {
	var m Migration
	var created string
	var plan int
	err := s.db.QueryRowContext(ctx, `SELECT migration_uuid, export_run_id, source_db_type, source_identity,
		source_settings, target_settings, export_type, export_status, plan_complete, created_at FROM migration WHERE id = 1`).
		Scan(&m.UUID, &m.ExportRunID, &m.SourceDBType, &m.SourceIdentity, &m.SourceSettings, &m.TargetSettings,
			&m.ExportType, &m.ExportStatus, &plan, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoMigration
	}
	if err != nil {
		return nil, fmt.Errorf("read migration record: %w", err)
	}
	m.PlanComplete = plan == 1
	m.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return &m, nil
}

// EnsureMigration returns the existing migration record, creating one with a
// fresh migration UUID if the directory is new.
func (s *Store) EnsureMigration(ctx context.Context) (*Migration, error) {
	m, err := s.Migration(ctx)
	if err == nil || !errors.Is(err, ErrNoMigration) {
		return m, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err = s.db.ExecContext(ctx, `INSERT INTO migration (id, migration_uuid, export_run_id, created_at, updated_at)
		VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, uuid.NewString(), uuid.NewString(), now, now)
	if err != nil {
		return nil, fmt.Errorf("create migration record: %w", err)
	}
	return s.Migration(ctx)
}

// SetSource records which source database this directory is for.
func (s *Store) SetSource(ctx context.Context, dbType, identity, settingsJSON string) error {
	return s.exec(ctx, "record source", `UPDATE migration SET source_db_type = ?, source_identity = ?, source_settings = ?, updated_at = ? WHERE id = 1`,
		dbType, identity, settingsJSON, now())
}

// OfflineIdentity is the identity of a schema read from DDL files: it
// names no database, so the first database the directory meets becomes
// its source, and DDL files may be read again for the database it has.
func OfflineIdentity(dbType, schemas string) string {
	return fmt.Sprintf("%s schema %s%s", dbType, schemas, offlineMark)
}

const offlineMark = " (from DDL files)"

// RecordSource ties the directory to its source database (creating the
// migration record if needed), refusing another source than the one it
// was made for.
func (s *Store) RecordSource(ctx context.Context, root, dbType, identity, settingsJSON string) error {
	m, err := s.EnsureMigration(ctx)
	if err != nil {
		return err
	}
	sameType := m.SourceDBType == dbType
	switch {
	case sameType && strings.HasSuffix(identity, offlineMark) && m.SourceIdentity != "":
		return nil // DDL files for the database already recorded: it stays
	case sameType && strings.HasSuffix(m.SourceIdentity, offlineMark):
		m.SourceIdentity = "" // the first database after DDL files
	}
	if m.SourceIdentity != "" && m.SourceIdentity != identity {
		return fmt.Errorf("export directory %s belongs to another source database (%s): use a new, empty --export-dir for this one",
			root, m.SourceIdentity)
	}
	return s.SetSource(ctx, dbType, identity, settingsJSON)
}

// SetTarget records the target settings (no secrets).
func (s *Store) SetTarget(ctx context.Context, settingsJSON string) error {
	return s.exec(ctx, "record target", `UPDATE migration SET target_settings = ?, updated_at = ? WHERE id = 1`, settingsJSON, now())
}

// SetExportStatus records the export phase.
func (s *Store) SetExportStatus(ctx context.Context, exportType, status string) error {
	return s.exec(ctx, "record export status", `UPDATE migration SET export_type = ?, export_status = ?, updated_at = ? WHERE id = 1`,
		exportType, status, now())
}

// ResetExport forgets all exported tables and chunks and starts a new export
// run (export data --start-clean). The migration UUID is kept.
func (s *Store) ResetExport(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reset export state: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM chunks`, `DELETE FROM tables`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset export state: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE migration SET export_run_id = ?, export_status = '', plan_complete = 0, updated_at = ? WHERE id = 1`,
		uuid.NewString(), now()); err != nil {
		return fmt.Errorf("reset export state: %w", err)
	}
	return tx.Commit()
}

func (s *Store) exec(ctx context.Context, what, q string, args ...any) error {
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }
