package exportdir

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// Direction is one way changes flow in a live migration. Every piece of
// live state is kept per direction, so a direction is added as a value
// (fall-back's target → source, fall-forward's source → source-replica)
// with its own queue and records, not as a copy of code.
type Direction struct {
	Name  string // the key of its records: "source-to-target"
	Label string // as status commands show it: "source → target"
	Queue string // its change queue, under data/
}

// SourceToTarget is the forward direction of every live migration.
var SourceToTarget = Direction{Name: "source-to-target", Label: "source → target", Queue: "queue"}

// QueueDir is where a direction's change queue lives.
func (d *Dir) QueueDir(dir Direction) string { return d.Path(DataDir, filepath.FromSlash(dir.Queue)) }

// Role names one record of a direction. Each has one writer.
type Role string

// The records of a direction.
const (
	// RoleExporter: where the direction's change source resumes; written
	// by export data.
	RoleExporter Role = "exporter"
	// RoleQueue: how far the direction's queue is durable; written by
	// export data in the same transaction as RoleExporter.
	RoleQueue Role = "queue"
	// RoleImporter: how far the queue is applied, a copy of what the apply
	// target records with the data; written by import data after each
	// commit on the target, so it is never ahead of it.
	RoleImporter Role = "importer"
)

// Record is one role's value, saved as JSON.
type Record struct {
	Role  Role
	Value any
}

// Load reads the record of (dir, role); ok is false when there is none. A
// record that does not decode is an error, never a zero value.
func Load[T any](ctx context.Context, s *Store, dir Direction, role Role) (v T, ok bool, err error) {
	ok, err = s.loadJSON(ctx, "state", dir, role, &v)
	return v, ok, err
}

// SaveState writes records of one direction in one transaction: they are
// never seen apart.
func (s *Store) SaveState(ctx context.Context, dir Direction, recs ...Record) error {
	return s.saveJSON(ctx, "state", dir, recs)
}

// LoadMetrics reads the display metrics a role last published (rate, lag).
func LoadMetrics[T any](ctx context.Context, s *Store, dir Direction, role Role) (v T, ok bool, err error) {
	ok, err = s.loadJSON(ctx, "metrics", dir, role, &v)
	return v, ok, err
}

// SaveMetrics publishes a role's display metrics: a cache for status
// commands, never read back by the role itself.
func (s *Store) SaveMetrics(ctx context.Context, dir Direction, role Role, v any) error {
	return s.saveJSON(ctx, "metrics", dir, []Record{{role, v}})
}

func (s *Store) loadJSON(ctx context.Context, table string, dir Direction, role Role, v any) (bool, error) {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM `+table+` WHERE direction = ? AND role = ?`, dir.Name, string(role)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s %s of %s: %w", role, table, dir.Label, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("read %s %s of %s: %w", role, table, dir.Label, err)
	}
	return true, nil
}

func (s *Store) saveJSON(ctx context.Context, table string, dir Direction, recs []Record) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save %s of %s: %w", table, dir.Label, err)
	}
	defer tx.Rollback()
	for _, r := range recs {
		b, err := json.Marshal(r.Value)
		if err != nil {
			return fmt.Errorf("save %s %s of %s: %w", r.Role, table, dir.Label, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (direction, role, value, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (direction, role) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			dir.Name, string(r.Role), string(b), now()); err != nil {
			return fmt.Errorf("save %s %s of %s: %w", r.Role, table, dir.Label, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save %s of %s: %w", table, dir.Label, err)
	}
	return nil
}

// ForgetLive deletes every record, metric and the cutover record of a
// direction (export data --start-clean, or a live snapshot started over).
func (s *Store) ForgetLive(ctx context.Context, dir Direction) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("forget live state of %s: %w", dir.Label, err)
	}
	defer tx.Rollback()
	for _, t := range []string{"state", "metrics", "cutover"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE direction = ?`, dir.Name); err != nil {
			return fmt.Errorf("forget live state of %s: %w", dir.Label, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("forget live state of %s: %w", dir.Label, err)
	}
	return nil
}

// Cutover states, as cutover status prints them.
const (
	CutoverNotInitiated = "NOT INITIATED"
	CutoverInitiated    = "INITIATED"
	CutoverCompleted    = "COMPLETED"
)

// Cutover is the cutover record of a direction. Each field has one writer:
// Requested initiate cutover, Exported the direction's exporter (the end
// marker is durable in the queue and the source's stream released),
// Applied its importer (everything applied and the completion recorded on
// the apply target). Zero means not yet.
type Cutover struct {
	Requested, Exported, Applied time.Time
}

// Status is NOT INITIATED, INITIATED or COMPLETED.
func (c Cutover) Status() string {
	switch {
	case !c.Applied.IsZero():
		return CutoverCompleted
	case !c.Requested.IsZero():
		return CutoverInitiated
	}
	return CutoverNotInitiated
}

// Cutover reads the direction's cutover record (zero when none).
func (s *Store) Cutover(ctx context.Context, dir Direction) (Cutover, error) {
	var c Cutover
	var req, exp, app sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT requested_at, exported_at, applied_at FROM cutover WHERE direction = ?`, dir.Name).
		Scan(&req, &exp, &app)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read cutover of %s: %w", dir.Label, err)
	}
	for _, f := range []struct {
		v  sql.NullString
		at *time.Time
	}{{req, &c.Requested}, {exp, &c.Exported}, {app, &c.Applied}} {
		if !f.v.Valid {
			continue
		}
		if *f.at, err = time.Parse(time.RFC3339Nano, f.v.String); err != nil {
			return c, fmt.Errorf("read cutover of %s: %w", dir.Label, err)
		}
	}
	return c, nil
}

// RequestCutover records initiate cutover; a second request keeps the first time.
func (s *Store) RequestCutover(ctx context.Context, dir Direction) error {
	return s.markCutover(ctx, dir, "requested_at")
}

// MarkCutoverExported records that the direction's exporter has finished.
func (s *Store) MarkCutoverExported(ctx context.Context, dir Direction) error {
	return s.markCutover(ctx, dir, "exported_at")
}

// MarkCutoverApplied records that the direction's importer has finished.
func (s *Store) MarkCutoverApplied(ctx context.Context, dir Direction) error {
	return s.markCutover(ctx, dir, "applied_at")
}

// markCutover sets one field once (the column name is one of ours, never input).
func (s *Store) markCutover(ctx context.Context, dir Direction, column string) error {
	return s.exec(ctx, "record cutover of "+dir.Label,
		`INSERT INTO cutover (direction, `+column+`) VALUES (?, ?)
		ON CONFLICT (direction) DO UPDATE SET `+column+` = coalesce(cutover.`+column+`, excluded.`+column+`)`,
		dir.Name, now())
}
