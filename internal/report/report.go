// Package report owns the shape of what status and report commands print:
// per-table rows gathered from the metainfo store (exporter side) and the
// target metadata (importer side), rendered as an aligned table or JSON.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// Table states.
const (
	NotStarted = "NOT STARTED"
	InProgress = "IN PROGRESS"
	Done       = "DONE"
)

// TableStatus is one table's line in a status or report.
type TableStatus struct {
	Table         string `json:"table_name"`
	ExportState   string `json:"export_status"`
	ExportedRows  int64  `json:"exported_rows"`
	ChunksDone    int    `json:"exported_chunks"`
	Chunks        int    `json:"total_chunks"`
	ImportState   string `json:"import_status,omitempty"`
	ImportedRows  int64  `json:"imported_rows"`
	ImportPercent string `json:"import_percent,omitempty"`
}

// FromChunks builds the export side of the status from the plan.
func FromChunks(tables []exportdir.TableRecord, chunks []exportdir.ChunkRecord) []TableStatus {
	idx := map[string]*TableStatus{}
	out := make([]TableStatus, len(tables))
	for i, t := range tables {
		out[i] = TableStatus{Table: t.Table.String()}
		idx[t.Table.String()] = &out[i]
	}
	for _, c := range chunks {
		ts := idx[c.Table.String()]
		if ts == nil {
			continue
		}
		ts.Chunks++
		if c.Status == exportdir.ChunkDone {
			ts.ChunksDone++
			ts.ExportedRows += c.Rows
		}
	}
	for i := range out {
		out[i].ExportState = state(out[i].ChunksDone, out[i].Chunks)
	}
	return out
}

func state(done, total int) string {
	switch {
	case total > 0 && done == total:
		return Done
	case done == 0:
		return NotStarted
	}
	return InProgress
}

// AddImported fills in the import side from the target's counts.
func AddImported(ts []TableStatus, counts []target.TableCount) {
	byName := map[string]int64{}
	for _, c := range counts {
		byName[c.Table.String()] = c.Rows
	}
	for i := range ts {
		ts[i].ImportedRows = byName[ts[i].Table]
		switch {
		case ts[i].ExportState == Done && ts[i].ImportedRows == ts[i].ExportedRows:
			ts[i].ImportState = Done
		case ts[i].ImportedRows == 0:
			ts[i].ImportState = NotStarted
		default:
			ts[i].ImportState = InProgress
		}
		if ts[i].ExportedRows > 0 {
			ts[i].ImportPercent = fmt.Sprintf("%.1f%%", 100*float64(ts[i].ImportedRows)/float64(ts[i].ExportedRows))
		} else if ts[i].ExportState == Done {
			ts[i].ImportPercent = "100.0%"
		}
	}
}

// Columns picks what a table rendering shows.
type Columns int

const (
	ExportColumns Columns = iota
	ImportColumns
	AllColumns
)

// Print renders an aligned table.
func Print(w io.Writer, ts []TableStatus, cols Columns) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	h := []string{"TABLE"}
	if cols != ImportColumns {
		h = append(h, "EXPORT STATUS", "EXPORTED ROWS", "CHUNKS")
	} else {
		h = append(h, "EXPORTED ROWS")
	}
	if cols != ExportColumns {
		h = append(h, "IMPORT STATUS", "IMPORTED ROWS", "PERCENT")
	}
	fmt.Fprintln(tw, strings.Join(h, "\t"))
	for _, t := range ts {
		r := []string{t.Table}
		if cols != ImportColumns {
			r = append(r, t.ExportState, fmt.Sprint(t.ExportedRows), fmt.Sprintf("%d/%d", t.ChunksDone, t.Chunks))
		} else {
			r = append(r, fmt.Sprint(t.ExportedRows))
		}
		if cols != ExportColumns {
			r = append(r, t.ImportState, fmt.Sprint(t.ImportedRows), t.ImportPercent)
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// PrintJSON renders the statuses as a JSON array.
func PrintJSON(w io.Writer, ts []TableStatus) error {
	if ts == nil {
		ts = []TableStatus{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ts)
}
