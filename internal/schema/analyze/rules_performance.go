package analyze

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// performanceRules are hints: the schema works on YugabyteDB but may be slow.
var performanceRules = []rule{
	{
		ID: "HOTSPOTS_ON_MONOTONIC_KEY", Category: PerformanceHint,
		Reason: "The leading key column only ever increases. If the index or key is range-sharded in YugabyteDB " +
			"(ASC/DESC keys, colocated tables, or range sharding as the default) every insert goes to the last tablet: a write hotspot.",
		Suggestion: "Hash-shard the leading column (e.g. PRIMARY KEY (id HASH), CREATE INDEX ... (created_at HASH)), or, " +
			"when range scans are needed, lead with a bucket column: (bucket HASH, created_at ASC) with bucket = a hash of another column modulo N.",
		Doc:   "hotspots-with-range-sharded-timestamp-date-indexes",
		Check: checkHotspots,
	},
	{
		ID: "MISSING_FOREIGN_KEY_INDEX", Category: PerformanceHint,
		Reason: "No index, primary key or unique constraint on the referencing table starts with the foreign key's columns, " +
			"so every update or delete of a referenced row scans this table.",
		Suggestion: "Create an index on the foreign key columns, e.g. CREATE INDEX ON <table> (<fk columns>).",
		Doc:        "missing-foreign-key-indexes",
		Check:      checkForeignKeyIndex,
	},
	{
		ID: "REDUNDANT_INDEXES", Category: PerformanceHint,
		Reason:     "The index's key columns are a leading prefix of another index on the same table, which serves the same lookups; it only slows down writes.",
		Suggestion: "Drop this index.",
		Doc:        "redundant-indexes",
		Check:      checkRedundantIndex,
	},
}

var timeTypes = setOf("timestamp", "timestamptz", "date")

// monotonic tells why a column's values keep increasing, or "".
func (c *checkCtx) monotonic(tbl, col string) string {
	cl := c.column(tbl, col)
	switch {
	case cl == nil || cl.array:
		return ""
	case timeTypes[cl.typ]:
		return fmt.Sprintf("has type %s", cl.typ)
	case cl.seq:
		return "is filled from a sequence (serial, identity or nextval)"
	}
	return ""
}

func checkHotspots(c *checkCtx, st schema.Statement) []finding {
	var out []finding
	add := func(key, name, col, tbl string) {
		if why := c.monotonic(tbl, col); col != "" && why != "" {
			out = append(out, finding{Key: key, Detail: fmt.Sprintf("%s: leading column %s %s.", name, col, why)})
		}
	}
	if ix := st.Node.GetIndexStmt(); ix != nil {
		if elems := indexElems(ix.IndexParams); accessMethod(ix) == "btree" && len(elems) > 0 {
			add("", "Index "+st.Name, elems[0].col, tableKey(ix.Relation))
		}
		return out
	}
	tbl, cons := constraintsOf(st)
	for _, k := range cons {
		if k.is(pk, unique) && len(k.cols) > 0 {
			add(k.name(), "Constraint "+k.name(), k.cols[0], tbl)
		}
	}
	return out
}

func checkForeignKeyIndex(c *checkCtx, st schema.Statement) []finding {
	tbl, cons := constraintsOf(st)
	var out []finding
	for _, k := range cons {
		if !k.is(fk) || len(k.cols) == 0 || c.coveredBy(tbl, k.cols) {
			continue
		}
		out = append(out, finding{Key: k.name(),
			Detail: fmt.Sprintf("Foreign key: %s.", k.name())})
	}
	return out
}

// coveredBy reports whether some usable index of the table leads with cols
// (in any order).
func (c *checkCtx) coveredBy(tbl string, cols []string) bool {
	want := setOf(cols...)
	for _, ix := range c.indexesOn(tbl) {
		if ix.partial || (ix.method != "btree" && ix.method != "hash") || len(ix.elems) < len(cols) {
			continue
		}
		if sameSet(ix.elems[:len(cols)], want) {
			return true
		}
	}
	return false
}

// sameSet reports whether the elements' columns are exactly the set want.
func sameSet(elems []indexElem, want map[string]bool) bool {
	got := map[string]bool{}
	for _, e := range elems {
		if !want[e.col] {
			return false
		}
		got[e.col] = true
	}
	return len(got) == len(want)
}

func checkRedundantIndex(c *checkCtx, st schema.Statement) []finding {
	ix := st.Node.GetIndexStmt()
	if ix == nil {
		return nil
	}
	all := c.indexes[tableKey(ix.Relation)]
	var self *index
	for _, o := range all {
		if o.node == any(ix) {
			self = o
		}
	}
	if self == nil || self.unique || self.partial || hasExpr(self) {
		return nil
	}
	for _, o := range all {
		if o != self && redundantWith(self, o) {
			return []finding{{Detail: fmt.Sprintf("Covered by %s (%s).", o.name, elemList(o))}}
		}
	}
	return nil
}

// redundantWith reports whether index a is not needed given index b: same
// access method, a's keys a leading prefix of b's (same order and direction),
// a's INCLUDE columns available in b. Of two identical plain indexes only
// the later one is redundant.
func redundantWith(a, b *index) bool {
	if a.method != b.method || b.partial || len(a.elems) > len(b.elems) {
		return false
	}
	for i, e := range a.elems {
		if b.elems[i].col != e.col || b.elems[i].desc != e.desc {
			return false
		}
	}
	if len(a.elems) == len(b.elems) && !b.unique && b.pos > a.pos {
		return false
	}
	have := setOf(b.include...)
	for _, e := range b.elems {
		have[e.col] = true
	}
	for _, col := range a.include {
		if !have[col] {
			return false
		}
	}
	return true
}

func hasExpr(ix *index) bool {
	for _, e := range ix.elems {
		if e.col == "" {
			return true
		}
	}
	return false
}

func elemList(ix *index) string {
	cols := make([]string, len(ix.elems))
	for i, e := range ix.elems {
		cols[i] = e.col
		if e.desc {
			cols[i] += " DESC"
		}
	}
	return strings.Join(cols, ", ")
}
