package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
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
	filter                schema.Filter
}

func newExportSchemaCmd(io *IO, deps *Deps, runF func(*ExportSchemaOptions) error) *cobra.Command {
	sp := spec{use: "schema", short: "Export the source schema as PostgreSQL DDL, one file per object type, under EXPORT_DIR/schema",
		store: true, locks: []string{"export-schema"}}
	return command(io, deps, sp, &ExportSchemaOptions{}, func(c *cobra.Command, o *ExportSchemaOptions) {
		bindSource(c, &o.Source, &o.Schemas)
		bindObjectTypes(c, &o.ObjectTypeList, &o.ExcludeObjectTypeList)
		c.Flags().BoolVar(&o.StartClean, "start-clean", false, "replace an earlier schema export (and any edits to it)")
	}, func(o *ExportSchemaOptions) error {
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
	if err := promptPassword(e.io, "the source database", &o.Source.Password); err != nil {
		return err
	}
	src, err := e.openSource(ctx, o.Source)
	if err != nil {
		return err
	}
	defer src.Close()
	ident, err := src.Identity(ctx)
	if err != nil {
		return err
	}
	if err := e.store.RecordSource(ctx, e.dir.Root, o.Source.Type, ident, o.Source.Redacted()); err != nil {
		return err
	}
	stmts, notes, err := src.ExportSchema(ctx, o.filter)
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
