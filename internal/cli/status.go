package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/report"
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
	s, err := openSession(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.Migration(ctx)
	if errors.Is(err, exportdir.ErrNoMigration) {
		return fmt.Errorf("no export has been started in %s: run `yb-voyager export data` first", s.dir.Root)
	}
	if err != nil {
		return err
	}
	tables, err := store.Tables(ctx)
	if err != nil {
		return err
	}
	chunks, err := store.Chunks(ctx)
	if err != nil {
		return err
	}
	ts := report.FromChunks(tables, chunks)
	if o.cols != report.ExportColumns {
		if err := addImportSide(ctx, c, o, s, m, ts); err != nil {
			return err
		}
	}
	if o.OutputFormat == "json" {
		return report.PrintJSON(o.IO.Out, ts)
	}
	if m.ExportStatus != exportdir.ExportDone {
		fmt.Fprintf(o.IO.Out, "Export: %s\n", orDash(m.ExportStatus))
	}
	report.Print(o.IO.Out, ts, o.cols)
	return nil
}

func addImportSide(ctx context.Context, c *cobra.Command, o *StatusOptions, s *session, m *exportdir.Migration, ts []report.TableStatus) error {
	cfg := o.Target
	if !c.Flags().Changed("target-db-user") && cfg.User == "" {
		if m.TargetSettings == "{}" || m.TargetSettings == "" {
			report.AddImported(ts, nil) // import data has not run yet
			return nil
		}
		var rec dbconn.Config
		if err := json.Unmarshal([]byte(m.TargetSettings), &rec); err != nil {
			return fmt.Errorf("read recorded target settings: %w", err)
		}
		rec.Password = cfg.Password
		cfg = rec
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
	report.AddImported(ts, counts)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
