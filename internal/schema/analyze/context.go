package analyze

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// checkCtx is what the whole-schema pass learns before any rule runs: the
// tables with their column types, which tables are partitioned, and every
// index, primary key and unique constraint per table. Rules only read it.
type checkCtx struct {
	tables  map[string]*table
	indexes map[string][]*index // by table key
	domains map[string]column   // domain name -> base type
	complex map[string]bool     // composite and range types declared in the schema
}

type table struct {
	cols        map[string]*column
	partitioned bool
	parent      string // partitions: the partitioned table
}

type column struct {
	typ   string // unqualified, lower case; domains resolved
	array bool
	seq   bool // serial, identity, DEFAULT nextval(...) or a sequence OWNED BY it
}

// index is a CREATE INDEX or an index-backed constraint (PRIMARY KEY, UNIQUE).
type index struct {
	name       string
	method     string
	elems      []indexElem
	include    []string
	unique     bool
	constraint bool
	partial    bool
	pos        int // statement position, to tell which of two duplicates came first
	node       any // the IndexStmt or Constraint, to find a statement's own entry
}

func newCheckCtx(stmts []schema.Statement) *checkCtx {
	c := &checkCtx{tables: map[string]*table{}, indexes: map[string][]*index{},
		domains: map[string]column{}, complex: map[string]bool{}}
	for _, st := range stmts {
		c.collectType(st)
	}
	for i, st := range stmts {
		c.collectTable(st)
		c.collectIndexes(i, st)
	}
	return c
}

func (c *checkCtx) table(key string) *table {
	t := c.tables[key]
	if t == nil {
		t = &table{cols: map[string]*column{}}
		c.tables[key] = t
	}
	return t
}

func (c *checkCtx) collectType(st schema.Statement) {
	switch {
	case st.Node.GetCreateDomainStmt() != nil:
		d := st.Node.GetCreateDomainStmt()
		names := strs(d.Domainname)
		typ, arr := typeOf(d.TypeName)
		c.domains[strings.ToLower(names[len(names)-1])] = column{typ: typ, array: arr}
	case st.Node.GetCompositeTypeStmt() != nil:
		c.complex[strings.ToLower(st.Node.GetCompositeTypeStmt().Typevar.GetRelname())] = true
	case st.Node.GetCreateRangeStmt() != nil:
		names := strs(st.Node.GetCreateRangeStmt().TypeName)
		c.complex[strings.ToLower(names[len(names)-1])] = true
	}
}

// resolve follows domains down to their base type.
func (c *checkCtx) resolve(typ string, array bool) (string, bool) {
	for i := 0; i < 10; i++ {
		d, ok := c.domains[typ]
		if !ok {
			break
		}
		typ, array = d.typ, array || d.array
	}
	return typ, array
}

var serialTypes = map[string]bool{"serial": true, "serial4": true, "bigserial": true,
	"serial8": true, "smallserial": true, "serial2": true}

func (c *checkCtx) collectTable(st schema.Statement) {
	if cs := st.Node.GetCreateStmt(); cs != nil {
		t := c.table(tableKey(cs.Relation))
		t.partitioned = cs.Partspec != nil
		if cs.Partbound != nil && len(cs.InhRelations) > 0 {
			t.parent = tableKey(cs.InhRelations[0].GetRangeVar())
		}
	}
	name := ""
	if cs := st.Node.GetCreateStmt(); cs != nil {
		name = tableKey(cs.Relation)
	} else if ft := st.Node.GetCreateForeignTableStmt(); ft != nil {
		name = tableKey(ft.BaseStmt.GetRelation())
	} else if at := alterTable(st); at != nil {
		name = tableKey(at.Relation)
	}
	for _, cd := range columnsOf(st) {
		c.addColumn(name, cd)
	}
	if at := alterTable(st); at != nil {
		c.collectAlter(tableKey(at.Relation), at)
	}
	c.collectOwnedBy(st)
}

func (c *checkCtx) addColumn(tbl string, cd *pg_query.ColumnDef) {
	typ, arr := c.resolve(typeOf(cd.TypeName))
	col := &column{typ: typ, array: arr, seq: serialTypes[typ] || isNextval(cd.RawDefault)}
	for _, n := range cd.Constraints {
		k := n.GetConstraint()
		if k.GetContype() == pg_query.ConstrType_CONSTR_IDENTITY ||
			(k.GetContype() == pg_query.ConstrType_CONSTR_DEFAULT && isNextval(k.RawExpr)) {
			col.seq = true
		}
	}
	c.table(tbl).cols[cd.Colname] = col
}

// collectAlter records what pg_dump splits out of CREATE TABLE: column
// defaults and identities, type changes and attached partitions.
func (c *checkCtx) collectAlter(tbl string, at *pg_query.AlterTableStmt) {
	t := c.table(tbl)
	for _, cmd := range alterCmds(at) {
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_ColumnDefault:
			if isNextval(cmd.Def) {
				c.colOrNew(t, cmd.Name).seq = true
			}
		case pg_query.AlterTableType_AT_AddIdentity:
			c.colOrNew(t, cmd.Name).seq = true
		case pg_query.AlterTableType_AT_AlterColumnType:
			typ, arr := c.resolve(typeOf(cmd.Def.GetColumnDef().GetTypeName()))
			col := c.colOrNew(t, cmd.Name)
			col.typ, col.array = typ, arr
		case pg_query.AlterTableType_AT_AttachPartition:
			if rv := cmd.Def.GetPartitionCmd().GetName(); rv != nil {
				c.table(tableKey(rv)).parent = tbl
			}
		}
	}
}

func (c *checkCtx) colOrNew(t *table, name string) *column {
	if t.cols[name] == nil {
		t.cols[name] = &column{}
	}
	return t.cols[name]
}

// collectOwnedBy marks the column a sequence is OWNED BY as sequence-backed.
func (c *checkCtx) collectOwnedBy(st schema.Statement) {
	var opts []*pg_query.Node
	if s := st.Node.GetCreateSeqStmt(); s != nil {
		opts = s.Options
	} else if s := st.Node.GetAlterSeqStmt(); s != nil {
		opts = s.Options
	}
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || d.Defname != "owned_by" {
			continue
		}
		parts := strs(d.Arg.GetList().GetItems())
		if len(parts) >= 2 { // OWNED BY NONE is one part
			c.colOrNew(c.table(keyOf(parts[:len(parts)-1])), parts[len(parts)-1]).seq = true
		}
	}
}

func (c *checkCtx) collectIndexes(pos int, st schema.Statement) {
	if ix := st.Node.GetIndexStmt(); ix != nil {
		key := tableKey(ix.Relation)
		_, name := describe(st)
		c.indexes[key] = append(c.indexes[key], &index{name: name, method: accessMethod(ix),
			elems: indexElems(ix.IndexParams), include: includeCols(ix.IndexIncludingParams),
			unique: ix.Unique || ix.Primary, partial: ix.WhereClause != nil, pos: pos, node: ix})
		return
	}
	tbl, cons := constraintsOf(st)
	for _, k := range cons {
		if !k.is(pk, unique) || len(k.cols) == 0 {
			continue
		}
		elems := make([]indexElem, len(k.cols))
		for i, col := range k.cols {
			elems[i] = indexElem{col: col}
		}
		c.indexes[tbl] = append(c.indexes[tbl], &index{name: k.name(), method: "btree", elems: elems,
			include: strs(k.con.Including), unique: true, constraint: true, pos: pos, node: k.con})
	}
}

func includeCols(nodes []*pg_query.Node) []string {
	var out []string
	for _, e := range indexElems(nodes) {
		out = append(out, e.col)
	}
	return out
}

// column finds a column of a table, looking through partitions' parents.
func (c *checkCtx) column(tbl, name string) *column {
	for i := 0; i < 10 && tbl != ""; i++ {
		t := c.tables[tbl]
		if t == nil {
			return nil
		}
		if col := t.cols[name]; col != nil {
			return col
		}
		tbl = t.parent
	}
	return nil
}

// indexesOn are the indexes of a table, including those of its partitioned
// parents (which every partition gets).
func (c *checkCtx) indexesOn(tbl string) []*index {
	var out []*index
	for i := 0; i < 10 && tbl != ""; i++ {
		out = append(out, c.indexes[tbl]...)
		t := c.tables[tbl]
		if t == nil {
			break
		}
		tbl = t.parent
	}
	return out
}

func (c *checkCtx) partitioned(tbl string) bool {
	t := c.tables[tbl]
	return t != nil && t.partitioned
}
