package exporter

import (
	"context"
	"fmt"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	srcmy "github.com/yugabyte/yb-voyager-go/internal/source/mysql"
)

// RunLiveMySQL is RunLive for a MySQL/MariaDB source: the snapshot is taken
// at a binlog position under a brief global read lock, and changes stream
// from exactly that position into the same queue, with the same durability
// rule: a transaction's events are fsync'd and the position after it is
// recorded before it counts as exported.
func RunLiveMySQL(ctx context.Context, o Options, src *srcmy.Source, uuid string) (Summary, error) {
	var sum Summary
	state, ok, err := loadForRun(ctx, o.Store)
	if err != nil {
		return sum, err
	}
	if ok && state.EndWritten { // stopped right after the end marker
		state.Finished = true
		return sum, saveLiveState(ctx, o.Store, state)
	}
	if !ok || !state.SnapshotDone {
		if state, sum, err = mysqlSnapshot(ctx, o, src, ok); err != nil {
			return sum, err
		}
	}
	o.Progress.Wait()
	if err := o.Store.SetExportStatus(ctx, "snapshot-and-changes", exportdir.ExportStreaming); err != nil {
		return sum, err
	}
	tables, err := src.ListTables(ctx, o.Include, o.Exclude)
	if err != nil {
		return sum, err
	}
	delay := time.Second
	for {
		err := streamMySQL(ctx, o, src, state, tables, uuid)
		if err == nil || ctx.Err() != nil || !dbconn.IsTransient(err) {
			return sum, err
		}
		o.Log.Warn("lost the source; reconnecting", "err", err, "in", delay)
		fmt.Fprintf(o.Out, "Lost the source connection (%v): reconnecting in %s.\n", err, delay)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return sum, ctx.Err()
		}
		delay = min(delay*2, 30*time.Second)
		if state, _, err = LoadLiveState(ctx, o.Store); err != nil {
			return sum, err
		}
	}
}

func mysqlSnapshot(ctx context.Context, o Options, src *srcmy.Source, restart bool) (LiveState, Summary, error) {
	var sum Summary
	if restart {
		fmt.Fprintln(o.Out, "The previous export stopped during its snapshot: exporting the snapshot again.")
		if err := o.Store.ResetExport(ctx); err != nil {
			return LiveState{}, sum, err
		}
		if err := o.Store.SetExportStatus(ctx, "snapshot-and-changes", exportdir.ExportRunning); err != nil {
			return LiveState{}, sum, err
		}
		if err := o.Dir.ClearData(); err != nil {
			return LiveState{}, sum, err
		}
	}
	tables, err := src.ListTables(ctx, o.Include, o.Exclude)
	if err != nil {
		return LiveState{}, sum, err
	}
	if err := src.CheckLive(ctx); err != nil {
		return LiveState{}, sum, err
	}
	snap, err := src.BeginSnapshot(ctx, o.Workers)
	if err != nil {
		return LiveState{}, sum, err
	}
	defer snap.Close(context.WithoutCancel(ctx))
	file, pos, gtid := snap.(*srcmy.Snapshot).Position()
	if file == "" {
		return LiveState{}, sum, fmt.Errorf("the source has no binary log position: enable binary logging (log_bin) and restart MySQL")
	}
	state := LiveState{Binlog: &srcmy.BinlogPosition{File: file, Pos: uint32(pos), GTID: gtid}}
	if err := saveLiveState(ctx, o.Store, state); err != nil {
		return state, sum, err
	}
	if err := savePlan(ctx, o, snap, tables); err != nil {
		return state, sum, err
	}
	if sum, err = exportPlanned(ctx, o, snap); err != nil {
		return state, sum, err
	}
	state.SnapshotDone = true
	return state, sum, saveLiveState(ctx, o.Store, state)
}

// binlogSink is queueSink's counterpart for binlog positions.
type binlogSink struct {
	*queueSink
	src       *srcmy.Source
	pending   srcmy.BinlogPosition
	dirty     bool
	target    *srcmy.BinlogPosition // cutover: stop at or after this position
	lastCheck time.Time
	// caughtUp is where the stream was when last idle with nothing unsynced:
	// what lies before it is in the queue or not ours (other tables' DDL,
	// rotations), so lag is counted from it when it is past the durable
	// position.
	caughtUp srcmy.BinlogPosition
}

var errMySQLCutover = fmt.Errorf("cutover reached")

func streamMySQL(ctx context.Context, o Options, src *srcmy.Source, state LiveState, tables []source.Table, uuid string) error {
	if err := src.CheckPosition(ctx, *state.Binlog); err != nil {
		return err
	}
	w, err := queue.OpenWriter(QueueDir(o.Dir), state.QueuePos)
	if err != nil {
		return err
	}
	defer w.Close()
	qs := newSink(ctx, o, nil, state, uuid)
	qs.w = w
	sink := &binlogSink{queueSink: qs, src: src, pending: *state.Binlog}
	fmt.Fprintf(o.Out, "Streaming changes from binlog %s:%d. Run `yb-voyager initiate cutover to target` to finish.\n", state.Binlog.File, state.Binlog.Pos)
	err = src.StreamBinlog(ctx, *state.Binlog, tables, serverID(uuid), sink)
	if err == errMySQLCutover {
		sink.report()
		sink.state.Finished = true
		if err := saveLiveState(context.WithoutCancel(ctx), o.Store, sink.state); err != nil {
			return err
		}
		fmt.Fprintf(o.Out, "Cutover: all changes exported (%d events).\n", sink.stats.Events)
		return nil
	}
	return err
}

// serverID derives a stable replica server id for this migration.
func serverID(uuid string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(uuid); i++ {
		h = (h ^ uint32(uuid[i])) * 16777619
	}
	return 1000 + h%1000000000
}

func (s *binlogSink) Change(e *queue.Event) error {
	s.dirty = true
	return s.queueSink.Change(e)
}

func (s *binlogSink) Commit(next srcmy.BinlogPosition, at time.Time) error {
	s.pending, s.lastTx, s.dirty = next, at, true
	if s.target != nil && !next.Less(*s.target) {
		return s.writeEnd()
	}
	if time.Since(s.lastSync) >= 20*time.Millisecond {
		return s.syncMySQL()
	}
	return nil
}

func (s *binlogSink) Tick(current srcmy.BinlogPosition, idle bool) error {
	if idle && s.dirty {
		if err := s.syncMySQL(); err != nil {
			return err
		}
	}
	if idle {
		s.caughtUp = current
	}
	s.report()
	if err := s.checkCutoverMySQL(); err != nil {
		return err
	}
	if idle && s.target != nil && !current.Less(*s.target) {
		return s.writeEnd()
	}
	return nil
}

func (s *binlogSink) syncMySQL() error {
	pos, err := s.w.Sync()
	if err != nil {
		return err
	}
	p := s.pending
	s.state.QueuePos, s.state.Binlog = pos, &p
	s.state.Events, s.state.ByOp, s.state.ByTable = s.stats.Events, s.stats.ByOp, s.stats.ByTable
	if err := saveLiveState(s.ctx, s.o.Store, s.state); err != nil {
		return err
	}
	s.dirty, s.lastSync = false, time.Now()
	return nil
}

// report is queueSink.report with the binlog's lag: how far the server's
// binlog end is past what is durable in the queue. It asks the server on
// the SQL pool only when a report is due (every 2 s); a failed query keeps
// the last value, as a lag reading is not worth stopping the export for.
// It shadows queueSink.report, so every report of this sink must come
// through binlogSink (queueSink's own Tick and finish are not used here).
func (s *binlogSink) report() {
	if time.Since(s.lastReport) < 2*time.Second {
		return
	}
	from := *s.state.Binlog
	if from.Less(s.caughtUp) {
		from = s.caughtUp
	}
	lag := s.stats.LagBytes
	ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
	defer cancel()
	if n, _, err := s.src.BinlogLagBytes(ctx, from); err != nil {
		s.o.Log.Debug("read binlog lag", "from", from.String(), "err", err)
	} else {
		lag = n
	}
	s.publish(lag, fmt.Sprintf("%s:%d", s.state.Binlog.File, s.state.Binlog.Pos))
}

func (s *binlogSink) checkCutoverMySQL() error {
	if s.target != nil || time.Since(s.lastCheck) < time.Second {
		return nil
	}
	s.lastCheck = time.Now()
	v, _, err := s.o.Store.KV(s.ctx, CutoverKey)
	if err != nil || v != CutoverRequested {
		return err
	}
	t, err := s.src.MasterPosition(s.ctx)
	if err != nil {
		return err
	}
	s.target = &t
	s.o.Log.Info("cutover requested: exporting up to the current binlog position", "file", t.File, "pos", t.Pos)
	fmt.Fprintln(s.o.Out, "Cutover requested: exporting the last changes.")
	return nil
}

func (s *binlogSink) writeEnd() error {
	ids, err := s.src.Identities(s.ctx)
	if err != nil {
		return err
	}
	if err := s.w.Append(&queue.Event{Op: queue.OpEnd, Identities: ids}); err != nil {
		return err
	}
	s.state.EndWritten = true
	if err := s.syncMySQL(); err != nil {
		return err
	}
	return errMySQLCutover
}
