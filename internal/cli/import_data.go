package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/schema/apply"
	"github.com/yugabyte/yb-voyager-go/internal/target"
	tgtpg "github.com/yugabyte/yb-voyager-go/internal/target/postgres"
)

// ImportDataOptions are the inputs of import data.
type ImportDataOptions struct {
	commonFlags
	Target       dbconn.Config
	ParallelJobs int
	BatchSize    int64
	StartClean   bool
}

func newImportCmd(io *IO, deps *Deps) *cobra.Command {
	data := newImportDataCmd(io, deps, "data", nil)
	to := group("to", "Import data into the target database")
	to.AddCommand(newImportDataCmd(io, deps, "target", nil))
	data.AddCommand(to, newImportDataStatusCmd(io, deps, nil))
	return group("import", "Import schema or data into the target database", newImportSchemaCmd(io, deps, nil), data)
}

func newImportDataCmd(io *IO, deps *Deps, use string, runF func(*ImportDataOptions) error) *cobra.Command {
	sp := spec{use: use, short: "Import the exported data into the target database",
		store: true, locks: []string{"import-data"}, pb: true}
	return command(io, deps, sp, &ImportDataOptions{}, func(c *cobra.Command, o *ImportDataOptions) {
		bindTarget(c, &o.Target)
		fl := c.Flags()
		fl.IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "number of parallel connections loading the target")
		fl.Int64Var(&o.BatchSize, "batch-size", 20000, "rows per batch; each batch commits in its own transaction")
		fl.BoolVar(&o.StartClean, "start-clean", false, "truncate the imported tables and forget earlier import progress, then import from scratch")
		fl.StringVar(&o.Target.TargetSchema, "target-db-schema", "", "target schema of an Oracle source's tables: the one import schema used (the default)")
	}, func(o *ImportDataOptions) error {
		if err := finishTarget(&o.Target); err != nil {
			return err
		}
		if o.ParallelJobs < 1 || o.BatchSize < 1 {
			return usagef("--parallel-jobs and --batch-size must be at least 1")
		}
		return nil
	}, runImportData, runF)
}

// runImportData loads the snapshot, then, for a live migration, applies
// the changes until cutover.
func runImportData(ctx context.Context, e *env, o *ImportDataOptions) error {
	m, started, err := importer.WaitForExport(ctx, e.dir, e.store)
	if err != nil {
		return err
	}
	if !started {
		return fmt.Errorf("nothing has been exported to %s yet: run `yb-voyager export data --export-dir %s ...` first (import data may run alongside it once it has started)",
			e.dir.Root, e.dir.Root)
	}
	if err := promptPassword(e.io, "the target database", &o.Target.Password); err != nil {
		return err
	}
	// The tables are named in the schema import schema created them in
	// (export data names them so): the flag may only repeat it.
	recorded := e.recordedTargetSchema(ctx)
	switch given := o.Target.TargetSchema; {
	case given == "":
		o.Target.TargetSchema = recorded
	case given != recorded && (recorded != "" || given != "public"):
		return usagef("--target-db-schema %s: import schema created this migration's tables in %s; give that, or leave the flag out", given, orDefault(recorded, "public"))
	}
	tgt, err := e.openTarget(ctx, o.Target, o.ParallelJobs)
	if err != nil {
		return err
	}
	defer tgt.Close()
	if err := e.store.SetTarget(ctx, o.Target.Redacted()); err != nil {
		return err
	}
	if o.StartClean {
		if err := startCleanImport(ctx, e, o, tgt, m); err != nil {
			return err
		}
	}
	start := e.deps.Now()
	pb := progress.New(e.io.Out, o.DisablePB)
	io := importer.Options{
		Dir: e.dir, Store: e.store, Target: tgt, Workers: o.ParallelJobs, BatchRows: o.BatchSize,
		PollInterval: 200 * time.Millisecond, Progress: pb, Log: e.log, Out: e.io.Out, Explain: explainer(e, m),
	}
	if m.ExportType == "snapshot-and-changes" {
		lo := importer.LiveOptions{Options: io, Direction: exportdir.SourceToTarget, Applier: tgt, Finalize: finalizeAtCutover(e, tgt, o.ParallelJobs)}
		return importer.Live(ctx, lo, func(sum importer.Summary) {
			pb.Wait()
			fmt.Fprintf(e.io.Out, "Snapshot imported: %d rows in %s.\n", sum.Rows, e.deps.Now().Sub(start).Round(time.Millisecond))
			start = e.deps.Now()
		})
	}
	sum, _, err := importer.Load(ctx, io, false)
	pb.Wait()
	if err != nil {
		return err
	}
	took := e.deps.Now().Sub(start)
	e.log.Info("import data done", "rows", sum.Rows, "batches", sum.Batches, "skipped", sum.BatchesSkipped, "elapsed", took)
	fmt.Fprintf(e.io.Out, "Imported %d rows in %d batches in %s (%d batches already imported by an earlier run).\n",
		sum.Rows, sum.Batches, took.Round(time.Millisecond), sum.BatchesSkipped)
	return nil
}

// explainer is the source engine's explanation of load errors.
func explainer(e *env, m *exportdir.Migration) func(target.LoadError) (string, string, bool) {
	eng, err := e.deps.Engine(m.SourceDBType)
	if err != nil {
		return nil
	}
	return eng.ExplainLoadError
}

func startCleanImport(ctx context.Context, e *env, o *ImportDataOptions, tgt *tgtpg.Target, m *exportdir.Migration) error {
	tables, err := e.store.Tables(ctx)
	if err != nil {
		return err
	}
	if err := confirm(e.io, o.Yes, fmt.Sprintf("--start-clean truncates %d tables on the target database %q; continue?", len(tables), o.Target.DBName)); err != nil {
		return err
	}
	return importer.Reset(ctx, e.store, tgt, m.UUID)
}

// finalizeAtCutover is the deferred schema step a live migration runs at
// cutover: indexes and constraints that waited for the data.
func finalizeAtCutover(e *env, tgt *tgtpg.Target, jobs int) func(context.Context) error {
	schemaDir := e.dir.Path(exportdir.SchemaDir)
	return func(ctx context.Context) error {
		if !schema.HasFiles(schemaDir) {
			return nil
		}
		fmt.Fprintln(e.io.Out, "Cutover: building deferred indexes and constraints.")
		_, err := apply.Finalize(ctx, apply.FinalizeOptions{SchemaDir: schemaDir, DB: tgt, Jobs: jobs,
			IgnoreExist: true, Progress: progress.Nop{}, Log: e.log})
		return err
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
