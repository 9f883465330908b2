package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// ConvertOptions says whose objects a script holds and where they go.
type ConvertOptions struct {
	Schema string // --source-db-schema, catalog form (HR)
	// TargetSchema qualifies every name written. Empty (what export schema
	// uses) writes names unqualified, as ora2pg and Voyager do, and import
	// schema creates them in --target-db-schema through search_path.
	TargetSchema string
	Comments     bool // --comments-on-objects
}

// Convert turns the statements of Oracle DDL into PostgreSQL DDL. Every
// statement it does not convert is named in a note with its file and
// line; nothing is dropped silently. The input is read whole before
// output, because Oracle scripts add keys after their tables
// (ALTER TABLE ... ADD PRIMARY KEY) and PostgreSQL wants them in the table.
func Convert(stmts []ddl.Statement, o ConvertOptions) ([]schema.Statement, []schema.Note) {
	v := &converter{o: o, target: o.TargetSchema, tables: map[string]*ddl.Table{}, partitioned: map[string]bool{}}
	v.read(stmts)
	v.applySequenceTriggers()
	for _, name := range v.order {
		v.table(v.tables[name])
	}
	for _, fk := range v.fks {
		v.foreignKey(fk.table, fk.k)
	}
	for _, x := range v.indexes {
		v.index(x)
	}
	for _, vw := range v.views {
		v.view(vw)
	}
	v.synonyms()
	v.code()
	return v.out, v.notes
}

type converter struct {
	o      ConvertOptions
	target string
	out    []schema.Statement
	notes  []schema.Note

	tables      map[string]*ddl.Table
	partitioned map[string]bool // tables created with PARTITION BY
	order       []string
	fks         []tableConstraint
	indexes     []located[*ddl.Index]
	views       []located[*ddl.View]
	seqTriggers []located[seqTrigger]
	syns        []synonym
	units       []ddl.Statement   // PL/SQL, translated after the tables
	disabled    map[string]bool   // by ALTER TRIGGER ... DISABLE (true) / ENABLE (false)
	caveats     map[string]string // caveat lines for statements still to emit, by type and name
}

type tableConstraint struct {
	table ddl.Object
	k     ddl.Constraint
}

type located[T any] struct {
	st ddl.Statement
	v  T
}

func (v *converter) note(object, reason string) {
	v.notes = append(v.notes, schema.Note{Object: object, Reason: reason})
}

func where(st ddl.Statement) string { return fmt.Sprintf("%s line %d", st.File, st.Line) }

// mine reports whether an object belongs to the schema being migrated:
// unqualified objects do; others are skipped with a note.
func (v *converter) mine(st ddl.Statement, obj ddl.Object) bool {
	if obj.Schema == "" || obj.Schema == v.o.Schema {
		return true
	}
	v.note(fmt.Sprintf("%s %s", st.Kind, obj), fmt.Sprintf("%s: belongs to schema %s, not %s; skipped", where(st), obj.Schema, v.o.Schema))
	return false
}

func (v *converter) rel(name string) string {
	if v.target == "" {
		return sqlname.Quote(PGName(name))
	}
	return sqlname.Table{Schema: v.target, Name: PGName(name)}.Quoted()
}

func (v *converter) qname(name string) string {
	if v.target == "" {
		return PGName(name)
	}
	return v.target + "." + PGName(name)
}

func (v *converter) emit(typ schema.ObjectType, name, text string) {
	key := string(typ) + " " + name
	if c := v.caveats[key]; c != "" {
		text = c + text
		delete(v.caveats, key)
	}
	v.out = append(v.out, schema.Statement{Text: text, File: schema.FileFor(typ), Type: typ, Name: name})
}

// caveat notes why and also writes it, as a caveat line analyze-schema
// reports, above the statement of type typ and name (as emitted) that is
// still to come.
func (v *converter) caveat(typ schema.ObjectType, name, object, rule, why string) {
	v.note(object, why)
	if v.caveats == nil {
		v.caveats = map[string]string{}
	}
	v.caveats[string(typ)+" "+name] += schema.CaveatLine(rule, why)
}

// read sorts the statements: tables and what they gain from ALTER TABLE
// first, the rest converted as met.
func (v *converter) read(stmts []ddl.Statement) {
	skippedComments := 0
	for _, st := range stmts {
		switch st.Kind {
		case ddl.CreateTable:
			t, err := ddl.ParseTable(st.Text)
			if err != nil {
				v.unread(st, err)
				continue
			}
			if !v.mine(st, t.Object) {
				continue
			}
			if _, dup := v.tables[t.Object.Name]; dup {
				v.note("TABLE "+v.qname(t.Object.Name), where(st)+": defined twice; the first definition is kept")
				continue
			}
			v.tables[t.Object.Name] = t
			v.order = append(v.order, t.Object.Name)
		case ddl.AlterTable:
			a, err := ddl.ParseAlterTable(st.Text)
			if err != nil {
				v.unread(st, err)
				continue
			}
			if !v.mine(st, a.Table) {
				continue
			}
			v.alter(st, a)
		case ddl.CreateIndex:
			x, err := ddl.ParseIndex(st.Text)
			if err != nil {
				v.unread(st, err)
				continue
			}
			if v.mine(st, x.Object) {
				v.indexes = append(v.indexes, located[*ddl.Index]{st, x})
			}
		case ddl.CreateSequence:
			s, err := ddl.ParseSequence(st.Text)
			if err != nil {
				v.unread(st, err)
				continue
			}
			if v.mine(st, s.Object) {
				v.sequence(s)
			}
		case ddl.CreateView, ddl.CreateMaterializedView:
			vw, err := ddl.ParseView(st.Text)
			if err != nil {
				v.unread(st, err)
				continue
			}
			if v.mine(st, vw.Object) {
				v.views = append(v.views, located[*ddl.View]{st, vw})
			}
		case ddl.CreateTrigger:
			if tr, ok := sequenceTrigger(st.Text); ok {
				v.seqTriggers = append(v.seqTriggers, located[seqTrigger]{st, tr})
				continue
			}
			v.units = append(v.units, st)
		case ddl.CreateProcedure, ddl.CreateFunction, ddl.CreatePackage, ddl.CreatePackageBody, ddl.CreateType, ddl.CreateTypeBody:
			v.units = append(v.units, st)
		case "ALTER TRIGGER":
			v.alterTrigger(st)
		case ddl.CreateSynonym:
			s, ok := parseSynonym(st)
			switch {
			case !ok:
				v.other(st)
			case s.public || v.mine(st, s.name):
				v.syns = append(v.syns, s)
			}
		case ddl.Comment:
			if !v.o.Comments {
				skippedComments++
				continue
			}
			v.comment(st)
		default:
			v.other(st)
		}
	}
	if skippedComments > 0 {
		v.note("COMMENT", fmt.Sprintf("%d COMMENT statements not exported (--comments-on-objects is false, Voyager's default)", skippedComments))
	}
}

func (v *converter) unread(st ddl.Statement, err error) {
	v.note(string(st.Kind), fmt.Sprintf("%s: not converted: %v: %s", where(st), err, firstLine(st.Text)))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if len(s) > 120 {
		s = s[:120] + " ..."
	}
	return s
}

// other reports a statement that is not schema (DML, grants, session
// settings) or not converted yet.
func (v *converter) other(st ddl.Statement) {
	switch st.Kind {
	case "INSERT", "UPDATE", "DELETE", "MERGE", "COMMIT", "ROLLBACK", "SAVEPOINT", "SELECT", "ALTER SESSION", "SET TRANSACTION",
		"GRANT", "REVOKE", "CREATE USER", "ALTER USER", "CREATE ROLE", "DROP USER", "ANALYZE", "TRUNCATE", "CALL", "LOCK":
		v.note(string(st.Kind), fmt.Sprintf("%s: not schema; skipped (data moves with export data, grants and users are the DBA's)", where(st)))
	case "":
		v.note("UNKNOWN", fmt.Sprintf("%s: a statement the reader does not know; skipped: %s", where(st), firstLine(st.Text)))
	default:
		v.note(string(st.Kind), fmt.Sprintf("%s: not converted yet; kept out of the exported schema: %s", where(st), firstLine(st.Text)))
	}
}
