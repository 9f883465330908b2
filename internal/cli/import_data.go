package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/schema/apply"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	tgtpg "github.com/yugabyte/yb-voyager-go/internal/target/postgres"
)

// ImportDataOptions are the inputs of import data.
type ImportDataOptions struct {
	IO           *IO
	Common       commonFlags
	Target       dbconn.Config
	ParallelJobs int
	BatchSize    int64
	StartClean   bool
}

func newImportCmd(io *IO) *cobra.Command {
	data := newImportDataCmd(io, "data")
	to := group("to", "Import data into the target database")
	to.AddCommand(newImportDataCmd(io, "target"))
	data.AddCommand(to, newImportDataStatusCmd(io))
	return group("import", "Import schema or data into the target database", newImportSchemaCmd(io), data)
}

func newImportDataCmd(io *IO, use string) *cobra.Command {
	o := &ImportDataOptions{IO: io}
	c := &cobra.Command{
		Use:   use,
		Short: "Import the exported data into the target database",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunImportData(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, true)
	bindTarget(c, &o.Target)
	fl := c.Flags()
	fl.IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "number of parallel connections loading the target")
	fl.Int64Var(&o.BatchSize, "batch-size", 20000, "rows per batch; each batch commits in its own transaction")
	fl.BoolVar(&o.StartClean, "start-clean", false, "truncate the imported tables and forget earlier import progress, then import from scratch")
	return c
}

// RunImportData runs import data.
func RunImportData(ctx context.Context, c *cobra.Command, o *ImportDataOptions) error {
	if err := finishTarget(&o.Target); err != nil {
		return err
	}
	if o.ParallelJobs < 1 || o.BatchSize < 1 {
		return usagef("--parallel-jobs and --batch-size must be at least 1")
	}
	s, err := openCommand(c, &o.Common, "import-data")
	if err != nil {
		return err
	}
	defer s.close()
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := waitForExport(ctx, s.dir, store)
	if err != nil || (m.ExportStatus == exportdir.ExportNotStarted && !m.PlanComplete) {
		return fmt.Errorf("nothing has been exported to %s yet: run `yb-voyager export data --export-dir %s ...` first (import data may run alongside it once it has started)",
			s.dir.Root, s.dir.Root)
	}
	if err := promptPassword(o.IO, "the target database", &o.Target.Password); err != nil {
		return err
	}
	tgt, err := tgtpg.Open(ctx, o.Target, o.ParallelJobs, s.log)
	if err != nil {
		return err
	}
	defer tgt.Close()
	if err := store.SetTarget(ctx, o.Target.Redacted()); err != nil {
		return err
	}
	if o.StartClean {
		if err := startCleanImport(ctx, o, store, tgt, m); err != nil {
			return err
		}
	}
	start := time.Now()
	pb := progress.New(o.IO.Out, o.Common.DisablePB)
	io := importer.Options{
		Dir: s.dir, Store: store, Target: tgt, Workers: o.ParallelJobs, BatchRows: o.BatchSize,
		PollInterval: 200 * time.Millisecond, Progress: pb, Log: s.log, Out: o.IO.Out,
	}
	sum, err := importer.Run(ctx, io)
	for errors.Is(err, importer.ErrExportRestarted) && m.ExportType == "snapshot-and-changes" {
		// A live export restarts its snapshot when it was stopped during it.
		// Nothing of the old snapshot is valid, and no change was applied
		// yet (changes follow a completed snapshot): load the new one.
		fmt.Fprintln(o.IO.Out, "The export restarted its snapshot: emptying the tables and importing the new snapshot.")
		s.log.Warn("live export restarted its snapshot; reloading")
		if m, err = importer.WaitForPlan(ctx, io); err != nil {
			break
		}
		if err = truncateImported(ctx, store, tgt, m); err != nil {
			break
		}
		sum, err = importer.Run(ctx, io)
	}
	pb.Wait()
	if err != nil {
		s.logEnd(ctx, "import data", err)
		return err
	}
	if m.ExportType == "snapshot-and-changes" {
		fmt.Fprintf(o.IO.Out, "Snapshot imported: %d rows in %s.\n", sum.Rows, time.Since(start).Round(time.Millisecond))
		return runLiveImport(ctx, o, s, io, tgt, m.UUID)
	}
	s.log.Info("import data done", "rows", sum.Rows, "batches", sum.Batches, "skipped", sum.BatchesSkipped, "elapsed", time.Since(start))
	fmt.Fprintf(o.IO.Out, "Imported %d rows in %d batches in %s (%d batches already imported by an earlier run).\n",
		sum.Rows, sum.Batches, time.Since(start).Round(time.Millisecond), sum.BatchesSkipped)
	return nil
}

func startCleanImport(ctx context.Context, o *ImportDataOptions, store *exportdir.Store, tgt *tgtpg.Target, m *exportdir.Migration) error {
	tables, err := store.Tables(ctx)
	if err != nil {
		return err
	}
	if err := confirm(o.IO, o.Common.Yes, fmt.Sprintf("--start-clean truncates %d tables on the target database %q; continue?", len(tables), o.Target.DBName)); err != nil {
		return err
	}
	return truncateImported(ctx, store, tgt, m)
}

// truncateImported empties the migration's tables on the target and
// forgets every batch recorded for it.
func truncateImported(ctx context.Context, store *exportdir.Store, tgt *tgtpg.Target, m *exportdir.Migration) error {
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
	if err := tgt.Truncate(ctx, without(names, missing)); err != nil {
		return err
	}
	return tgt.ForgetMigration(ctx, m.UUID)
}

func without(all, drop []sqlname.Table) []sqlname.Table {
	skip := map[sqlname.Table]bool{}
	for _, t := range drop {
		skip[t] = true
	}
	var out []sqlname.Table
	for _, t := range all {
		if !skip[t] {
			out = append(out, t)
		}
	}
	return out
}

// waitForExport returns the migration record once an export has started;
// both commands may be started together, so it waits a little for one.
func waitForExport(ctx context.Context, dir *exportdir.Dir, store *exportdir.Store) (*exportdir.Migration, error) {
	deadline := time.Now().Add(importer.StartGrace)
	for {
		m, err := store.Migration(ctx)
		started := err == nil && (m.ExportStatus != exportdir.ExportNotStarted || m.PlanComplete)
		if started || !dir.Running("export-data") && time.Now().After(deadline) {
			return m, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// runLiveImport applies changes after the snapshot until cutover.
func runLiveImport(ctx context.Context, o *ImportDataOptions, s *session, io importer.Options, tgt *tgtpg.Target, uuid string) error {
	schemaDir := s.dir.Path(exportdir.SchemaDir)
	finalize := func(ctx context.Context) error {
		if !schema.HasFiles(schemaDir) {
			return nil
		}
		fmt.Fprintln(o.IO.Out, "Cutover: building deferred indexes and constraints.")
		_, err := apply.Finalize(ctx, apply.FinalizeOptions{SchemaDir: schemaDir, DB: tgt, Jobs: o.ParallelJobs,
			IgnoreExist: true, Progress: progress.Nop{}, Log: s.log})
		return err
	}
	err := importer.RunLive(ctx, importer.LiveOptions{Options: io, Direction: exportdir.SourceToTarget, Applier: tgt, Finalize: finalize}, uuid)
	if err != nil {
		s.logEnd(ctx, "live import", err)
	}
	return err
}
