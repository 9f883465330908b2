package report

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// ExportSide gathers the exporter's side of a status: tables and chunks
// from the plan and, for a live migration, the direction's cutover state,
// change counts (exactly those in the queue) and last published metrics.
func ExportSide(ctx context.Context, store *exportdir.Store, m *exportdir.Migration, dir exportdir.Direction) (Document, error) {
	doc := Document{ExportType: m.ExportType, ExportStatus: m.ExportStatus}
	tables, err := store.Tables(ctx)
	if err != nil {
		return doc, err
	}
	chunks, err := store.Chunks(ctx)
	if err != nil {
		return doc, err
	}
	doc.Tables = FromChunks(tables, chunks)
	if _, live, err := exporter.LoadCheckpoint(ctx, store, dir); err != nil || !live {
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
	AddChanges(doc.Tables, counts, true)
	st, ok, err := exporter.LoadStats(ctx, store, dir)
	if err != nil {
		return doc, err
	}
	if ok {
		st.Events, st.ByOp, st.ByTable = mark.Counts.Events, mark.Counts.ByOp, nil
		doc.CDCExport = &st
	}
	return doc, nil
}

// ImportTarget is what the import side of a status reads on the target.
type ImportTarget interface {
	ImportedRows(ctx context.Context, migrationUUID string) ([]target.TableCount, error)
	ChangeCounts(ctx context.Context, migrationUUID string) (map[string][3]int64, error)
	RowCount(ctx context.Context, t sqlname.Table) (int64, error)
}

// AddImportSide adds what the target records (rows imported, changes
// applied) and the importer's last published metrics; with rowCounts, each
// table's row count on the target too.
func AddImportSide(ctx context.Context, doc *Document, store *exportdir.Store, tgt ImportTarget, m *exportdir.Migration,
	dir exportdir.Direction, rowCounts bool) error {
	counts, err := tgt.ImportedRows(ctx, m.UUID)
	if err != nil {
		return err
	}
	AddImported(doc.Tables, counts)
	if doc.CutoverStatus == "" {
		return nil
	}
	changes, err := tgt.ChangeCounts(ctx, m.UUID)
	if err != nil {
		return err
	}
	AddChanges(doc.Tables, changes, false)
	st, ok, err := importer.LoadStats(ctx, store, dir)
	if err != nil {
		return err
	}
	if ok {
		doc.CDCImport = &st
	}
	if rowCounts {
		for i := range doc.Tables {
			if n, err := tgt.RowCount(ctx, sqlname.Parse(doc.Tables[i].Table, "")); err == nil {
				doc.Tables[i].TargetRows = &n
			}
		}
	}
	return nil
}

// PrintDocument renders a status document as text.
func PrintDocument(w io.Writer, d Document, cols Columns) {
	if d.ExportStatus != exportdir.ExportDone {
		fmt.Fprintf(w, "Export: %s\n", orDash(d.ExportStatus))
	}
	if d.CutoverStatus != "" {
		fmt.Fprintf(w, "Cutover: %s\n", d.CutoverStatus)
	}
	Print(w, d.Tables, cols)
	if st := d.CDCExport; st != nil {
		fmt.Fprintf(w, "CDC export: %d events (I %d, U %d, D %d), %.0f events/s, lag %.1f s / %d bytes (at %s)\n",
			st.Events, st.ByOp["I"], st.ByOp["U"], st.ByOp["D"], st.Rate, st.LagSeconds, st.LagBytes, st.UpdatedAt.Format(time.RFC3339))
	}
	if st := d.CDCImport; st != nil {
		fmt.Fprintf(w, "CDC import: %d events applied (I %d, U %d, D %d), %.0f events/s, lag %.1f s (at %s)\n",
			st.Applied, st.ByOp["I"], st.ByOp["U"], st.ByOp["D"], st.Rate, st.LagSeconds, st.UpdatedAt.Format(time.RFC3339))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
