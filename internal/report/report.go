// Package report owns what status and report commands print: per-table
// rows gathered from the metainfo store (exporter side, gather.go) and the
// target metadata (importer side), rendered as an aligned table or JSON.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
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
	// Live migrations: change counts exported and applied, and the final count.
	ExportedChanges *Changes `json:"exported_changes,omitempty"`
	ImportedChanges *Changes `json:"imported_changes,omitempty"`
	TargetRows      *int64   `json:"target_row_count,omitempty"`
}

// Changes counts change events of one table.
type Changes struct {
	Inserts int64 `json:"inserts"`
	Updates int64 `json:"updates"`
	Deletes int64 `json:"deletes"`
}

func (c *Changes) String() string {
	if c == nil {
		return "-"
	}
	return fmt.Sprintf("%d/%d/%d", c.Inserts, c.Updates, c.Deletes)
}

// AddChanges attaches change counts (inserts, updates, deletes per
// schema.table) to the statuses; exported or imported side.
func AddChanges(ts []TableStatus, counts map[string][3]int64, exported bool) {
	for i := range ts {
		c := counts[ts[i].Table]
		ch := &Changes{Inserts: c[0], Updates: c[1], Deletes: c[2]}
		if exported {
			ts[i].ExportedChanges = ch
		} else {
			ts[i].ImportedChanges = ch
		}
	}
}

// Document is the JSON shape of every status and report command.
type Document struct {
	ExportType    string                `json:"export_type,omitempty"`
	ExportStatus  string                `json:"export_status,omitempty"`
	CutoverStatus string                `json:"cutover_status,omitempty"`
	Tables        []TableStatus         `json:"tables"`
	CDCExport     *exporter.ExportStats `json:"cdc_export,omitempty"`
	CDCImport     *importer.ImportStats `json:"cdc_import,omitempty"`
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
	live := len(ts) > 0 && (ts[0].ExportedChanges != nil || ts[0].ImportedChanges != nil)
	if live && cols == ExportColumns {
		h = append(h, "EXPORTED I/U/D")
	} else if live {
		h = append(h, "EXPORTED I/U/D", "IMPORTED I/U/D")
		if ts[0].TargetRows != nil {
			h = append(h, "TARGET ROWS")
		}
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
		if live && cols == ExportColumns {
			r = append(r, t.ExportedChanges.String())
		} else if live {
			r = append(r, t.ExportedChanges.String(), t.ImportedChanges.String())
			if t.TargetRows != nil {
				r = append(r, fmt.Sprint(*t.TargetRows))
			}
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// PrintJSON renders a status document.
func PrintJSON(w io.Writer, d Document) error {
	if d.Tables == nil {
		d.Tables = []TableStatus{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
