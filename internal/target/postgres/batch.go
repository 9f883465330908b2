package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
	"github.com/yugabyte/yb-voyager-go/internal/target/postgres/copybin"
)

// ImportBatch records the batch and COPYs its rows in one transaction.
// Tables whose column types all have a binary fast path are sent as COPY
// binary, converted on the fly; a batch the converter or the server does not
// take that way is loaded again as text in a fresh transaction, so the
// target's own text parser has the last word and reports any real data
// error.
func (t *Target) ImportBatch(ctx context.Context, b target.Batch, r io.Reader) error {
	plan := t.binary.plan(ctx, t.pool, b.Table, b.Columns)
	seeker, canRewind := r.(io.Seeker)
	if plan == nil || !canRewind {
		return t.importBatch(ctx, b, r, "")
	}
	rd := plan.Reader(r)
	err := t.importBatch(ctx, b, rd, " (FORMAT binary)")
	if err == nil {
		// Only then: a COPY that failed may leave pgx's sender reading it.
		copybin.Release(rd)
	}
	if err == nil || errors.Is(err, target.ErrBatchAlreadyImported) || dbconn.IsTransient(err) || ctx.Err() != nil {
		return err
	}
	t.binary.failed(b.Table, b.Columns)
	t.log.Debug("batch loaded as text instead of binary", "table", b.Table.String(), "file", b.FileName, "batch_start", b.Start, "reason", err)
	if _, serr := seeker.Seek(0, io.SeekStart); serr != nil {
		return fmt.Errorf("rewind batch for a text load: %w", serr)
	}
	return t.importBatch(ctx, b, r, "")
}

func (t *Target) importBatch(ctx context.Context, b target.Batch, r io.Reader, format string) error {
	// The record goes first: if an earlier attempt committed, the primary
	// key rejects the duplicate before any data is sent.
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
		q := "COPY " + b.Table.Quoted() + " (" + sqlname.QuoteList(b.Columns) + ") FROM STDIN" + format
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
