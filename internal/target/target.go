// Package target defines what the importer needs from a target database.
// Implementations live in sub-packages (postgres serves YugabyteDB and any
// PostgreSQL-compatible database). The core rule every implementation keeps:
// a batch's rows and the record that the batch is done commit in ONE
// transaction, so after any crash the target itself says exactly which
// batches are in — never "half a batch", never "rows without the record".
package target

import (
	"context"
	"errors"
	"io"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Batch identifies one batch of one data file of one export run.
type Batch struct {
	MigrationUUID string
	ExportRunID   string
	FileName      string // base name under data/
	Table         sqlname.Table
	Columns       []string
	Start, End    int64 // byte range of the file
	Rows          int64
	FirstLine     int64 // 1-based line of the file where the batch starts
}

// TableCount is a per-table total of rows imported.
type TableCount struct {
	Table sqlname.Table
	Rows  int64
}

// Target is a PostgreSQL-compatible target database.
type Target interface {
	// IsYugabyte reports whether version() says YugabyteDB.
	IsYugabyte() bool
	// EnsureMetadata creates our metadata schema and tables if missing.
	EnsureMetadata(ctx context.Context) error
	// MissingTables returns the tables that do not exist on the target.
	MissingTables(ctx context.Context, tables []sqlname.Table) ([]sqlname.Table, error)
	// DoneBatches returns, per data file, the byte ranges (start -> end) already imported.
	DoneBatches(ctx context.Context, migrationUUID, exportRunID string) (map[string]map[int64]int64, error)
	// OtherRuns reports whether batches of another export run of this migration exist.
	OtherRuns(ctx context.Context, migrationUUID, exportRunID string) (bool, error)
	// ImportBatch loads the batch's bytes from r and records it, in one transaction.
	ImportBatch(ctx context.Context, b Batch, r io.Reader) error
	// ImportedRows sums imported rows per table for the migration.
	ImportedRows(ctx context.Context, migrationUUID string) ([]TableCount, error)
	// ForgetMigration deletes the migration's batch and change-apply
	// records (import data --start-clean, or an export that started over).
	ForgetMigration(ctx context.Context, migrationUUID string) error
	// Truncate empties the given tables.
	Truncate(ctx context.Context, tables []sqlname.Table) error
	// DropMetadata removes all of our metadata from the target (end migration).
	DropMetadata(ctx context.Context) error
	Close()
}

// ErrBatchAlreadyImported means the batch's record is already committed: an
// earlier attempt succeeded even if its reply was lost. It is success.
var ErrBatchAlreadyImported = errors.New("batch already imported")
