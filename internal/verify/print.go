package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Print writes an aligned table of the results, then the key ranges that
// differ, then "N of M tables match". Write errors are ignored, as for any
// report written to a terminal.
func Print(w io.Writer, rs []Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tSOURCE ROWS\tTARGET ROWS\tCHECKSUM\tSTATUS")
	for _, r := range rs {
		src, tgt, sum := "-", "-", "-"
		if r.Err == "" {
			src, tgt = strconv.FormatInt(r.SourceRows, 10), strconv.FormatInt(r.TargetRows, 10)
			sum = "match"
			if r.SourceChecksum != r.TargetChecksum {
				sum = "MISMATCH"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", oneLine(r.Table.String()), src, tgt, sum, status(r))
	}
	_ = tw.Flush()
	for _, r := range rs {
		for _, c := range r.MismatchedChunks {
			fmt.Fprintf(w, "%s: rows differ where %s\n", r.Table, c)
		}
	}
	fmt.Fprintf(w, "%d of %d tables match\n", countMatches(rs), len(rs))
}

// status is the STATUS column: OK, MISMATCH with the reasons, or ERROR.
func status(r Result) string {
	switch {
	case r.Err != "":
		return "ERROR: " + oneLine(r.Err)
	case r.Match:
		return "OK"
	}
	var why []string
	if r.SourceRows != r.TargetRows {
		why = append(why, "row counts differ")
	}
	if n := len(r.MismatchedChunks); n > 0 {
		why = append(why, fmt.Sprintf("%d key range(s) differ", n))
	} else if r.SourceChecksum != r.TargetChecksum {
		why = append(why, "checksums differ")
	}
	if len(why) == 0 {
		return "MISMATCH"
	}
	return "MISMATCH: " + strings.Join(why, ", ")
}

// oneLine keeps tabs and newlines of a message from breaking the layout.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func countMatches(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Match {
			n++
		}
	}
	return n
}

// jsonReport is the document PrintJSON writes.
type jsonReport struct {
	Tables        []Result `json:"tables"`
	TablesMatched int      `json:"tables_matched"`
	TablesTotal   int      `json:"tables_total"`
	AllMatch      bool     `json:"all_match"`
}

// PrintJSON writes the results as one indented JSON object:
// {"tables": [...Result], "tables_matched": N, "tables_total": M, "all_match": bool}.
func PrintJSON(w io.Writer, rs []Result) error {
	doc := jsonReport{
		Tables:        rs,
		TablesMatched: countMatches(rs),
		TablesTotal:   len(rs),
		AllMatch:      AllMatch(rs),
	}
	if doc.Tables == nil {
		doc.Tables = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write compare data report as JSON: %w", err)
	}
	return nil
}
