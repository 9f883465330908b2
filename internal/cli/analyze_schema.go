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
	commonFlags
	OutputFormat string
	formats      []string
}

func newAnalyzeSchemaCmd(io *IO, deps *Deps, runF func(*AnalyzeSchemaOptions) error) *cobra.Command {
	sp := spec{use: "analyze-schema", short: "Report the exported schema's statements that need a manual change for YugabyteDB", store: true}
	return command(io, deps, sp, &AnalyzeSchemaOptions{}, func(c *cobra.Command, o *AnalyzeSchemaOptions) {
		c.Flags().StringVar(&o.OutputFormat, "output-format", "", "report format(s), comma-separated: "+strings.Join(analyze.Formats, ", ")+" (default html,json)")
	}, func(o *AnalyzeSchemaOptions) error {
		var err error
		o.formats, err = analyzeFormats(o.OutputFormat)
		return err
	}, runAnalyzeSchema, runF)
}

// runAnalyzeSchema parses every file under schema/ as it is now (edits
// included) and writes reports/schema_analysis_report.<format>.
func runAnalyzeSchema(ctx context.Context, e *env, o *AnalyzeSchemaOptions) error {
	schemaDir := e.dir.Path(exportdir.SchemaDir)
	if !schema.HasFiles(schemaDir) {
		return fmt.Errorf("no exported schema in %s: run `yb-voyager export schema --export-dir %s ...` first", schemaDir, e.dir.Root)
	}
	stmts, err := schema.LoadDir(schemaDir)
	if err != nil {
		return fmt.Errorf("%w: fix the SQL in that file and rerun analyze-schema", err)
	}
	r := analyze.Analyze(stmts)
	blocks, err := schema.FindUnconverted(schemaDir)
	if err != nil {
		return err
	}
	r.AddUnconverted(blocks)
	cavs, err := schema.FindCaveats(schemaDir)
	if err != nil {
		return err
	}
	r.AddCaveats(cavs, stmts)
	r.ExportDir = e.dir.Root
	if m, ok, err := e.migration(ctx); err == nil && ok {
		r.SourceDBType = m.SourceDBType
	}
	for _, f := range o.formats {
		p := e.dir.Path(exportdir.ReportsDir, "schema_analysis_report."+f)
		if err := writeReport(p, r, f); err != nil {
			return err
		}
		fmt.Fprintf(e.io.Out, "Schema analysis report: %s\n", p)
	}
	fmt.Fprintf(e.io.Out, "%s in %d statements.\n", r.Summary(), len(stmts))
	e.log.Info("analyze-schema done", "issues", len(r.Issues))
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
