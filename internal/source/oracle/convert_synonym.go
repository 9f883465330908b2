package oracle

import (
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// synonym is CREATE [OR REPLACE] [PUBLIC] SYNONYM name FOR object[@link],
// as read.
type synonym struct {
	st     ddl.Statement
	name   ddl.Object
	public bool
	target ddl.Object
	link   string
}

// parseSynonym reads the statement; ok is false for a form it does not
// know.
func parseSynonym(st ddl.Statement) (synonym, bool) {
	s := synonym{st: st}
	c := ddl.Tokens(st.Text)
	i := 0
	for i < len(c) && !c[i].Is("SYNONYM") {
		if c[i].Is("PUBLIC") {
			s.public = true
		}
		i++
	}
	var ok bool
	if s.name, i, ok = objectAt(c, i+1); !ok || i >= len(c) || !c[i].Is("FOR") {
		return s, false
	}
	if s.target, i, ok = objectAt(c, i+1); !ok {
		return s, false
	}
	if i < len(c) && c[i].Text == "@" && i+1 < len(c) {
		// A link name may be dotted (remote.example.com).
		s.link = st.Text[c[i+1].Pos:c[len(c)-1].End]
		return s, true
	}
	return s, i == len(c)
}

// objectAt reads [schema.]name at token i.
func objectAt(c []ddl.Token, i int) (ddl.Object, int, bool) {
	if i >= len(c) {
		return ddl.Object{}, i, false
	}
	first, ok := c[i].Ident()
	if !ok {
		return ddl.Object{}, i, false
	}
	if i+2 < len(c) && c[i+1].Text == "." {
		second, ok := c[i+2].Ident()
		return ddl.Object{Schema: first, Name: second}, i + 3, ok
	}
	return ddl.Object{Name: first}, i + 1, true
}

// synonyms become what Voyager makes of them: a view selecting everything
// from the object, when that object is a table or view of this schema.
// Public synonyms, synonyms over a database link or of another schema's
// objects, and synonyms of objects that are not tables or views (a
// sequence, a package) have no such stand-in: they are kept commented out
// with the reason.
func (v *converter) synonyms() {
	for _, s := range v.syns {
		obj := "SYNONYM " + v.qname(s.name.Name)
		why := ""
		switch {
		case s.public:
			why = "a PUBLIC synonym: PostgreSQL has none (search_path finds the schema's objects)"
		case s.link != "":
			why = fmt.Sprintf("points over database link %s: use postgres_fdw on the target", s.link)
		case s.target.Schema != "" && s.target.Schema != v.o.Schema:
			why = fmt.Sprintf("points to %s, which is not in the migrated schema %s", s.target, v.o.Schema)
		case v.tables[s.target.Name] == nil && !v.isView(s.target.Name):
			why = fmt.Sprintf("points to %s, which is not a table or view of this export", s.target.Name)
		}
		if why != "" {
			v.note(obj, fmt.Sprintf("%s: not converted (%s): kept commented out in %s", where(s.st), why, schema.FileFor(schema.Synonym)))
			v.emit(schema.Synonym, v.qname(s.name.Name), commented(s.st, why))
			continue
		}
		v.note(obj, fmt.Sprintf("%s: created as a view of %s (PostgreSQL has no synonyms)", where(s.st), v.qname(s.target.Name)))
		v.emit(schema.Synonym, v.qname(s.name.Name), fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM %s", v.rel(s.name.Name), v.rel(s.target.Name)))
	}
}

func (v *converter) isView(name string) bool {
	for _, vw := range v.views {
		if vw.v.Object.Name == name {
			return true
		}
	}
	return false
}
