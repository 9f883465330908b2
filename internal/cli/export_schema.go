package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	srcpg "github.com/yugabyte/yb-voyager-go/internal/source/postgres"
)

// ExportSchemaOptions are the inputs of export schema.
type ExportSchemaOptions struct {
	IO                    *IO
	Common                commonFlags
	Source                dbconn.Config
	Schemas               string
	ObjectTypeList        string
	ExcludeObjectTypeList string
	StartClean            bool
}

func newExportSchemaCmd(io *IO) *cobra.Command {
	o := &ExportSchemaOptions{IO: io}
	c := &cobra.Command{
		Use:   "schema",
		Short: "Export the source schema as PostgreSQL DDL, one file per object type, under EXPORT_DIR/schema",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunExportSchema(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	bindSource(c, &o.Source, &o.Schemas)
	bindObjectTypes(c, &o.ObjectTypeList, &o.ExcludeObjectTypeList)
	c.Flags().BoolVar(&o.StartClean, "start-clean", false, "replace an earlier schema export (and any edits to it)")
	return c
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

// RunExportSchema runs export schema.
func RunExportSchema(ctx context.Context, c *cobra.Command, o *ExportSchemaOptions) error {
	if err := finishSource(&o.Source, o.Schemas); err != nil {
		return err
	}
	filter, err := objectFilter(o.ObjectTypeList, o.ExcludeObjectTypeList)
	if err != nil {
		return err
	}
	s, err := openCommand(c, &o.Common, "export-schema")
	if err != nil {
		return err
	}
	defer s.close()
	schemaDir := s.dir.Path(exportdir.SchemaDir)
	if schema.HasFiles(schemaDir) && !o.StartClean {
		return fmt.Errorf("the schema is already exported to %s: rerun with --start-clean to export it again (this discards any edits)", schemaDir)
	}
	if err := promptPassword(o.IO, "the source database", &o.Source.Password); err != nil {
		return err
	}
	if o.Source.Type == "mysql" {
		return exportMySQLSchema(ctx, o, s, schemaDir, filter)
	}
	src, err := srcpg.Open(ctx, o.Source)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := recordSource(ctx, s, src, o.Source); err != nil {
		return err
	}
	dump, err := src.DumpSchema(ctx)
	if err != nil {
		return err
	}
	stmts, err := schema.Split(dump, filter)
	if err != nil {
		return err
	}
	if err := writeSchema(o.IO, schemaDir, stmts); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "Exported schema files are under %s. Next: yb-voyager analyze-schema --export-dir %s\n", schemaDir, s.dir.Root)
	s.log.Info("export schema done", "statements", len(stmts))
	return nil
}

// recordSource ties the export directory to its source, refusing another one.
func recordSource(ctx context.Context, s *session, src *srcpg.Source, cfg dbconn.Config) error {
	ident, err := src.Identity(ctx)
	if err != nil {
		return err
	}
	return recordSourceIdentity(ctx, s, cfg, ident)
}

func recordSourceIdentity(ctx context.Context, s *session, cfg dbconn.Config, ident string) error {
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.EnsureMigration(ctx)
	if err != nil {
		return err
	}
	if m.SourceIdentity != "" && m.SourceIdentity != ident {
		return fmt.Errorf("export directory %s belongs to another source database (%s): use a new, empty --export-dir for this one",
			s.dir.Root, m.SourceIdentity)
	}
	return store.SetSource(ctx, cfg.Type, ident, cfg.Redacted())
}

// writeSchema replaces the schema files under dir with stmts and shows
// how many objects of each type were written.
func writeSchema(io *IO, dir string, stmts []schema.Statement) error {
	if err := schema.Clear(dir); err != nil {
		return err
	}
	counts, err := schema.Write(dir, stmts)
	if err != nil {
		return err
	}
	printSchemaCounts(io, counts)
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
