package mysql

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// translateExpr rewrites the lexical MySQL-isms of an expression or query
// into PostgreSQL: `ident` becomes "ident", the database qualifier `db`.
// becomes the target schema, string literals lose charset introducers
// (_utf8mb4'x') and backslash escapes, and "double-quoted strings" become
// 'single-quoted' ones. Functions and operators are left as they are.
func translateExpr(expr, database, schemaName string) string {
	expr = unescapeStored(expr)
	var b strings.Builder
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '`':
			ident, end := scanQuoted(expr, i, '`', false)
			i = end
			if database != "" && ident == database && i+1 < len(expr) && expr[i+1] == '.' {
				ident = schemaName
			}
			b.WriteString(sqlname.Quote(ident))
		case c == '\'' || c == '"':
			s, end := scanQuoted(expr, i, c, true)
			i = end
			b.WriteString(sqlname.QuoteLiteral(s))
		case c == '_' && (i == 0 || !identByte(expr[i-1])):
			if n := introducer(expr[i:]); n > 0 {
				i += n - 1 // the quote that follows is handled next
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapeStored undoes the extra escaping MySQL 8 applies to expressions
// in information_schema (GENERATION_EXPRESSION, CHECK_CLAUSE, defaults):
// concat(`a`,_utf8mb4\' \',`b`). It is recognized by the first quote being
// backslash-escaped, which cannot happen outside a literal otherwise.
func unescapeStored(expr string) string {
	q := strings.IndexByte(expr, '\'')
	if q < 1 || expr[q-1] != '\\' {
		return expr
	}
	r := strings.NewReplacer(`\\`, `\`, `\'`, `'`)
	return r.Replace(expr)
}

// scanQuoted reads a quoted token starting at s[start] (the quote) and
// returns its value and the index of the closing quote. A doubled quote
// stands for itself; with escapes, backslash sequences are decoded too.
func scanQuoted(s string, start int, q byte, escapes bool) (string, int) {
	var b strings.Builder
	i := start + 1
	for ; i < len(s); i++ {
		c := s[i]
		if c == q {
			if i+1 < len(s) && s[i+1] == q {
				b.WriteByte(q)
				i++
				continue
			}
			break
		}
		if escapes && c == '\\' && i+1 < len(s) {
			b.WriteString(unquoteMySQL(s[i : i+2]))
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), i
}

var introducerRE = regexp.MustCompile(`^_[A-Za-z0-9]+'`)

// introducer is the length of a charset introducer (_utf8mb4) directly
// before a string literal at the start of s, or 0.
func introducer(s string) int {
	m := introducerRE.FindString(s)
	if m == "" {
		return 0
	}
	return len(m) - 1
}

func identByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// parenthesize wraps e in parentheses unless it is one parenthesized group.
func parenthesize(e string) string {
	e = strings.TrimSpace(e)
	depth := 0
	for i := 0; i < len(e); i++ {
		switch e[i] {
		case '\'', '"':
			_, i = scanQuoted(e, i, e[i], false)
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i < len(e)-1 {
				return "(" + e + ")"
			}
		}
	}
	if strings.HasPrefix(e, "(") && depth == 0 {
		return e
	}
	return "(" + e + ")"
}

// parsesAsExpr reports whether e is one PostgreSQL expression.
func parsesAsExpr(e string) bool {
	return parsesAs("SELECT ("+e+"\n)", func(n *pg_query.Node) bool { return n.GetSelectStmt() != nil })
}

// parsesAs reports whether sql is exactly one statement that ok accepts.
func parsesAs(sql string, ok func(*pg_query.Node) bool) bool {
	res, err := pg_query.Parse(sql)
	return err == nil && len(res.Stmts) == 1 && ok(res.Stmts[0].Stmt)
}

var (
	currentDateExpr = regexp.MustCompile(`(?i)^(curdate|current_date)\s*(\(\s*\))?$`)
	currentTimeExpr = regexp.MustCompile(`(?i)^(curtime|current_time)\s*(\(\s*\d*\s*\))?$`)
	uuidExpr        = regexp.MustCompile(`(?i)^uuid\s*\(\s*\)$`)
	zeroDate        = regexp.MustCompile(`^0000-00-00`)
)

// defaultSQL is the PostgreSQL DEFAULT expression for a column, or "" with
// a reason when the default is dropped; note (possibly set either way)
// explains what needs review.
func (v *converter) defaultSQL(c Column, m mapped) (expr, note string) {
	if c.Default == nil {
		return "", ""
	}
	d := strings.TrimSpace(*c.Default)
	if c.DefaultIsExpr || m.kind == kTimestamp || m.kind == kDate || m.kind == kTime {
		unparen := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(d, "("), ")"))
		switch {
		case currentTSExpr.MatchString(d) || currentTSExpr.MatchString(unparen):
			return "CURRENT_TIMESTAMP", ""
		case currentDateExpr.MatchString(d) || currentDateExpr.MatchString(unparen):
			return "CURRENT_DATE", ""
		case currentTimeExpr.MatchString(d) || currentTimeExpr.MatchString(unparen):
			return "LOCALTIME", ""
		case uuidExpr.MatchString(d) || uuidExpr.MatchString(unparen):
			return pick(m.kind == kUUID, "gen_random_uuid()", "gen_random_uuid()::text"),
				"default uuid() mapped to gen_random_uuid() (random, version 4, unlike MySQL's time-based UUID)"
		}
	}
	if c.DefaultIsExpr {
		e := translateExpr(d, v.c.Database, v.schema)
		if !parsesAsExpr(e) {
			return "", "default expression " + d + " is not valid PostgreSQL and was dropped; add the default by hand"
		}
		return "(" + e + ")", "default expression " + d + " carried over as (" + e + "); check it means the same in PostgreSQL"
	}
	switch m.kind {
	case kInt, kNumeric, kFloat:
		if numericLiteral.MatchString(d) {
			return d, ""
		}
		if n, ok := bitValue(d); ok {
			return strconv.FormatUint(n, 10), ""
		}
		return sqlname.QuoteLiteral(d), ""
	case kBool:
		n, ok := bitValue(d)
		if !ok {
			return "", "default " + d + " of a bit(1) column is not a bit value and was dropped"
		}
		return pick(n != 0, "true", "false"), ""
	case kBit:
		if bitLiteral.MatchString(d) {
			return "B" + sqlname.QuoteLiteral(d[2:len(d)-1]), ""
		}
		if n, ok := bitValue(d); ok {
			return "B" + sqlname.QuoteLiteral(strconv.FormatUint(n, 2)), ""
		}
		return "", "default " + d + " of a bit column is not a bit value and was dropped"
	case kBytea:
		return sqlname.QuoteLiteral(`\x` + hex.EncodeToString([]byte(d))), ""
	case kDate, kTimestamp, kTime:
		if zeroDate.MatchString(d) {
			return "", "zero date default " + d + " is not a valid PostgreSQL value and was dropped"
		}
	case kSet:
		if d == "" {
			return "'{}'::text[]", ""
		}
		parts := strings.Split(d, ",")
		for i, p := range parts {
			parts[i] = sqlname.QuoteLiteral(p)
		}
		return "ARRAY[" + strings.Join(parts, ", ") + "]::text[]", ""
	}
	return sqlname.QuoteLiteral(d), ""
}

// bitValue reads b'0101' or a decimal number.
func bitValue(s string) (uint64, bool) {
	if bitLiteral.MatchString(s) {
		body := s[2 : len(s)-1]
		if body == "" {
			return 0, true
		}
		n, err := strconv.ParseUint(body, 2, 64)
		return n, err == nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// commentBlock turns text into SQL line comments, so a file holding it
// still parses; it ends with a newline so the statement terminator that
// schema.Write appends lands on its own line.
func commentBlock(header, text string) string {
	var b strings.Builder
	b.WriteString("-- " + header + "\n")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("--   " + l + "\n")
	}
	return b.String()
}
