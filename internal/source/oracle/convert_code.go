package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// view converts CREATE [MATERIALIZED] VIEW. Its query is translated where
// that is mechanical; otherwise the Oracle text is kept, commented out, in
// the views file for the DBA to rewrite, and the reason is noted.
func (v *converter) view(l located[*ddl.View]) {
	vw := l.v
	typ, kw := schema.View, "VIEW"
	if vw.Materialized {
		typ, kw = schema.MView, "MATERIALIZED VIEW"
	}
	vobj := kw + " " + v.qname(vw.Object.Name)
	query, problems := translate(vw.Query, v.o.Schema, v.target)
	head := fmt.Sprintf("CREATE %s %s", kw, v.rel(vw.Object.Name))
	if len(vw.Columns) > 0 {
		head += " (" + v.columns(vw.Columns) + ")"
	}
	text := head + " AS\n" + query
	if vw.CheckOption {
		text += "\nWITH CHECK OPTION"
	}
	if len(problems) == 0 {
		if _, err := schema.ParseSQL(text, "view"); err != nil {
			problems = append(problems, fmt.Sprintf("the translated query does not parse as PostgreSQL (%v)", err))
		}
	}
	if len(problems) > 0 {
		v.note(vobj, fmt.Sprintf("%s: not translated (%s): kept commented out in %s; rewrite it there", where(l.st), strings.Join(problems, "; "), schema.FileFor(typ)))
		v.emit(typ, v.qname(vw.Object.Name), commented(l.st, "not translated: "+strings.Join(problems, "; ")))
		return
	}
	if vw.ReadOnly {
		v.note(vobj, "WITH READ ONLY: PostgreSQL has no such clause; revoke INSERT, UPDATE, DELETE on the view to keep it read-only")
	}
	if len(vw.Dropped) > 0 {
		v.note(vobj, "materialized view clauses dropped (refresh it with REFRESH MATERIALIZED VIEW): "+strings.Join(vw.Dropped, ", "))
	}
	v.emit(typ, v.qname(vw.Object.Name), text)
}

// kept keeps a PL/SQL unit as commented source in its object type's
// file, with why it was not translated, and lists it.
func (v *converter) kept(st ddl.Statement, why string) {
	typ := map[ddl.Kind]schema.ObjectType{
		ddl.CreateProcedure: schema.Procedure, ddl.CreateFunction: schema.Function, ddl.CreateTrigger: schema.Trigger,
		ddl.CreateType: schema.Type, ddl.CreateTypeBody: schema.Type, ddl.CreatePackage: schema.Package, ddl.CreatePackageBody: schema.Package,
	}[st.Kind]
	name := plsqlName(st)
	if st.Kind == ddl.CreateTrigger && v.disabled[name] {
		why += "; it is DISABLED in Oracle"
	}
	v.note(string(st.Kind)+" "+name, fmt.Sprintf("%s: PL/SQL not translated to PL/pgSQL (%s): kept commented out in %s; rewrite it there", where(st), why, schema.FileFor(typ)))
	v.emit(typ, v.qname(name), commented(st, "PL/SQL, not translated: "+why))
}

// plsqlName is the unit's name (after its kind words), catalog form.
func plsqlName(st ddl.Statement) string {
	toks := ddl.Tokens(st.Text)
	for i := 0; i < len(toks); i++ {
		switch strings.ToUpper(toks[i].Text) {
		case "PROCEDURE", "FUNCTION", "TRIGGER", "PACKAGE", "TYPE", "BODY":
			if i+1 < len(toks) && !toks[i+1].Is("BODY") {
				n := toks[i+1]
				if i+3 < len(toks) && toks[i+2].Text == "." {
					n = toks[i+3]
				}
				if name, ok := n.Ident(); ok {
					return name
				}
			}
		}
	}
	return "UNNAMED"
}

// commented keeps a statement's Oracle text as an unconverted block.
func commented(st ddl.Statement, why string) string {
	return schema.CommentOut(fmt.Sprintf("%s line %d", st.File, st.Line), why, st.Text)
}
