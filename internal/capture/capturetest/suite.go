// Package capturetest is the contract suite every change source passes
// against a real server of its engine (litestream's shared replica-client
// suite is the model): snapshot consistency under concurrent writes, chunk
// independence, an ordered change stream, resuming from a recorded
// position after a crash with nothing lost or repeated, the stop at
// cutover, and the cutover values. An engine's test file implements Server
// and calls Run; a source that cannot run a part (no server here) skips it
// with one visible line.
//
// The fixture is one table t (id integer primary key, v varchar(100), n
// integer) whose id has a sequence or identity behind it starting at
// 1,000,000, so that rows 1..N can be given explicitly and rows inserted
// without an id take values above them. Every statement the suite runs is
// plain SQL both PostgreSQL and MySQL accept.
package capturetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// Server is one engine's side of the suite.
type Server interface {
	// Open creates a fresh database holding the fixture table with rows
	// 1..rows (v 'r<id>', n <id>) and returns a change source on it and a
	// writer that runs SQL scripts on it over one connection of its own.
	Open(t *testing.T, rows int) (capture.ChangeSource, Writer)
	// Generator is the name (queue.CutoverValue.Name) of the cutover value
	// behind the fixture's id.
	Generator() string
}

// Writer runs a script of statements (BEGIN ...; COMMIT; for a
// transaction).
type Writer func(ctx context.Context, script string) error

// Run runs the suite.
func Run(t *testing.T, s Server) {
	t.Run("SnapshotConsistentUnderConcurrentWrites", func(t *testing.T) { testSnapshotUnderWrites(t, s) })
	t.Run("ChunksAreIndependent", func(t *testing.T) { testChunksIndependent(t, s) })
	t.Run("StreamIsOrderedByCommit", func(t *testing.T) { testOrderedStream(t, s) })
	t.Run("ResumeAfterCrashLosesAndRepeatsNothing", func(t *testing.T) { testResume(t, s) })
	t.Run("CutoverStopsAfterEverythingBefore", func(t *testing.T) { testCutoverStop(t, s) })
	t.Run("CutoverValuesCoverTheGenerator", func(t *testing.T) { testCutoverValues(t, s) })
}

// stream is one live export in progress on a fixture database.
type stream struct {
	src    capture.ChangeSource
	opts   capture.StreamOptions
	table  source.Table
	live   *capture.Live
	writer Writer
}

// beginLive lists the fixture table, creates the stream and opens its snapshot.
func beginLive(t *testing.T, src capture.ChangeSource, w Writer) *stream {
	t.Helper()
	ctx := context.Background()
	tables, err := src.ListTables(ctx, nil, nil)
	if err != nil || len(tables) != 1 {
		t.Fatalf("fixture tables: %v %v", tables, err)
	}
	if err := src.CheckLive(ctx, tables); err != nil {
		t.Fatalf("CheckLive on the fixture: %v", err)
	}
	name := fmt.Sprintf("ybvtest_%x", time.Now().UnixNano())
	live, err := src.BeginLive(ctx, capture.LiveOptions{Stream: name, Tables: tables, Workers: 2})
	if err != nil {
		t.Fatalf("BeginLive: %v", err)
	}
	t.Cleanup(func() {
		if err := src.Release(context.Background(), name); err != nil {
			t.Errorf("Release: %v", err)
		}
	})
	return &stream{src: src, table: tables[0], live: live, writer: w,
		opts: capture.StreamOptions{Stream: name, Tables: tables, From: live.Start}}
}

// exportAll reads every chunk of the snapshot (chunks of about chunkBytes,
// in reverse order when asked, alternating between two workers) into a
// model, and returns how many chunks there were.
func exportAll(t *testing.T, snap source.Snapshot, table source.Table, chunkBytes int64, reverse bool) (model, int) {
	t.Helper()
	ctx := context.Background()
	chunks, err := snap.PlanChunks(ctx, []source.Table{table}, chunkBytes)
	if err != nil {
		t.Fatalf("PlanChunks: %v", err)
	}
	if reverse {
		sort.SliceStable(chunks, func(i, j int) bool { return i > j })
	}
	m := model{}
	for i, c := range chunks {
		var b strings.Builder
		n, err := snap.ExportChunk(ctx, i%2, c, table.Columns, &b)
		if err != nil {
			t.Fatalf("ExportChunk %d: %v", c.ChunkNo, err)
		}
		if got := m.addCopyText(t, table.Columns, b.String()); got != n {
			t.Fatalf("chunk %d: %d lines, the source reported %d rows", c.ChunkNo, got, n)
		}
	}
	return m, len(chunks)
}

// current reads the table as it is now, through a snapshot of its own.
func current(t *testing.T, src capture.ChangeSource, table source.Table) model {
	t.Helper()
	snap, err := src.BeginSnapshot(context.Background(), 2)
	if err != nil {
		t.Fatalf("BeginSnapshot: %v", err)
	}
	defer snap.Close(context.Background())
	m, _ := exportAll(t, snap, table, 1<<30, false)
	return m
}

// write runs a script or fails the test (test goroutine only).
func (s *stream) write(t *testing.T, script string) {
	t.Helper()
	if err := s.writer(context.Background(), script); err != nil {
		t.Fatalf("write %q: %v", script, err)
	}
}

// run streams into r until done(r) holds (checked after every commit and
// tick) or the stream ends, within a minute. It returns the stream's error
// (nil when stopped by done).
func (s *stream) run(t *testing.T, r *recorder, done func(*recorder) bool) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r.check = func() {
		if done(r) {
			cancel()
		}
	}
	if r.durable == nil {
		r.durable = s.opts.From
	}
	err := s.src.Stream(ctx, s.opts, r)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("stream did not finish within a minute; %d transactions received", len(r.committed()))
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// recorder is a capture.Sink that keeps what it receives.
type recorder struct {
	mu      sync.Mutex
	cur     []*queue.Event
	txs     []tx
	lastTx  time.Time
	durable capture.Position
	ticks   int
	markers []string
	check   func()
	// holdAfter > 0: Durable stops moving after that many commits of
	// fixture changes, as a sink whose writes are not yet durable.
	holdAfter int
	// hooks run inside the sink's calls (nil: none)
	onChange func(e *queue.Event) error
	onTick   func(t capture.Tick) error
	onCommit func(end capture.Position) error
}

// tx is one committed transaction with changes of the fixture.
type tx struct {
	events []*queue.Event
	end    capture.Position
}

func (r *recorder) Change(e *queue.Event) error {
	if r.onChange != nil {
		if err := r.onChange(e); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.cur = append(r.cur, e)
	r.mu.Unlock()
	return nil
}

func (r *recorder) Commit(end capture.Position, _ time.Time) error {
	r.mu.Lock()
	if n := len(r.txs); n > 0 && end.Compare(r.txs[n-1].end) <= 0 || r.durable != nil && end.Compare(r.durable) <= 0 {
		r.mu.Unlock()
		return fmt.Errorf("commit at %s is not after the last one, %s", end, r.durable)
	}
	held := r.holdAfter > 0 && len(r.txs) >= r.holdAfter
	if len(r.cur) > 0 {
		r.txs, r.lastTx = append(r.txs, tx{events: r.cur, end: end}), time.Now()
	}
	r.cur = nil
	if !held {
		r.durable = end
	}
	r.mu.Unlock()
	if r.onCommit != nil {
		if err := r.onCommit(end); err != nil {
			return err
		}
	}
	r.check()
	return nil
}

func (r *recorder) Marker(id string) error {
	r.mu.Lock()
	r.markers = append(r.markers, id)
	r.mu.Unlock()
	return nil
}

func (r *recorder) Tick(t capture.Tick) error {
	r.mu.Lock()
	r.ticks++
	r.mu.Unlock()
	if r.onTick != nil {
		if err := r.onTick(t); err != nil {
			return err
		}
	}
	r.check()
	return nil
}

func (r *recorder) Durable() capture.Position {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.durable
}

// sinceCommit is the time since the last transaction of fixture changes
// (since ever, when none came).
func (r *recorder) sinceCommit() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lastTx.IsZero() {
		return time.Duration(1 << 62)
	}
	return time.Since(r.lastTx)
}

// durableTxs are the committed transactions at or before Durable: what a
// sink that crashed now would still have.
func (r *recorder) durableTxs() []tx {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []tx
	for _, x := range r.txs {
		if r.durable != nil && x.end.Compare(r.durable) <= 0 {
			out = append(out, x)
		}
	}
	return out
}

func (r *recorder) committed() []tx {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]tx(nil), r.txs...)
}

// hasRow reports whether a committed transaction inserted row id.
func (r *recorder) hasRow(id string) bool {
	for _, x := range r.committed() {
		for _, e := range x.events {
			if e.Op == queue.OpInsert && value(e.New, "id") == id {
				return true
			}
		}
	}
	return false
}
