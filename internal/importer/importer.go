// Package importer drives import data. The snapshot (this file): it follows
// the export plan in the metainfo store, splits each completed data file
// into batches (byte ranges), skips the batches the target already records,
// and loads the rest in parallel. Progress lives on the target only (each
// batch commits with its record), so a rerun after kill -9 loads exactly
// what is missing. It may run while export data is still running: it polls
// the store and picks up each chunk as soon as the exporter marks it done.
//
// The live apply (live.go, apply.go, channels.go, fold.go) is engine- and
// direction-neutral: it reads a direction's queue up to its Mark, routes
// each event to a channel by table and key, folds each channel's batch to
// net changes, and has a target.ChangeApplier commit each batch with the
// channel's position; archive.go removes the segments it has moved past.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// Options configures one import data run.
type Options struct {
	Dir          *exportdir.Dir
	Store        *exportdir.Store
	Target       target.Target
	Workers      int
	BatchRows    int64
	PollInterval time.Duration
	Progress     progress.Reporter
	Log          *slog.Logger
	Out          io.Writer // live apply metrics and cutover messages
	// Explain names the fix for a load error that a value of the source's
	// engine causes (engine.Engine.ExplainLoadError); may be nil.
	Explain func(target.LoadError) (column, fix string, ok bool)
}

// ErrExportRestarted means the data being imported belongs to an earlier
// export run: export data was rerun with --start-clean, or a live export
// restarted its snapshot. The tables must be emptied and loaded again.
var ErrExportRestarted = errors.New("the target holds rows of an earlier export of this migration (export data started over): rerun import data with --start-clean to truncate the tables and load the new export")

// Summary is what an import run did.
type Summary struct {
	Batches        int
	BatchesSkipped int
	Rows           int64
	// ExportRunID is the export run whose data was imported.
	ExportRunID string
}

// Run imports until the export is complete and every chunk is loaded.
func Run(ctx context.Context, o Options) (Summary, error) {
	var sum Summary
	m, err := waitForPlan(ctx, o)
	if err != nil {
		return sum, err
	}
	sum.ExportRunID = m.ExportRunID
	tables, err := o.Store.Tables(ctx)
	if err != nil {
		return sum, err
	}
	if err := checkTarget(ctx, o, tables); err != nil {
		return sum, err
	}
	if other, err := o.Target.OtherRuns(ctx, m.UUID, m.ExportRunID); err != nil {
		return sum, err
	} else if other {
		return sum, ErrExportRestarted
	}
	done, err := o.Target.DoneBatches(ctx, m.UUID, m.ExportRunID)
	if err != nil {
		return sum, err
	}
	cols := map[string][]string{}
	for _, t := range tables {
		cols[t.Table.String()] = t.Columns
		o.Progress.Table(t.Table.String(), t.EstRows, 0)
	}
	sched := newScheduler(o.Workers)
	files := newLoadedFiles()
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer sched.close()
		return feed(gctx, o, m, done, cols, sched, files, &sum, &mu)
	})
	for w := 0; w < o.Workers; w++ {
		g.Go(func() error {
			prev := ""
			for {
				b, rel, ok := sched.next(gctx, prev)
				if !ok {
					return gctx.Err()
				}
				if err := importBatch(gctx, o, b); err != nil {
					return err
				}
				files.loaded(o.Dir.DataFile(b.FileName), b.FileName)
				mu.Lock()
				sum.Rows += b.Rows
				mu.Unlock()
				prev = rel
			}
		})
	}
	if err := g.Wait(); err != nil {
		// A file vanishing under us means export data started over.
		if mig, merr := o.Store.Migration(ctx); merr == nil && mig.ExportRunID != m.ExportRunID {
			return sum, ErrExportRestarted
		}
		return sum, err
	}
	for _, t := range tables {
		o.Progress.Finish(t.Table.String())
	}
	return sum, nil
}

// StartGrace is how long import data waits for an export to show up.
var StartGrace = 3 * time.Second

// WaitForPlan returns the migration once the exporter has recorded its plan.
func WaitForPlan(ctx context.Context, o Options) (*exportdir.Migration, error) {
	return waitForPlan(ctx, o)
}

// waitForPlan returns once the exporter has recorded its plan; it fails
// at once if no export has started in this directory.
// Both commands may be started at the same moment, and a live export
// resets its record when it restarts its snapshot, so "not started" only
// counts once no export data process has shown up for a grace period.
func waitForPlan(ctx context.Context, o Options) (*exportdir.Migration, error) {
	notStartedSince := time.Now()
	for {
		m, err := o.Store.Migration(ctx)
		notStarted := errors.Is(err, exportdir.ErrNoMigration) || err == nil && m.ExportStatus == exportdir.ExportNotStarted && !m.PlanComplete
		if !notStarted || o.Dir.Running("export-data") {
			notStartedSince = time.Now()
		}
		if notStarted && time.Since(notStartedSince) > StartGrace {
			return nil, fmt.Errorf("nothing has been exported to %s yet: run `yb-voyager export data --export-dir %s ...` first (import data may run alongside it once it has started)", o.Dir.Root, o.Dir.Root)
		}
		if notStarted {
			if err := sleep(ctx, 50*time.Millisecond); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if m.PlanComplete {
			return m, nil
		}
		if err := sleep(ctx, o.PollInterval); err != nil {
			return nil, err
		}
	}
}

func checkTarget(ctx context.Context, o Options, tables []exportdir.TableRecord) error {
	if err := o.Target.EnsureMetadata(ctx); err != nil {
		return err
	}
	var names []sqlname.Table
	for _, t := range tables {
		names = append(names, t.Table)
	}
	missing, err := o.Target.MissingTables(ctx, names)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("table %s does not exist on the target: run `yb-voyager import schema` first (or create it), then rerun import data", joinTables(missing))
	}
	return nil
}

// feed polls the store and queues the batches of every completed, not yet
// handled chunk, as the scheduler wants them, until the export is done and
// all chunks are handled.
func feed(ctx context.Context, o Options, m *exportdir.Migration, done map[string]map[int64]int64,
	cols map[string][]string, sched *scheduler, files *loadedFiles, sum *Summary, mu *sync.Mutex) error {
	handled := map[string]bool{}
	var mig *exportdir.Migration
	var pending []exportdir.ChunkRecord // not queued yet, as of the last look at the store
	var lastPoll time.Time
	poll := true
	for {
		if poll {
			var err error
			if mig, pending, err = unhandledChunks(ctx, o, m, handled); err != nil {
				return err
			}
			lastPoll = time.Now()
		}
		queued := false
		rest := pending[:0]
		for _, c := range pending {
			if c.Status != exportdir.ChunkDone || !sched.wants(relationKey(c)) {
				rest = append(rest, c)
				continue
			}
			batches, err := chunkBatches(o, m, c, done[c.FileName], cols[c.Table.String()], sum, mu)
			if err != nil {
				return err
			}
			files.add(c.FileName, len(batches))
			sched.add(relationKey(c), batches)
			handled[c.FileName], queued = true, true
		}
		pending = rest
		// A live export streams changes once its snapshot is fully exported.
		if len(pending) == 0 && (mig.ExportStatus == exportdir.ExportDone || mig.ExportStatus == exportdir.ExportStreaming) {
			return nil
		}
		// Queuing can take a while, and more chunks are likely done by
		// now: look at the store again at once rather than let the workers
		// run dry.
		if poll = queued; poll {
			continue
		}
		wait := o.PollInterval - time.Since(lastPoll)
		if poll = wait <= 0; poll {
			continue
		}
		select {
		case <-sched.taken: // a table may want its next chunk: the known ones are looked at again
		case <-time.After(wait):
			poll = true
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// unhandledChunks reads the migration and the chunks not handled yet.
func unhandledChunks(ctx context.Context, o Options, m *exportdir.Migration, handled map[string]bool) (*exportdir.Migration, []exportdir.ChunkRecord, error) {
	mig, err := o.Store.Migration(ctx)
	if err != nil {
		return nil, nil, err
	}
	if mig.ExportRunID != m.ExportRunID {
		return nil, nil, ErrExportRestarted
	}
	chunks, err := o.Store.Chunks(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := chunks[:0]
	for _, c := range chunks {
		if !handled[c.FileName] {
			out = append(out, c)
		}
	}
	return mig, out, nil
}

// relationKey names the chunk's storage relation for the scheduler.
func relationKey(c exportdir.ChunkRecord) string {
	if c.Relation.Name != "" {
		return c.Relation.String()
	}
	return c.Table.String()
}

// chunkBatches splits a completed chunk into the batches still to load.
func chunkBatches(o Options, m *exportdir.Migration, c exportdir.ChunkRecord, done map[int64]int64,
	cols []string, sum *Summary, mu *sync.Mutex) ([]target.Batch, error) {
	path := o.Dir.DataFile(c.FileName)
	batches, err := datafile.Split(path, o.BatchRows, done)
	if err != nil {
		return nil, fmt.Errorf("plan batches of %s (table %s): %w", c.FileName, c.Table, err)
	}
	doneRows := c.Rows
	for _, b := range batches {
		doneRows -= b.Rows
	}
	o.Progress.Add(c.Table.String(), doneRows)
	mu.Lock()
	sum.Batches += len(batches)
	sum.BatchesSkipped += len(done)
	mu.Unlock()
	out := make([]target.Batch, len(batches))
	for i, b := range batches {
		out[i] = target.Batch{MigrationUUID: m.UUID, ExportRunID: m.ExportRunID, FileName: c.FileName, Table: c.Table,
			Columns: cols, Start: b.Start, End: b.End, Rows: b.Rows, FirstLine: b.FirstLine}
	}
	return out, nil
}

func importBatch(ctx context.Context, o Options, b target.Batch) error {
	f, err := os.Open(o.Dir.DataFile(b.FileName))
	if err != nil {
		return fmt.Errorf("import %s: %w", b.FileName, err)
	}
	defer f.Close()
	err = dbconn.Retry(ctx, 10, func(attempt int, err error) {
		o.Log.Warn("retrying batch after transient error", "table", b.Table.String(), "file", b.FileName,
			"batch_start", b.Start, "attempt", attempt, "err", err)
	}, func() error {
		return o.Target.ImportBatch(ctx, b, io.NewSectionReader(f, b.Start, b.End-b.Start))
	})
	var dataErr *target.DataError
	switch {
	case errors.Is(err, target.ErrBatchAlreadyImported):
		err = nil
	case errors.As(err, &dataErr):
		dataErr.Explain(o.Explain)
		return err // names table, file, byte range and line
	}
	if err != nil {
		return fmt.Errorf("import batch at byte %d of %s (table %s): %w", b.Start, b.FileName, b.Table, err)
	}
	o.Progress.Add(b.Table.String(), b.Rows)
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func joinTables(ts []sqlname.Table) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += t.String()
	}
	return s
}

// WaitForExport returns the migration record once an export has started
// in the directory (ok false when none has: no export data ran or runs);
// export data and import data may be started together, so it waits a
// little for one to show up.
func WaitForExport(ctx context.Context, dir *exportdir.Dir, store *exportdir.Store) (*exportdir.Migration, bool, error) {
	deadline := time.Now().Add(StartGrace)
	for {
		m, err := store.Migration(ctx)
		started := err == nil && (m.ExportStatus != exportdir.ExportNotStarted || m.PlanComplete)
		if started {
			return m, true, nil
		}
		if !dir.Running("export-data") && time.Now().After(deadline) {
			if errors.Is(err, exportdir.ErrNoMigration) {
				err = nil
			}
			return m, false, err
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return nil, false, err
		}
	}
}

// Load imports the snapshot. When a live export starts its snapshot over
// (it was stopped during it), nothing loaded of the old one is valid and
// no change was applied yet (changes follow a completed snapshot): the
// tables are emptied and the new snapshot is loaded, as often as it takes.
// It returns the migration record the loaded snapshot belongs to.
func Load(ctx context.Context, o Options, live bool) (Summary, *exportdir.Migration, error) {
	for {
		sum, err := Run(ctx, o)
		if err == nil {
			// The record must be the run that was imported: an export that
			// started over since is a restart like any other.
			m, merr := o.Store.Migration(ctx)
			switch {
			case merr != nil:
				return sum, nil, merr
			case m.ExportRunID == sum.ExportRunID:
				return sum, m, nil
			}
			err = ErrExportRestarted
		}
		if !errors.Is(err, ErrExportRestarted) || !live {
			return sum, nil, err
		}
		if err := reload(ctx, o); err != nil {
			return sum, nil, err
		}
	}
}

// reload empties the tables of a migration whose export started over, once
// the new export's plan is there.
func reload(ctx context.Context, o Options) error {
	fmt.Fprintln(o.Out, "The export restarted its snapshot: emptying the tables and importing the new snapshot.")
	o.Log.Warn("live export restarted its snapshot; reloading")
	m, err := WaitForPlan(ctx, o)
	if err != nil {
		return err
	}
	return Reset(ctx, o.Store, o.Target, m.UUID)
}

// Live imports a live migration: the snapshot, then its changes until
// cutover. Whenever export data starts over (--start-clean, before or while
// this runs), the tables are emptied and the new snapshot loaded before
// any of its changes; snapshotDone is told of each snapshot loaded.
func Live(ctx context.Context, o LiveOptions, snapshotDone func(Summary)) error {
	for {
		sum, m, err := Load(ctx, o.Options, true)
		if err != nil {
			return err
		}
		snapshotDone(sum)
		o.ExportRunID = m.ExportRunID
		err = RunLive(ctx, o, m.UUID)
		if !errors.Is(err, ErrExportRestarted) {
			return err
		}
		if err := reload(ctx, o.Options); err != nil {
			return err
		}
	}
}

// Reset empties the migration's tables on the target and forgets every
// batch and change recorded for it (import data --start-clean, a restarted
// export).
func Reset(ctx context.Context, store *exportdir.Store, tgt target.Target, migrationUUID string) error {
	tables, err := store.Tables(ctx)
	if err != nil {
		return err
	}
	var names []sqlname.Table
	for _, t := range tables {
		names = append(names, t.Table)
	}
	if err := tgt.EnsureMetadata(ctx); err != nil {
		return err
	}
	missing, err := tgt.MissingTables(ctx, names)
	if err != nil {
		return err
	}
	skip := map[sqlname.Table]bool{}
	for _, t := range missing {
		skip[t] = true
	}
	var present []sqlname.Table
	for _, t := range names {
		if !skip[t] {
			present = append(present, t)
		}
	}
	if err := tgt.Truncate(ctx, present); err != nil {
		return err
	}
	return tgt.ForgetMigration(ctx, migrationUUID)
}
