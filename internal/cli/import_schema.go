package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
	commonFlags
	Target                dbconn.Config
	ObjectTypeList        string
	ExcludeObjectTypeList string
	IgnoreExist           bool
	ContinueOnError       bool
	StartClean            bool
	// TargetSchema is --target-db-schema: where an export with unqualified
	// names (an Oracle source's) lands; public when not given, as Voyager.
	TargetSchema string
	filter       schema.Filter
}

func newImportSchemaCmd(io *IO, deps *Deps, runF func(*ImportSchemaOptions) error) *cobra.Command {
	sp := spec{use: "schema", short: "Create the exported schema on the target; indexes and foreign keys wait for finalize-schema-post-data-import",
		store: true, locks: []string{"import-schema"}}
	return command(io, deps, sp, &ImportSchemaOptions{}, func(c *cobra.Command, o *ImportSchemaOptions) {
		bindTarget(c, &o.Target)
		bindObjectTypes(c, &o.ObjectTypeList, &o.ExcludeObjectTypeList)
		fl := c.Flags()
		fl.BoolVar(&o.IgnoreExist, "ignore-exist", false, "skip objects that already exist on the target")
		fl.BoolVar(&o.ContinueOnError, "continue-on-error", false, "record failing statements in schema/failed.sql and go on")
		fl.BoolVar(&o.StartClean, "start-clean", false, "drop the exported schemas on the target (CASCADE) before importing")
		fl.StringVar(&o.TargetSchema, "target-db-schema", "", "target schema for an Oracle source's objects (default public); other sources keep their schema names")
	}, func(o *ImportSchemaOptions) error {
		if err := finishTarget(&o.Target); err != nil {
			return err
		}
		var err error
		o.filter, err = objectFilter(o.ObjectTypeList, o.ExcludeObjectTypeList)
		return err
	}, runImportSchema, runF)
}

// runImportSchema creates the exported schema on the target.
func runImportSchema(ctx context.Context, e *env, o *ImportSchemaOptions) error {
	schemaDir := e.dir.Path(exportdir.SchemaDir)
	if !schema.HasFiles(schemaDir) {
		return fmt.Errorf("no exported schema in %s: run `yb-voyager export schema --export-dir %s ...` first", schemaDir, e.dir.Root)
	}
	stmts, err := schema.LoadDir(schemaDir)
	if err != nil {
		return err
	}
	if err := chooseTargetSchema(stmts, o); err != nil {
		return err
	}
	if err := promptPassword(e.io, "the target database", &o.Target.Password); err != nil {
		return err
	}
	tgt, err := e.openTarget(ctx, o.Target, 1)
	if err != nil {
		return err
	}
	defer tgt.Close()
	if _, err := e.store.EnsureMigration(ctx); err != nil {
		return err
	}
	if err := e.store.SetTarget(ctx, o.Target.Redacted()); err != nil {
		return err
	}
	if o.StartClean {
		if err := dropExportedSchemas(ctx, e, o, tgt, stmts); err != nil {
			return err
		}
	}
	if ts := o.Target.TargetSchema; ts != "" {
		if err := tgt.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+sqlname.Quote(ts)); err != nil {
			return fmt.Errorf("create target schema %s: %w", ts, err)
		}
		fmt.Fprintf(e.io.Out, "Objects without a schema in the export are created in schema %s.\n", ts)
	}
	start := e.deps.Now()
	res, err := apply.Import(ctx, apply.ImportOptions{SchemaDir: schemaDir, DB: tgt, Filter: o.filter,
		IgnoreExist: o.IgnoreExist, ContinueOnError: o.ContinueOnError, Log: e.log})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.io.Out, "Imported schema in %s: %d statements run, %d skipped (already exist), %d failed, %d deferred until after the data.\n",
		e.deps.Now().Sub(start).Round(time.Millisecond), res.Created, res.Skipped, res.Failed, res.Deferred)
	if res.Failed > 0 {
		fmt.Fprintf(e.io.Out, "Failed statements and their errors are in %s/failed.sql.\n", schemaDir)
	}
	if res.Deferred > 0 {
		fmt.Fprintf(e.io.Out, "After import data, run: yb-voyager finalize-schema-post-data-import --export-dir %s (a live migration runs it at cutover)\n", e.dir.Root)
	}
	return nil
}

// chooseTargetSchema settles where unqualified names land. Only an export
// that has them (an Oracle source's) takes --target-db-schema: the others
// name their schemas, and those are kept.
func chooseTargetSchema(stmts []schema.Statement, o *ImportSchemaOptions) error {
	if !schema.Unqualified(stmts) {
		if o.TargetSchema != "" {
			return usagef("--target-db-schema applies to an Oracle source's export, whose objects have no schema; this export names its schemas (%s) and they are kept: drop the flag", strings.Join(schema.SchemasOf(stmts), ", "))
		}
		return nil
	}
	o.Target.TargetSchema = o.TargetSchema
	if o.Target.TargetSchema == "" {
		o.Target.TargetSchema = "public"
	}
	return nil
}

// dropExportedSchemas drops, after confirmation, every schema the export
// holds objects of; public is recreated empty.
func dropExportedSchemas(ctx context.Context, e *env, o *ImportSchemaOptions, tgt *tgtpg.Target, stmts []schema.Statement) error {
	names := schema.SchemasOf(stmts)
	if ts := o.Target.TargetSchema; ts != "" && !slices.Contains(names, ts) {
		names = append(names, ts)
	}
	if err := confirm(e.io, o.Yes, fmt.Sprintf("--start-clean drops schema(s) %v on the target database %q with everything in them; continue?", names, o.Target.DBName)); err != nil {
		return err
	}
	return apply.DropSchemas(ctx, tgt, names)
}

// FinalizeOptions are the inputs of finalize-schema-post-data-import.
type FinalizeOptions struct {
	commonFlags
	Target       dbconn.Config
	ParallelJobs int
	IgnoreExist  bool
}

func newFinalizeCmd(io *IO, deps *Deps, runF func(*FinalizeOptions) error) *cobra.Command {
	sp := spec{use: "finalize-schema-post-data-import", short: "Build the indexes and constraints deferred by import schema, then refresh materialized views",
		store: true, locks: []string{"import-schema"}, pb: true}
	return command(io, deps, sp, &FinalizeOptions{}, func(c *cobra.Command, o *FinalizeOptions) {
		bindTarget(c, &o.Target)
		c.Flags().IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "indexes built at the same time")
		c.Flags().BoolVar(&o.IgnoreExist, "ignore-exist", true, "skip indexes and constraints that already exist (always on: finalize is safe to rerun)")
	}, func(o *FinalizeOptions) error { return finishTarget(&o.Target) }, runFinalize, runF)
}

// runFinalize builds the deferred indexes and constraints.
func runFinalize(ctx context.Context, e *env, o *FinalizeOptions) error {
	if err := promptPassword(e.io, "the target database", &o.Target.Password); err != nil {
		return err
	}
	tgt, err := e.openTarget(ctx, o.Target, o.ParallelJobs)
	if err != nil {
		return err
	}
	defer tgt.Close()
	start := e.deps.Now()
	pb := progress.New(e.io.Out, o.DisablePB)
	res, err := apply.Finalize(ctx, apply.FinalizeOptions{SchemaDir: e.dir.Path(exportdir.SchemaDir), DB: tgt,
		Jobs: o.ParallelJobs, IgnoreExist: o.IgnoreExist, Progress: pb, Log: e.log})
	pb.Wait()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.io.Out, "Finalized schema in %s: %d indexes and constraints built, %d already existed, %d materialized views refreshed.\n",
		e.deps.Now().Sub(start).Round(time.Millisecond), res.Created, res.Skipped, res.Refreshed)
	return nil
}
