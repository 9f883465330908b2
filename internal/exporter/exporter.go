// Package exporter drives export data. The snapshot (this file): it asks
// the source for tables and chunks, records the plan in the metainfo store,
// and has a pool of workers write each chunk to its own data file. A
// chunk's file is fsync'd and renamed into place before the chunk is marked
// done, so the importer (which may be running at the same time) only ever
// sees complete files, and a rerun after a crash re-exports exactly the
// chunks not marked done.
//
// The live export (live.go, sink.go, cutover.go) is one loop and one sink
// for every change source (capture.ChangeSource) and every direction: the
// snapshot at the source's start position, then its changes into the
// direction's queue, made durable before the source may forget them, until
// cutover. Its record is the Checkpoint, saved with the queue's Mark.
package exporter

import (
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// DefaultChunkBytes is the storage size one chunk covers.
const DefaultChunkBytes = 64 << 20

// Options configures one export data run.
type Options struct {
	Dir        *exportdir.Dir
	Store      *exportdir.Store
	Source     source.Source
	Include    []sqlname.Pattern
	Exclude    []sqlname.Pattern
	Workers    int
	ChunkBytes int64
	Progress   progress.Reporter
	Log        *slog.Logger
	Out        io.Writer // CDC metrics lines
}

// Summary is what an export run did.
type Summary struct {
	Tables        int
	Chunks        int
	ChunksSkipped int // already done by an earlier run
	Rows          int64
}

// Run exports every pending chunk of the plan, making the plan first if this
// export directory has none.
func Run(ctx context.Context, o Options) (Summary, error) {
	m, err := o.Store.Migration(ctx)
	if err != nil {
		return Summary{}, err
	}
	var snap source.Snapshot
	defer func() {
		if snap != nil {
			snap.Close(context.WithoutCancel(ctx))
		}
	}()
	if !m.PlanComplete {
		tables, err := o.Source.ListTables(ctx, o.Include, o.Exclude)
		if err != nil {
			return Summary{}, err
		}
		if snap, err = o.Source.BeginSnapshot(ctx, o.Workers); err != nil {
			return Summary{}, err
		}
		if err := savePlan(ctx, o, snap, tables); err != nil {
			return Summary{}, err
		}
	} else if err := checkSameSelection(ctx, o); err != nil {
		return Summary{}, err
	}
	return exportPlanned(ctx, o, snap)
}

// savePlan splits the tables into chunks under snap and records the plan.
func savePlan(ctx context.Context, o Options, snap source.Snapshot, tables []source.Table) error {
	chunks, err := snap.PlanChunks(ctx, tables, o.ChunkBytes)
	if err != nil {
		return err
	}
	var trec []exportdir.TableRecord
	for i, t := range tables {
		trec = append(trec, exportdir.TableRecord{Table: t.Name, Columns: t.Columns, PrimaryKey: t.PrimaryKey, EstRows: t.EstRows, HasUniqueKeys: t.HasUniqueKeys, Ordinal: i})
	}
	var crec []exportdir.ChunkRecord
	for _, c := range chunks {
		crec = append(crec, exportdir.ChunkRecord{FileName: FileName(c.Table, c.ChunkNo), Table: c.Table,
			Relation: c.Relation, ChunkNo: c.ChunkNo, Filter: c.Filter})
	}
	if err := o.Store.SavePlan(ctx, trec, crec); err != nil {
		return err
	}
	o.Log.Info("export planned", "tables", len(trec), "chunks", len(crec))
	return nil
}

// exportPlanned exports the plan's pending chunks, under snap, or under a
// new snapshot when resuming (snap nil).
func exportPlanned(ctx context.Context, o Options, snap source.Snapshot) (Summary, error) {
	var sum Summary
	tables, err := o.Store.Tables(ctx)
	if err != nil {
		return sum, err
	}
	chunks, err := o.Store.Chunks(ctx)
	if err != nil {
		return sum, err
	}
	sum.Tables, sum.Chunks = len(tables), len(chunks)
	pending := registerProgress(o.Progress, tables, chunks)
	sum.ChunksSkipped = len(chunks) - len(pending)
	// First chunks of every table first: an import data running alongside
	// then has a table for each of its jobs early, instead of all of them
	// sharing the first table (see importer/schedule.go).
	slices.SortStableFunc(pending, func(a, b exportdir.ChunkRecord) int { return cmp.Compare(a.ChunkNo, b.ChunkNo) })
	if len(pending) > 0 && snap == nil {
		o.Log.Info("resuming export under a new snapshot", "pending_chunks", len(pending))
		if snap, err = o.Source.BeginSnapshot(ctx, o.Workers); err != nil {
			return sum, err
		}
		defer snap.Close(context.WithoutCancel(ctx))
	}
	rows, err := exportChunks(ctx, o, snap, tables, pending)
	sum.Rows = rows
	if err != nil {
		return sum, err
	}
	for _, t := range tables {
		o.Progress.Finish(t.Table.String())
	}
	return sum, nil
}

// checkSameSelection refuses to resume with a different table selection:
// the plan on disk is what the importer follows.
func checkSameSelection(ctx context.Context, o Options) error {
	want, err := o.Source.ListTables(ctx, o.Include, o.Exclude)
	if err != nil {
		return err
	}
	have, err := o.Store.Tables(ctx)
	if err != nil {
		return err
	}
	var a, b []string
	for _, t := range want {
		a = append(a, t.Name.String())
	}
	for _, t := range have {
		b = append(b, t.Table.String())
	}
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		return errors.New("this export directory holds an export of a different set of tables: rerun with the same --table-list/--exclude-table-list, or pass --start-clean to export again from scratch")
	}
	return nil
}

// FileName is the data file of a table's chunk. Names that had to be made
// file-system safe get a short hash of the exact name so they never collide.
func FileName(t sqlname.Table, chunkNo int) string {
	stem := t.FileStem()
	if stem != t.String() || strings.ContainsAny(stem, "/") {
		h := sha1.Sum([]byte(t.Schema + "\x00" + t.Name))
		stem += "-" + hex.EncodeToString(h[:3])
	}
	return fmt.Sprintf("%s.%05d.tsv", stem, chunkNo)
}

func registerProgress(p progress.Reporter, tables []exportdir.TableRecord, chunks []exportdir.ChunkRecord) []exportdir.ChunkRecord {
	var pending []exportdir.ChunkRecord
	done := map[string]int64{}
	for _, c := range chunks {
		if c.Status == exportdir.ChunkDone {
			done[c.Table.String()] += c.Rows
		} else {
			pending = append(pending, c)
		}
	}
	for _, t := range tables {
		p.Table(t.Table.String(), t.EstRows, done[t.Table.String()])
	}
	return pending
}

func exportChunks(ctx context.Context, o Options, snap source.Snapshot, tables []exportdir.TableRecord, pending []exportdir.ChunkRecord) (int64, error) {
	cols := map[string][]string{}
	for _, t := range tables {
		cols[t.Table.String()] = t.Columns
	}
	work := make(chan exportdir.ChunkRecord)
	rows := make([]int64, o.Workers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(work)
		for _, c := range pending {
			select {
			case work <- c:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for w := 0; w < o.Workers; w++ {
		g.Go(func() error {
			for c := range work {
				n, err := exportChunk(gctx, o, snap, w, c, cols[c.Table.String()])
				if err != nil {
					return err
				}
				rows[w] += n
			}
			return nil
		})
	}
	err := g.Wait()
	var total int64
	for _, n := range rows {
		total += n
	}
	return total, err
}

func exportChunk(ctx context.Context, o Options, snap source.Snapshot, worker int, c exportdir.ChunkRecord, cols []string) (int64, error) {
	path := o.Dir.DataFile(c.FileName)
	w, err := datafile.Create(path)
	if err != nil {
		return 0, fmt.Errorf("export chunk %d of %s: %w", c.ChunkNo, c.Table, err)
	}
	name := c.Table.String()
	w.OnRows = func(n int64) { o.Progress.Add(name, n) }
	n, err := snap.ExportChunk(ctx, worker, source.Chunk{Table: c.Table, Relation: c.Relation, ChunkNo: c.ChunkNo, Filter: c.Filter}, cols, w)
	if err != nil {
		w.Abort()
		return 0, err
	}
	if n != w.Rows {
		w.Abort()
		return 0, fmt.Errorf("export chunk %d of %s: source reported %d rows but %d lines were written", c.ChunkNo, c.Table, n, w.Rows)
	}
	if err := w.Commit(); err != nil {
		return 0, fmt.Errorf("export chunk %d of %s: %w", c.ChunkNo, c.Table, err)
	}
	if err := o.Store.MarkChunkDone(ctx, c.FileName, w.Rows, w.Bytes); err != nil {
		return 0, err
	}
	o.Log.Debug("chunk exported", "file", c.FileName, "rows", w.Rows, "bytes", w.Bytes)
	return n, nil
}
