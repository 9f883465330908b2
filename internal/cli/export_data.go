package cli

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// ExportDataOptions are the inputs of export data.
type ExportDataOptions struct {
	commonFlags
	Source           dbconn.Config
	Schemas          string
	TableList        string
	ExcludeTableList string
	ParallelJobs     int
	ExportType       string
	StartClean       bool
	ChunkBytes       int64
}

func newExportCmd(io *IO, deps *Deps) *cobra.Command {
	data := newExportDataCmd(io, deps, "data", nil)
	from := group("from", "Export data from the source database")
	from.AddCommand(newExportDataCmd(io, deps, "source", nil))
	data.AddCommand(from, newExportDataStatusCmd(io, deps, nil))
	return group("export", "Export schema or data from the source database", newExportSchemaCmd(io, deps, nil), data)
}

func newExportDataCmd(io *IO, deps *Deps, use string, runF func(*ExportDataOptions) error) *cobra.Command {
	sp := spec{use: use, short: "Export data from the source database into the export directory",
		store: true, locks: []string{"export-data"}, pb: true}
	return command(io, deps, sp, &ExportDataOptions{}, func(c *cobra.Command, o *ExportDataOptions) {
		bindSource(c, &o.Source, &o.Schemas)
		fl := c.Flags()
		fl.StringVar(&o.TableList, "table-list", "", "comma-separated tables to export (globs * and ? allowed; default all)")
		fl.StringVar(&o.ExcludeTableList, "exclude-table-list", "", "comma-separated tables to leave out (globs allowed)")
		fl.IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "number of parallel connections reading the source")
		fl.StringVar(&o.ExportType, "export-type", "snapshot-only", "snapshot-only, or snapshot-and-changes for a live migration")
		fl.BoolVar(&o.StartClean, "start-clean", false, "discard any earlier export in this directory and start over")
		fl.Int64Var(&o.ChunkBytes, "chunk-bytes", exporter.DefaultChunkBytes, "storage bytes per chunk (tuning and tests)")
		_ = fl.MarkHidden("chunk-bytes")
	}, func(o *ExportDataOptions) error {
		if err := finishSource(deps, &o.Source, o.Schemas); err != nil {
			return err
		}
		if o.ExportType != "snapshot-only" && o.ExportType != "snapshot-and-changes" {
			return usagef("--export-type %q is not valid: use snapshot-only or snapshot-and-changes", o.ExportType)
		}
		if o.ParallelJobs < 1 {
			return usagef("--parallel-jobs must be at least 1")
		}
		return nil
	}, runExportData, runF)
}

func defaultJobs() int { return max(runtime.NumCPU(), 2) }

// runExportData runs export data.
func runExportData(ctx context.Context, e *env, o *ExportDataOptions) error {
	if err := promptPassword(e.io, "the source database", &o.Source.Password); err != nil {
		return err
	}
	src, err := e.openSource(ctx, o.Source)
	if err != nil {
		return err
	}
	defer src.Close()
	m, err := prepareExport(ctx, e, o, src)
	if err != nil {
		return err
	}
	start := e.deps.Now()
	pb := progress.New(e.io.Out, o.DisablePB)
	eo := exporter.Options{
		Dir: e.dir, Store: e.store, Source: src,
		Include: sqlname.ParseList(o.TableList), Exclude: sqlname.ParseList(o.ExcludeTableList),
		Workers: o.ParallelJobs, ChunkBytes: o.ChunkBytes, Progress: pb, Log: e.log, Out: e.io.Out,
	}
	var sum exporter.Summary
	if o.ExportType == "snapshot-and-changes" {
		sum, err = exporter.RunLive(ctx, eo, src, exportdir.SourceToTarget, m.UUID)
	} else {
		sum, err = exporter.Run(ctx, eo)
	}
	pb.Wait()
	if err != nil {
		return err
	}
	if err := e.store.SetExportStatus(ctx, o.ExportType, exportdir.ExportDone); err != nil {
		return err
	}
	if err := e.store.WriteDescriptor(ctx, e.dir.Path(exportdir.MetainfoDir, "data_file_descriptor.json")); err != nil {
		return err
	}
	took := e.deps.Now().Sub(start)
	e.log.Info("export data done", "tables", sum.Tables, "chunks", sum.Chunks, "rows", sum.Rows, "elapsed", took)
	if o.ExportType == "snapshot-and-changes" {
		fmt.Fprintf(e.io.Out, "Live export finished after %s: cutover point reached.\n", took.Round(time.Second))
	} else {
		fmt.Fprintf(e.io.Out, "Exported %d rows of %d tables in %s (%d chunks, %d already done by an earlier run).\n",
			sum.Rows, sum.Tables, took.Round(time.Millisecond), sum.Chunks, sum.ChunksSkipped)
	}
	for _, w := range src.Warnings() {
		fmt.Fprintln(e.io.Out, w)
		e.log.Warn(w)
	}
	return nil
}

// prepareExport records or checks which source this directory belongs to
// and honours --start-clean.
func prepareExport(ctx context.Context, e *env, o *ExportDataOptions, src engine.Source) (*exportdir.Migration, error) {
	ident, err := src.Identity(ctx)
	if err != nil {
		return nil, err
	}
	if err := e.store.RecordSource(ctx, e.dir.Root, o.Source.Type, ident, o.Source.Redacted()); err != nil {
		return nil, err
	}
	m, err := e.store.Migration(ctx)
	if err != nil {
		return nil, err
	}
	if m.ExportType != "" && m.ExportType != o.ExportType && !o.StartClean {
		return nil, fmt.Errorf("export directory %s holds a %s export: rerun with --export-type %s, or --start-clean to start over",
			e.dir.Root, m.ExportType, m.ExportType)
	}
	if o.StartClean {
		if m.PlanComplete {
			if err := confirm(e.io, o.Yes, "--start-clean deletes the data already exported to "+e.dir.Root+"; continue?"); err != nil {
				return nil, err
			}
		}
		if err := exporter.StartOver(ctx, e.store, e.dir, exportdir.SourceToTarget, src); err != nil {
			return nil, err
		}
	}
	return m, e.store.SetExportStatus(ctx, o.ExportType, exportdir.ExportRunning)
}
