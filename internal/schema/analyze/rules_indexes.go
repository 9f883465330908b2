package analyze

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// indexRules check CREATE INDEX statements and index-backed constraints.
var indexRules = []rule{
	{
		ID: "CONCURRENT_INDEX", Category: MigrationCaveat,
		Reason:     "CREATE INDEX CONCURRENTLY is not accepted in every YugabyteDB context (e.g. inside a transaction block) and gains nothing when the schema is imported into empty tables; YugabyteDB builds indexes online by default.",
		Suggestion: "Remove CONCURRENTLY.",
		Doc:        "create-index-concurrently-is-not-supported",
		Check: func(_ *checkCtx, st schema.Statement) []finding {
			return once(st.Node.GetIndexStmt().GetConcurrent())
		},
	},
	{
		ID: "UNSUPPORTED_INDEX_METHOD", Category: UnsupportedFeature,
		Reason:     "GiST, BRIN and SP-GiST indexes are not supported.",
		Suggestion: "Drop the index, or use a btree (LSM) or GIN index where one serves the same queries.",
		Doc:        "gist-brin-and-spgist-index-types-are-not-supported",
		Check:      checkIndexMethod,
	},
	{
		ID: "MULTI_COLUMN_GIN_INDEX", Category: UnsupportedFeature,
		Reason:     "GIN indexes on more than one column are not supported.",
		Suggestion: "Create one GIN index per column.",
		Doc:        "gin-indexes-on-multiple-columns-are-not-supported",
		Check: ginCheck(func(ix *pg_query.IndexStmt) bool {
			return len(ix.IndexParams) > 1
		}),
	},
	{
		ID: "ORDERED_GIN_INDEX", Category: UnsupportedFeature,
		Reason:     "GIN indexes with ASC/DESC ordering are not supported.",
		Suggestion: "Remove ASC/DESC from the GIN index columns.",
		Doc:        "issue-in-some-unsupported-cases-of-gin-indexes",
		Check: ginCheck(func(ix *pg_query.IndexStmt) bool {
			for _, e := range indexElems(ix.IndexParams) {
				if e.asc || e.desc {
					return true
				}
			}
			return false
		}),
	},
	{
		ID: "INDEX_ON_COMPLEX_DATATYPE", Category: UnsupportedFeature,
		Reason:     "A btree (LSM) index on a column of this type is not supported: YugabyteDB cannot order its values.",
		Suggestion: "Index an expression of a sortable type instead (e.g. (col::text), (col->>'key') or md5(col::text)), or use a GIN index where the type has one.",
		Doc:        "indexes-on-some-complex-data-types-are-not-supported",
		Check:      checkIndexOnComplexType,
	},
	{
		ID: "PK_UK_ON_COMPLEX_DATATYPE", Category: UnsupportedFeature,
		Reason:     "A primary key or unique constraint on a column of this type is not supported: YugabyteDB cannot order its values.",
		Suggestion: "Key the table on another column (or a generated/hashed text column such as md5(col::text)) and drop this constraint.",
		Doc:        "indexes-on-some-complex-data-types-are-not-supported",
		Check:      checkKeyOnComplexType,
	},
}

var unsupportedIndexMethods = setOf("gist", "brin", "spgist")

func checkIndexMethod(_ *checkCtx, st schema.Statement) []finding {
	ix := st.Node.GetIndexStmt()
	if ix == nil || !unsupportedIndexMethods[accessMethod(ix)] {
		return nil
	}
	return []finding{{Detail: fmt.Sprintf("Access method: %s.", accessMethod(ix))}}
}

func ginCheck(match func(*pg_query.IndexStmt) bool) func(*checkCtx, schema.Statement) []finding {
	return func(_ *checkCtx, st schema.Statement) []finding {
		ix := st.Node.GetIndexStmt()
		return once(ix != nil && accessMethod(ix) == "gin" && match(ix))
	}
}

// unorderedTypes cannot be btree (LSM) index keys in YugabyteDB; arrays and
// composite/range types declared in the schema cannot either.
var unorderedTypes = setOf(
	"json", "jsonb", "xml", "citext", "tsvector", "tsquery", "inet", "cidr", "macaddr", "macaddr8",
	"bit", "varbit", "interval", "daterange", "tsrange", "tstzrange", "numrange", "int4range", "int8range",
	"point", "line", "lseg", "box", "path", "polygon", "circle", "pg_lsn", "txid_snapshot",
)

// unordered describes why a column cannot be a btree key, or "".
func (c *checkCtx) unordered(tbl, col string) string {
	cl := c.column(tbl, col)
	switch {
	case cl == nil:
		return ""
	case cl.array:
		return cl.typ + "[] (array)"
	case unorderedTypes[cl.typ]:
		return cl.typ
	case c.complex[cl.typ]:
		return cl.typ + " (user-defined composite or range type)"
	}
	return ""
}

func checkIndexOnComplexType(c *checkCtx, st schema.Statement) []finding {
	ix := st.Node.GetIndexStmt()
	if ix == nil || (accessMethod(ix) != "btree" && accessMethod(ix) != "hash") {
		return nil
	}
	var out []finding
	for _, e := range indexElems(ix.IndexParams) {
		if why := c.unordered(tableKey(ix.Relation), e.col); e.col != "" && why != "" {
			out = append(out, finding{Key: e.col, Detail: fmt.Sprintf("Column %s has type %s.", e.col, why)})
		}
	}
	return out
}

func checkKeyOnComplexType(c *checkCtx, st schema.Statement) []finding {
	tbl, cons := constraintsOf(st)
	var out []finding
	for _, k := range cons {
		if !k.is(pk, unique) {
			continue
		}
		for _, col := range k.cols {
			if why := c.unordered(tbl, col); why != "" {
				out = append(out, finding{Key: col,
					Detail: fmt.Sprintf("Constraint %s: column %s has type %s.", k.name(), col, why)})
			}
		}
	}
	return out
}
