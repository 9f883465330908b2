package exporter

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// The live export, the same for every engine and every direction: a
// snapshot at the change source's start position, then its changes into
// the direction's queue until cutover. A rerun resumes streaming from the
// checkpoint; a run that died during the snapshot starts the snapshot
// over (nothing of it can be trusted: it was read under a snapshot that
// died with the process).

// RunLive runs a snapshot-and-changes export of one direction.
func RunLive(ctx context.Context, o Options, src capture.ChangeSource, dir exportdir.Direction, migrationUUID string) (Summary, error) {
	var sum Summary
	if dir.Name == "" {
		return sum, errors.New("live export: no direction")
	}
	cut, err := o.Store.Cutover(ctx, dir)
	if err != nil {
		return sum, err
	}
	if !cut.Exported.IsZero() {
		return sum, errors.New("this live migration has already been cut over: nothing more to export")
	}
	cp, ok, err := LoadCheckpoint(ctx, o.Store, dir)
	if err != nil {
		return sum, err
	}
	if ok && cp.Engine != src.Engine() {
		return sum, fmt.Errorf("this export directory streams from a %s source, not %s: use the export directory of this source", cp.Engine, src.Engine())
	}
	if !ok || !cp.SnapshotDone {
		if cp, sum, err = liveSnapshot(ctx, o, src, dir, migrationUUID, cp, ok); err != nil {
			return sum, err
		}
	}
	if cp.Stream == "" { // MySQL checkpoints of earlier releases
		cp.Stream = StreamName(migrationUUID)
	}
	o.Progress.Wait() // the snapshot's bars are done; CDC prints metric lines
	if err := o.Store.SetExportStatus(ctx, "snapshot-and-changes", exportdir.ExportStreaming); err != nil {
		return sum, err
	}
	return sum, streamUntilCutover(ctx, o, src, dir, cp)
}

// liveSnapshot (re)starts the live export: what the source keeps for the
// stream, the snapshot at its start position, the plan and its chunks.
func liveSnapshot(ctx context.Context, o Options, src capture.ChangeSource, dir exportdir.Direction, uuid string, old Checkpoint, hadOld bool) (Checkpoint, Summary, error) {
	var sum Summary
	if hadOld {
		if err := restartSnapshot(ctx, o, src, dir, old); err != nil {
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
	live, err := src.BeginLive(ctx, capture.LiveOptions{Stream: StreamName(uuid), Tables: tables, Workers: o.Workers,
		Notice: func(msg string) { o.Log.Warn(msg); fmt.Fprintln(o.Out, "Snapshot: "+msg) }})
	if err != nil {
		return old, sum, err
	}
	defer live.Snapshot.Close(context.WithoutCancel(ctx))
	start, err := position(live.Start)
	if err != nil {
		return old, sum, err
	}
	// Recorded before the snapshot is read: a run that dies during it
	// knows what to release.
	cp := Checkpoint{Engine: src.Engine(), Stream: StreamName(uuid), Holds: live.Holds, Start: start, Resume: start}
	if err := save(ctx, o.Store, dir, cp, queue.Mark{}); err != nil {
		return cp, sum, err
	}
	if err := savePlan(ctx, o, live.Snapshot, tables); err != nil {
		return cp, sum, err
	}
	if sum, err = exportPlanned(ctx, o, live.Snapshot); err != nil {
		return cp, sum, err
	}
	cp.SnapshotDone = true
	if err := save(ctx, o.Store, dir, cp, queue.Mark{}); err != nil {
		return cp, sum, err
	}
	o.Log.Info("live snapshot exported", "start", live.Start.String(), "rows", sum.Rows)
	return cp, sum, nil
}

// restartSnapshot drops what the previous run left: its stream on the
// source, its plan, its data files and queue, its live records.
func restartSnapshot(ctx context.Context, o Options, src capture.ChangeSource, dir exportdir.Direction, old Checkpoint) error {
	o.Log.Warn("the previous live export stopped during its snapshot; starting it again", "stream", old.Stream)
	fmt.Fprintln(o.Out, "The previous export stopped during its snapshot: exporting the snapshot again.")
	if err := StartOver(ctx, o.Store, o.Dir, dir, src); err != nil {
		return err
	}
	return o.Store.SetExportStatus(ctx, "snapshot-and-changes", exportdir.ExportRunning)
}

// streamUntilCutover streams, and when the source goes away (restart,
// network), reconnects with backoff and resumes from the checkpoint: the
// position held in memory is dropped and read again from the store. The
// backoff starts over once an attempt has made progress.
func streamUntilCutover(ctx context.Context, o Options, src capture.ChangeSource, dir exportdir.Direction, cp Checkpoint) error {
	delay := time.Second
	for {
		progressed, err := streamOnce(ctx, o, src, dir, cp)
		if err == nil || ctx.Err() != nil || !dbconn.IsTransient(err) {
			return err
		}
		if progressed {
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
		fresh, _, err := LoadCheckpoint(ctx, o.Store, dir)
		if err != nil {
			return err
		}
		fresh.Stream = cp.Stream
		cp = fresh
	}
}

// streamOnce streams from the checkpoint until cutover (nil), or an error;
// progressed reports whether it made anything durable.
func streamOnce(ctx context.Context, o Options, src capture.ChangeSource, dir exportdir.Direction, cp Checkpoint) (bool, error) {
	mark, _, err := queue.LoadMark(ctx, o.Store, dir)
	if err != nil {
		return false, err
	}
	s, err := newSink(ctx, o, src, dir, cp, mark)
	if err != nil {
		return false, err
	}
	if mark.Ended { // stopped after the end marker, before the source was released
		return false, s.finish(context.WithoutCancel(ctx))
	}
	tables, err := plannedTables(ctx, o.Store)
	if err != nil {
		return false, err
	}
	w, err := queue.OpenWriter(o.Dir.QueueDir(dir), mark.Position)
	if err != nil {
		return false, err
	}
	defer w.Close()
	s.w = w
	o.Log.Info("streaming changes", "stream", cp.Stream, "from", s.durable.String(), "queue", mark.Position.String())
	fmt.Fprintf(o.Out, "Streaming changes from %s (from %s). Run `yb-voyager initiate cutover to target` to finish.\n",
		src.Label(cp.Stream), s.durable)
	err = src.Stream(ctx, capture.StreamOptions{Stream: cp.Stream, Tables: tables, From: s.durable,
		SpillDir: filepath.Join(o.Dir.QueueDir(dir), "spill")}, s)
	if errors.Is(err, errEnded) {
		return true, s.finish(context.WithoutCancel(ctx))
	}
	return s.progressed, err
}

// plannedTables are the tables of the export plan: the stream carries
// exactly the tables the snapshot exported and the importer expects.
func plannedTables(ctx context.Context, st *exportdir.Store) ([]source.Table, error) {
	recs, err := st.Tables(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]source.Table, len(recs))
	for i, t := range recs {
		out[i] = source.Table{Name: t.Table, Columns: t.Columns, PrimaryKey: t.PrimaryKey, HasUniqueKeys: t.HasUniqueKeys}
	}
	return out, nil
}
