package oracle

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// The rewrites here change the shape of a query, one SELECT at a time (a
// block: SELECT up to a set operator or the end of its parentheses), and
// only where the Oracle form has a PostgreSQL form of the same meaning:
//
//   - a top-level ROWNUM <= N condition of a query that neither sorts,
//     groups, aggregates nor removes duplicates becomes LIMIT N;
//   - (+) conditions between plain tables become LEFT JOIN ... ON;
//   - a derived table without a name gets one (PostgreSQL before 16
//     requires it).
//
// They are made on the Oracle text, before the token translation: what they
// leave alone keeps its ROWNUM or (+), which translate then reports, so any
// form not recognised here is refused rather than guessed at.

// maxPasses bounds the passes over the text. A pass makes at most one
// rewrite per block (the edits of different blocks never overlap: each
// stays in its own level), and a block takes at most three (names, joins,
// limit), so this is only reached by a misreading; what is left is then
// reported, not lost.
const maxPasses = 8

// rewriteQueries reads the text again after each pass, so that a block's
// second rewrite sees the result of its first.
func rewriteQueries(sql string) string {
	for range maxPasses {
		q, ok := readQuery(sql)
		if !ok {
			return sql
		}
		edits := q.rewrites()
		if len(edits) == 0 {
			return sql
		}
		next, ok := apply(sql, edits)
		if !ok {
			return sql
		}
		sql = next
	}
	return sql
}

type query struct {
	text  string
	toks  []ddl.Token
	match []int // for "(" the index of its ")", and the reverse
	outer []int // index of the "(" around each token, -1 at the top level
	used  map[string]bool
	named int // derived tables named so far
}

// readQuery refuses unbalanced parentheses and several statements: the
// rewrites need to know where each query level ends.
func readQuery(sql string) (*query, bool) {
	toks := ddl.Tokens(sql)
	if n := len(toks); n > 0 && toks[n-1].Kind == ddl.Punct && toks[n-1].Text == ";" {
		toks = toks[:n-1]
	}
	q := &query{text: sql, toks: toks, match: make([]int, len(toks)), outer: make([]int, len(toks))}
	var open []int
	for i := range toks {
		q.outer[i] = -1
		if len(open) > 0 {
			q.outer[i] = open[len(open)-1]
		}
		switch {
		case q.punct(i, "("):
			open = append(open, i)
		case q.punct(i, ")"):
			if len(open) == 0 {
				return nil, false
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			q.match[o], q.match[i] = i, o
		case q.punct(i, ";"):
			return nil, false
		}
	}
	return q, len(open) == 0
}

// rewrites are the edits of the first rewrite that applies to each block.
func (q *query) rewrites() []edit {
	var all []edit
	for i := range q.toks {
		if !q.word(i, "SELECT") {
			continue
		}
		b := q.block(i)
		for _, rewrite := range []func(block) ([]edit, bool){q.nameDerived, q.outerJoins, q.rownumLimit} {
			if edits, ok := rewrite(b); ok {
				all = append(all, edits...)
				break
			}
		}
	}
	return all
}

func (q *query) tok(i int) ddl.Token {
	if i >= 0 && i < len(q.toks) {
		return q.toks[i]
	}
	return ddl.Token{Kind: ddl.EOF, Pos: len(q.text), End: len(q.text)}
}

func (q *query) punct(i int, p string) bool {
	t := q.tok(i)
	return t.Kind == ddl.Punct && t.Text == p
}

// word: token i is the keyword w, not a name that happens to be spelt so
// (t.start, start.x).
func (q *query) word(i int, w string) bool {
	return q.tok(i).Is(w) && !q.punct(i-1, ".") && !q.punct(i+1, ".")
}

func (q *query) isPlus(i int) bool { return q.punct(i, "(") && q.punct(i+1, "+") && q.punct(i+2, ")") }

func (q *query) isSubquery(i int) bool {
	return q.punct(i, "(") && (q.word(i+1, "SELECT") || q.word(i+1, "WITH"))
}

// block is one SELECT of a query, read at its own nesting level.
type block struct {
	sel, end    int   // the SELECT, and just past its last token
	start, stop int   // its query level: inside its parentheses, or the whole text
	from, where int   // -1 when absent
	clauses     []int // FROM, WHERE, GROUP BY, ORDER BY ... in order
}

func (q *query) block(sel int) block {
	b := block{sel: sel, stop: len(q.toks), from: -1, where: -1}
	if o := q.outer[sel]; o >= 0 {
		b.start, b.stop = o+1, q.match[o]
	}
	b.end = b.stop
	for j := sel + 1; j < b.stop; j++ {
		if q.punct(j, "(") {
			j = q.match[j]
			continue
		}
		switch c := q.clause(j); {
		case setOperators[c], q.word(j, "SELECT"): // a SELECT without one is not valid, and not this block's
			b.end = j
			return b
		case c == "", b.from < 0 && c != "FROM": // in the select list, words only
		case c == "FROM" && b.from < 0:
			b.from = j
			b.clauses = append(b.clauses, j)
		case c == "WHERE" && b.where < 0:
			b.where = j
			b.clauses = append(b.clauses, j)
		default:
			b.clauses = append(b.clauses, j)
		}
	}
	return b
}

var setOperators = map[string]bool{"UNION": true, "INTERSECT": true, "MINUS": true, "EXCEPT": true}

// clause names the clause keyword at j, or "". Words that may also be
// column names (OFFSET, MODEL ...) end a WHERE clause early at worst,
// which then ends with an operator or AND and is refused (conjuncts).
func (q *query) clause(j int) string {
	if q.tok(j).Kind != ddl.Word || q.punct(j-1, ".") || q.punct(j+1, ".") {
		return ""
	}
	w := q.tok(j).Upper()
	switch w {
	case "UNION", "INTERSECT", "MINUS", "EXCEPT", "FROM", "WHERE", "HAVING", "MODEL", "WINDOW", "OFFSET", "FETCH", "LIMIT", "WITH":
		return w
	case "GROUP", "CONNECT":
		if q.word(j+1, "BY") {
			return w
		}
	case "ORDER":
		if q.word(j+1, "BY") || q.word(j+1, "SIBLINGS") {
			return w
		}
	case "START":
		if q.word(j+1, "WITH") {
			return w
		}
	case "FOR":
		if q.word(j+1, "UPDATE") {
			return w
		}
	}
	return ""
}

// whereEnd is just past the block's WHERE clause.
func (b block) whereEnd() int {
	for k, c := range b.clauses {
		if c == b.where && k+1 < len(b.clauses) {
			return b.clauses[k+1]
		}
	}
	return b.end
}

// span is the tokens [from, to).
type span struct{ from, to int }

// conjuncts splits a WHERE clause on its top-level ANDs. A top-level OR
// makes them no conjuncts of the whole (AND binds tighter), so it is
// refused, as is a clause that looks cut short.
func (q *query) conjuncts(from, to int) ([]span, bool) {
	var out []span
	start, cases, between := from, 0, false
	for j := from; j < to; j++ {
		switch {
		case q.punct(j, "("):
			j = q.match[j]
		case q.word(j, "CASE"):
			cases++
		case q.word(j, "END"):
			if cases--; cases < 0 {
				return nil, false
			}
		case cases > 0:
		case q.word(j, "OR"):
			return nil, false
		case q.word(j, "BETWEEN"):
			between = true
		case q.word(j, "AND") && between:
			between = false
		case q.word(j, "AND"):
			if j == start {
				return nil, false
			}
			out = append(out, span{start, j})
			start = j + 1
		}
	}
	if start >= to || cases != 0 || !q.complete(to-1) {
		return nil, false
	}
	return append(out, span{start, to}), true
}

// complete: a condition can end with token i.
func (q *query) complete(i int) bool {
	t := q.tok(i)
	switch t.Kind {
	case ddl.Quoted, ddl.String, ddl.Number:
		return true
	case ddl.Word:
		switch t.Upper() {
		case "AND", "OR", "NOT", "IS", "IN", "LIKE", "BETWEEN", "ESCAPE", "PRIOR":
			return false
		}
		return true
	}
	return q.punct(i, ")")
}

// dropConjuncts removes some conditions of a WHERE clause and keeps the
// others as written; with none left the WHERE goes too.
func (q *query) dropConjuncts(where int, cs []span, drop []bool) []edit {
	last := -1
	for i := range cs {
		if !drop[i] {
			last = i
		}
	}
	if last < 0 {
		return []edit{{q.tok(where - 1).End, q.tok(cs[len(cs)-1].to - 1).End, ""}}
	}
	var out []edit
	for i, c := range cs {
		switch {
		case !drop[i]:
		case i < last: // with the AND after it
			out = append(out, edit{q.tok(c.from).Pos, q.tok(cs[i+1].from).Pos, ""})
		default: // with the AND before it
			out = append(out, edit{q.tok(cs[i-1].to - 1).End, q.tok(c.to - 1).End, ""})
		}
	}
	return out
}

// edit replaces the bytes [from, to) of the text.
type edit struct {
	from, to int
	text     string
}

// apply makes the edits; overlapping ones mean a rewrite misread the
// query, and none is made.
func apply(text string, edits []edit) (string, bool) {
	sort.SliceStable(edits, func(i, j int) bool {
		return edits[i].from < edits[j].from || edits[i].from == edits[j].from && edits[i].to < edits[j].to
	})
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.from < last || e.to < e.from || e.to > len(text) {
			return "", false
		}
		b.WriteString(text[last:e.from])
		b.WriteString(e.text)
		last = e.to
	}
	b.WriteString(text[last:])
	return b.String(), true
}

// nameDerived names the block's unnamed subqueries in FROM: PostgreSQL
// 15 rejects them, Oracle does not.
func (q *query) nameDerived(b block) ([]edit, bool) {
	if b.from < 0 {
		return nil, false
	}
	end := b.end
	if len(b.clauses) > 1 {
		end = b.clauses[1]
	}
	var edits []edit
	item := true // token j starts a FROM item
	for j := b.from + 1; j < end; j++ {
		if item && q.isSubquery(j) && q.unnamed(q.match[j]+1) {
			at := q.tok(q.match[j]).End
			edits = append(edits, edit{at, at, " AS " + q.freshName()})
		}
		item = q.punct(j, ",") || q.word(j, "JOIN")
		if q.punct(j, "(") {
			j = q.match[j]
		}
	}
	return edits, len(edits) > 0
}

// unnamed: token i, just after a derived table, is no alias of it.
func (q *query) unnamed(i int) bool {
	if i >= len(q.toks) || q.punct(i, ",") || q.punct(i, ")") || q.clause(i) != "" {
		return true
	}
	for _, w := range []string{"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING"} {
		if q.word(i, w) {
			return true
		}
	}
	return false
}

// freshName is a name no word of the query uses, nor an earlier name of
// this pass, so that it cannot hide or be taken for another.
func (q *query) freshName() string {
	if q.used == nil {
		q.used = map[string]bool{}
		for _, t := range q.toks {
			if t.Kind == ddl.Word || t.Kind == ddl.Quoted {
				q.used[strings.ToLower(t.Text)] = true
			}
		}
	}
	for {
		q.named++
		if name := fmt.Sprintf("subquery%d", q.named); !q.used[name] {
			return name
		}
	}
}

// rownumLimit turns a top-level ROWNUM <= N condition into LIMIT N. Oracle
// numbers rows before it sorts, groups, aggregates or removes duplicates,
// and LIMIT applies after, so any of those at this level refuses it, as
// does a set operator (LIMIT would apply to the whole set) or a clause
// after WHERE (it would have to go before it).
func (q *query) rownumLimit(b block) ([]edit, bool) {
	if b.where < 0 || len(b.clauses) != 2 || b.clauses[0] != b.from || b.clauses[1] != b.where ||
		!q.wholeLevel(b) || q.aggregates(b) {
		return nil, false
	}
	cs, ok := q.conjuncts(b.where+1, b.end)
	if !ok {
		return nil, false
	}
	for i, c := range cs {
		n, ok := q.rownumBound(c)
		if !ok {
			continue
		}
		drop := make([]bool, len(cs))
		drop[i] = true
		at := q.tok(b.end - 1).End
		return append(q.dropConjuncts(b.where, cs, drop), edit{at, at, " LIMIT " + strconv.FormatInt(n, 10)}), true
	}
	return nil, false
}

// rownumBound reads ROWNUM <= N, ROWNUM < N, ROWNUM = 1 or the same with
// the sides swapped, as the number of rows it lets through.
func (q *query) rownumBound(c span) (int64, bool) {
	if c.to-c.from != 3 || q.tok(c.from+1).Kind != ddl.Punct {
		return 0, false
	}
	num, op := c.from+2, q.tok(c.from+1).Text
	if q.word(c.from+2, "ROWNUM") { // N >= ROWNUM
		num, op = c.from, map[string]string{">=": "<=", ">": "<", "=": "="}[op]
	} else if !q.word(c.from, "ROWNUM") {
		return 0, false
	}
	t := q.tok(num)
	if t.Kind != ddl.Number || strings.Trim(t.Text, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(t.Text, 10, 64)
	switch {
	case err != nil:
		return 0, false
	case op == "<=":
		return n, true
	case op == "<":
		return max(n-1, 0), true
	case op == "=" && n == 1:
		return 1, true
	}
	return 0, false
}

// wholeLevel: the block is the only query of its level, optionally after
// a WITH list, so LIMIT at its end limits it alone.
func (q *query) wholeLevel(b block) bool {
	if b.end != b.stop {
		return false
	}
	if b.start == b.sel {
		return true
	}
	if !q.word(b.start, "WITH") {
		return false
	}
	for j := b.start + 1; j < b.sel; j++ {
		if q.punct(j, "(") {
			j = q.match[j]
		} else if q.clause(j) != "" || q.word(j, "SELECT") {
			return false
		}
	}
	return true
}

// aggregates: the select list removes duplicates, aggregates or computes
// analytic functions, whose values depend on every row, not only the
// first N. User-defined aggregates cannot be told from functions here.
func (q *query) aggregates(b block) bool {
	if q.word(b.sel+1, "DISTINCT") || q.word(b.sel+1, "UNIQUE") {
		return true
	}
	for j := b.sel + 1; j < b.from; j++ {
		t := q.tok(j)
		switch {
		case q.isSubquery(j):
			j = q.match[j]
		case q.word(j, "OVER"), q.word(j, "KEEP"):
			return true
		case t.Kind == ddl.Word && q.punct(j+1, "(") && isAggregate(t.Upper()):
			return true
		}
	}
	return false
}

func isAggregate(name string) bool {
	for _, p := range []string{"REGR_", "STATS_", "APPROX_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	switch name {
	case "AVG", "COUNT", "MAX", "MIN", "SUM", "MEDIAN", "COLLECT", "CORR", "CORR_S", "CORR_K", "COVAR_POP", "COVAR_SAMP",
		"STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "KURTOSIS_POP", "KURTOSIS_SAMP",
		"SKEWNESS_POP", "SKEWNESS_SAMP", "CUME_DIST", "DENSE_RANK", "RANK", "PERCENT_RANK", "PERCENTILE_CONT",
		"PERCENTILE_DISC", "FIRST", "LAST", "GROUPING", "GROUPING_ID", "GROUP_ID", "ANY_VALUE", "CHECKSUM":
		return true
	}
	return strings.HasSuffix(name, "AGG") // LISTAGG, XMLAGG, JSON_ARRAYAGG, BIT_AND_AGG ...
}
