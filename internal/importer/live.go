package importer

import (
	"context"
	"errors"
	"fmt"

	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// Progress is the importer's record of a direction in the metainfo store
// (exportdir.RoleImporter): every event before Position is applied and
// recorded on the apply target, so the importer never reads before it
// again and archive changes may remove the segments before it. It is a
// copy, written after the target's commit: the target's record is the
// truth, this one is never ahead of it.
type Progress struct {
	Through  int64          `json:"applied_through_seq"`
	Position queue.Position `json:"position"`
}

// LoadProgress reads the direction's apply progress; ok is false before
// any was recorded.
func LoadProgress(ctx context.Context, st *exportdir.Store, dir exportdir.Direction) (Progress, bool, error) {
	return exportdir.Load[Progress](ctx, st, dir, exportdir.RoleImporter)
}

// LoadStats reads the metrics the direction's importer last published.
func LoadStats(ctx context.Context, st *exportdir.Store, dir exportdir.Direction) (ImportStats, bool, error) {
	return exportdir.LoadMetrics[ImportStats](ctx, st, dir, exportdir.RoleImporter)
}

// ImportStats are the apply metrics shown on the terminal and by import
// data status (the metrics record of the direction's importer).
type ImportStats struct {
	Applied    int64                `json:"events_applied"`
	Conflicts  int64                `json:"ordering_conflicts"`
	ByOp       map[string]int64     `json:"by_op"`
	ByTable    map[string]*[3]int64 `json:"-"` // this run's inserts, updates, deletes per table (terminal only)
	Rate       float64              `json:"events_per_second"`
	LagSeconds float64              `json:"lag_seconds"`
	Through    int64                `json:"applied_through_seq"`
	UpdatedAt  time.Time            `json:"updated_at"`
}

// LiveOptions adds what applying changes needs.
type LiveOptions struct {
	Options
	Direction exportdir.Direction
	Applier   target.ChangeApplier
	// Finalize runs the deferred schema step at cutover (nil: nothing to do).
	Finalize func(ctx context.Context) error
	MaxBatch int
	// ExportRunID is the export run whose snapshot the target holds; when
	// the export starts over (another run id) the apply stops with
	// ErrExportRestarted.
	ExportRunID string
}

// live is one apply run: a reader/dispatcher, one goroutine per channel,
// and a progress reporter, owned by one errgroup.
type live struct {
	o          LiveOptions
	uuid       string
	runChecked time.Time // when exportRestarted last read the store
	tables     target.TableInfo
	pk         map[string][]string
	// lastPKTable and lastPK cache route's primary-key lookup: events come
	// in runs of one table.
	lastPKTable sqlname.Table
	lastPK      []string
	st          target.CDCState
	tr          *tracker
	chans       []chan sizedEvent
	budget      []*semaphore.Weighted // per channel, channelBytes
	credit      []int64               // per channel, reserved from budget and not yet given to an event (dispatcher only)
	mu          sync.Mutex
	stats       ImportStats
	lastTx      int64
	dispSeq     int64
	readPos     queue.Position
	finished    bool
}

// RunLive applies the change queue after the snapshot until the end marker.
func RunLive(ctx context.Context, o LiveOptions, uuid string) error {
	l := &live{o: o, uuid: uuid, tables: target.TableInfo{}, pk: map[string][]string{}, stats: ImportStats{ByOp: map[string]int64{}, ByTable: map[string]*[3]int64{}}}
	if o.Direction.Name == "" {
		return errors.New("live import: no direction")
	}
	tables, err := o.Store.Tables(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		l.tables[t.Table.String()] = t.PrimaryKey
		if !t.HasUniqueKeys {
			// Rows of a table with other unique keys can trade a unique value;
			// only source order is safe there, so such a table routes whole.
			l.pk[t.Table.String()] = t.PrimaryKey
		}
	}
	if l.st, err = o.Applier.CDCState(ctx, uuid, o.Workers); err != nil {
		return err
	}
	if l.st.CutoverDone {
		fmt.Fprintln(o.Out, "Cutover is already complete: nothing left to apply.")
		return o.Store.MarkCutoverApplied(ctx, o.Direction)
	}
	l.tr = newTracker(l.st.Channels)
	l.readPos, l.dispSeq = l.st.Position, l.st.AppliedThrough
	fmt.Fprintf(o.Out, "Applying changes with %d channels from event %d.\n", l.st.Channels, l.st.AppliedThrough+1)
	g, gctx := errgroup.WithContext(ctx)
	l.chans = make([]chan sizedEvent, l.st.Channels)
	l.budget = make([]*semaphore.Weighted, l.st.Channels)
	l.credit = make([]int64, l.st.Channels)
	for c := range l.chans {
		l.chans[c] = make(chan sizedEvent, maxBatch(l.o.MaxBatch))
		l.budget[c] = semaphore.NewWeighted(channelBytes)
		g.Go(func() error { return l.channel(gctx, c) })
	}
	done := make(chan struct{})
	g.Go(func() error { defer close(done); return l.dispatch(gctx) })
	g.Go(func() error { return l.reportLoop(gctx, done) })
	return g.Wait()
}

// dispatch reads durable events in order and routes each to its channel;
// events that must not overlap anything (truncate, key change, end) wait
// until every channel has committed all before them.
func (l *live) dispatch(ctx context.Context) error {
	defer func() {
		for _, c := range l.chans {
			close(c)
		}
	}()
	r := queue.OpenReader(l.o.Dir.QueueDir(l.o.Direction), l.readPos)
	defer r.Close()
	minLast := l.st.LastSeq[0]
	for _, s := range l.st.LastSeq {
		minLast = min(minLast, s)
	}
	var limit queue.Position
	for {
		e, err := r.Next(limit)
		if err != nil {
			if restarted, rerr := l.exportRestarted(ctx, true); rerr == nil && restarted {
				return ErrExportRestarted // its queue was cleared under the reader
			}
			return err
		}
		if e == nil {
			// Caught up with what was durable when last asked: ask again,
			// and notice an export that started over meanwhile.
			if restarted, err := l.exportRestarted(ctx, false); err != nil || restarted {
				if err == nil {
					err = ErrExportRestarted
				}
				return err
			}
			fresh, err := l.durableLimit(ctx)
			if err != nil {
				return err
			}
			if fresh == limit {
				if err := sleep(ctx, 20*time.Millisecond); err != nil {
					return err
				}
			}
			limit = fresh
			continue
		}
		if isBarrier(e) {
			if e.Seq <= minLast && e.Op == queue.OpEnd {
				return l.cutover(ctx, e) // applied before a restart, cutover not recorded yet
			}
			if e.Seq <= minLast {
				continue // applied before a restart
			}
			if err := l.barrier(ctx, e); err != nil || e.Op == queue.OpEnd {
				return err
			}
			l.setDispatched(e.Seq, r.Position())
			continue
		}
		ch := l.route(e)
		if e.Seq <= l.st.LastSeq[ch] {
			continue
		}
		size := eventBytes(e)
		if err := l.reserve(ctx, ch, size); err != nil {
			return err
		}
		l.tr.dispatched(ch, e.Seq)
		select {
		case l.chans[ch] <- sizedEvent{e, size}:
		case <-ctx.Done():
			return ctx.Err()
		}
		l.setDispatched(e.Seq, r.Position())
	}
}

// reserve takes size bytes of channel ch's budget for an event, waiting
// while the channel holds its budget's worth. It reserves from the budget
// a megabyte at a time, so that a run of small events takes the budget's
// lock once per megabyte instead of once per event.
func (l *live) reserve(ctx context.Context, ch int, size int64) error {
	if l.credit[ch] < size {
		need := max(size-l.credit[ch], min(1<<20, channelBytes))
		if err := l.budget[ch].Acquire(ctx, need); err != nil {
			return err
		}
		l.credit[ch] += need
	}
	l.credit[ch] -= size
	return nil
}

func (l *live) setDispatched(seq int64, pos queue.Position) {
	l.mu.Lock()
	l.dispSeq, l.readPos = seq, pos
	l.mu.Unlock()
}

// durableLimit is how far the queue is durable.
// exportRestarted reports whether export data started over since the
// snapshot this apply follows (export data --start-clean while we ran, or
// before we read the store). It reads the store at most twice a second
// unless now.
func (l *live) exportRestarted(ctx context.Context, now bool) (bool, error) {
	if l.o.ExportRunID == "" || !now && time.Since(l.runChecked) < 500*time.Millisecond {
		return false, nil
	}
	l.runChecked = time.Now()
	m, err := l.o.Store.Migration(ctx)
	if err != nil {
		return false, err
	}
	return m.ExportRunID != l.o.ExportRunID, nil
}

func (l *live) durableLimit(ctx context.Context) (queue.Position, error) {
	m, _, err := queue.LoadMark(ctx, l.o.Store, l.o.Direction)
	return m.Position, err
}

func isBarrier(e *queue.Event) bool {
	switch e.Op {
	case queue.OpTruncate, queue.OpEnd:
		return true
	case queue.OpUpdate:
		for i, k := range e.Key.Names {
			if nv, ok := e.New.Get(k); ok && !sameValue(e.Key.Vals[i], nv) {
				return true // the row's key changes: its later events route elsewhere
			}
		}
	}
	return false
}

func sameValue(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// route picks the channel: by table and primary-key value, so one row's
// events stay in order; a table without a primary key, or with other unique
// keys, goes whole to one channel.
func (l *live) route(e *queue.Event) int {
	h := fnvString((fnvString(fnvOffset, e.Schema)^0)*fnvPrime, e.Table) // the bytes schema, 0, table
	if l.lastPKTable.Schema != e.Schema || l.lastPKTable.Name != e.Table {
		l.lastPKTable = sqlname.Table{Schema: e.Schema, Name: e.Table}
		l.lastPK = l.pk[e.Schema+"."+e.Table]
	}
	for _, k := range l.lastPK {
		v, ok := e.Key.Get(k)
		if !ok {
			v = e.New.Value(k)
		}
		h = (h ^ 0) * fnvPrime
		if v != nil {
			h = fnvString(h, *v)
		}
	}
	return int(h % uint64(len(l.chans)))
}

// FNV-1a (as hash/fnv's New64a: a resumed migration must route as before),
// written out so that routing an event allocates nothing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}
