// Package sqlname owns how table and column names are represented, quoted and
// matched. Every identifier that reaches SQL text goes through Quote, so no
// statement is ever built from an unquoted name.
package sqlname

import (
	"path"
	"strings"
)

// Quote returns ident as a PostgreSQL quoted identifier.
func Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// QuoteLiteral returns s as a PostgreSQL string literal.
func QuoteLiteral(s string) string {
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}

// QuoteList quotes each name and joins them with commas.
func QuoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = Quote(n)
	}
	return strings.Join(q, ", ")
}

// Table is a schema-qualified table name as the source database spells it.
type Table struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

// Quoted is the fully qualified, quoted form for SQL text.
func (t Table) Quoted() string { return Quote(t.Schema) + "." + Quote(t.Name) }

// String is the human form, schema.name, used in reports, logs and the metainfo store.
func (t Table) String() string { return t.Schema + "." + t.Name }

// FileStem is a file-system-safe name for the table's data files.
func (t Table) FileStem() string {
	var b strings.Builder
	for _, r := range t.String() {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Parse splits "schema.name" (either part may be double-quoted) into a Table;
// without a schema, defaultSchema is used.
func Parse(s, defaultSchema string) Table {
	parts := splitQualified(s)
	if len(parts) == 1 {
		return Table{Schema: defaultSchema, Name: parts[0]}
	}
	return Table{Schema: parts[0], Name: parts[1]}
}

func splitQualified(s string) []string {
	var parts []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && inQuote && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '.' && !inQuote && len(parts) == 0:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}

// Pattern is one entry of --table-list / --exclude-table-list: an optional
// schema and a name, each possibly a glob (*, ?). An unquoted pattern matches
// case-insensitively, as PostgreSQL folds unquoted names; a quoted one matches exactly.
type Pattern struct {
	Raw         string
	Schema      string // empty: any selected schema
	Name        string
	exactCase   bool
	hasWildcard bool
}

// ParsePattern parses one list entry.
func ParsePattern(raw string) Pattern {
	raw = strings.TrimSpace(raw)
	parts := splitQualified(raw)
	p := Pattern{Raw: raw, exactCase: strings.Contains(raw, `"`)}
	if len(parts) == 2 {
		p.Schema, p.Name = parts[0], parts[1]
	} else {
		p.Name = parts[0]
	}
	p.hasWildcard = strings.ContainsAny(p.Schema+p.Name, "*?[")
	return p
}

// IsGlob reports whether the pattern may match several tables; a plain name
// that matches nothing is an error the caller reports.
func (p Pattern) IsGlob() bool { return p.hasWildcard }

// Matches reports whether t is selected by the pattern.
func (p Pattern) Matches(t Table) bool {
	if p.Schema != "" && !p.match(p.Schema, t.Schema) {
		return false
	}
	return p.match(p.Name, t.Name)
}

func (p Pattern) match(pattern, name string) bool {
	if !p.exactCase {
		pattern, name = strings.ToLower(pattern), strings.ToLower(name)
	}
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

// ParseList splits a comma-separated flag value into patterns, ignoring empties.
func ParseList(s string) []Pattern {
	var out []Pattern
	for _, item := range splitTopLevelCommas(s) {
		if strings.TrimSpace(item) != "" {
			out = append(out, ParsePattern(item))
		}
	}
	return out
}

func splitTopLevelCommas(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			inQuote = !inQuote
		}
		if c == ',' && !inQuote {
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	return append(out, cur.String())
}
