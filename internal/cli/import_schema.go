package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/schema/apply"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	tgtpg "github.com/yugabyte/yb-voyager-go/internal/target/postgres"
)

// ImportSchemaOptions are the inputs of import schema.
type ImportSchemaOptions struct {
	IO                    *IO
	Common                commonFlags
	Target                dbconn.Config
	ObjectTypeList        string
	ExcludeObjectTypeList string
	IgnoreExist           bool
	ContinueOnError       bool
	StartClean            bool
}

func newImportSchemaCmd(io *IO) *cobra.Command {
	o := &ImportSchemaOptions{IO: io}
	c := &cobra.Command{
		Use:   "schema",
		Short: "Create the exported schema on the target; indexes and foreign keys wait for finalize-schema-post-data-import",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunImportSchema(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	bindTarget(c, &o.Target)
	bindObjectTypes(c, &o.ObjectTypeList, &o.ExcludeObjectTypeList)
	fl := c.Flags()
	fl.BoolVar(&o.IgnoreExist, "ignore-exist", false, "skip objects that already exist on the target")
	fl.BoolVar(&o.ContinueOnError, "continue-on-error", false, "record failing statements in schema/failed.sql and go on")
	fl.BoolVar(&o.StartClean, "start-clean", false, "drop the exported schemas on the target (CASCADE) before importing")
	return c
}

// RunImportSchema runs import schema.
func RunImportSchema(ctx context.Context, c *cobra.Command, o *ImportSchemaOptions) error {
	if err := finishTarget(&o.Target); err != nil {
		return err
	}
	filter, err := objectFilter(o.ObjectTypeList, o.ExcludeObjectTypeList)
	if err != nil {
		return err
	}
	s, err := openCommand(c, &o.Common, "import-schema")
	if err != nil {
		return err
	}
	defer s.close()
	schemaDir := s.dir.Path(exportdir.SchemaDir)
	if !schema.HasFiles(schemaDir) {
		return fmt.Errorf("no exported schema in %s: run `yb-voyager export schema --export-dir %s ...` first", schemaDir, s.dir.Root)
	}
	if err := promptPassword(o.IO, "the target database", &o.Target.Password); err != nil {
		return err
	}
	tgt, err := tgtpg.Open(ctx, o.Target, 1, s.log)
	if err != nil {
		return err
	}
	defer tgt.Close()
	if err := recordTarget(ctx, s, o.Target); err != nil {
		return err
	}
	if o.StartClean {
		if err := dropExportedSchemas(ctx, o, tgt, schemaDir); err != nil {
			return err
		}
	}
	start := time.Now()
	res, err := apply.Import(ctx, apply.ImportOptions{SchemaDir: schemaDir, DB: tgt, Filter: filter,
		IgnoreExist: o.IgnoreExist, ContinueOnError: o.ContinueOnError, Log: s.log})
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "Imported schema in %s: %d statements run, %d skipped (already exist), %d failed, %d deferred until after the data.\n",
		time.Since(start).Round(time.Millisecond), res.Created, res.Skipped, res.Failed, res.Deferred)
	if res.Failed > 0 {
		fmt.Fprintf(o.IO.Out, "Failed statements and their errors are in %s/failed.sql.\n", schemaDir)
	}
	if res.Deferred > 0 {
		fmt.Fprintf(o.IO.Out, "After import data, run: yb-voyager finalize-schema-post-data-import --export-dir %s (a live migration runs it at cutover)\n", s.dir.Root)
	}
	return nil
}

func recordTarget(ctx context.Context, s *session, cfg dbconn.Config) error {
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.EnsureMigration(ctx); err != nil {
		return err
	}
	return store.SetTarget(ctx, cfg.Redacted())
}

// dropExportedSchemas drops, after confirmation, every schema the export
// holds objects of; public is recreated empty.
func dropExportedSchemas(ctx context.Context, o *ImportSchemaOptions, tgt *tgtpg.Target, dir string) error {
	stmts, err := schema.LoadDir(dir)
	if err != nil {
		return err
	}
	names := schema.SchemasOf(stmts)
	if err := confirm(o.IO, o.Common.Yes, fmt.Sprintf("--start-clean drops schema(s) %v on the target database %q with everything in them; continue?", names, o.Target.DBName)); err != nil {
		return err
	}
	for _, n := range names {
		if err := tgt.Exec(ctx, "DROP SCHEMA IF EXISTS "+sqlname.Quote(n)+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s on the target: %w", n, err)
		}
	}
	return tgt.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS public")
}

// FinalizeOptions are the inputs of finalize-schema-post-data-import.
type FinalizeOptions struct {
	IO           *IO
	Common       commonFlags
	Target       dbconn.Config
	ParallelJobs int
	IgnoreExist  bool
}

func newFinalizeCmd(io *IO) *cobra.Command {
	o := &FinalizeOptions{IO: io}
	c := &cobra.Command{
		Use:   "finalize-schema-post-data-import",
		Short: "Build the indexes and constraints deferred by import schema, then refresh materialized views",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunFinalize(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, true)
	bindTarget(c, &o.Target)
	c.Flags().IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "indexes built at the same time")
	c.Flags().BoolVar(&o.IgnoreExist, "ignore-exist", true, "skip indexes and constraints that already exist (always on: finalize is safe to rerun)")
	return c
}

// RunFinalize runs finalize-schema-post-data-import.
func RunFinalize(ctx context.Context, c *cobra.Command, o *FinalizeOptions) error {
	if err := finishTarget(&o.Target); err != nil {
		return err
	}
	s, err := openCommand(c, &o.Common, "import-schema")
	if err != nil {
		return err
	}
	defer s.close()
	if err := promptPassword(o.IO, "the target database", &o.Target.Password); err != nil {
		return err
	}
	tgt, err := tgtpg.Open(ctx, o.Target, o.ParallelJobs, s.log)
	if err != nil {
		return err
	}
	defer tgt.Close()
	start := time.Now()
	pb := progress.New(o.IO.Out, o.Common.DisablePB)
	res, err := apply.Finalize(ctx, apply.FinalizeOptions{SchemaDir: s.dir.Path(exportdir.SchemaDir), DB: tgt,
		Jobs: o.ParallelJobs, IgnoreExist: o.IgnoreExist, Progress: pb, Log: s.log})
	pb.Wait()
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "Finalized schema in %s: %d indexes and constraints built, %d already existed, %d materialized views refreshed.\n",
		time.Since(start).Round(time.Millisecond), res.Created, res.Skipped, res.Refreshed)
	return nil
}
