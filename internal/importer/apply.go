package importer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// channel applies its events in batches, each in one transaction with the
// channel's position; once a batch is committed its bytes go back to the
// channel's budget.
func (l *live) channel(ctx context.Context, ch int) error {
	in := l.chans[ch]
	max := maxBatch(l.o.MaxBatch)
	for {
		first, ok := <-in
		if !ok {
			return nil
		}
		batch, size := []*queue.Event{first.e}, first.size
	fill:
		for len(batch) < max {
			select {
			case e, ok := <-in:
				if !ok {
					break fill
				}
				batch, size = append(batch, e.e), size+e.size
			default:
				break fill
			}
		}
		if err := l.applyOrdered(ctx, ch, batch); err != nil {
			return err
		}
		l.budget[ch].Release(size)
	}
}

// sizedEvent is an event on its way to a channel with what it takes of the
// channel's budget.
type sizedEvent struct {
	e    *queue.Event
	size int64
}

// channelBytes bounds the bytes of values a channel holds, queued and in
// its batch, so that wide rows (large text, bytea or JSON values) shorten
// the batches instead of growing memory: the event counts alone let 20,000
// events into a channel, 3 GB of 150 kB values. A value takes about four
// times its size in import data (the queue's read buffer it points into,
// its binary encoding for the target, the driver's buffers): with 16 MB per
// channel, 300 MB of 150 kB values went through in 194 MB of RSS, against
// 363 MB without a bound and 425 MB with 64 MB. Rows of everyday width stay
// under it at 20,000 events.
const channelBytes = 16 << 20

// eventBytes estimates what an event holds in memory: its values and a
// fixed share for the event and its slices. One event larger than the
// budget takes the whole budget, and so travels alone.
func eventBytes(e *queue.Event) int64 {
	n := int64(256)
	for _, v := range e.Key.Vals {
		if v != nil {
			n += int64(len(*v))
		}
	}
	for _, v := range e.New.Vals {
		if v != nil {
			n += int64(len(*v))
		}
	}
	return min(n, channelBytes)
}

// maxBatch is the most events a channel applies in one transaction
// (default 10,000), and a channel's queue holds as many again, so that under
// a backlog the next batch is full when the last commits. Larger batches
// fold more changes of one row into one and pay the target's cost per
// statement on more rows; but while a write transaction is open, the other
// channels' dead row versions cannot be pruned, so fewer updates are HOT.
// Measured on the CDC benchmark with the batch's statements prepared:
// 10,000 to 18,000 apply fastest (2.8 s for 1M events against 3.0–3.4 s
// for 4,000 and more for 2,500); with a queue of half a batch, the channel
// waits for events.
func maxBatch(configured int) int {
	if configured > 0 {
		return configured
	}
	return 10000
}

// applyOrdered applies a batch; on a conflict it commits the events before
// the conflicting one, waits until every other channel has committed all
// earlier events, and retries the conflicting event alone. A conflict that
// survives that wait is real divergence.
func (l *live) applyOrdered(ctx context.Context, ch int, batch []*queue.Event) error {
	for len(batch) > 0 {
		err := l.apply(ctx, ch, batch)
		var c *target.Conflict
		if !errors.As(err, &c) {
			return err
		}
		if c.At > 0 {
			if err := l.apply(ctx, ch, batch[:c.At]); err != nil {
				return err
			}
		}
		e := batch[c.At]
		l.mu.Lock()
		l.stats.Conflicts++
		l.mu.Unlock()
		l.o.Log.Info("ordering conflict: waiting for other channels", "channel", ch, "seq", e.Seq, "cause", c.Err)
		if err := l.tr.waitOthers(ctx, ch, e.Seq); err != nil {
			return err
		}
		if err := l.apply(ctx, ch, batch[c.At:c.At+1]); err != nil {
			return fmt.Errorf("change %d (%s on %s.%s) cannot be applied even after all earlier changes: the target has diverged from the source: %w",
				e.Seq, e.Op, e.Schema, e.Table, err)
		}
		batch = batch[c.At+1:]
	}
	return nil
}

// apply commits events with retries on transient errors, then records them.
func (l *live) apply(ctx context.Context, ch int, events []*queue.Event) error {
	b := target.ChannelBatch{MigrationUUID: l.uuid, Channel: ch, Events: events}
	err := dbconn.Retry(ctx, 10, func(attempt int, err error) {
		l.o.Log.Warn("retrying change batch after transient error", "channel", ch, "attempt", attempt, "err", err)
	}, func() error { return l.applyBatch(ctx, b) })
	if err != nil {
		return err
	}
	l.count(events)
	l.tr.committed(ch, events[len(events)-1].Seq)
	return nil
}

// applyBatch applies a batch set-based when it folds, else (or when the
// applier meets anything unexpected doing so) one statement per event.
func (l *live) applyBatch(ctx context.Context, b target.ChannelBatch) error {
	if len(b.Events) >= minFold {
		if changes, err := fold(b.Events, l.tables); err == nil {
			err := l.o.Applier.ApplyFolded(ctx, b, changes)
			if !errors.Is(err, target.ErrNotSetBased) {
				return err
			}
			l.o.Log.Debug("set-based apply fell back to per-event", "channel", b.Channel, "err", err)
		}
	}
	return l.o.Applier.ApplyEach(ctx, b, l.tables)
}

func (l *live) count(events []*queue.Event) {
	var lastTx int64
	for _, e := range events {
		lastTx = max(lastTx, e.TxTime)
	}
	counts := queue.CountByTable(events)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range counts {
		c := &counts[i]
		l.stats.Applied += c.I + c.U + c.D + c.T
		l.stats.ByOp[queue.OpInsert] += c.I
		l.stats.ByOp[queue.OpUpdate] += c.U
		l.stats.ByOp[queue.OpDelete] += c.D
		if c.T > 0 {
			l.stats.ByOp[queue.OpTruncate] += c.T
		}
		t := l.stats.ByTable[c.Name()]
		if t == nil {
			t = &[3]int64{}
			l.stats.ByTable[c.Name()] = t
		}
		t[0], t[1], t[2] = t[0]+c.I, t[1]+c.U, t[2]+c.D
	}
	l.lastTx = max(l.lastTx, lastTx)
}

// barrier applies an event alone once everything before it is committed.
// The end marker also completes the cutover.
func (l *live) barrier(ctx context.Context, e *queue.Event) error {
	if err := l.tr.waitAll(ctx); err != nil {
		return err
	}
	err := dbconn.Retry(ctx, 10, nil, func() error {
		return l.o.Applier.ApplyBarrier(ctx, l.uuid, l.st.Channels, e, l.tables)
	})
	if err != nil {
		return fmt.Errorf("apply change %d (%s on %s.%s): %w", e.Seq, e.Op, e.Schema, e.Table, err)
	}
	l.count([]*queue.Event{e})
	if e.Op == queue.OpEnd {
		return l.cutover(ctx, e)
	}
	return nil
}

// cutover finishes the migration on the target: sequences never behind
// the source, deferred indexes and constraints built, cutover recorded.
func (l *live) cutover(ctx context.Context, e *queue.Event) error {
	fmt.Fprintln(l.o.Out, "Cutover: all changes applied; setting sequences.")
	missing, err := l.o.Applier.SetCutoverValues(ctx, e.Values)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		l.o.Log.Warn("source sequences missing on the target", "sequences", missing)
		fmt.Fprintf(l.o.Out, "Warning: sequences %v exist on the source but not on the target.\n", missing)
	}
	if l.o.Finalize != nil {
		if err := l.o.Finalize(ctx); err != nil {
			return err
		}
	}
	if err := l.o.Applier.MarkCutoverComplete(ctx, l.uuid); err != nil {
		return err
	}
	l.mu.Lock()
	l.finished = true
	l.stats.Rate, l.stats.LagSeconds = 0, 0
	l.mu.Unlock()
	l.saveStats(ctx)
	if err := l.o.Store.MarkCutoverApplied(ctx, l.o.Direction); err != nil {
		return err
	}
	fmt.Fprintln(l.o.Out, "Cutover complete: point your applications at the target database.")
	return nil
}

// reportLoop records progress on the target (for restart and archive) and
// shows metrics, every second, until dispatch ends.
func (l *live) reportLoop(ctx context.Context, done <-chan struct{}) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last, lastAt := int64(0), time.Now()
	for n := 0; ; n++ {
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		l.mu.Lock()
		disp, pos := l.dispSeq, l.readPos
		applied := l.stats.Applied
		l.mu.Unlock()
		through := l.tr.appliedThrough(disp)
		if through == disp { // the reader position is exact only when nothing is pending
			if err := l.o.Applier.SaveProgress(ctx, l.uuid, through, pos); err != nil {
				l.o.Log.Warn("record progress", "err", err)
			} else if err := l.o.Store.SaveState(ctx, l.o.Direction, exportdir.Record{Role: exportdir.RoleImporter,
				Value: Progress{Through: through, Position: pos}}); err != nil {
				// Only archive changes reads it; it waits for the next one.
				l.o.Log.Warn("record progress in the metainfo store", "err", err)
			}
		}
		l.mu.Lock()
		l.stats.Through = through
		l.stats.Rate = float64(applied-last) / time.Since(lastAt).Seconds()
		l.stats.LagSeconds = 0
		if l.lastTx > 0 && through < disp {
			l.stats.LagSeconds = time.Since(time.UnixMicro(l.lastTx)).Seconds()
		}
		l.mu.Unlock()
		last, lastAt = applied, time.Now()
		if n%2 == 0 {
			l.saveStats(ctx)
		}
		if n%10 == 9 {
			l.printTables()
		}
	}
}

func (l *live) saveStats(ctx context.Context) {
	l.mu.Lock()
	l.stats.UpdatedAt = time.Now()
	st := l.stats
	st.ByOp = maps.Clone(l.stats.ByOp) // the channels keep writing to it
	l.mu.Unlock()
	applied, ins, upd, del, rate, lag := st.Applied, st.ByOp["I"], st.ByOp["U"], st.ByOp["D"], st.Rate, st.LagSeconds
	if err := l.o.Store.SaveMetrics(context.WithoutCancel(ctx), l.o.Direction, exportdir.RoleImporter, st); err != nil {
		l.o.Log.Debug("publish import metrics", "err", err)
	}
	fmt.Fprintf(l.o.Out, "CDC import: %d events applied (I %d, U %d, D %d), %.0f events/s, lag %.1f s\n",
		applied, ins, upd, del, rate, lag)
}

// printTables shows this run's per-table counts on the terminal (at most
// ten tables, busiest first).
func (l *live) printTables() {
	l.mu.Lock()
	type row struct {
		name string
		c    [3]int64
	}
	rows := make([]row, 0, len(l.stats.ByTable))
	for n, c := range l.stats.ByTable {
		rows = append(rows, row{n, *c})
	}
	l.mu.Unlock()
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i].c, rows[j].c
		return a[0]+a[1]+a[2] > b[0]+b[1]+b[2]
	})
	for i, r := range rows {
		if i == 10 {
			fmt.Fprintf(l.o.Out, "  ... and %d more tables\n", len(rows)-10)
			break
		}
		fmt.Fprintf(l.o.Out, "  %s: %d inserts, %d updates, %d deletes applied\n", r.name, r.c[0], r.c[1], r.c[2])
	}
}
