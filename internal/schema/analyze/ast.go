package analyze

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// strs returns the values of the String nodes among nodes (a name list).
func strs(nodes []*pg_query.Node) []string {
	var out []string
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

// tableKey names a relation for lookups: schema.name, with "public" for an
// unqualified name (pg_dump always qualifies; hand-written files may not).
func tableKey(rv *pg_query.RangeVar) string {
	if rv == nil {
		return ""
	}
	s := rv.Schemaname
	if s == "" {
		s = "public"
	}
	return s + "." + rv.Relname
}

// keyOf turns a qualified name list ([schema,] name) into a tableKey.
func keyOf(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return "public." + parts[0]
	}
	return parts[len(parts)-2] + "." + parts[len(parts)-1]
}

// typeOf is the unqualified, lower-case name of a type and whether it is an
// array: ["pg_catalog","int4"] -> "int4"; "public.geometry(Point)" -> "geometry".
func typeOf(tn *pg_query.TypeName) (string, bool) {
	if tn == nil {
		return "", false
	}
	names := strs(tn.Names)
	if len(names) == 0 {
		return "", false
	}
	return strings.ToLower(names[len(names)-1]), len(tn.ArrayBounds) > 0
}

// isNextval reports whether a default expression is nextval(...), possibly cast.
func isNextval(n *pg_query.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		return isNextval(tc.Arg)
	}
	fc := n.GetFuncCall()
	if fc == nil {
		return false
	}
	names := strs(fc.Funcname)
	return len(names) > 0 && strings.EqualFold(names[len(names)-1], "nextval")
}

// keyCon is a PRIMARY KEY, UNIQUE, EXCLUDE, FOREIGN KEY or CHECK constraint,
// table- or column-level, from CREATE TABLE or ALTER TABLE ... ADD CONSTRAINT.
type keyCon struct {
	con        *pg_query.Constraint
	cols       []string // key columns (FK: the referencing columns)
	deferrable bool
	alter      bool // added by ALTER TABLE
}

// name is the constraint's name and columns ("orders_pkey (id)"), or its
// kind and columns when it has no name ("PRIMARY KEY (id)").
func (k keyCon) name() string {
	n := k.con.Conname
	if n == "" {
		n = conKinds[k.con.Contype]
	}
	return n + " (" + strings.Join(k.cols, ", ") + ")"
}

var conKinds = map[pg_query.ConstrType]string{
	pk: "PRIMARY KEY", unique: "UNIQUE", excl: "EXCLUDE", fk: "FOREIGN KEY",
	pg_query.ConstrType_CONSTR_CHECK: "CHECK",
}

func (k keyCon) is(types ...pg_query.ConstrType) bool {
	for _, t := range types {
		if k.con.Contype == t {
			return true
		}
	}
	return false
}

var (
	pk     = pg_query.ConstrType_CONSTR_PRIMARY
	unique = pg_query.ConstrType_CONSTR_UNIQUE
	excl   = pg_query.ConstrType_CONSTR_EXCLUSION
	fk     = pg_query.ConstrType_CONSTR_FOREIGN
)

// constraintsOf returns the table a statement defines or alters and the
// constraints it adds.
func constraintsOf(st schema.Statement) (string, []keyCon) {
	if cs := st.Node.GetCreateStmt(); cs != nil {
		return tableKey(cs.Relation), createConstraints(cs)
	}
	at := alterTable(st)
	if at == nil {
		return "", nil
	}
	var out []keyCon
	for _, cmd := range alterCmds(at) {
		if c := cmd.GetDef().GetConstraint(); c != nil && cmd.Subtype == pg_query.AlterTableType_AT_AddConstraint {
			k := tableConstraint(c)
			k.alter = true
			out = append(out, k)
		}
	}
	return tableKey(at.Relation), out
}

func createConstraints(cs *pg_query.CreateStmt) []keyCon {
	var out []keyCon
	for _, e := range cs.TableElts {
		if cd := e.GetColumnDef(); cd != nil {
			out = append(out, columnConstraints(cd)...)
		} else if c := e.GetConstraint(); c != nil {
			out = append(out, tableConstraint(c))
		}
	}
	for _, n := range cs.Constraints {
		if c := n.GetConstraint(); c != nil {
			out = append(out, tableConstraint(c))
		}
	}
	return out
}

func tableConstraint(c *pg_query.Constraint) keyCon {
	k := keyCon{con: c, deferrable: c.Deferrable}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_FOREIGN:
		k.cols = strs(c.FkAttrs)
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		for _, ex := range c.Exclusions {
			if items := ex.GetList().GetItems(); len(items) > 0 {
				k.cols = append(k.cols, items[0].GetIndexElem().GetName())
			}
		}
	default:
		k.cols = strs(c.Keys)
	}
	return k
}

// columnConstraints are a column's key constraints; in the raw parse tree a
// column constraint's DEFERRABLE is a separate attribute node that follows it.
func columnConstraints(cd *pg_query.ColumnDef) []keyCon {
	var out []keyCon
	for _, n := range cd.Constraints {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE:
			if len(out) > 0 {
				out[len(out)-1].deferrable = true
			}
		case pk, unique, fk, pg_query.ConstrType_CONSTR_CHECK:
			out = append(out, keyCon{con: c, cols: []string{cd.Colname}, deferrable: c.Deferrable})
		}
	}
	return out
}

// columnsOf are the column definitions of CREATE TABLE / CREATE FOREIGN TABLE
// and of ALTER TABLE ... ADD COLUMN.
func columnsOf(st schema.Statement) []*pg_query.ColumnDef {
	var out []*pg_query.ColumnDef
	cs := st.Node.GetCreateStmt()
	if ft := st.Node.GetCreateForeignTableStmt(); ft != nil {
		cs = ft.BaseStmt
	}
	if cs != nil {
		for _, e := range cs.TableElts {
			if cd := e.GetColumnDef(); cd != nil {
				out = append(out, cd)
			}
		}
	}
	for _, cmd := range alterCmds(alterTable(st)) {
		if cd := cmd.GetDef().GetColumnDef(); cd != nil && cmd.Subtype == pg_query.AlterTableType_AT_AddColumn {
			out = append(out, cd)
		}
	}
	return out
}

// alterTable is the statement's ALTER TABLE node (tables only, not indexes,
// views, sequences ...), or nil.
func alterTable(st schema.Statement) *pg_query.AlterTableStmt {
	at := st.Node.GetAlterTableStmt()
	if at == nil || at.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return nil
	}
	return at
}

func alterCmds(at *pg_query.AlterTableStmt) []*pg_query.AlterTableCmd {
	if at == nil {
		return nil
	}
	var out []*pg_query.AlterTableCmd
	for _, c := range at.Cmds {
		if cmd := c.GetAlterTableCmd(); cmd != nil {
			out = append(out, cmd)
		}
	}
	return out
}

// indexElem describes one key element of an index: its column ("" for an
// expression) and its ordering.
type indexElem struct {
	col  string
	desc bool
	asc  bool
}

func indexElems(nodes []*pg_query.Node) []indexElem {
	var out []indexElem
	for _, n := range nodes {
		ie := n.GetIndexElem()
		if ie == nil {
			continue
		}
		out = append(out, indexElem{
			col:  ie.Name,
			desc: ie.Ordering == pg_query.SortByDir_SORTBY_DESC,
			asc:  ie.Ordering == pg_query.SortByDir_SORTBY_ASC,
		})
	}
	return out
}

// accessMethod of an index, "btree" when none is given.
func accessMethod(ix *pg_query.IndexStmt) string {
	if ix.AccessMethod == "" {
		return "btree"
	}
	return strings.ToLower(ix.AccessMethod)
}
