package oracle

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// translate rewrites Oracle SQL (a query or an expression) into
// PostgreSQL where the rewrite is mechanical: names to their PostgreSQL
// spelling, NVL, NVL2, DECODE, SYSDATE, SYSTIMESTAMP, TO_DATE, TO_CHAR,
// TO_NUMBER, SUBSTR with a positive start, INSTR with
// two arguments, MINUS, FROM DUAL, and in queries the plain ROWNUM limits
// and (+) joins (translate_query.go). What has no mechanical rewrite (other
// ROWNUM and (+) forms, CONNECT BY, ...) is returned in problems, and the
// caller keeps the original.
// Names qualified with the source schema (from) are qualified with the
// target schema (to) instead, or left unqualified when to is empty.
func translate(sql, from, to string) (string, []string) {
	return translateTokens(rewriteQueries(sql), from, to)
}

// translateTokens is translate without the query rewrites, for a text
// they have already been made on.
func translateTokens(sql, from, to string) (string, []string) {
	t := &translator{text: sql, toks: ddl.Tokens(sql), from: from, to: to}
	return t.run(), t.problems
}

type translator struct {
	from, to string
	text     string
	toks     []ddl.Token
	b        strings.Builder
	problems []string
}

func (t *translator) problem(p string) {
	for _, q := range t.problems {
		if q == p {
			return
		}
	}
	t.problems = append(t.problems, p)
}

func (t *translator) run() string {
	last := 0
	for i := 0; i < len(t.toks); i++ {
		tok := t.toks[i]
		t.b.WriteString(t.text[last:tok.Pos])
		last = tok.End
		next := t.tok(i + 1)
		call := next.Kind == ddl.Punct && next.Text == "("
		switch {
		case t.isSourceSchema(i) && t.to == "":
			i++ // the name stands unqualified
			last = t.toks[i].End
		case t.isSourceSchema(i):
			t.b.WriteString(sqlname.Quote(t.to))
		case tok.Kind == ddl.Quoted:
			t.b.WriteString(sqlname.Quote(PGName(tok.Text)))
		case tok.Kind == ddl.String:
			t.b.WriteString(sqlname.QuoteLiteral(tok.Text))
		case tok.Kind == ddl.Punct && tok.Text == "(" && next.Text == "+" && t.tok(i+2).Text == ")":
			t.problem("(+) outer join: rewrite it as LEFT JOIN")
			t.b.WriteString("(+)")
			i += 2
			last = t.toks[i].End
		case tok.Kind != ddl.Word:
			t.b.WriteString(t.text[tok.Pos:tok.End])
		case tok.Is("FROM") && next.Is("DUAL"):
			i++ // SELECT without FROM
			last = t.toks[i].End
			if gap := t.text[last:t.tok(i+1).Pos]; strings.TrimSpace(gap) == "" {
				last += len(gap) // one space between the words around it, not two
			}
		case tok.Is("SYSDATE") && !call:
			t.b.WriteString("LOCALTIMESTAMP(0)")
		case tok.Is("SYSTIMESTAMP") && !call:
			t.b.WriteString("CURRENT_TIMESTAMP")
		case tok.Is("MINUS"):
			t.b.WriteString("EXCEPT")
		case tok.Is("ROWNUM"):
			t.problem("ROWNUM other than a top-level ROWNUM <= N of a query that does not sort, group or aggregate: rewrite with LIMIT / row_number()")
			t.b.WriteString(tok.Text)
		case tok.Is("ROWID"):
			t.problem("ROWID has no PostgreSQL counterpart: rewrite with the key")
			t.b.WriteString(tok.Text)
		case tok.Is("CONNECT") && next.Is("BY"), tok.Is("PRIOR"):
			t.problem("hierarchical query (CONNECT BY): rewrite it as WITH RECURSIVE")
			t.b.WriteString(tok.Text)
		case call && t.function(tok, i, &last, &i):
		default:
			t.b.WriteString(tok.Text)
		}
	}
	t.b.WriteString(t.text[last:])
	return strings.TrimSpace(t.b.String())
}

// isSourceSchema: token i is the source schema qualifying a name (HR. or
// "HR". before another name).
func (t *translator) isSourceSchema(i int) bool {
	tok := t.toks[i]
	if t.from == "" || tok.Kind != ddl.Word && tok.Kind != ddl.Quoted || t.tok(i+1).Text != "." {
		return false
	}
	if i > 0 && t.toks[i-1].Text == "." {
		return false
	}
	name, _ := tok.Ident()
	return name == t.from
}

func (t *translator) tok(i int) ddl.Token {
	if i < len(t.toks) {
		return t.toks[i]
	}
	return ddl.Token{Kind: ddl.EOF, Pos: len(t.text), End: len(t.text)}
}

// function rewrites a call of one of the translated functions; it returns
// false for any other (written as is by the caller).
func (t *translator) function(name ddl.Token, i int, last, pos *int) bool {
	fn := strings.ToUpper(name.Text)
	switch fn {
	case "NVL", "NVL2", "DECODE", "INSTR", "TO_DATE", "TO_CHAR", "TO_NUMBER", "SUBSTR":
	default:
		return false
	}
	args, close, ok := t.args(i + 1)
	if !ok {
		return false
	}
	for k := range args {
		a, probs := translateTokens(args[k], t.from, t.to)
		args[k] = a
		for _, p := range probs {
			t.problem(p)
		}
	}
	var out string
	switch {
	case fn == "NVL" && len(args) == 2:
		out = fmt.Sprintf("COALESCE(%s, %s)", args[0], args[1])
	case fn == "NVL2" && len(args) == 3:
		out = fmt.Sprintf("(CASE WHEN %s IS NOT NULL THEN %s ELSE %s END)", args[0], args[1], args[2])
	case fn == "DECODE" && len(args) >= 3:
		// DECODE compares with NULL as equal to NULL.
		var b strings.Builder
		b.WriteString("(CASE")
		k := 1
		for ; k+1 < len(args); k += 2 {
			fmt.Fprintf(&b, " WHEN %s IS NOT DISTINCT FROM %s THEN %s", args[0], args[k], args[k+1])
		}
		if k < len(args) {
			fmt.Fprintf(&b, " ELSE %s", args[k])
		}
		b.WriteString(" END)")
		out = b.String()
	case fn == "INSTR" && len(args) == 2:
		out = fmt.Sprintf("strpos(%s, %s)", args[0], args[1])
	case fn == "TO_DATE" && (len(args) == 1 || len(args) == 2):
		if len(args) == 1 {
			t.problem("TO_DATE without a format depends on NLS_DATE_FORMAT: give the format")
			return false
		}
		out = fmt.Sprintf("CAST(to_timestamp(%s, %s) AS timestamp(0))", args[0], args[1])
	case fn == "TO_CHAR" && len(args) == 2:
		out = fmt.Sprintf("to_char(%s, %s)", args[0], args[1])
	case fn == "TO_CHAR" && len(args) == 1:
		t.problem("TO_CHAR without a format writes dates by NLS_DATE_FORMAT: give the format (or CAST a number AS text)")
		return false
	case fn == "TO_NUMBER" && len(args) == 1:
		out = fmt.Sprintf("CAST(%s AS numeric)", args[0])
	case fn == "TO_NUMBER" && len(args) == 2:
		out = fmt.Sprintf("to_number(%s, %s)", args[0], args[1])
	case fn == "SUBSTR" && (len(args) == 2 || len(args) == 3):
		// Oracle counts a start of 0 as 1 and a negative one from the end;
		// PostgreSQL's substr does neither, so only a positive literal
		// start is the same call.
		if n, err := strconv.Atoi(strings.TrimSpace(args[1])); err != nil || n < 1 {
			t.problem("SUBSTR with a start that is not a positive number counts differently in PostgreSQL: rewrite it")
			return false
		}
		out = "substr(" + strings.Join(args, ", ") + ")"
	default:
		t.problem(fmt.Sprintf("%s with %d arguments is not translated", fn, len(args)))
		return false
	}
	t.b.WriteString(out)
	*last = t.toks[close].End
	*pos = close
	return true
}

// args splits the call whose "(" is at open into its argument texts.
func (t *translator) args(open int) ([]string, int, bool) {
	depth := 0
	start := open + 1
	var args []string
	for j := open; j < len(t.toks); j++ {
		tok := t.toks[j]
		if tok.Kind != ddl.Punct {
			continue
		}
		switch tok.Text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				if j > start {
					args = append(args, t.text[t.toks[start].Pos:t.toks[j-1].End])
				}
				return args, j, true
			}
		case ",":
			if depth == 1 {
				if j == start {
					return nil, 0, false
				}
				args = append(args, t.text[t.toks[start].Pos:t.toks[j-1].End])
				start = j + 1
			}
		}
	}
	return nil, 0, false
}
