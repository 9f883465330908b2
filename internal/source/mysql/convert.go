package mysql

import (
	"fmt"
	"regexp"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Note flags an object that needs manual work or a look after conversion.
type Note = schema.Note

// maxIdent is PostgreSQL's identifier limit in bytes; longer names are truncated.
const maxIdent = 63

// Convert turns a MySQL catalog into PostgreSQL DDL for schemaName, each
// statement with its File, Type and Name set as schema.Write lays them out,
// grouped in schema.Order (foreign keys after every CREATE TABLE). Objects
// that need manual work are listed in the notes. Routines and triggers are
// not translated: their MySQL text is kept as a comment (see doc.go).
func Convert(c Catalog, schemaName string) ([]schema.Statement, []Note) {
	v := &converter{c: c, schema: schemaName, out: map[schema.ObjectType][]schema.Statement{}}
	v.emit(schema.Schema, schemaName, "CREATE SCHEMA IF NOT EXISTS "+sqlname.Quote(schemaName))
	v.bigintKeys()
	for _, t := range c.Tables {
		v.table(t)
	}
	for _, t := range c.Tables {
		v.foreignKeys(t)
	}
	v.out[schema.Table] = append(v.out[schema.Table], v.fks...)
	v.views()
	v.routines()
	var stmts []schema.Statement
	for _, typ := range schema.Order {
		stmts = append(stmts, v.out[typ]...)
	}
	return stmts, v.notes
}

type converter struct {
	c      Catalog
	schema string
	out    map[schema.ObjectType][]schema.Statement
	fks    []schema.Statement
	notes  []Note
	// asBigint holds the bigint unsigned columns (table, column) mapped to
	// bigint instead of numeric(20), with the reason.
	asBigint map[[2]string]string
}

// bigintKeys picks the bigint unsigned columns that become bigint: an
// AUTO_INCREMENT one (an identity column must be an integer type) and,
// transitively, the foreign key columns that reference such a column (a
// foreign key needs matching types).
func (v *converter) bigintKeys() {
	v.asBigint = map[[2]string]string{}
	unsignedBigint := map[[2]string]bool{}
	for _, t := range v.c.Tables {
		for _, col := range t.Columns {
			if mapType(col, false).typ != "numeric(20)" {
				continue
			}
			unsignedBigint[[2]string{t.Name, col.Name}] = true
			if isAutoIncrement(col) {
				v.asBigint[[2]string{t.Name, col.Name}] = "AUTO_INCREMENT bigint unsigned mapped to a bigint identity: values above 9223372036854775807 do not fit"
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, t := range v.c.Tables {
			for _, fk := range t.ForeignKeys {
				for i, col := range fk.Columns {
					key, ref := [2]string{t.Name, col}, [2]string{fk.RefTable, ""}
					if i < len(fk.RefColumns) {
						ref[1] = fk.RefColumns[i]
					}
					if _, done := v.asBigint[key]; done || !unsignedBigint[key] || fk.RefSchema != "" {
						continue
					}
					if _, ok := v.asBigint[ref]; ok {
						v.asBigint[key] = "bigint unsigned mapped to bigint to match the referenced column " + ref[0] + "." + ref[1] +
							": values above 9223372036854775807 do not fit"
						changed = true
					}
				}
			}
		}
	}
}

func (v *converter) note(object, reason string) {
	v.notes = append(v.notes, Note{Object: object, Reason: reason})
}

func (v *converter) emit(typ schema.ObjectType, name, text string) {
	v.out[typ] = append(v.out[typ], v.stmt(typ, name, text))
}

func (v *converter) stmt(typ schema.ObjectType, name, text string) schema.Statement {
	return schema.Statement{Text: text, File: schema.FileFor(typ), Type: typ, Name: name}
}

// qname is the unquoted schema.name form schema.Classify gives objects.
func (v *converter) qname(name string) string { return v.schema + "." + name }

// rel is the quoted, schema-qualified name of a relation, type or function.
func (v *converter) rel(name string) string {
	return sqlname.Table{Schema: v.schema, Name: name}.Quoted()
}

// ident quotes a name, noting when PostgreSQL would truncate it.
func (v *converter) ident(object, name string) string {
	if len(name) > maxIdent {
		v.note(object, fmt.Sprintf("name %q is longer than %d bytes; PostgreSQL truncates it, which may make it collide", name, maxIdent))
	}
	return sqlname.Quote(name)
}

var jsonValidCheck = regexp.MustCompile("(?i)^\\(?\\s*json_valid\\s*\\(\\s*`((?:[^`]|``)+)`\\s*\\)\\s*\\)?$")

func (v *converter) table(t Table) {
	tobj := "TABLE " + v.qname(t.Name)
	qt := sqlname.Table{Schema: v.schema, Name: t.Name}.Quoted()
	v.ident(tobj, t.Name)
	// MariaDB spells JSON as longtext plus CHECK (json_valid(`col`)).
	jsonCols := map[string]bool{}
	var checks []Check
	for _, ch := range t.Checks {
		if m := jsonValidCheck.FindStringSubmatch(strings.TrimSpace(ch.Clause)); m != nil {
			jsonCols[strings.ReplaceAll(m[1], "``", "`")] = true
			continue
		}
		checks = append(checks, ch)
	}
	var defs, onUpdate []string
	for _, col := range t.Columns {
		defs = append(defs, v.column(t, col, jsonCols[col.Name]))
		if isOnUpdateNow(col) {
			onUpdate = append(onUpdate, col.Name)
		}
	}
	if len(t.PrimaryKey) > 0 {
		defs = append(defs, "PRIMARY KEY ("+sqlname.QuoteList(t.PrimaryKey)+")")
	}
	for _, ch := range checks {
		e := translateExpr(ch.Clause, v.c.Database, v.schema)
		if !parsesAsExpr(e) {
			v.note("CHECK "+ch.Name+" ON "+v.qname(t.Name), "CHECK ("+ch.Clause+") is not valid PostgreSQL and was left out; add it by hand")
			continue
		}
		defs = append(defs, "CONSTRAINT "+v.ident(tobj, ch.Name)+" CHECK ("+e+")")
	}
	v.emit(schema.Table, v.qname(t.Name), "CREATE TABLE "+qt+" (\n\t"+strings.Join(defs, ",\n\t")+"\n)")
	if t.Comment != "" {
		v.emit(schema.Comment, "TABLE "+v.qname(t.Name), "COMMENT ON TABLE "+qt+" IS "+sqlname.QuoteLiteral(t.Comment))
	}
	for _, col := range t.Columns {
		if col.Comment != "" {
			v.emit(schema.Comment, "COLUMN "+v.qname(t.Name)+"."+col.Name,
				"COMMENT ON COLUMN "+qt+"."+sqlname.Quote(col.Name)+" IS "+sqlname.QuoteLiteral(col.Comment))
		}
	}
	v.indexes(t)
	if len(onUpdate) > 0 {
		v.onUpdateTrigger(t, onUpdate)
	}
}

// column is one column definition of CREATE TABLE.
func (v *converter) column(t Table, col Column, jsonText bool) string {
	cobj := "COLUMN " + v.qname(t.Name) + "." + col.Name
	m := mapType(col, jsonText)
	if why, ok := v.asBigint[[2]string{t.Name, col.Name}]; ok {
		m = mapped{typ: "bigint", kind: kInt, note: why}
	}
	if m.note != "" {
		v.note(cobj, m.note)
	}
	if m.kind == kEnum {
		name := t.Name + "_" + col.Name + "_enum"
		labels := make([]string, len(m.labels))
		for i, l := range m.labels {
			if len(l) > maxIdent {
				v.note(cobj, fmt.Sprintf("enum label %q is longer than %d bytes, which PostgreSQL rejects", l, maxIdent))
			}
			labels[i] = sqlname.QuoteLiteral(l)
		}
		v.ident("TYPE "+v.qname(name), name)
		m.typ = v.rel(name)
		v.emit(schema.Type, v.qname(name), "CREATE TYPE "+m.typ+" AS ENUM ("+strings.Join(labels, ", ")+")")
	}
	def := v.ident(cobj, col.Name) + " " + m.typ
	switch {
	case isGenerated(col):
		def += v.generated(cobj, col)
	case isAutoIncrement(col):
		def = v.identity(t, cobj, col, m, def)
	default:
		e, why := v.defaultSQL(col, m)
		if why != "" {
			v.note(cobj, why)
		}
		if e != "" {
			def += " DEFAULT " + e
		}
	}
	if !col.Nullable {
		def += " NOT NULL"
	}
	return def
}

func (v *converter) generated(cobj string, col Column) string {
	e := translateExpr(col.GenerationExpr, v.c.Database, v.schema)
	if strings.TrimSpace(col.GenerationExpr) == "" || !parsesAsExpr(e) {
		v.note(cobj, "generation expression ("+col.GenerationExpr+") is not valid PostgreSQL; the column is a plain column: add GENERATED ALWAYS AS (...) STORED by hand")
		return ""
	}
	why := "generated column (" + strings.TrimSpace(col.Extra) + ") carried over as GENERATED ALWAYS AS (...) STORED; check the expression is valid, immutable PostgreSQL"
	if strings.Contains(strings.ToLower(e), "concat(") {
		why += " (concat() is not immutable in PostgreSQL: rewrite it with ||, which is NULL when an argument is NULL as MySQL's CONCAT is)"
	}
	v.note(cobj, why)
	return " GENERATED ALWAYS AS (" + e + ") STORED"
}

// identity turns AUTO_INCREMENT into an identity column that continues
// from the table's next AUTO_INCREMENT value.
func (v *converter) identity(t Table, cobj string, col Column, m mapped, def string) string {
	switch m.typ {
	case "smallint", "integer", "bigint": // bigint unsigned is bigint here (bigintKeys)
	default:
		v.note(cobj, "AUTO_INCREMENT on a "+col.ColumnType+" column cannot be an identity column; it was left out")
		return def
	}
	def += " GENERATED BY DEFAULT AS IDENTITY"
	if t.AutoIncrement > 1 {
		def += fmt.Sprintf(" (START WITH %d)", t.AutoIncrement)
	}
	return def
}

func (v *converter) indexes(t Table) {
	qt := v.rel(t.Name)
	for _, idx := range t.Indexes {
		name := t.Name + "_" + idx.Name
		iobj := "INDEX " + v.qname(name)
		qi := v.ident(iobj, name)
		switch strings.ToUpper(idx.Type) {
		case "SPATIAL":
			v.note(iobj, "SPATIAL index on ("+indexColNames(idx)+") not created: needs PostGIS (a GiST index on a geometry column)")
			continue
		case "FULLTEXT":
			parts := make([]string, len(idx.Columns))
			for i, ic := range idx.Columns {
				parts[i] = sqlname.Quote(ic.Name)
				if len(idx.Columns) > 1 {
					parts[i] = "coalesce(" + parts[i] + ", '')"
				}
			}
			v.emit(schema.Index, v.qname(name), "CREATE INDEX "+qi+" ON "+qt+" USING gin (to_tsvector('simple', "+
				strings.Join(parts, " || ' ' || ")+"))")
			v.note(iobj, "FULLTEXT index mapped to a GIN index on to_tsvector('simple', ...); MATCH ... AGAINST queries must be rewritten to use @@ with that expression")
			continue
		}
		var keys []string
		ok := true
		for _, ic := range idx.Columns {
			k := sqlname.Quote(ic.Name)
			if ic.Expression != "" {
				e := translateExpr(ic.Expression, v.c.Database, v.schema)
				if !parsesAsExpr(e) {
					v.note(iobj, "functional key part ("+ic.Expression+") is not valid PostgreSQL; index not created")
					ok = false
					break
				}
				k = parenthesize(e)
				v.note(iobj, "functional key part ("+ic.Expression+") carried over; check the expression")
			}
			if ic.SubPart != nil {
				v.note(iobj, fmt.Sprintf("prefix index on %s(%d) indexes the whole column in PostgreSQL", ic.Name, *ic.SubPart))
			}
			if ic.Desc {
				k += " DESC"
			}
			keys = append(keys, k)
		}
		if !ok {
			continue
		}
		v.emit(schema.Index, v.qname(name), "CREATE "+pick(idx.Unique, "UNIQUE ", "")+"INDEX "+qi+" ON "+qt+" ("+strings.Join(keys, ", ")+")")
	}
}

func indexColNames(idx Index) string {
	names := make([]string, len(idx.Columns))
	for i, ic := range idx.Columns {
		names[i] = ic.Name
	}
	return strings.Join(names, ", ")
}

func (v *converter) foreignKeys(t Table) {
	for _, fk := range t.ForeignKeys {
		fobj := "FOREIGN KEY " + fk.Name + " ON " + v.qname(t.Name)
		if fk.RefSchema != "" && fk.RefSchema != v.c.Database {
			v.note(fobj, "references "+fk.RefSchema+"."+fk.RefTable+" in another database; not created: add it by hand once that table is migrated")
			continue
		}
		if !v.hasUniqueKey(fk.RefTable, fk.RefColumns) {
			v.note(fobj, "referenced columns "+fk.RefTable+"("+strings.Join(fk.RefColumns, ", ")+
				") have no primary key or unique index, which PostgreSQL requires; add one or the constraint fails")
		}
		text := "ALTER TABLE " + v.rel(t.Name) + " ADD CONSTRAINT " + v.ident(fobj, fk.Name) +
			" FOREIGN KEY (" + sqlname.QuoteList(fk.Columns) + ") REFERENCES " + v.rel(fk.RefTable) +
			" (" + sqlname.QuoteList(fk.RefColumns) + ")"
		for _, r := range []struct{ on, rule string }{{"DELETE", fk.OnDelete}, {"UPDATE", fk.OnUpdate}} {
			switch rule := strings.ToUpper(strings.TrimSpace(r.rule)); rule {
			case "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT":
				text += " ON " + r.on + " " + rule
			}
		}
		v.fks = append(v.fks, v.stmt(schema.Table, v.qname(t.Name), text))
	}
}

// hasUniqueKey reports whether table has a primary key or plain unique
// index on exactly cols; true when the table is not in the catalog.
func (v *converter) hasUniqueKey(table string, cols []string) bool {
	for _, t := range v.c.Tables {
		if t.Name != table {
			continue
		}
		if sameSet(t.PrimaryKey, cols) {
			return true
		}
		for _, idx := range t.Indexes {
			if !idx.Unique || strings.EqualFold(idx.Type, "FULLTEXT") || strings.EqualFold(idx.Type, "SPATIAL") {
				continue
			}
			var names []string
			for _, ic := range idx.Columns {
				if ic.Expression != "" {
					names = nil
					break
				}
				names = append(names, ic.Name)
			}
			if sameSet(names, cols) {
				return true
			}
		}
		return false
	}
	return true
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	for _, s := range b {
		if !in[s] {
			return false
		}
	}
	return true
}

// onUpdateTrigger emulates ON UPDATE CURRENT_TIMESTAMP: like MySQL, the
// column is set when an UPDATE changes the row without assigning the column.
func (v *converter) onUpdateTrigger(t Table, cols []string) {
	name := t.Name + "_on_update_now"
	obj := "TRIGGER " + name + " ON " + v.qname(t.Name)
	var body strings.Builder
	body.WriteString("\nBEGIN\n\tIF NEW IS DISTINCT FROM OLD THEN\n")
	for _, c := range cols {
		qc := sqlname.Quote(c)
		body.WriteString("\t\tIF NEW." + qc + " IS NOT DISTINCT FROM OLD." + qc + " THEN\n\t\t\tNEW." + qc + " := now();\n\t\tEND IF;\n")
	}
	body.WriteString("\tEND IF;\n\tRETURN NEW;\nEND\n")
	tag := "$body$"
	for i := 1; strings.Contains(body.String(), tag); i++ {
		tag = fmt.Sprintf("$body%d$", i)
	}
	fn := v.rel(name)
	v.ident(obj, name)
	v.emit(schema.Function, v.qname(name), "CREATE OR REPLACE FUNCTION "+fn+"() RETURNS trigger LANGUAGE plpgsql AS "+tag+body.String()+tag)
	v.emit(schema.Trigger, name+" ON "+v.qname(t.Name), "CREATE TRIGGER "+sqlname.Quote(name)+" BEFORE UPDATE ON "+
		v.rel(t.Name)+" FOR EACH ROW EXECUTE FUNCTION "+fn+"()")
}

// views emits the views, each after the views it mentions.
func (v *converter) views() {
	texts := map[string]string{}
	pending := make([]View, 0, len(v.c.Views))
	for _, vw := range v.c.Views {
		texts[vw.Name] = "CREATE VIEW " + v.rel(vw.Name) + " AS " + translateExpr(strings.TrimSpace(vw.Definition), v.c.Database, v.schema)
		pending = append(pending, vw)
	}
	for len(pending) > 0 {
		next := 0
		for i, vw := range pending {
			blocked := false
			for j, other := range pending {
				if j != i && strings.Contains(texts[vw.Name], v.rel(other.Name)) {
					blocked = true
					break
				}
			}
			if !blocked {
				next = i
				break
			}
		}
		vw := pending[next]
		pending = append(pending[:next], pending[next+1:]...)
		v.view(vw, texts[vw.Name])
	}
}

func (v *converter) view(vw View, text string) {
	obj := "VIEW " + v.qname(vw.Name)
	v.ident(obj, vw.Name)
	if !parsesAs(text, func(n *pg_query.Node) bool { return n.GetViewStmt() != nil }) {
		v.emit(schema.View, v.qname(vw.Name), commentBlock("yb-voyager: MySQL view "+vw.Name+
			" is not valid PostgreSQL; rewrite it by hand. Original definition:", vw.Definition))
		v.note(obj, "view definition is not valid PostgreSQL; kept as a comment in "+schema.FileFor(schema.View))
		return
	}
	v.emit(schema.View, v.qname(vw.Name), text)
	v.note(obj, "view definition carried over from MySQL; check its functions and operators behave the same")
}

// routines keeps procedures, functions and triggers as comments for
// manual conversion to PL/pgSQL.
func (v *converter) routines() {
	for _, r := range v.c.Routines {
		typ := schema.Procedure
		if strings.EqualFold(r.Type, "FUNCTION") {
			typ = schema.Function
		}
		v.emit(typ, v.qname(r.Name), commentBlock("yb-voyager: MySQL "+strings.ToLower(string(typ))+" "+r.Name+
			" must be rewritten in PL/pgSQL. Original definition:", r.Definition))
		v.note(string(typ)+" "+v.qname(r.Name), "not converted; its MySQL definition is kept as a comment in "+schema.FileFor(typ))
	}
	for _, tr := range v.c.Triggers {
		def := fmt.Sprintf("CREATE TRIGGER %s %s %s ON %s FOR EACH ROW\n%s", backtick(tr.Name), tr.Timing, tr.Event,
			backtick(tr.Table), tr.Statement)
		v.emit(schema.Trigger, tr.Name+" ON "+v.qname(tr.Table), commentBlock("yb-voyager: MySQL trigger "+tr.Name+
			" must be rewritten as a PL/pgSQL trigger function and trigger. Original definition:", def))
		v.note("TRIGGER "+tr.Name+" ON "+v.qname(tr.Table), "not converted; its MySQL definition is kept as a comment in "+schema.FileFor(schema.Trigger))
	}
}
