package oracle

// plsql_body.go translates the declarations and statements of a PL/SQL
// block when every one of them has a mechanical PL/pgSQL counterpart:
// assignments, IF / ELSIF / ELSE, nested BEGIN ... END, NULL, RETURN, SQL
// DML (through the SQL translator), procedure calls, RAISE_APPLICATION_ERROR
// and DBMS_OUTPUT.PUT_LINE. Anything else (loops, cursors, exception
// handlers, dynamic SQL, transaction control, package calls) makes the
// whole unit stay PL/SQL, with the construct named as the reason.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// notMechanical is why a unit is not translated.
type notMechanical string

func (e notMechanical) Error() string { return string(e) }

// plBlock is a PL/SQL block's tokens being translated.
type plBlock struct {
	text     string
	toks     []ddl.Token
	from, to string
	// trigger is set in a trigger body: :NEW / :OLD, INSERTING ... and
	// RETURN mean what they do in a trigger; ret is what RETURN returns.
	trigger bool
	ret     string
	// column gives the type a table's column is converted to (for
	// parameters' %TYPE), when the table is in the export.
	column func(table, column string) (string, bool)
	b      strings.Builder
	depth  int
}

func (k *plBlock) tok(i int) ddl.Token {
	if i < len(k.toks) {
		return k.toks[i]
	}
	return ddl.Token{Kind: ddl.EOF, Pos: len(k.text), End: len(k.text)}
}

// src is the original text of tokens [i, j).
func (k *plBlock) src(i, j int) string {
	if i >= j {
		return ""
	}
	return k.text[k.toks[i].Pos:k.toks[j-1].End]
}

// find is the first token at or after i, at parenthesis depth 0, that
// is one of words (keywords or punctuation), or -1.
func (k *plBlock) find(i int, words ...string) int {
	depth := 0
	for ; i < len(k.toks); i++ {
		t := k.toks[i]
		if t.Kind == ddl.Punct {
			switch t.Text {
			case "(":
				depth++
			case ")":
				depth--
			}
		}
		if depth != 0 {
			continue
		}
		for _, w := range words {
			if t.Kind == ddl.Punct && t.Text == w || t.Is(w) {
				return i
			}
		}
	}
	return -1
}

func (k *plBlock) line(s string) {
	k.b.WriteString(strings.Repeat("    ", k.depth+1))
	k.b.WriteString(s)
	k.b.WriteByte('\n')
}

// expr translates an expression or SQL statement of tokens [i, j).
func (k *plBlock) expr(i, j int) (string, error) {
	text := k.sequenceCalls(k.src(i, j))
	if k.trigger {
		text = bindsToRecords(text)
	}
	out, problems := translate(text, k.from, k.to)
	if len(problems) > 0 {
		return "", notMechanical(strings.Join(problems, "; "))
	}
	if k.trigger {
		out = predicatesToTGOp(out)
	}
	return out, nil
}

// declarations translates [i, j): the part between IS/AS (or DECLARE) and
// BEGIN.
func (k *plBlock) declarations(i, j int) error {
	for i < j {
		end := k.find(i, ";")
		if end < 0 || end > j {
			return notMechanical("a declaration without its ;")
		}
		d, err := k.declaration(i, end)
		if err != nil {
			return err
		}
		k.line(d + ";")
		i = end + 1
	}
	return nil
}

// declaration is name [CONSTANT] type [NOT NULL] [:= | DEFAULT expr].
func (k *plBlock) declaration(i, j int) (string, error) {
	name := k.tok(i)
	switch {
	case name.Is("CURSOR"), name.Is("TYPE"), name.Is("SUBTYPE"), name.Is("PRAGMA"), name.Is("PROCEDURE"), name.Is("FUNCTION"):
		return "", notMechanical("declares a " + strings.ToLower(name.Text))
	}
	n, ok := name.Ident()
	if !ok {
		return "", notMechanical("a declaration that does not start with a name")
	}
	out := sqlname.Quote(PGName(n))
	i++
	if k.tok(i).Is("CONSTANT") {
		out += " CONSTANT"
		i++
	}
	if k.tok(i).Is("EXCEPTION") {
		return "", notMechanical("declares an exception")
	}
	tend := k.find(i, ":=", "DEFAULT", "NOT")
	if tend < 0 || tend > j {
		tend = j
	}
	ty, err := plsqlType(k.src(i, tend))
	if err != nil {
		return "", err
	}
	out += " " + ty
	i = tend
	if k.tok(i).Is("NOT") && k.tok(i+1).Is("NULL") {
		out += " NOT NULL"
		i += 2
	}
	if i < j {
		if t := k.tok(i); !(t.Is("DEFAULT") || t.Kind == ddl.Punct && t.Text == ":=") {
			return "", notMechanical("a declaration of a form not translated: " + k.src(i, j))
		}
		e, err := k.expr(i+1, j)
		if err != nil {
			return "", err
		}
		out += " := " + e
	}
	return out, nil
}

// statements translates [i, j): the statements between BEGIN and END.
func (k *plBlock) statements(i, j int) error {
	for i < j {
		next, err := k.statement(i, j)
		if err != nil {
			return err
		}
		i = next
	}
	return nil
}

// statement translates the statement at i and returns where the next one
// starts.
func (k *plBlock) statement(i, j int) (int, error) {
	t := k.tok(i)
	switch {
	case t.Is("IF"), t.Is("ELSIF"):
		then := k.find(i+1, "THEN")
		if then < 0 || then > j {
			return 0, notMechanical(t.Upper() + " without THEN")
		}
		cond, err := k.expr(i+1, then)
		if err != nil {
			return 0, err
		}
		if t.Is("ELSIF") {
			k.depth--
		}
		k.line(t.Upper() + " " + cond + " THEN")
		k.depth++
		return then + 1, nil
	case t.Is("ELSE"):
		k.depth--
		k.line("ELSE")
		k.depth++
		return i + 1, nil
	case t.Is("END") && k.tok(i+1).Is("IF"):
		k.depth--
		k.line("END IF;")
		return k.expectSemicolon(i + 2)
	case t.Is("BEGIN"):
		k.line("BEGIN")
		k.depth++
		return i + 1, nil
	case t.Is("END"):
		k.depth--
		k.line("END;")
		return k.expectSemicolon(i + 1)
	case t.Is("EXCEPTION"):
		return 0, notMechanical("has EXCEPTION handlers")
	case t.Kind == ddl.Punct && t.Text == "<<":
		return 0, notMechanical("has labels")
	}
	end := k.find(i, ";")
	if end < 0 || end > j {
		return 0, notMechanical("a statement without its ;")
	}
	s, err := k.simple(i, end)
	if err != nil {
		return 0, err
	}
	k.line(s + ";")
	return end + 1, nil
}

func (k *plBlock) expectSemicolon(i int) (int, error) {
	if t := k.tok(i); t.Kind == ddl.Punct && t.Text == ";" {
		return i + 1, nil
	}
	return 0, notMechanical("END not followed by ;")
}

// unsupported statements, by their first word.
var unsupportedStatements = map[string]string{
	"LOOP": "loops", "FOR": "loops", "WHILE": "loops", "FORALL": "FORALL", "EXIT": "loops", "CONTINUE": "loops",
	"CASE": "a CASE statement", "GOTO": "GOTO", "OPEN": "cursors", "FETCH": "cursors", "CLOSE": "cursors",
	"EXECUTE": "dynamic SQL (EXECUTE IMMEDIATE)", "COMMIT": "transaction control", "ROLLBACK": "transaction control",
	"SAVEPOINT": "transaction control", "SET": "transaction control", "RAISE": "RAISE of a named exception",
	"PIPE": "PIPE ROW", "MERGE": "MERGE", "LOCK": "LOCK TABLE", "DECLARE": "a nested DECLARE block",
}

// simple translates one simple statement, tokens [i, j) without its ;.
func (k *plBlock) simple(i, j int) (string, error) {
	t := k.tok(i)
	if why, bad := unsupportedStatements[t.Upper()]; bad && t.Kind == ddl.Word {
		return "", notMechanical("uses " + why)
	}
	switch {
	case t.Is("NULL") && j == i+1:
		return "NULL", nil
	case t.Is("RETURN"):
		if k.trigger {
			return "RETURN " + k.ret, nil
		}
		if j == i+1 {
			return "RETURN", nil
		}
		e, err := k.expr(i+1, j)
		return "RETURN " + e, err
	case t.Is("INSERT"), t.Is("UPDATE"), t.Is("DELETE"), t.Is("SELECT"):
		if t.Is("SELECT") && k.find(i, "INTO") < 0 {
			return "", notMechanical("a SELECT without INTO")
		}
		return k.expr(i, j)
	case t.Is("RAISE_APPLICATION_ERROR"):
		return k.raiseApplicationError(i, j)
	case strings.EqualFold(k.src(i, min(i+3, j)), "DBMS_OUTPUT.PUT_LINE"):
		arg, err := k.expr(i+3, j)
		return "RAISE NOTICE '%', " + arg, err
	}
	if as := k.find(i, ":="); as >= 0 && as < j {
		target, err := k.expr(i, as)
		if err != nil {
			return "", err
		}
		e, err := k.expr(as+1, j)
		return target + " := " + e, err
	}
	return k.call(i, j)
}

// call is a procedure call: name or name(args), as CALL.
func (k *plBlock) call(i, j int) (string, error) {
	name, ok := k.tok(i).Ident()
	if !ok {
		return "", notMechanical("a statement not translated: " + k.src(i, j))
	}
	args := i + 1
	if k.tok(args).Kind == ddl.Punct && k.tok(args).Text == "." {
		return "", notMechanical("calls " + k.src(i, min(i+3, j)) + " (a package or another schema's procedure)")
	}
	if args == j {
		return "CALL " + sqlname.Quote(PGName(name)) + "()", nil
	}
	if k.tok(args).Text != "(" || k.tok(j-1).Text != ")" {
		return "", notMechanical("a statement not translated: " + k.src(i, j))
	}
	e, err := k.expr(args, j)
	if err != nil {
		return "", err
	}
	return "CALL " + sqlname.Quote(PGName(name)) + e, nil
}

// raiseApplicationError: RAISE_APPLICATION_ERROR(-20nnn, message) raises
// the message with SQLSTATE 45nnn (user-defined class 45), so that callers
// can still tell the errors apart.
func (k *plBlock) raiseApplicationError(i, j int) (string, error) {
	if k.tok(i+1).Text != "(" || k.tok(j-1).Text != ")" {
		return "", notMechanical("RAISE_APPLICATION_ERROR of an unknown form")
	}
	comma := k.find(i+2, ",")
	if k.find(i+2, ";") >= 0 && k.find(i+2, ";") < j {
		return "", notMechanical("RAISE_APPLICATION_ERROR of an unknown form")
	}
	code, err := strconv.Atoi(strings.ReplaceAll(k.src(i+2, max(comma, i+2)), " ", ""))
	if comma < 0 || comma > j || err != nil || code > -20000 || code < -20999 {
		return "", notMechanical("RAISE_APPLICATION_ERROR with a code that is not a literal from -20000 to -20999")
	}
	end := j - 1
	if last := k.find(comma+1, ","); last >= 0 && last < end {
		end = last // the third argument (keep the error stack) has no counterpart
	}
	msg, err := k.expr(comma+1, end)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("RAISE EXCEPTION '%%', %s USING ERRCODE = '45%03d'", msg, -code-20000), nil
}

// rewrite replaces runs of text's tokens: at token i, f returns how many
// tokens it replaces (0 for none) and with what.
func rewrite(text string, f func(toks []ddl.Token, i int) (n int, repl string)) string {
	toks := ddl.Tokens(text)
	var b strings.Builder
	last := 0
	for i := 0; i < len(toks); i++ {
		n, repl := f(toks, i)
		if n == 0 {
			continue
		}
		b.WriteString(text[last:toks[i].Pos])
		b.WriteString(repl)
		last = toks[i+n-1].End
		i += n - 1
	}
	b.WriteString(text[last:])
	return b.String()
}

// sequenceCalls turns [owner.]seq.NEXTVAL / .CURRVAL into nextval('seq')
// / currval('seq'). A sequence of another owner keeps its owner's name.
func (k *plBlock) sequenceCalls(text string) string {
	return rewrite(text, func(toks []ddl.Token, i int) (int, string) {
		at := func(j int) ddl.Token {
			if j < len(toks) {
				return toks[j]
			}
			return ddl.Token{}
		}
		isFn := func(t ddl.Token) bool { return t.Is("NEXTVAL") || t.Is("CURRVAL") }
		owner, name, n := "", at(i), 3
		if at(i+1).Text == "." && at(i+3).Text == "." && isFn(at(i+4)) {
			owner, _ = at(i).Ident()
			name, n = at(i+2), 5
		} else if at(i+1).Text != "." || !isFn(at(i+2)) {
			return 0, ""
		}
		seq, ok := name.Ident()
		if !ok {
			return 0, ""
		}
		switch {
		case owner == k.from || owner == "":
			owner = k.to
		default:
			owner = PGName(owner)
		}
		rel := sqlname.Quote(PGName(seq))
		if owner != "" {
			rel = sqlname.Quote(owner) + "." + rel
		}
		return n, fmt.Sprintf("%s(%s)", strings.ToLower(at(i+n-1).Text), sqlname.QuoteLiteral(rel))
	})
}

// bindsToRecords turns a trigger's :NEW.x / :OLD.x into NEW.x / OLD.x.
func bindsToRecords(text string) string {
	return rewrite(text, func(toks []ddl.Token, i int) (int, string) {
		if i+1 < len(toks) && toks[i].Kind == ddl.Punct && toks[i].Text == ":" && (toks[i+1].Is("NEW") || toks[i+1].Is("OLD")) && toks[i+1].Pos == toks[i].End {
			return 2, toks[i+1].Upper()
		}
		return 0, ""
	})
}

// predicatesToTGOp turns INSERTING / UPDATING / DELETING into tests of
// TG_OP.
func predicatesToTGOp(text string) string {
	return rewrite(text, func(toks []ddl.Token, i int) (int, string) {
		if op := map[string]string{"INSERTING": "INSERT", "UPDATING": "UPDATE", "DELETING": "DELETE"}[toks[i].Upper()]; op != "" && toks[i].Kind == ddl.Word {
			return 1, "TG_OP = '" + op + "'"
		}
		return 0, ""
	})
}

// plsqlType is a parameter's, variable's or return type in PostgreSQL:
// name%TYPE and name%ROWTYPE keep their form, the rest is mapped as a
// column type is.
func plsqlType(text string) (string, error) {
	text = strings.TrimSpace(text)
	up := strings.ToUpper(text)
	if strings.HasSuffix(up, "%TYPE") || strings.HasSuffix(up, "%ROWTYPE") {
		pct := strings.LastIndexByte(text, '%')
		var parts []string
		for _, t := range ddl.Tokens(text[:pct]) {
			if t.Text == "." {
				continue
			}
			n, ok := t.Ident()
			if !ok {
				return "", notMechanical("a type of an unknown form: " + text)
			}
			parts = append(parts, sqlname.Quote(PGName(n)))
		}
		return strings.Join(parts, ".") + up[pct:], nil
	}
	switch up {
	case "BOOLEAN":
		return "boolean", nil
	case "PLS_INTEGER", "BINARY_INTEGER", "SIMPLE_INTEGER", "NATURAL", "POSITIVE":
		return "integer", nil
	}
	ty, err := ddl.ParseType(text)
	if err != nil || ty.Owner != "" {
		return "", notMechanical("a type not translated: " + text)
	}
	pg, note := MapType(ty)
	if pg == "" || strings.Contains(note, "user-defined or unsupported") {
		return "", notMechanical("a type not translated: " + text)
	}
	return pg, nil
}
