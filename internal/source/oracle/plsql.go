package oracle

// plsql.go translates standalone procedures, functions and triggers whose
// bodies are mechanical (plsql_body.go says which are) into PL/pgSQL. The
// translated body is checked with PostgreSQL's own PL/pgSQL parser; a unit
// that is not translated stays PL/SQL, commented out, with the reason.

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// unitHead reads CREATE [OR REPLACE] [[NON]EDITIONABLE] KIND [owner.]name
// and returns the name and the index after it.
func unitHead(toks []ddl.Token, kind string) (ddl.Object, int, error) {
	i := 0
	for i < len(toks) && (toks[i].Is("CREATE") || toks[i].Is("OR") || toks[i].Is("REPLACE") || toks[i].Is("EDITIONABLE") || toks[i].Is("NONEDITIONABLE")) {
		i++
	}
	if i >= len(toks) || !toks[i].Is(kind) {
		return ddl.Object{}, 0, notMechanical("an unknown header")
	}
	obj, i, ok := objectAt(toks, i+1)
	if !ok {
		return obj, 0, notMechanical("an unknown header")
	}
	return obj, i, nil
}

// closing is the index of the ")" that closes the "(" at open, or -1.
func closing(toks []ddl.Token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].Kind != ddl.Punct:
		case toks[i].Text == "(":
			depth++
		case toks[i].Text == ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// blockEnd is the index of the END that closes the unit's block (before
// an optional name and ;).
func blockEnd(toks []ddl.Token) (int, error) {
	j := len(toks)
	if j > 0 && toks[j-1].Text == ";" {
		j--
	}
	if j > 0 && !toks[j-1].Is("END") {
		j--
	}
	if j == 0 || !toks[j-1].Is("END") {
		return 0, notMechanical("the block's END was not found")
	}
	return j - 1, nil
}

// routine translates CREATE PROCEDURE / FUNCTION.
func (v *converter) routine(st ddl.Statement) (string, error) {
	kind := "PROCEDURE"
	if st.Kind == ddl.CreateFunction {
		kind = "FUNCTION"
	}
	toks := ddl.Tokens(st.Text)
	obj, i, err := unitHead(toks, kind)
	if err != nil {
		return "", err
	}
	k := &plBlock{text: st.Text, toks: toks, from: v.o.Schema, to: v.target, column: v.columnType}
	params := ""
	if k.tok(i).Text == "(" {
		end := closing(toks, i)
		if end < 0 {
			return "", notMechanical("an unclosed parameter list")
		}
		if params, err = k.params(i+1, end); err != nil {
			return "", err
		}
		i = end + 1
	}
	head := fmt.Sprintf("CREATE OR REPLACE %s %s(%s)", kind, v.rel(obj.Name), params)
	if kind == "FUNCTION" {
		if !k.tok(i).Is("RETURN") {
			return "", notMechanical("a function without RETURN")
		}
		end := k.find(i+1, "IS", "AS", "AUTHID", "DETERMINISTIC", "PIPELINED", "PARALLEL_ENABLE", "RESULT_CACHE", "ACCESSIBLE")
		if end < 0 {
			return "", notMechanical("a function without IS / AS")
		}
		ret, err := plsqlType(k.src(i+1, end))
		if err != nil {
			return "", err
		}
		head += " RETURNS " + ret
		i = end
	}
	for ; !k.tok(i).Is("IS") && !k.tok(i).Is("AS"); i++ {
		switch {
		case k.tok(i).Is("AUTHID"), k.tok(i).Is("CURRENT_USER"), k.tok(i).Is("DEFINER"), k.tok(i).Is("DETERMINISTIC"):
		case k.tok(i).Kind == ddl.EOF:
			return "", notMechanical("no IS / AS")
		default:
			return "", notMechanical("has the clause " + k.tok(i).Upper())
		}
	}
	body, err := k.unitBody(i+1, "")
	if err != nil {
		return "", err
	}
	return head + "\nLANGUAGE plpgsql\nAS " + body, nil
}

// unitBody translates [decls] BEGIN stmts END from i; extra is added
// before END (a trigger's RETURN). It returns the dollar-quoted body,
// checked by PostgreSQL's PL/pgSQL parser.
func (k *plBlock) unitBody(i int, extra string) (string, error) {
	begin := k.find(i, "BEGIN")
	end, err := blockEnd(k.toks)
	if err != nil {
		return "", err
	}
	if begin < 0 || begin > end {
		return "", notMechanical("no BEGIN")
	}
	if begin > i {
		k.b.WriteString("DECLARE\n")
		if err := k.declarations(i, begin); err != nil {
			return "", err
		}
	}
	k.b.WriteString("BEGIN\n")
	if err := k.statements(begin+1, end); err != nil {
		return "", err
	}
	if k.depth != 0 {
		return "", notMechanical("unbalanced IF / BEGIN blocks")
	}
	k.b.WriteString(extra)
	k.b.WriteString("END;\n")
	body := k.b.String()
	tag := "$body$"
	for strings.Contains(body, tag) {
		tag = "$b" + tag[1:]
	}
	returns := "void" // a trigger's body knows NEW and OLD only in a trigger function
	if k.trigger {
		returns = "trigger"
	}
	check := "CREATE FUNCTION ybv_check() RETURNS " + returns + " LANGUAGE plpgsql AS " + tag + "\n" + body + tag
	if _, err := pg_query.ParsePlPgSqlToJSON(check); err != nil {
		return "", notMechanical(fmt.Sprintf("the translation does not parse as PL/pgSQL (%v)", err))
	}
	return tag + "\n" + body + tag, nil
}

// paramType is a parameter's type. Oracle passes any number to a NUMBER
// parameter; PostgreSQL resolves a call by its arguments' types and does
// not narrow an integer to a smallint. So a table.column%TYPE of a column
// this export maps to smallint or integer is written bigint (what integer
// literals and columns widen to), and others as the column's mapped type.
func (k *plBlock) paramType(text string) (string, error) {
	up := strings.ToUpper(strings.TrimSpace(text))
	if k.column != nil && strings.HasSuffix(up, "%TYPE") {
		var parts []string
		for _, t := range ddl.Tokens(text[:strings.LastIndexByte(text, '%')]) {
			if n, ok := t.Ident(); ok {
				parts = append(parts, n)
			}
		}
		if len(parts) == 2 {
			if pg, ok := k.column(parts[0], parts[1]); ok {
				if pg == "smallint" || pg == "integer" {
					pg = "bigint"
				}
				return pg, nil
			}
		}
	}
	return plsqlType(text)
}

// columnType is the PostgreSQL type this export gives a column of a table
// it converts.
func (v *converter) columnType(table, column string) (string, bool) {
	t := v.tables[table]
	if t == nil {
		return "", false
	}
	c := t.Column(column)
	if c == nil || c.Identity != nil {
		return "", false
	}
	pg, _ := MapType(c.Type)
	return pg, true
}

// params translates a parameter list's inside, tokens [i, j).
func (k *plBlock) params(i, j int) (string, error) {
	var out []string
	for i < j {
		end := k.find(i, ",")
		if end < 0 || end > j {
			end = j
		}
		p, err := k.param(i, end)
		if err != nil {
			return "", err
		}
		out = append(out, p)
		i = end + 1
	}
	return strings.Join(out, ", "), nil
}

// param is name [IN] [OUT] [NOCOPY] type [:= | DEFAULT expr].
func (k *plBlock) param(i, j int) (string, error) {
	n, ok := k.tok(i).Ident()
	if !ok {
		return "", notMechanical("a parameter of an unknown form")
	}
	out := sqlname.Quote(PGName(n))
	i++
	in, outMode := false, false
	for ; k.tok(i).Is("IN") || k.tok(i).Is("OUT") || k.tok(i).Is("NOCOPY"); i++ {
		in = in || k.tok(i).Is("IN")
		outMode = outMode || k.tok(i).Is("OUT")
	}
	switch {
	case in && outMode:
		out += " INOUT"
	case outMode:
		out += " OUT"
	}
	tend := k.find(i, ":=", "DEFAULT")
	if tend < 0 || tend > j {
		tend = j
	}
	ty, err := k.paramType(k.src(i, tend))
	if err != nil {
		return "", err
	}
	out += " " + ty
	if tend < j {
		e, err := k.expr(tend+1, j)
		if err != nil {
			return "", err
		}
		out += " DEFAULT " + e
	}
	return out, nil
}
