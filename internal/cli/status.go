package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/report"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	tgtpg "github.com/yugabyte/yb-voyager-go/internal/target/postgres"
)

// StatusOptions are the inputs of the status and report commands.
type StatusOptions struct {
	IO           *IO
	Common       commonFlags
	Target       dbconn.Config
	OutputFormat string
	cols         report.Columns
}

func newStatusCmd(io *IO, use, short string, cols report.Columns) *cobra.Command {
	o := &StatusOptions{IO: io, cols: cols}
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunStatus(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	c.Flags().StringVar(&o.OutputFormat, "output-format", "table", "table or json")
	if cols != report.ExportColumns {
		bindTarget(c, &o.Target)
		c.Flags().Lookup("target-db-user").Usage += " (default: the user import data used)"
	}
	return c
}

func newExportDataStatusCmd(io *IO) *cobra.Command {
	return newStatusCmd(io, "status", "Show per-table export progress", report.ExportColumns)
}

func newImportDataStatusCmd(io *IO) *cobra.Command {
	return newStatusCmd(io, "status", "Show per-table import progress", report.ImportColumns)
}

func newGetCmd(io *IO) *cobra.Command {
	return group("get", "Get migration reports",
		newStatusCmd(io, "data-migration-report", "Show exported and imported rows per table", report.AllColumns))
}

// RunStatus prints export and/or import progress per table.
func RunStatus(ctx context.Context, c *cobra.Command, o *StatusOptions) error {
	if o.OutputFormat != "table" && o.OutputFormat != "json" {
		return usagef("--output-format %q is not valid: use table or json", o.OutputFormat)
	}
	s, err := openSessionStore(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	store := s.store
	m, err := store.Migration(ctx)
	if errors.Is(err, exportdir.ErrNoMigration) {
		return fmt.Errorf("no export has been started in %s: run `yb-voyager export data` first", s.dir.Root)
	}
	if err != nil {
		return err
	}
	doc, err := exportSide(ctx, store, m)
	if err != nil {
		return err
	}
	if o.cols != report.ExportColumns {
		if err := addImportSide(ctx, c, o, s, store, m, &doc); err != nil {
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
		return report.PrintJSON(o.IO.Out, doc)
	}
	printDocument(o.IO, doc, o.cols)
	return nil
}

// exportSide reads the exporter's state: tables, chunks, live counts.
func exportSide(ctx context.Context, store *exportdir.Store, m *exportdir.Migration) (report.Document, error) {
	doc := report.Document{ExportType: m.ExportType, ExportStatus: m.ExportStatus}
	tables, err := store.Tables(ctx)
	if err != nil {
		return doc, err
	}
	chunks, err := store.Chunks(ctx)
	if err != nil {
		return doc, err
	}
	doc.Tables = report.FromChunks(tables, chunks)
	dir := exportdir.SourceToTarget
	_, live, err := exporter.LoadCheckpoint(ctx, store, dir)
	if err != nil || !live {
		return doc, err
	}
	cut, err := store.Cutover(ctx, dir)
	if err != nil {
		return doc, err
	}
	doc.CutoverStatus = cut.Status()
	mark, _, err := queue.LoadMark(ctx, store, dir)
	if err != nil {
		return doc, err
	}
	counts := map[string][3]int64{}
	for k, v := range mark.Counts.ByTable {
		counts[k] = *v
	}
	report.AddChanges(doc.Tables, counts, true)
	st, ok, err := exporter.LoadStats(ctx, store, dir)
	if err != nil {
		return doc, err
	}
	if ok {
		st.Events, st.ByOp, st.ByTable = mark.Counts.Events, mark.Counts.ByOp, nil
		doc.CDCExport = st
	}
	return doc, nil
}

func printDocument(io *IO, d report.Document, cols report.Columns) {
	if d.ExportStatus != exportdir.ExportDone {
		fmt.Fprintf(io.Out, "Export: %s\n", orDash(d.ExportStatus))
	}
	if d.CutoverStatus != "" {
		fmt.Fprintf(io.Out, "Cutover: %s\n", d.CutoverStatus)
	}
	report.Print(io.Out, d.Tables, cols)
	if st, ok := d.CDCExport.(exporter.ExportStats); ok {
		fmt.Fprintf(io.Out, "CDC export: %d events (I %d, U %d, D %d), %.0f events/s, lag %.1f s / %d bytes (at %s)\n",
			st.Events, st.ByOp["I"], st.ByOp["U"], st.ByOp["D"], st.Rate, st.LagSeconds, st.LagBytes, st.UpdatedAt.Format(time.RFC3339))
	}
	if st, ok := d.CDCImport.(importer.ImportStats); ok {
		fmt.Fprintf(io.Out, "CDC import: %d events applied (I %d, U %d, D %d), %.0f events/s, lag %.1f s (at %s)\n",
			st.Applied, st.ByOp["I"], st.ByOp["U"], st.ByOp["D"], st.Rate, st.LagSeconds, st.UpdatedAt.Format(time.RFC3339))
	}
}

func addImportSide(ctx context.Context, c *cobra.Command, o *StatusOptions, s *session, store *exportdir.Store, m *exportdir.Migration, doc *report.Document) error {
	given := c.Flags().Changed("target-db-user") || o.Target.User != ""
	if !given && (m.TargetSettings == "{}" || m.TargetSettings == "") {
		report.AddImported(doc.Tables, nil) // import data has not run yet
		return nil
	}
	cfg, err := recordedConfig(o.Target, given, m.TargetSettings, "target")
	if err != nil {
		return err
	}
	tgt, err := tgtpg.Open(ctx, cfg, 1, s.log)
	if err != nil {
		return fmt.Errorf("%w (import status is read from the target; set TARGET_DB_PASSWORD if it needs a password)", err)
	}
	defer tgt.Close()
	if err := tgt.EnsureMetadata(ctx); err != nil {
		return err
	}
	counts, err := tgt.ImportedRows(ctx, m.UUID)
	if err != nil {
		return err
	}
	report.AddImported(doc.Tables, counts)
	if doc.CutoverStatus == "" {
		return nil
	}
	changes, err := tgt.ChangeCounts(ctx, m.UUID)
	if err != nil {
		return err
	}
	report.AddChanges(doc.Tables, changes, false)
	st, ok, err := importer.LoadStats(ctx, store, exportdir.SourceToTarget)
	if err != nil {
		return err
	}
	if ok {
		doc.CDCImport = st
	}
	if o.cols == report.AllColumns {
		for i := range doc.Tables {
			n, err := tgt.RowCount(ctx, sqlname.Parse(doc.Tables[i].Table, ""))
			if err == nil {
				doc.Tables[i].TargetRows = &n
			}
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
