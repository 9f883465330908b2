package exporter

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pglogrepl"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	srcpg "github.com/yugabyte/yb-voyager-go/internal/source/postgres"
)

// ExportStats are the CDC metrics shown on the terminal and by export data status.
type ExportStats struct {
	Events     int64                `json:"events"`
	ByOp       map[string]int64     `json:"by_op"`
	ByTable    map[string]*[3]int64 `json:"by_table"` // inserts, updates, deletes per schema.table
	Rate       float64              `json:"events_per_second"`
	LagBytes   int64                `json:"lag_bytes"`
	LagSeconds float64              `json:"lag_seconds"`
	DurableLSN string               `json:"durable_lsn"`
	UpdatedAt  time.Time            `json:"updated_at"`
}

// queueSink writes decoded changes into the queue and makes them durable
// at transaction boundaries: fsync the segment, then record the position
// and LSN in the store, and only then may the slot be acknowledged.
type queueSink struct {
	ctx      context.Context
	o        Options
	src      LiveSource
	w        *queue.Writer
	state    LiveState
	durable  pglogrepl.LSN
	pending  pglogrepl.LSN // end of the last transaction appended but not yet synced
	lastSync time.Time
	lastTx   time.Time // commit time of the newest transaction seen
	walEnd   pglogrepl.LSN

	stats        ExportStats
	rateFrom     int64
	rateAt       time.Time
	lastReport   time.Time
	lastCutCheck time.Time
	cutoverSent  bool
	cutoverSeen  bool
	uuid         string
	done         bool
}

var errCutoverDone = fmt.Errorf("cutover: end marker written")

func stream(ctx context.Context, o Options, src LiveSource, state LiveState, uuid string) error {
	w, err := queue.OpenWriter(QueueDir(o.Dir), state.QueuePos)
	if err != nil {
		return err
	}
	defer w.Close()
	sink := newSink(ctx, o, src, state, uuid)
	sink.w = w
	o.Log.Info("streaming changes", "slot", state.Slot, "from", state.DurableLSN, "queue", state.QueuePos.String())
	fmt.Fprintf(o.Out, "Streaming changes from slot %s (from %s). Run `yb-voyager initiate cutover to target` to finish.\n", state.Slot, state.DurableLSN)
	err = src.Stream(ctx, srcpg.StreamOptions{Slot: state.Slot, Publication: state.Publication, SkipThrough: sink.durable}, sink)
	if err == errCutoverDone {
		return sink.finish(context.WithoutCancel(ctx))
	}
	return err
}

// newSink restores the counts from the durable state, which holds exactly
// the events in the queue; events after it will be received again.
func newSink(ctx context.Context, o Options, src LiveSource, state LiveState, uuid string) *queueSink {
	sink := &queueSink{ctx: ctx, o: o, src: src, state: state, durable: parseLSN(state.DurableLSN),
		uuid: uuid, rateAt: time.Now(), lastSync: time.Now(), stats: ExportStats{ByOp: map[string]int64{}, ByTable: map[string]*[3]int64{}}}
	sink.stats.Events = state.Events
	for k, v := range state.ByOp {
		sink.stats.ByOp[k] = v
	}
	for k, v := range state.ByTable {
		c := *v
		sink.stats.ByTable[k] = &c
	}
	sink.rateFrom = sink.stats.Events
	return sink
}

func (s *queueSink) Change(e *queue.Event) error {
	s.stats.Events++
	queue.Tally(s.stats.ByOp, s.stats.ByTable, e)
	return s.w.Append(e)
}

func (s *queueSink) Commit(end pglogrepl.LSN, at time.Time) error {
	s.pending = end
	s.lastTx = at
	if s.cutoverSeen {
		return s.writeEnd(end)
	}
	if time.Since(s.lastSync) >= 20*time.Millisecond {
		return s.sync()
	}
	return nil
}

// Marker notices our cutover marker: every transaction before it has been
// delivered; the end marker follows at its commit.
func (s *queueSink) Marker(prefix string, content []byte) error {
	if prefix == cutoverPrefix && string(content) == s.uuid {
		s.cutoverSeen = true
	}
	return nil
}

func (s *queueSink) Tick(walEnd, sent pglogrepl.LSN, idle bool) error {
	s.walEnd = max(s.walEnd, walEnd)
	if !idle {
		s.report()
		return nil // mid-transaction: only a commit is a boundary
	}
	if s.pending > s.durable {
		if err := s.sync(); err != nil {
			return err
		}
	}
	if s.pending == s.durable && sent > s.durable {
		// Between transactions and all of ours synced: everything the server
		// has sent is in the queue, so its position may be acknowledged.
		s.durable = sent
		s.pending = sent
	}
	s.report()
	return s.checkCutover()
}

func (s *queueSink) Durable() pglogrepl.LSN { return s.durable }

func (s *queueSink) sync() error {
	pos, err := s.w.Sync()
	if err != nil {
		return err
	}
	s.state.QueuePos = pos
	s.state.DurableLSN = s.pending.String()
	s.state.Events, s.state.ByOp, s.state.ByTable = s.stats.Events, s.stats.ByOp, s.stats.ByTable
	if err := saveLiveState(s.ctx, s.o.Store, s.state); err != nil {
		return err
	}
	s.durable = s.pending
	s.lastSync = time.Now()
	return nil
}

// checkCutover asks the source for a marker once cutover is requested.
func (s *queueSink) checkCutover() error {
	if s.cutoverSent || time.Since(s.lastCutCheck) < time.Second {
		return nil
	}
	s.lastCutCheck = time.Now()
	v, _, err := s.o.Store.KV(s.ctx, CutoverKey)
	if err != nil || v != CutoverRequested {
		return err
	}
	s.o.Log.Info("cutover requested: writing marker into the source WAL")
	fmt.Fprintln(s.o.Out, "Cutover requested: exporting the last changes.")
	s.cutoverSent = true
	return s.src.EmitMarker(s.ctx, cutoverPrefix, s.uuid)
}

// writeEnd appends the end marker with the source's sequence values.
func (s *queueSink) writeEnd(end pglogrepl.LSN) error {
	seqs, err := s.src.SequenceValues(s.ctx)
	if err != nil {
		return err
	}
	if err := s.w.Append(&queue.Event{Op: queue.OpEnd, LSN: end.String(), Sequences: seqs}); err != nil {
		return err
	}
	s.state.EndWritten = true // saved with the position that includes the marker
	if err := s.sync(); err != nil {
		return err
	}
	return errCutoverDone
}

// finish drops the slot and publication and records that export is over.
func (s *queueSink) finish(ctx context.Context) error {
	s.lastReport = time.Time{}
	s.rateAt, s.rateFrom = time.Now().Add(-time.Second), s.stats.Events // nothing more will come: rate 0
	s.report()
	if err := s.src.DropSlot(ctx, s.state.Slot, s.state.Publication); err != nil {
		return err
	}
	s.state.Finished = true
	if err := saveLiveState(ctx, s.o.Store, s.state); err != nil {
		return err
	}
	fmt.Fprintf(s.o.Out, "Cutover: all changes exported (%d events); slot %s and publication dropped.\n", s.stats.Events, s.state.Slot)
	return nil
}

// report updates the metrics every few seconds: on the terminal and in
// the store for export data status.
func (s *queueSink) report() {
	if time.Since(s.lastReport) < 2*time.Second {
		return
	}
	s.publish(max(int64(s.walEnd)-int64(s.durable), 0), s.durable.String())
}

// publish computes the rate and shows the metrics with the engine's lag in
// bytes and durable position. The lag in seconds is the age of the newest
// transaction seen while behind; caught up (lagBytes 0), there is no lag
// however long ago the source last wrote.
func (s *queueSink) publish(lagBytes int64, durable string) {
	now := time.Now()
	if d := now.Sub(s.rateAt).Seconds(); d > 0 {
		s.stats.Rate = float64(s.stats.Events-s.rateFrom) / d
	}
	s.rateFrom, s.rateAt = s.stats.Events, now
	s.stats.LagBytes = lagBytes
	s.stats.LagSeconds = 0
	if s.stats.LagBytes > 0 && !s.lastTx.IsZero() {
		s.stats.LagSeconds = now.Sub(s.lastTx).Seconds()
	}
	s.stats.DurableLSN = durable
	s.stats.UpdatedAt = now
	s.lastReport = now
	b, _ := json.Marshal(s.stats)
	_ = s.o.Store.SetKV(s.ctx, ExportStatsKey, string(b))
	fmt.Fprintf(s.o.Out, "CDC export: %d events (I %d, U %d, D %d, T %d), %.0f events/s, lag %.1f s / %d bytes\n",
		s.stats.Events, s.stats.ByOp["I"], s.stats.ByOp["U"], s.stats.ByOp["D"], s.stats.ByOp["T"], s.stats.Rate,
		s.stats.LagSeconds, s.stats.LagBytes)
}
