package exporter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	srcmy "github.com/yugabyte/yb-voyager-go/internal/source/mysql"
	srcpg "github.com/yugabyte/yb-voyager-go/internal/source/postgres"
)

// LiveSource is what a live (snapshot-and-changes) export needs from the
// source. PostgreSQL implements it with a pgoutput slot.
type LiveSource interface {
	source.Source
	CheckLive(ctx context.Context, tables []source.Table) error
	CreateSlot(ctx context.Context, slot, publication string, tables []source.Table) (srcpg.Slot, string, *pgconn.PgConn, error)
	JoinSnapshot(ctx context.Context, name string, workers int) (source.Snapshot, error)
	Stream(ctx context.Context, o srcpg.StreamOptions, sink srcpg.Sink) error
	DropSlot(ctx context.Context, slot, publication string) error
	SequenceValues(ctx context.Context) (map[string]int64, error)
	EmitMarker(ctx context.Context, prefix, content string) error
	Reconnect(ctx context.Context) error
}

// LiveState is the exporter's durable record of a live export, in the
// metainfo store under LiveStateKey. QueuePos and DurableLSN move together:
// every event of every transaction that ends at or before DurableLSN is in
// the queue before QueuePos, fsync'd.
type LiveState struct {
	Slot            string         `json:"slot"`
	Publication     string         `json:"publication"`
	ConsistentPoint string         `json:"consistent_point"`
	SnapshotDone    bool           `json:"snapshot_done"`
	DurableLSN      string         `json:"durable_lsn"`
	QueuePos        queue.Position `json:"queue_position"`
	EndWritten      bool           `json:"end_written"` // the end marker is in the queue (durable)
	Finished        bool           `json:"finished"`    // end marker written, slot dropped
	// Binlog is, for a MySQL source, the binlog position after the last
	// transaction before QueuePos (where streaming resumes).
	Binlog *srcmy.BinlogPosition `json:"binlog,omitempty"`
	// Counts of the events before QueuePos, saved with it so they stay exact across crashes.
	Events  int64                `json:"events"`
	ByOp    map[string]int64     `json:"by_op,omitempty"`
	ByTable map[string]*[3]int64 `json:"by_table,omitempty"`
}

// Keys in the metainfo store.
const (
	LiveStateKey     = "live_state"
	CutoverKey       = "cutover"          // "requested" once initiate cutover ran
	ExportStatsKey   = "cdc_export_stats" // ExportStats JSON
	CutoverRequested = "requested"
	cutoverPrefix    = "ybvoyager_cutover"
)

// LoadLiveState reads the live state; ok is false before the first live run.
func LoadLiveState(ctx context.Context, st *exportdir.Store) (LiveState, bool, error) {
	var s LiveState
	v, ok, err := st.KV(ctx, LiveStateKey)
	if err != nil || !ok {
		return s, ok, err
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return s, false, fmt.Errorf("read live export state: %w", err)
	}
	return s, true, nil
}

func saveLiveState(ctx context.Context, st *exportdir.Store, s LiveState) error {
	b, _ := json.Marshal(s)
	return st.SetKV(ctx, LiveStateKey, string(b))
}

// QueueDir is where the change queue lives.
func QueueDir(d *exportdir.Dir) string { return d.Path(exportdir.DataDir, "queue") }

// loadForRun loads the live state for a new export run: a migration that
// is already cut over has nothing more to export.
func loadForRun(ctx context.Context, st *exportdir.Store) (LiveState, bool, error) {
	state, ok, err := LoadLiveState(ctx, st)
	if err == nil && ok && state.Finished {
		err = errors.New("this live migration has already been cut over: nothing more to export")
	}
	return state, ok, err
}

// RunLive runs a snapshot-and-changes export: snapshot at a fresh slot's
// consistent point, then changes from that slot into the queue, until
// cutover. A rerun resumes streaming from the durable position; a run that
// died during the snapshot starts the snapshot over.
func RunLive(ctx context.Context, o Options, src LiveSource, migrationUUID string) (Summary, error) {
	var sum Summary
	state, ok, err := loadForRun(ctx, o.Store)
	if err != nil {
		return sum, err
	}
	if !ok || !state.SnapshotDone {
		if state, sum, err = liveSnapshot(ctx, o, src, migrationUUID, state, ok); err != nil {
			return sum, err
		}
	}
	o.Progress.Wait() // the snapshot's bars are done; CDC prints metric lines
	if err := o.Store.SetExportStatus(ctx, "snapshot-and-changes", exportdir.ExportStreaming); err != nil {
		return sum, err
	}
	return sum, streamUntilCutover(ctx, o, src, state, migrationUUID)
}

// streamUntilCutover streams, and when the source goes away (restart,
// network), reconnects with backoff and resumes from the durable position:
// the in-memory position is dropped and re-read from the store.
func streamUntilCutover(ctx context.Context, o Options, src LiveSource, state LiveState, uuid string) error {
	if state.EndWritten { // stopped after the end marker, before dropping the slot
		return newSink(ctx, o, src, state, uuid).finish(context.WithoutCancel(ctx))
	}
	delay := time.Second
	for {
		started := time.Now()
		err := stream(ctx, o, src, state, uuid)
		if err == nil || ctx.Err() != nil || !dbconn.IsTransient(err) {
			return err
		}
		if time.Since(started) > time.Minute {
			delay = time.Second
		}
		o.Log.Warn("lost the source; reconnecting", "err", err, "in", delay)
		fmt.Fprintf(o.Out, "Lost the source connection (%v): reconnecting in %s.\n", err, delay)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return ctx.Err()
		}
		delay = min(delay*2, 30*time.Second)
		if err := src.Reconnect(ctx); err != nil {
			o.Log.Warn("reconnect failed", "err", err)
			continue
		}
		fresh, _, err := LoadLiveState(ctx, o.Store)
		if err != nil {
			return err
		}
		state = fresh
	}
}

// liveSnapshot (re)starts the live export: slot, publication, snapshot.
func liveSnapshot(ctx context.Context, o Options, src LiveSource, migrationUUID string, old LiveState, hadOld bool) (LiveState, Summary, error) {
	var sum Summary
	if hadOld {
		o.Log.Warn("the previous live export stopped during its snapshot; starting it again", "slot", old.Slot)
		fmt.Fprintln(o.Out, "The previous export stopped during its snapshot: exporting the snapshot again.")
		if err := src.DropSlot(ctx, old.Slot, old.Publication); err != nil {
			return old, sum, err
		}
		if err := o.Store.ResetExport(ctx); err != nil {
			return old, sum, err
		}
		if err := o.Store.SetExportStatus(ctx, "snapshot-and-changes", exportdir.ExportRunning); err != nil {
			return old, sum, err
		}
		if err := o.Dir.ClearData(); err != nil {
			return old, sum, err
		}
	}
	tables, err := src.ListTables(ctx, o.Include, o.Exclude)
	if err != nil {
		return old, sum, err
	}
	if err := src.CheckLive(ctx, tables); err != nil {
		return old, sum, err
	}
	name := "ybvoyager_" + strings.ReplaceAll(migrationUUID, "-", "")[:16]
	srcpg.BlockerReport = func(msg string) {
		o.Log.Warn(msg)
		fmt.Fprintln(o.Out, "Snapshot: "+msg)
	}
	slot, snapName, repl, err := src.CreateSlot(ctx, name, name, tables)
	if err != nil {
		_ = src.DropSlot(ctx, "", name)
		return old, sum, err
	}
	defer repl.Close(context.WithoutCancel(ctx))
	state := LiveState{Slot: slot.Name, Publication: slot.Publication, ConsistentPoint: slot.ConsistentPoint.String(),
		DurableLSN: slot.ConsistentPoint.String()}
	if err := saveLiveState(ctx, o.Store, state); err != nil {
		return state, sum, err
	}
	snap, err := src.JoinSnapshot(ctx, snapName, o.Workers)
	if err != nil {
		return state, sum, err
	}
	defer snap.Close(context.WithoutCancel(ctx))
	if err := savePlan(ctx, o, snap, tables); err != nil {
		return state, sum, err
	}
	if sum, err = exportPlanned(ctx, o, snap); err != nil {
		return state, sum, err
	}
	state.SnapshotDone = true
	if err := saveLiveState(ctx, o.Store, state); err != nil {
		return state, sum, err
	}
	o.Log.Info("live snapshot exported", "consistent_point", state.ConsistentPoint, "rows", sum.Rows)
	return state, sum, nil
}

func parseLSN(s string) pglogrepl.LSN {
	lsn, _ := pglogrepl.ParseLSN(s)
	return lsn
}
