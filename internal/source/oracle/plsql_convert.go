package oracle

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// code converts the PL/SQL units, after everything else has been read (a
// trigger's ALTER TRIGGER ... DISABLE comes after it in a script).
func (v *converter) code() {
	for _, st := range v.units {
		var err error
		switch st.Kind {
		case ddl.CreateProcedure, ddl.CreateFunction:
			err = v.translatedRoutine(st)
		case ddl.CreateTrigger:
			err = v.translatedTrigger(st)
		case ddl.CreatePackage, ddl.CreatePackageBody:
			err = notMechanical("packages are not translated: move their procedures and functions to a schema of their own")
		default:
			err = notMechanical("object types are not translated: use a composite type and functions")
		}
		var nm notMechanical
		switch {
		case errors.As(err, &nm):
			v.kept(st, string(nm))
		case err != nil:
			v.kept(st, err.Error())
		}
	}
}

// reviewNote is said of every translated unit: what a mechanical
// translation cannot know.
const reviewNote = "review it: Oracle runs a unit with its owner's rights (AUTHID DEFINER, the default), PostgreSQL with the caller's unless SECURITY DEFINER is added"

func (v *converter) translatedRoutine(st ddl.Statement) error {
	text, err := v.routine(st)
	if err != nil {
		return err
	}
	typ, kind := schema.Procedure, "PROCEDURE"
	if st.Kind == ddl.CreateFunction {
		typ, kind = schema.Function, "FUNCTION"
	}
	name := plsqlName(st)
	v.note(kind+" "+v.qname(name), fmt.Sprintf("%s: translated to PL/pgSQL; %s", where(st), reviewNote))
	v.emit(typ, v.qname(name), v.pinSearchPath(text))
	return nil
}

func (v *converter) translatedTrigger(st ddl.Statement) error {
	t, err := v.triggerUnit(st)
	if err != nil {
		return err
	}
	name := plsqlName(st)
	if d, ok := v.disabled[name]; ok {
		t.disabled = d
	}
	v.note("TRIGGER "+v.qname(name), fmt.Sprintf("%s: translated to PL/pgSQL, as trigger function %s_fn and trigger %s on %s; %s", where(st), t.name, t.name, t.table, reviewNote))
	v.emit(schema.Trigger, v.qname(name), v.pinSearchPath(t.function))
	v.emit(schema.Trigger, v.qname(name), t.trigger)
	if t.disabled {
		v.note("TRIGGER "+v.qname(name), "DISABLED in Oracle: created disabled (ALTER TABLE ... DISABLE TRIGGER)")
		v.emit(schema.Trigger, v.qname(name), fmt.Sprintf("ALTER TABLE %s DISABLE TRIGGER %s", v.rel(t.table), sqlname.Quote(t.name)))
	}
	return nil
}

// pinSearchPath makes a unit written with unqualified names find them
// where import schema created them, whatever the caller's search_path.
func (v *converter) pinSearchPath(text string) string {
	if v.target != "" {
		return text
	}
	return strings.Replace(text, "\nLANGUAGE plpgsql\n", "\nLANGUAGE plpgsql\nSET search_path FROM CURRENT\n", 1)
}

// alterTrigger reads ALTER TRIGGER [owner.]name ENABLE | DISABLE; other
// forms (COMPILE, RENAME) are noted and skipped.
func (v *converter) alterTrigger(st ddl.Statement) {
	toks := ddl.Tokens(st.Text)
	obj, i, ok := objectAt(toks, 2)
	if ok && i == len(toks)-1 && (toks[i].Is("ENABLE") || toks[i].Is("DISABLE")) {
		if v.mine(st, obj) {
			if v.disabled == nil {
				v.disabled = map[string]bool{}
			}
			v.disabled[obj.Name] = toks[i].Is("DISABLE")
		}
		return
	}
	v.note(string(st.Kind), fmt.Sprintf("%s: not converted; skipped: %s", where(st), firstLine(st.Text)))
}
