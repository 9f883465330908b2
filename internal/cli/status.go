package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/report"
)

// StatusOptions are the inputs of the status and report commands.
type StatusOptions struct {
	commonFlags
	Target       dbconn.Config
	OutputFormat string
	cols         report.Columns
}

func newStatusCmd(io *IO, deps *Deps, use, short string, cols report.Columns, runF func(*StatusOptions) error) *cobra.Command {
	sp := spec{use: use, short: short, store: true}
	return command(io, deps, sp, &StatusOptions{cols: cols}, func(c *cobra.Command, o *StatusOptions) {
		c.Flags().StringVar(&o.OutputFormat, "output-format", "table", "table or json")
		if cols != report.ExportColumns {
			bindTarget(c, &o.Target)
			c.Flags().Lookup("target-db-user").Usage += " (default: the user import data used)"
		}
	}, func(o *StatusOptions) error {
		if o.OutputFormat != "table" && o.OutputFormat != "json" {
			return usagef("--output-format %q is not valid: use table or json", o.OutputFormat)
		}
		return nil
	}, runStatus, runF)
}

func newExportDataStatusCmd(io *IO, deps *Deps, runF func(*StatusOptions) error) *cobra.Command {
	return newStatusCmd(io, deps, "status", "Show per-table export progress", report.ExportColumns, runF)
}

func newImportDataStatusCmd(io *IO, deps *Deps, runF func(*StatusOptions) error) *cobra.Command {
	return newStatusCmd(io, deps, "status", "Show per-table import progress", report.ImportColumns, runF)
}

func newGetCmd(io *IO, deps *Deps) *cobra.Command {
	return group("get", "Get migration reports",
		newStatusCmd(io, deps, "data-migration-report", "Show exported and imported rows per table", report.AllColumns, nil))
}

// runStatus prints export and/or import progress per table.
func runStatus(ctx context.Context, e *env, o *StatusOptions) error {
	m, ok, err := e.migration(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no export has been started in %s: run `yb-voyager export data` first", e.dir.Root)
	}
	dir := exportdir.SourceToTarget
	doc, err := report.ExportSide(ctx, e.store, m, dir)
	if err != nil {
		return err
	}
	if o.cols != report.ExportColumns {
		if err := addImportSide(ctx, e, o, m, &doc); err != nil {
			return err
		}
	}
	if o.cols == report.ImportColumns {
		doc.CDCExport = nil
	}
	if o.cols == report.ExportColumns {
		doc.CDCImport = nil
	}
	if o.OutputFormat == "json" {
		return report.PrintJSON(e.io.Out, doc)
	}
	report.PrintDocument(e.io.Out, doc, o.cols)
	return nil
}

// addImportSide reads the import side from the target import data used
// (or the one the flags name).
func addImportSide(ctx context.Context, e *env, o *StatusOptions, m *exportdir.Migration, doc *report.Document) error {
	given := e.changed("target-db-user") || o.Target.User != ""
	if !given && (m.TargetSettings == "{}" || m.TargetSettings == "") {
		report.AddImported(doc.Tables, nil) // import data has not run yet
		return nil
	}
	cfg, err := recordedConfig(o.Target, given, m.TargetSettings, "target")
	if err != nil {
		return err
	}
	tgt, err := e.openTarget(ctx, cfg, 1)
	if err != nil {
		return fmt.Errorf("%w (import status is read from the target; set TARGET_DB_PASSWORD if it needs a password)", err)
	}
	defer tgt.Close()
	if err := tgt.EnsureMetadata(ctx); err != nil {
		return err
	}
	return report.AddImportSide(ctx, doc, e.store, tgt, m, exportdir.SourceToTarget, o.cols == report.AllColumns)
}
