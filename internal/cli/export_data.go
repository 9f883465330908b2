package cli

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	srcmy "github.com/yugabyte/yb-voyager-go/internal/source/mysql"
	srcpg "github.com/yugabyte/yb-voyager-go/internal/source/postgres"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// ExportDataOptions are the inputs of export data.
type ExportDataOptions struct {
	IO               *IO
	Common           commonFlags
	Source           dbconn.Config
	Schemas          string
	TableList        string
	ExcludeTableList string
	ParallelJobs     int
	ExportType       string
	StartClean       bool
	ChunkBytes       int64
}

func newExportCmd(io *IO) *cobra.Command {
	data := newExportDataCmd(io, "data")
	from := group("from", "Export data from the source database")
	from.AddCommand(newExportDataCmd(io, "source"))
	data.AddCommand(from, newExportDataStatusCmd(io))
	return group("export", "Export schema or data from the source database", newExportSchemaCmd(io), data)
}

func newExportDataCmd(io *IO, use string) *cobra.Command {
	o := &ExportDataOptions{IO: io}
	c := &cobra.Command{
		Use:   use,
		Short: "Export data from the source database into the export directory",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunExportData(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, true)
	bindSource(c, &o.Source, &o.Schemas)
	fl := c.Flags()
	fl.StringVar(&o.TableList, "table-list", "", "comma-separated tables to export (globs * and ? allowed; default all)")
	fl.StringVar(&o.ExcludeTableList, "exclude-table-list", "", "comma-separated tables to leave out (globs allowed)")
	fl.IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "number of parallel connections reading the source")
	fl.StringVar(&o.ExportType, "export-type", "snapshot-only", "snapshot-only, or snapshot-and-changes for a live migration")
	fl.BoolVar(&o.StartClean, "start-clean", false, "discard any earlier export in this directory and start over")
	fl.Int64Var(&o.ChunkBytes, "chunk-bytes", exporter.DefaultChunkBytes, "storage bytes per chunk (tuning and tests)")
	_ = fl.MarkHidden("chunk-bytes")
	return c
}

func defaultJobs() int { return max(runtime.NumCPU(), 2) }

// RunExportData runs export data.
func RunExportData(ctx context.Context, c *cobra.Command, o *ExportDataOptions) error {
	if err := finishSource(&o.Source, o.Schemas); err != nil {
		return err
	}
	switch o.ExportType {
	case "snapshot-only":
	case "snapshot-and-changes":
	default:
		return usagef("--export-type %q is not valid: use snapshot-only or snapshot-and-changes", o.ExportType)
	}
	if o.ParallelJobs < 1 {
		return usagef("--parallel-jobs must be at least 1")
	}
	s, err := openCommand(c, &o.Common, "export-data")
	if err != nil {
		return err
	}
	defer s.close()
	if err := promptPassword(o.IO, "the source database", &o.Source.Password); err != nil {
		return err
	}
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	src, ident, err := openSource(ctx, o.Source)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := prepareExport(ctx, o, s, store, src, ident); err != nil {
		return err
	}
	start := time.Now()
	pb := progress.New(o.IO.Out, o.Common.DisablePB)
	eo := exporter.Options{
		Dir: s.dir, Store: store, Source: src,
		Include: sqlname.ParseList(o.TableList), Exclude: sqlname.ParseList(o.ExcludeTableList),
		Workers: o.ParallelJobs, ChunkBytes: o.ChunkBytes, Progress: pb, Log: s.log, Out: o.IO.Out,
	}
	var sum exporter.Summary
	if o.ExportType == "snapshot-and-changes" {
		var m *exportdir.Migration
		if m, err = store.Migration(ctx); err == nil {
			sum, err = exporter.RunLive(ctx, eo, src, exportdir.SourceToTarget, m.UUID)
		}
	} else {
		sum, err = exporter.Run(ctx, eo)
	}
	pb.Wait()
	if err != nil {
		s.logEnd(ctx, "export data", err)
		return err
	}
	if err := store.SetExportStatus(ctx, o.ExportType, exportdir.ExportDone); err != nil {
		return err
	}
	if err := store.WriteDescriptor(ctx, s.dir.Path(exportdir.MetainfoDir, "data_file_descriptor.json")); err != nil {
		return err
	}
	s.log.Info("export data done", "tables", sum.Tables, "chunks", sum.Chunks, "rows", sum.Rows, "elapsed", time.Since(start))
	if o.ExportType == "snapshot-and-changes" {
		fmt.Fprintf(o.IO.Out, "Live export finished after %s: cutover point reached.\n", time.Since(start).Round(time.Second))
		o.printSourceWarnings(s, src)
		return nil
	}
	fmt.Fprintf(o.IO.Out, "Exported %d rows of %d tables in %s (%d chunks, %d already done by an earlier run).\n",
		sum.Rows, sum.Tables, time.Since(start).Round(time.Millisecond), sum.Chunks, sum.ChunksSkipped)
	o.printSourceWarnings(s, src)
	return nil
}

// printSourceWarnings prints (and logs) what a MySQL source says about the
// values it exported: placeholders written as NULL, TIME durations.
func (o *ExportDataOptions) printSourceWarnings(s *session, src source.Source) {
	if my, ok := src.(*srcmy.Source); ok {
		for _, w := range my.Warnings() {
			fmt.Fprintln(o.IO.Out, w)
			s.log.Warn(w)
		}
	}
}

// openSource connects to the source engine and names it stably.
func openSource(ctx context.Context, cfg dbconn.Config) (capture.ChangeSource, string, error) {
	var src capture.ChangeSource
	var err error
	switch cfg.Type {
	case "mysql":
		src, err = srcmy.Open(ctx, cfg)
	default:
		src, err = srcpg.Open(ctx, cfg)
	}
	if err != nil {
		return nil, "", err
	}
	ident, err := src.Identity(ctx)
	if err != nil {
		src.Close()
		return nil, "", err
	}
	return src, ident, nil
}

// prepareExport records or checks which source this directory belongs to
// and honours --start-clean.
func prepareExport(ctx context.Context, o *ExportDataOptions, s *session, store *exportdir.Store, src capture.ChangeSource, ident string) error {
	if err := recordSourceIdentity(ctx, s, o.Source, ident); err != nil {
		return err
	}
	m, err := store.Migration(ctx)
	if err != nil {
		return err
	}
	if m.ExportType != "" && m.ExportType != o.ExportType && !o.StartClean {
		return fmt.Errorf("export directory %s holds a %s export: rerun with --export-type %s, or --start-clean to start over",
			s.dir.Root, m.ExportType, m.ExportType)
	}
	if o.StartClean {
		if m.PlanComplete {
			if err := confirm(o.IO, o.Common.Yes, "--start-clean deletes the data already exported to "+s.dir.Root+"; continue?"); err != nil {
				return err
			}
		}
		if err := exporter.StartOver(ctx, store, exportdir.SourceToTarget, src); err != nil {
			return err
		}
		if err := store.ResetExport(ctx); err != nil {
			return err
		}
		if err := s.dir.ClearData(); err != nil {
			return err
		}
	}
	return store.SetExportStatus(ctx, o.ExportType, exportdir.ExportRunning)
}
