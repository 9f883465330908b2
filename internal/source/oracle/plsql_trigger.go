package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// triggerOut is a translated trigger: PostgreSQL puts the body in a
// function of its own and the trigger calls it.
type triggerOut struct {
	name, table string // PostgreSQL names
	function    string // CREATE FUNCTION ... RETURNS trigger
	trigger     string // CREATE TRIGGER
	disabled    bool   // created DISABLE: ALTER TABLE ... DISABLE TRIGGER follows
}

// triggerUnit translates a simple DML trigger: BEFORE / AFTER / INSTEAD OF
// INSERT / UPDATE [OF cols] / DELETE, on a table of the schema, row or
// statement level, an optional WHEN, and a mechanical body. Compound,
// DDL and database-event triggers, REFERENCING, FOLLOWS / PRECEDES and
// CALL bodies are not translated.
func (v *converter) triggerUnit(st ddl.Statement) (triggerOut, error) {
	toks := ddl.Tokens(st.Text)
	obj, i, err := unitHead(toks, "TRIGGER")
	if err != nil {
		return triggerOut{}, err
	}
	k := &plBlock{text: st.Text, toks: toks, from: v.o.Schema, to: v.target, trigger: true}
	var timing string
	switch {
	case k.tok(i).Is("BEFORE"), k.tok(i).Is("AFTER"):
		timing = k.tok(i).Upper()
		i++
	case k.tok(i).Is("INSTEAD") && k.tok(i+1).Is("OF"):
		timing = "INSTEAD OF"
		i += 2
	default:
		return triggerOut{}, notMechanical("a compound or unknown kind of trigger")
	}
	on := k.find(i, "ON")
	if on < 0 {
		return triggerOut{}, notMechanical("no ON clause")
	}
	events, deletes, err := k.triggerEvents(i, on)
	if err != nil {
		return triggerOut{}, err
	}
	if k.tok(on+1).Is("SCHEMA") || k.tok(on+1).Is("DATABASE") || k.tok(on+1).Is("NESTED") {
		return triggerOut{}, notMechanical("a DDL or database event trigger")
	}
	table, i, ok := objectAt(toks, on+1)
	if !ok || table.Schema != "" && table.Schema != v.o.Schema {
		return triggerOut{}, notMechanical("on another schema's table")
	}
	out := triggerOut{name: PGName(obj.Name), table: PGName(table.Name)}
	row := false
	when := ""
	for ; !k.tok(i).Is("BEGIN") && !k.tok(i).Is("DECLARE"); i++ {
		switch t := k.tok(i); {
		case t.Is("FOR") && k.tok(i+1).Is("EACH") && k.tok(i+2).Is("ROW"):
			row = true
			i += 2
		case t.Is("ENABLE"):
		case t.Is("DISABLE"):
			out.disabled = true
		case t.Is("WHEN") && k.tok(i+1).Text == "(":
			end := closing(toks, i+1)
			if end < 0 {
				return triggerOut{}, notMechanical("an unclosed WHEN")
			}
			cond, err := k.expr(i+1, end+1)
			if err != nil {
				return triggerOut{}, err
			}
			when = " WHEN " + recordsUpper(cond)
			i = end
		case t.Kind == ddl.EOF:
			return triggerOut{}, notMechanical("no BEGIN")
		default:
			return triggerOut{}, notMechanical("has the clause " + t.Upper())
		}
	}
	if when != "" && (strings.Contains(events, "INSERT") && strings.Contains(when, "OLD.") || deletes && strings.Contains(when, "NEW.")) {
		return triggerOut{}, notMechanical("its WHEN reads OLD in an INSERT trigger or NEW in a DELETE one, which PostgreSQL refuses: move the condition into the body")
	}
	k.ret = "NULL"
	extra := "    RETURN NULL;\n"
	if row && timing != "AFTER" {
		k.ret, extra = "NEW", "    RETURN NEW;\n"
		if deletes {
			k.ret = "COALESCE(NEW, OLD)"
			extra = "    IF TG_OP = 'DELETE' THEN\n        RETURN OLD;\n    END IF;\n    RETURN NEW;\n"
		}
	}
	if k.tok(i).Is("DECLARE") {
		i++
	}
	body, err := k.unitBody(i, extra)
	if err != nil {
		return triggerOut{}, err
	}
	fn := sqlname.Quote(out.name + "_fn")
	if v.target != "" {
		fn = sqlname.Quote(v.target) + "." + fn
	}
	out.function = fmt.Sprintf("CREATE OR REPLACE FUNCTION %s() RETURNS trigger\nLANGUAGE plpgsql\nAS %s", fn, body)
	level := "STATEMENT"
	if row {
		level = "ROW"
	}
	out.trigger = fmt.Sprintf("CREATE TRIGGER %s %s %s ON %s FOR EACH %s%s EXECUTE FUNCTION %s()",
		sqlname.Quote(out.name), timing, events, v.rel(table.Name), level, when, fn)
	return out, nil
}

// triggerEvents reads INSERT | DELETE | UPDATE [OF cols] joined by OR,
// tokens [i, j).
func (k *plBlock) triggerEvents(i, j int) (string, bool, error) {
	var events []string
	deletes := false
	for i < j {
		t := k.tok(i)
		switch {
		case t.Is("INSERT"), t.Is("DELETE"):
			events = append(events, t.Upper())
			deletes = deletes || t.Is("DELETE")
			i++
		case t.Is("UPDATE") && k.tok(i+1).Is("OF"):
			end := k.find(i+2, "OR", "ON")
			if end < 0 || end > j {
				end = j
			}
			var cols []string
			for _, c := range k.toks[i+2 : end] {
				if c.Text == "," {
					continue
				}
				n, ok := c.Ident()
				if !ok {
					return "", false, notMechanical("an UPDATE OF list of an unknown form")
				}
				cols = append(cols, sqlname.Quote(PGName(n)))
			}
			events = append(events, "UPDATE OF "+strings.Join(cols, ", "))
			i = end
		case t.Is("UPDATE"):
			events = append(events, "UPDATE")
			i++
		default:
			return "", false, notMechanical("fires on " + t.Upper())
		}
		if i < j {
			if !k.tok(i).Is("OR") {
				return "", false, notMechanical("an event list of an unknown form")
			}
			i++
		}
	}
	if len(events) == 0 {
		return "", false, notMechanical("no triggering event")
	}
	return strings.Join(events, " OR "), deletes, nil
}

// recordsUpper writes a WHEN condition's new.x / old.x (no colon there in
// Oracle) as NEW.x / OLD.x.
func recordsUpper(text string) string {
	return rewrite(text, func(toks []ddl.Token, i int) (int, string) {
		if (toks[i].Is("NEW") || toks[i].Is("OLD")) && i+1 < len(toks) && toks[i+1].Text == "." {
			return 1, toks[i].Upper()
		}
		return 0, ""
	})
}
