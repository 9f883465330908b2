package analyze

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// tableRules check table definitions: constraints, inheritance, generated
// columns, column data types and ALTER TABLE variants.
var tableRules = []rule{
	{
		ID: "ALTER_TABLE_ADD_PK_ON_PARTITIONED_TABLE", Category: UnsupportedFeature,
		Reason:     "Adding a primary key to a partitioned table with ALTER TABLE is not supported.",
		Suggestion: "Put the PRIMARY KEY in the partitioned table's CREATE TABLE statement and remove this ALTER TABLE.",
		Doc:        "adding-primary-key-to-a-partitioned-table-results-in-an-error",
		Check:      checkPKOnPartitioned,
	},
	{
		ID: "EXCLUSION_CONSTRAINTS", Category: UnsupportedFeature,
		Reason:     "Exclusion constraints are not supported.",
		Suggestion: "Drop the constraint and enforce the rule in the application or with a trigger.",
		Doc:        "exclusion-constraints-is-not-supported",
		Check:      constraintCheck(func(k keyCon) bool { return k.is(excl) }),
	},
	{
		ID: "DEFERRABLE_CONSTRAINTS", Category: UnsupportedFeature,
		Reason:     "DEFERRABLE primary key and unique constraints are not supported (deferrable foreign keys are).",
		Suggestion: "Remove DEFERRABLE / INITIALLY DEFERRED from the constraint, and make sure the application never violates it mid-transaction.",
		Doc:        "deferrable-constraint-on-constraints-other-than-foreign-keys-is-not-supported",
		Check:      constraintCheck(func(k keyCon) bool { return k.is(pk, unique) && k.deferrable }),
	},
	{
		ID: "INHERITANCE", Category: UnsupportedFeature,
		Reason:     "Table inheritance (INHERITS) is not supported.",
		Suggestion: "Redesign without inheritance: declarative partitioning, or separate tables (and a UNION ALL view) with the parent's columns copied.",
		Doc:        "table-inheritance-is-not-supported",
		Check:      checkInheritance,
	},
	{
		ID: "STORED_GENERATED_COLUMNS", Category: UnsupportedFeature,
		Reason:     "Stored generated columns (GENERATED ALWAYS AS (...) STORED) are not supported before YugabyteDB 2.25.",
		Suggestion: "Make it a plain column and fill it with a BEFORE INSERT OR UPDATE trigger that computes the expression.",
		Doc:        "generated-always-as-stored-type-column-is-not-supported",
		Check:      checkGenerated,
	},
	typeRule("XML_DATATYPE", "The xml data type is not supported.",
		"Use text instead, and parse the XML in the application.", "data-ingestion-on-xml-data-type-is-not-supported", "xml"),
	typeRule("XID_DATATYPE", "Transaction-id types (xid, txid_snapshot) are not supported.",
		"Use bigint or text, or drop the column: transaction ids of the source are meaningless on YugabyteDB.",
		"xid-functions-is-not-supported", "xid", "xid8", "txid_snapshot", "pg_snapshot"),
	typeRule("LARGE_OBJECT_DATATYPE", "Large objects (the lo type) are not supported.",
		"Store the content in a bytea column instead.", "large-objects-and-its-functions-are-currently-not-supported", "lo"),
	typeRule("POSTGIS_DATATYPE", "PostGIS types (geometry, geography, ...) are not supported.",
		"Store the values as text (WKT) or bytea (WKB), or keep spatial data outside YugabyteDB.",
		"unsupported-datatypes-by-yugabytedb", "geometry", "geography", "box2d", "box3d", "raster"),
	typeRule("MULTIRANGE_DATATYPE", "Multirange types are not supported before YugabyteDB 2.25.",
		"Use an array of the corresponding range type (e.g. int4range[]) instead.", "postgresql-12-and-later-features",
		"int4multirange", "int8multirange", "nummultirange", "datemultirange", "tsmultirange", "tstzmultirange", "anymultirange"),
	alterRule("ALTER_TABLE_CLUSTER_ON", "ALTER TABLE ... CLUSTER ON is not supported: YugabyteDB keeps rows ordered by primary key.",
		"Remove the statement; if the order matters, make the clustering columns the leading (ASC) columns of the primary key.",
		pg_query.AlterTableType_AT_ClusterOn),
	alterRule("ALTER_TABLE_RULE", "ALTER TABLE ... ENABLE/DISABLE RULE is not supported.",
		"Remove the statement; drop the rule (or leave it out of the schema) if it is meant to be disabled.",
		pg_query.AlterTableType_AT_EnableRule, pg_query.AlterTableType_AT_EnableAlwaysRule,
		pg_query.AlterTableType_AT_EnableReplicaRule, pg_query.AlterTableType_AT_DisableRule),
	alterRule("ALTER_TABLE_SET_WITHOUT_OIDS", "ALTER TABLE ... SET WITHOUT OIDS is not supported.",
		"Remove the statement: tables have no OIDs in YugabyteDB.", pg_query.AlterTableType_AT_DropOids),
	alterRule("ALTER_TABLE_SET_COLUMN_ATTRIBUTE", "ALTER TABLE ... ALTER COLUMN ... SET/RESET (attribute = value) is not supported.",
		"Remove the statement; planner attributes such as n_distinct have no effect on YugabyteDB.",
		pg_query.AlterTableType_AT_SetOptions, pg_query.AlterTableType_AT_ResetOptions),
	alterRule("ALTER_TABLE_ALTER_CONSTRAINT", "ALTER TABLE ... ALTER CONSTRAINT is not supported.",
		"Declare the constraint with the wanted attributes where it is created, and remove this statement.",
		pg_query.AlterTableType_AT_AlterConstraint),
}

func checkPKOnPartitioned(c *checkCtx, st schema.Statement) []finding {
	tbl, cons := constraintsOf(st)
	for _, k := range cons {
		if k.alter && k.is(pk) && c.partitioned(tbl) {
			return []finding{{}}
		}
	}
	return nil
}

// constraintCheck finds the constraints of a statement that match.
func constraintCheck(match func(keyCon) bool) func(*checkCtx, schema.Statement) []finding {
	return func(_ *checkCtx, st schema.Statement) []finding {
		_, cons := constraintsOf(st)
		var out []finding
		for _, k := range cons {
			if match(k) {
				out = append(out, finding{Key: k.name(), Detail: fmt.Sprintf("Constraint: %s.", k.name())})
			}
		}
		return out
	}
}

func checkInheritance(_ *checkCtx, st schema.Statement) []finding {
	if cs := st.Node.GetCreateStmt(); cs != nil {
		return once(len(cs.InhRelations) > 0 && cs.Partbound == nil) // PARTITION OF also fills InhRelations
	}
	return once(hasAlterCmd(st, pg_query.AlterTableType_AT_AddInherit))
}

func checkGenerated(_ *checkCtx, st schema.Statement) []finding {
	var out []finding
	for _, cd := range columnsOf(st) {
		for _, n := range cd.Constraints {
			if n.GetConstraint().GetContype() == pg_query.ConstrType_CONSTR_GENERATED {
				out = append(out, finding{Key: cd.Colname, Detail: fmt.Sprintf("Column: %s.", cd.Colname)})
			}
		}
	}
	return out
}

// typeRule reports columns (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE) of
// the given types, arrays of them and domains over them.
func typeRule(id, reason, suggestion, doc string, types ...string) rule {
	set := setOf(types...)
	return rule{ID: id, Category: UnsupportedDatatype, Reason: reason, Suggestion: suggestion, Doc: doc,
		Check: func(c *checkCtx, st schema.Statement) []finding {
			var out []finding
			for _, col := range typedColumns(c, st) {
				if set[col.typ] {
					out = append(out, finding{Key: col.name, Detail: fmt.Sprintf("Column %s has type %s.", col.name, col.typ)})
				}
			}
			return out
		}}
}

type namedType struct {
	name, typ string
	array     bool
}

// typedColumns are the columns a statement declares or retypes, with
// domains resolved to their base type.
func typedColumns(c *checkCtx, st schema.Statement) []namedType {
	var out []namedType
	add := func(name string, tn *pg_query.TypeName) {
		typ, arr := c.resolve(typeOf(tn))
		out = append(out, namedType{name: name, typ: typ, array: arr})
	}
	for _, cd := range columnsOf(st) {
		add(cd.Colname, cd.TypeName)
	}
	for _, cmd := range alterCmds(alterTable(st)) {
		if cmd.Subtype == pg_query.AlterTableType_AT_AlterColumnType {
			add(cmd.Name, cmd.Def.GetColumnDef().GetTypeName())
		}
	}
	return out
}

// alterRule reports ALTER TABLE statements with any of the given subcommands.
func alterRule(id, reason, suggestion string, subtypes ...pg_query.AlterTableType) rule {
	return rule{ID: id, Category: UnsupportedFeature, Reason: reason, Suggestion: suggestion,
		Doc: "unsupported-alter-table-ddl-variants-in-source-schema",
		Check: func(_ *checkCtx, st schema.Statement) []finding {
			return once(hasAlterCmd(st, subtypes...))
		}}
}

func hasAlterCmd(st schema.Statement, subtypes ...pg_query.AlterTableType) bool {
	for _, cmd := range alterCmds(alterTable(st)) {
		for _, t := range subtypes {
			if cmd.Subtype == t {
				return true
			}
		}
	}
	return false
}

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}
