package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// outerJoins turns a block's (+) conditions into LEFT JOINs (see
// translate_query.go). Only the plain form is taken: FROM a comma list of
// tables, and each (+) in a top-level AND-ed condition column(+) = column
// of another table (or a literal), on one side. The other conditions stay
// in WHERE: Oracle applies them after the join too, so a condition on the
// outer table without (+) still drops the rows it null-extended.
// A (+) query in a set operation is refused: it is most often two outer
// joins standing for a FULL JOIN, which the DBA should write as one.
func (q *query) outerJoins(b block) ([]edit, bool) {
	plus := q.plusCount(span{b.sel + 1, b.end})
	if plus == 0 || b.where < 0 || len(b.clauses) < 2 || b.clauses[0] != b.from || b.clauses[1] != b.where || q.setOperand(b) {
		return nil, false
	}
	items, ok := q.fromItems(b.from+1, b.where)
	if !ok {
		return nil, false
	}
	cs, ok := q.conjuncts(b.where+1, b.whereEnd())
	if !ok {
		return nil, false
	}
	drop := make([]bool, len(cs))
	var conds []joinCond
	for i, c := range cs {
		if q.plusCount(c) == 0 {
			continue
		}
		jc, ok := q.joinCondition(c, items)
		if !ok {
			return nil, false
		}
		conds = append(conds, jc)
		drop[i] = true
	}
	if len(conds) != plus { // a (+) in the select list, under OR or NOT, in parentheses ...
		return nil, false
	}
	from, ok := joinTree(items, conds, q.bareStar(b))
	if !ok {
		return nil, false
	}
	edits := q.dropConjuncts(b.where, cs, drop)
	return append(edits, edit{q.tok(b.from + 1).Pos, q.tok(b.where - 1).End, from}), true
}

// setOperand: the block is a branch of UNION, INTERSECT, MINUS or EXCEPT,
// in parentheses or not.
func (q *query) setOperand(b block) bool {
	if !q.wholeLevel(b) {
		return true
	}
	if b.start == 0 {
		return false
	}
	open, before := b.start-1, b.start-2
	if q.word(before, "ALL") || q.word(before, "DISTINCT") {
		before--
	}
	return setOperators[q.clause(before)] || setOperators[q.clause(q.match[open]+1)]
}

// plusCount counts the (+) of a span that belong to its own query level.
func (q *query) plusCount(s span) int {
	n := 0
	for j := s.from; j < s.to; j++ {
		switch {
		case q.isPlus(j):
			n++
			j += 2
		case q.isSubquery(j):
			j = q.match[j]
		}
	}
	return n
}

// fromItem is a table of a FROM list as written, and the name its columns
// are qualified with.
type fromItem struct{ text, name string }

// fromItems reads a FROM list of [schema.]table [alias], and refuses any
// other (joins, subqueries, table functions, db links, DUAL) and a name
// given twice, whose columns could not be told apart.
func (q *query) fromItems(from, to int) ([]fromItem, bool) {
	var items []fromItem
	seen := map[string]bool{}
	start := from
	for j := from; j <= to; j++ {
		if j < to && !q.punct(j, ",") {
			continue
		}
		it, ok := q.fromItem(start, j)
		if !ok || seen[it.name] {
			return nil, false
		}
		seen[it.name] = true
		items = append(items, it)
		start = j + 1
	}
	return items, true
}

func (q *query) fromItem(from, to int) (fromItem, bool) {
	table, alias := from, -1
	switch n := to - from; {
	case n == 1:
	case n == 2:
		alias = from + 1
	case n == 3 && q.punct(from+1, "."):
		table = from + 2
	case n == 4 && q.punct(from+1, "."):
		table, alias = from+2, from+3
	default:
		return fromItem{}, false
	}
	for _, i := range []int{from, table, alias} {
		if i >= 0 && !q.plainName(i) {
			return fromItem{}, false
		}
	}
	if q.tok(table).Is("DUAL") { // translate drops FROM DUAL
		return fromItem{}, false
	}
	named := table
	if alias >= 0 {
		named = alias
	}
	name, _ := q.tok(named).Ident()
	return fromItem{text: q.text[q.tok(from).Pos:q.tok(to-1).End], name: name}, true
}

// plainName: token i is a name, not a word that would make the FROM item
// something else than a table (a join, a sample, a partition ...).
func (q *query) plainName(i int) bool {
	t := q.tok(i)
	switch {
	case t.Kind == ddl.Quoted:
		return t.Text != ""
	case t.Kind != ddl.Word:
		return false
	}
	switch t.Upper() {
	case "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "ON", "USING", "AS", "PARTITION",
		"SUBPARTITION", "SAMPLE", "PIVOT", "UNPIVOT", "LATERAL", "TABLE", "ONLY", "VERSIONS", "CONTAINERS", "SHARDS":
		return false
	}
	return true
}

// joinCond is one (+) condition, written without its (+).
type joinCond struct {
	table, other int // FROM items: the (+) side, the other side (-1 for a literal)
	text         string
}

// joinCondition reads col(+) = other or other = col(+), where col is
// qualified with a FROM item and other is a column of another item or a
// literal. An unqualified column is refused: which table it belongs to is
// in the catalog, not in the query.
func (q *query) joinCondition(c span, items []fromItem) (joinCond, bool) {
	var col, other span
	switch n := c.to - c.from; {
	case n >= 8 && q.isPlus(c.from+3) && q.punct(c.from+6, "="):
		col, other = span{c.from, c.from + 3}, span{c.from + 7, c.to}
	case n >= 8 && q.isPlus(c.to-3) && q.punct(c.to-7, "="):
		col, other = span{c.to - 6, c.to - 3}, span{c.from, c.to - 7}
	default:
		return joinCond{}, false
	}
	jc := joinCond{table: q.column(col, items), other: -1}
	lit := q.tok(other.from)
	if other.to-other.from != 1 || lit.Kind != ddl.Number && lit.Kind != ddl.String {
		if jc.other = q.column(other, items); jc.other < 0 {
			return joinCond{}, false
		}
	}
	if jc.table < 0 || jc.other == jc.table {
		return joinCond{}, false
	}
	first, second := col, other
	if other.from < col.from {
		first, second = other, col
	}
	jc.text = q.text[q.tok(first.from).Pos:q.tok(first.to-1).End] + " = " + q.text[q.tok(second.from).Pos:q.tok(second.to-1).End]
	return jc, true
}

// column is the FROM item that qualifies the column name.column at s, or
// -1.
func (q *query) column(s span, items []fromItem) int {
	if s.to-s.from != 3 || !q.punct(s.from+1, ".") {
		return -1
	}
	qual, ok := q.tok(s.from).Ident()
	if _, isName := q.tok(s.from + 2).Ident(); !ok || !isName {
		return -1
	}
	for i, it := range items {
		if it.name == qual {
			return i
		}
	}
	return -1
}

// bareStar: the select list has a * of its own (not t.*), whose columns
// follow the order of the FROM list. A multiplication counts too, which
// only refuses more.
func (q *query) bareStar(b block) bool {
	for j := b.sel + 1; j < b.from; j++ {
		if q.punct(j, "(") {
			j = q.match[j]
		} else if q.punct(j, "*") && !q.punct(j-1, ".") {
			return true
		}
	}
	return false
}

// joinTree writes the FROM list with each outer-joined table as a LEFT
// JOIN on the group of tables its conditions name, once they are all
// joined. A table hanging on tables of two groups (comma-joined), on
// nothing but literals, or on a table that hangs on it, is refused. So is
// a changed table order when the query reads *, whose columns would then
// come in another order.
func joinTree(items []fromItem, conds []joinCond, star bool) (string, bool) {
	on := make([][]string, len(items))
	parents := make([][]int, len(items))
	var pending []int // outer-joined tables, in FROM order
	for _, c := range conds {
		if on[c.table] == nil {
			pending = append(pending, c.table)
		}
		on[c.table] = append(on[c.table], c.text)
		if c.other >= 0 {
			parents[c.table] = append(parents[c.table], c.other)
		}
	}
	group := make([]int, len(items)) // index in groups, -1 until placed
	for i := range group {
		group[i] = -1
	}
	var groups [][]int
	for t := range items {
		if on[t] == nil {
			group[t] = len(groups)
			groups = append(groups, []int{t})
		}
		pending = placeOuter(pending, t, parents, group, groups)
	}
	if len(pending) > 0 {
		return "", false
	}
	var parts []string
	next := 0
	for _, g := range groups {
		var b strings.Builder
		for k, u := range g {
			if star && u != next {
				return "", false
			}
			next++
			if k == 0 {
				b.WriteString(items[u].text)
				continue
			}
			fmt.Fprintf(&b, " LEFT JOIN %s ON %s", items[u].text, strings.Join(on[u], " AND "))
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, ", "), true
}

// placeOuter joins each pending table up to FROM item t whose parents are
// all placed in one group, until none can be; it returns those left.
func placeOuter(pending []int, t int, parents [][]int, group []int, groups [][]int) []int {
	for placed := true; placed; {
		placed = false
		for k := 0; k < len(pending); k++ {
			u := pending[k]
			g := parentGroup(parents[u], group)
			if u > t || g < 0 {
				continue
			}
			group[u] = g
			groups[g] = append(groups[g], u)
			pending = append(pending[:k:k], pending[k+1:]...)
			k--
			placed = true
		}
	}
	return pending
}

// parentGroup is the group holding all the tables, or -1 when they are
// not all placed, or not in one group, or none.
func parentGroup(tables []int, group []int) int {
	g := -1
	for _, p := range tables {
		if group[p] < 0 || g >= 0 && group[p] != g {
			return -1
		}
		g = group[p]
	}
	return g
}
