package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// ExportSchemaOptions are the inputs of export schema.
type ExportSchemaOptions struct {
	commonFlags
	Source                dbconn.Config
	Schemas               string
	ObjectTypeList        string
	ExcludeObjectTypeList string
	StartClean            bool
	DDLFiles              []string
	CommentsOnObjects     bool
	filter                schema.Filter
}

func newExportSchemaCmd(io *IO, deps *Deps, runF func(*ExportSchemaOptions) error) *cobra.Command {
	sp := spec{use: "schema", short: "Export the source schema as PostgreSQL DDL, one file per object type, under EXPORT_DIR/schema",
		store: true, locks: []string{"export-schema"}}
	return command(io, deps, sp, &ExportSchemaOptions{}, func(c *cobra.Command, o *ExportSchemaOptions) {
		bindSource(c, &o.Source, &o.Schemas)
		bindObjectTypes(c, &o.ObjectTypeList, &o.ExcludeObjectTypeList)
		c.Flags().BoolVar(&o.StartClean, "start-clean", false, "replace an earlier schema export (and any edits to it)")
		c.Flags().StringSliceVar(&o.DDLFiles, "source-ddl-file", nil, "read the schema from these DDL scripts (files or directories of *.sql) instead of the database (oracle; comma-separated or repeated)")
		c.Flags().BoolVar(&o.CommentsOnObjects, "comments-on-objects", false, "export COMMENT ON statements of tables and columns")
	}, func(o *ExportSchemaOptions) error {
		o.Source.Offline = len(o.DDLFiles) > 0
		if err := finishSource(deps, &o.Source, o.Schemas); err != nil {
			return err
		}
		var err error
		o.filter, err = objectFilter(o.ObjectTypeList, o.ExcludeObjectTypeList)
		return err
	}, runExportSchema, runF)
}

func bindObjectTypes(c *cobra.Command, include, exclude *string) {
	c.Flags().StringVar(include, "object-type-list", "", "comma-separated object types to include (e.g. TABLE,INDEX,VIEW; default all)")
	c.Flags().StringVar(exclude, "exclude-object-type-list", "", "comma-separated object types to leave out")
}

func objectFilter(include, exclude string) (schema.Filter, error) {
	in, err := schema.ParseObjectTypes(include)
	if err != nil {
		return schema.Filter{}, usagef("--object-type-list: %v", err)
	}
	ex, err := schema.ParseObjectTypes(exclude)
	if err != nil {
		return schema.Filter{}, usagef("--exclude-object-type-list: %v", err)
	}
	return schema.Filter{Include: in, Exclude: ex}, nil
}

// runExportSchema reads the source schema through its engine and writes
// one file per object type; notes on what needs a look by hand go to
// reports/schema_conversion_notes.txt.
func runExportSchema(ctx context.Context, e *env, o *ExportSchemaOptions) error {
	schemaDir := e.dir.Path(exportdir.SchemaDir)
	if schema.HasFiles(schemaDir) && !o.StartClean {
		return fmt.Errorf("the schema is already exported to %s: rerun with --start-clean to export it again (this discards any edits)", schemaDir)
	}
	stmts, notes, err := exportSchemaStatements(ctx, e, o)
	if err != nil {
		return err
	}
	if err := schema.Clear(schemaDir); err != nil {
		return err
	}
	counts, err := schema.Write(schemaDir, stmts)
	if err != nil {
		return err
	}
	printSchemaCounts(e.io, counts)
	if len(notes) > 0 {
		p := e.dir.Path(exportdir.ReportsDir, "schema_conversion_notes.txt")
		if err := schema.WriteNotes(p, notes); err != nil {
			return err
		}
		fmt.Fprintf(e.io.Out, "%d objects need a manual look after conversion: see %s\n", len(notes), p)
	}
	fmt.Fprintf(e.io.Out, "Exported schema files are under %s. Next: yb-voyager analyze-schema --export-dir %s\n", schemaDir, e.dir.Root)
	e.log.Info("export schema done", "statements", len(stmts))
	return nil
}

// exportSchemaStatements reads the schema from the live source, or from
// --source-ddl-file without connecting.
func exportSchemaStatements(ctx context.Context, e *env, o *ExportSchemaOptions) ([]schema.Statement, []schema.Note, error) {
	if o.Source.Offline {
		eng, err := e.deps.Engine(o.Source.Type)
		if err != nil {
			return nil, nil, err
		}
		ff, ok := eng.(engine.FromFiles)
		if !ok {
			return nil, nil, usagef("--source-ddl-file is not available for %s: export schema reads a %s schema from the database", o.Source.Type, o.Source.Type)
		}
		ident := exportdir.OfflineIdentity(o.Source.Type, strings.Join(o.Source.Schemas, ","))
		if err := e.store.RecordSource(ctx, e.dir.Root, o.Source.Type, ident, o.Source.Redacted()); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(e.io.Out, "Reading the %s schema %s from %s (no database connection)\n", o.Source.Type, strings.Join(o.Source.Schemas, ","), strings.Join(o.DDLFiles, ", "))
		return ff.SchemaFromFiles(o.DDLFiles, o.Source, engine.SchemaOptions{CommentsOnObjects: o.CommentsOnObjects}, o.filter)
	}
	if err := promptPassword(e.io, "the source database", &o.Source.Password); err != nil {
		return nil, nil, err
	}
	src, err := e.openSource(ctx, o.Source)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	ident, err := src.Identity(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := e.store.RecordSource(ctx, e.dir.Root, o.Source.Type, ident, o.Source.Redacted()); err != nil {
		return nil, nil, err
	}
	return src.ExportSchema(ctx, engine.SchemaOptions{CommentsOnObjects: o.CommentsOnObjects}, o.filter)
}

func printSchemaCounts(io *IO, counts map[schema.ObjectType]int) {
	var types []string
	for t := range counts {
		types = append(types, string(t))
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Fprintf(io.Out, "  %-14s %5d  %s\n", t, counts[schema.ObjectType(t)], schema.FileFor(schema.ObjectType(t)))
	}
}
