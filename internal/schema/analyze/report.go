package analyze

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Formats are the report formats Write takes.
var Formats = []string{"html", "json", "txt", "xml"}

// Write renders the report in one of Formats.
func Write(w io.Writer, r Report, format string) error {
	r = normalized(r)
	switch strings.ToLower(format) {
	case "json":
		return writeJSON(w, r)
	case "xml":
		return writeXML(w, r)
	case "txt":
		return writeTXT(w, r)
	case "html":
		return writeHTML(w, r)
	}
	return fmt.Errorf("unknown report format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// normalized replaces nil lists with empty ones, so JSON has [] not null.
func normalized(r Report) Report {
	if r.Issues == nil {
		r.Issues = []Issue{}
	}
	if r.ObjectCounts == nil {
		r.ObjectCounts = []ObjectCount{}
	}
	if r.IssueCounts == nil {
		r.IssueCounts = countCategories(r.Issues)
	}
	oc := make([]ObjectCount, len(r.ObjectCounts))
	for i, o := range r.ObjectCounts {
		if o.Names == nil {
			o.Names = []string{}
		}
		oc[i] = o
	}
	r.ObjectCounts = oc
	return r
}

// document is the report as JSON and XML carry it: a summary line first.
type document struct {
	XMLName xml.Name `json:"-" xml:"SchemaAnalysisReport"`
	Summary string   `json:"summary" xml:"Summary"`
	Report
}

func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // SQL is full of < and >; keep it readable
	return enc.Encode(document{Summary: r.Summary(), Report: r})
}

func writeXML(w io.Writer, r Report) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(document{Summary: r.Summary(), Report: r}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func writeTXT(w io.Writer, r Report) error {
	var b strings.Builder
	b.WriteString("Schema Analysis Report\n======================\n")
	fmt.Fprintf(&b, "Export directory: %s\nSource database:  %s\nGenerated at:     %s\n\n",
		r.ExportDir, r.SourceDBType, r.GeneratedAt.Format(time.RFC3339))
	b.WriteString("Objects\n-------\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OBJECT TYPE\tTOTAL\tWITH ISSUES\t")
	for _, o := range r.ObjectCounts {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", o.ObjectType, o.Total, o.WithIssues)
	}
	tw.Flush()
	b.WriteString("\nIssues by category\n------------------\n")
	tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, c := range r.IssueCounts {
		fmt.Fprintf(tw, "%s\t%d\t\n", c.Category, c.Count)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	for i, is := range r.Issues {
		writeTXTIssue(&b, i+1, is)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTXTIssue(b *strings.Builder, n int, is Issue) {
	fmt.Fprintf(b, "\n[%d] %s  %s\n", n, is.RuleID, is.Category)
	fmt.Fprintf(b, "    Object:     %s %s\n", is.ObjectType, is.ObjectName)
	fmt.Fprintf(b, "    Location:   %s:%d\n", is.File, is.Line)
	fmt.Fprintf(b, "    Reason:     %s\n", is.Reason)
	fmt.Fprintf(b, "    Suggestion: %s\n", is.Suggestion)
	fmt.Fprintf(b, "    Docs:       %s\n", is.DocLink)
	b.WriteString("    SQL:\n")
	for _, line := range strings.Split(is.SQL, "\n") {
		fmt.Fprintf(b, "        %s\n", line)
	}
}
