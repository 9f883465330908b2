package analyze

import (
	"html/template"
	"io"
	"time"
)

// writeHTML renders one self-contained page: inline CSS, no scripts, no
// external resources; the only links are the issues' doc links.
func writeHTML(w io.Writer, r Report) error {
	type section struct {
		Category string
		Issues   []Issue
	}
	var sections []section
	for _, c := range Categories {
		var s section
		s.Category = c
		for _, is := range r.Issues {
			if is.Category == c {
				s.Issues = append(s.Issues, is)
			}
		}
		if len(s.Issues) > 0 {
			sections = append(sections, s)
		}
	}
	return htmlTemplate.Execute(w, map[string]any{
		"R": r, "Summary": r.Summary(), "Sections": sections,
		"Time": r.GeneratedAt.Format(time.RFC1123),
	})
}

var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Schema Analysis Report</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1 { border-bottom: 2px solid #ff6e42; padding-bottom: .3em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .35em .8em; text-align: left; vertical-align: top; }
th { background: #f4f4f8; }
td.num { text-align: right; }
dl.meta dt { font-weight: bold; float: left; clear: left; width: 11em; }
dl.meta dd { margin: 0 0 .3em 11em; }
.summary { font-size: 1.2em; font-weight: bold; margin: 1em 0; }
.ok { color: #1a7f37; }
.issue { border: 1px solid #ddd; border-left: 5px solid #ff6e42; border-radius: 4px; padding: .6em 1em; margin: 1em 0; }
.issue.performance_hint { border-left-color: #3b82f6; }
.issue.migration_caveat { border-left-color: #d4a017; }
.issue h4 { margin: 0 0 .4em 0; }
.rule { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; color: #555; }
pre { background: #f6f8fa; padding: .7em; overflow-x: auto; white-space: pre-wrap; }
details summary { cursor: pointer; }
</style>
</head>
<body>
<h1>Schema Analysis Report</h1>
<dl class="meta">
<dt>Export directory</dt><dd>{{.R.ExportDir}}</dd>
<dt>Source database</dt><dd>{{.R.SourceDBType}}</dd>
<dt>Generated at</dt><dd>{{.Time}}</dd>
</dl>
<p class="summary{{if not .R.Issues}} ok{{end}}">{{.Summary}}</p>

<h2>Objects</h2>
<table>
<tr><th>Object type</th><th>Total</th><th>With issues</th><th>Names</th></tr>
{{- range .R.ObjectCounts}}
<tr><td>{{.ObjectType}}</td><td class="num">{{.Total}}</td><td class="num">{{.WithIssues}}</td>
<td>{{if .Names}}<details><summary>{{len .Names}} {{if eq (len .Names) 1}}name{{else}}names{{end}}</summary>{{range $i, $n := .Names}}{{if $i}}, {{end}}{{$n}}{{end}}</details>{{end}}</td></tr>
{{- end}}
</table>

<h2>Issues by category</h2>
<table>
<tr><th>Category</th><th>Issues</th></tr>
{{- range .R.IssueCounts}}
<tr><td>{{.Category}}</td><td class="num">{{.Count}}</td></tr>
{{- end}}
</table>

<h2>Issues</h2>
{{- if not .R.Issues}}
<p class="ok">No issues found.</p>
{{- end}}
{{- range .Sections}}
<h3>{{.Category}} ({{len .Issues}})</h3>
{{- range .Issues}}
<div class="issue {{.Category}}">
<h4>{{.ObjectType}} {{.ObjectName}} <span class="rule">{{.RuleID}}</span></h4>
<table>
<tr><th>Location</th><td>{{.File}}:{{.Line}}</td></tr>
<tr><th>Reason</th><td>{{.Reason}}</td></tr>
<tr><th>Suggestion</th><td>{{.Suggestion}}</td></tr>
<tr><th>Docs</th><td><a href="{{.DocLink}}">{{.DocLink}}</a></td></tr>
</table>
<pre>{{.SQL}}</pre>
</div>
{{- end}}
{{- end}}
</body>
</html>
`))
