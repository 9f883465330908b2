package exportdir

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Releases before 2026-12 kept a live migration's state as JSON blobs in a
// key-value table. upgradeLegacy moves them, once and in one transaction,
// into the records of the source → target direction, so an export
// directory made mid-migration by such a release resumes where it stopped.
// The field names written here are those of exporter.Checkpoint,
// queue.Mark and importer.Progress (exporter's upgrade test reads them
// back with those types).

// legacyLive is the old live_state record.
type legacyLive struct {
	Slot            string          `json:"slot"`
	Publication     string          `json:"publication"`
	ConsistentPoint string          `json:"consistent_point"`
	SnapshotDone    bool            `json:"snapshot_done"`
	DurableLSN      string          `json:"durable_lsn"`
	QueuePos        json.RawMessage `json:"queue_position"`
	EndWritten      bool            `json:"end_written"`
	Finished        bool            `json:"finished"`
	Binlog          json.RawMessage `json:"binlog"`
	Events          int64           `json:"events"`
	ByOp            json.RawMessage `json:"by_op"`
	ByTable         json.RawMessage `json:"by_table"`
}

var legacyKeys = []string{"live_state", "cutover", "cutover_completed", "cdc_applied", "cdc_export_stats", "cdc_import_stats"}

func (s *Store) upgradeLegacy(ctx context.Context) error {
	old := map[string]string{}
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM kv`)
	if err != nil {
		return fmt.Errorf("read live state of an earlier release: %w", err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return fmt.Errorf("read live state of an earlier release: %w", err)
		}
		old[k] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read live state of an earlier release: %w", err)
	}
	if len(old) == 0 {
		return nil
	}
	if err := s.convertLegacy(ctx, old); err != nil {
		return fmt.Errorf("this export directory holds live-migration state written by an earlier yb-voyager release that cannot be converted (%w): "+
			"finish the migration with that release, or start it again with export data --start-clean", err)
	}
	return nil
}

func (s *Store) convertLegacy(ctx context.Context, old map[string]string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	dir := SourceToTarget
	put := func(table string, role Role, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO `+table+` (direction, role, value, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (direction, role) DO UPDATE SET value = excluded.value`, dir.Name, string(role), string(b), now())
		return err
	}
	if v, ok := old["live_state"]; ok {
		if err := convertLive(ctx, tx, v, put); err != nil {
			return err
		}
	}
	for key, role := range map[string]Role{"cdc_export_stats": RoleExporter, "cdc_import_stats": RoleImporter} {
		if v, ok := old[key]; ok {
			if err := put("metrics", role, json.RawMessage(v)); err != nil {
				return err
			}
		}
	}
	if v, ok := old["cdc_applied"]; ok {
		if !json.Valid([]byte(v)) {
			return errors.New("cdc_applied is not JSON")
		}
		if err := put("state", RoleImporter, json.RawMessage(v)); err != nil {
			return err
		}
	}
	if err := convertCutover(ctx, tx, old); err != nil {
		return err
	}
	for _, k := range legacyKeys {
		delete(old, k)
	}
	for k := range old {
		return fmt.Errorf("unknown key %q", k)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM kv`); err != nil {
		return err
	}
	return tx.Commit()
}

func convertLive(ctx context.Context, tx *sql.Tx, v string, put func(string, Role, any) error) error {
	var l legacyLive
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return fmt.Errorf("live_state: %w", err)
	}
	var engine string
	if err := tx.QueryRowContext(ctx, `SELECT source_db_type FROM migration WHERE id = 1`).Scan(&engine); err != nil {
		return fmt.Errorf("live_state without a migration record: %w", err)
	}
	cp := map[string]any{"engine": engine, "snapshot_done": l.SnapshotDone}
	switch {
	case l.Slot != "": // PostgreSQL: slot and publication share the stream's name
		if l.Publication != l.Slot {
			return fmt.Errorf("slot %q and publication %q differ", l.Slot, l.Publication)
		}
		cp["stream"], cp["holds_server_state"] = l.Slot, true
		cp["start"], cp["resume"] = l.ConsistentPoint, l.DurableLSN
	case len(l.Binlog) > 0 && string(l.Binlog) != "null": // MySQL: the binlog position it resumes from
		cp["start"], cp["resume"] = l.Binlog, l.Binlog
	}
	mark := map[string]any{"ended": l.EndWritten, "counts": map[string]any{"events": l.Events, "by_op": l.ByOp, "by_table": l.ByTable}}
	if len(l.QueuePos) > 0 {
		mark["position"] = l.QueuePos
	}
	if err := put("state", RoleExporter, cp); err != nil {
		return err
	}
	if err := put("state", RoleQueue, mark); err != nil {
		return err
	}
	if l.Finished {
		_, err := tx.ExecContext(ctx, `INSERT INTO cutover (direction, exported_at) VALUES (?, ?)
			ON CONFLICT (direction) DO UPDATE SET exported_at = excluded.exported_at`, SourceToTarget.Name, now())
		return err
	}
	return nil
}

func convertCutover(ctx context.Context, tx *sql.Tx, old map[string]string) error {
	if v, ok := old["cutover"]; ok && v == "requested" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cutover (direction, requested_at) VALUES (?, ?)
			ON CONFLICT (direction) DO UPDATE SET requested_at = excluded.requested_at`, SourceToTarget.Name, now()); err != nil {
			return err
		}
	}
	if v, ok := old["cutover_completed"]; ok && v != "" {
		at, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return fmt.Errorf("cutover_completed: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cutover (direction, applied_at) VALUES (?, ?)
			ON CONFLICT (direction) DO UPDATE SET applied_at = excluded.applied_at`, SourceToTarget.Name, at.UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
	}
	return nil
}
