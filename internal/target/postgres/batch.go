package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// ImportBatch records the batch and COPYs its bytes in one transaction. The
// record goes first: if an earlier attempt committed, the primary key
// rejects the duplicate before any data is sent.
func (t *Target) ImportBatch(ctx context.Context, b target.Batch, r io.Reader) error {
	return pgx.BeginFunc(ctx, t.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO `+batchesTable+` (migration_uuid, export_run_id, data_file_name, batch_start, batch_end,
			schema_name, table_name, rows_imported) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			b.MigrationUUID, b.ExportRunID, b.FileName, b.Start, b.End, b.Table.Schema, b.Table.Name, b.Rows)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return target.ErrBatchAlreadyImported
		}
		if err != nil {
			return fmt.Errorf("record batch: %w", err)
		}
		q := "COPY " + b.Table.Quoted() + " (" + sqlname.QuoteList(b.Columns) + ") FROM STDIN"
		tag, err := tx.Conn().PgConn().CopyFrom(ctx, r, q)
		if err != nil {
			return &target.DataError{Batch: b, Err: err}
		}
		if tag.RowsAffected() != b.Rows {
			return fmt.Errorf("COPY loaded %d rows, the batch has %d", tag.RowsAffected(), b.Rows)
		}
		return nil
	})
}
