package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/schema/analyze"
)

// AnalyzeSchemaOptions are the inputs of analyze-schema.
type AnalyzeSchemaOptions struct {
	IO           *IO
	Common       commonFlags
	OutputFormat string
}

func newAnalyzeSchemaCmd(io *IO) *cobra.Command {
	o := &AnalyzeSchemaOptions{IO: io}
	c := &cobra.Command{
		Use:   "analyze-schema",
		Short: "Report the exported schema's statements that need a manual change for YugabyteDB",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunAnalyzeSchema(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	c.Flags().StringVar(&o.OutputFormat, "output-format", "", "report format(s), comma-separated: "+strings.Join(analyze.Formats, ", ")+" (default html,json)")
	return c
}

// RunAnalyzeSchema parses every file under schema/ as it is now (edits
// included) and writes reports/schema_analysis_report.<format>.
func RunAnalyzeSchema(ctx context.Context, c *cobra.Command, o *AnalyzeSchemaOptions) error {
	formats, err := analyzeFormats(o.OutputFormat)
	if err != nil {
		return err
	}
	s, err := openSession(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	schemaDir := s.dir.Path(exportdir.SchemaDir)
	if !schema.HasFiles(schemaDir) {
		return fmt.Errorf("no exported schema in %s: run `yb-voyager export schema --export-dir %s ...` first", schemaDir, s.dir.Root)
	}
	stmts, err := schema.LoadDir(schemaDir)
	if err != nil {
		return fmt.Errorf("%w: fix the SQL in that file and rerun analyze-schema", err)
	}
	r := analyze.Analyze(stmts)
	r.ExportDir = s.dir.Root
	r.SourceDBType = sourceType(ctx, s.dir)
	for _, f := range formats {
		p := s.dir.Path(exportdir.ReportsDir, "schema_analysis_report."+f)
		if err := writeReport(p, r, f); err != nil {
			return err
		}
		fmt.Fprintf(o.IO.Out, "Schema analysis report: %s\n", p)
	}
	fmt.Fprintf(o.IO.Out, "%s in %d statements.\n", r.Summary(), len(stmts))
	s.log.Info("analyze-schema done", "issues", len(r.Issues))
	return nil
}

func analyzeFormats(s string) ([]string, error) {
	if s == "" {
		return []string{"html", "json"}, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		ok := false
		for _, known := range analyze.Formats {
			ok = ok || f == known
		}
		if !ok {
			return nil, usagef("--output-format %q is not valid: use %s", f, strings.Join(analyze.Formats, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

func writeReport(path string, r analyze.Report, format string) error {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := analyze.Write(f, r, format); err != nil {
		f.Close()
		return fmt.Errorf("write %s report: %w", format, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return os.Rename(path+".tmp", path)
}

func sourceType(ctx context.Context, d *exportdir.Dir) string {
	store, err := d.OpenStore()
	if err != nil {
		return ""
	}
	defer store.Close()
	m, err := store.Migration(ctx)
	if err != nil {
		return ""
	}
	return m.SourceDBType
}
