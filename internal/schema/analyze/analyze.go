package analyze

import (
	"fmt"
	"sort"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// Issue categories.
const (
	UnsupportedFeature  = "unsupported_feature"
	UnsupportedDatatype = "unsupported_datatype"
	MigrationCaveat     = "migration_caveat"
	PerformanceHint     = "performance_hint"
)

// Categories in report order.
var Categories = []string{UnsupportedFeature, UnsupportedDatatype, MigrationCaveat, PerformanceHint}

// Issue is one statement that needs a manual change (or a look) for YugabyteDB.
type Issue struct {
	ObjectType string `json:"object_type" xml:"ObjectType"`
	ObjectName string `json:"object_name" xml:"ObjectName"`
	File       string `json:"file" xml:"File"`
	Line       int    `json:"line" xml:"Line"`
	SQL        string `json:"sql_statement" xml:"SQL"`
	RuleID     string `json:"rule_id" xml:"RuleID"`
	Category   string `json:"category" xml:"Category"`
	Reason     string `json:"reason" xml:"Reason"`
	Suggestion string `json:"suggestion" xml:"Suggestion"`
	DocLink    string `json:"doc_link" xml:"DocLink"`
}

// ObjectCount summarises one object type of the schema.
type ObjectCount struct {
	ObjectType string   `json:"object_type" xml:"type,attr"`
	Total      int      `json:"total" xml:"Total"`
	WithIssues int      `json:"with_issues" xml:"WithIssues"`
	Names      []string `json:"names" xml:"Names>Name"`
}

// CategoryCount is the number of issues of one category.
type CategoryCount struct {
	Category string `json:"category" xml:"category,attr"`
	Count    int    `json:"count" xml:",chardata"`
}

// Report is the result of analyzing a schema.
type Report struct {
	GeneratedAt  time.Time       `json:"generated_at" xml:"GeneratedAt"`
	ExportDir    string          `json:"export_dir" xml:"ExportDir"`
	SourceDBType string          `json:"source_db_type" xml:"SourceDBType"`
	ObjectCounts []ObjectCount   `json:"object_counts" xml:"ObjectCounts>ObjectCount"`
	IssueCounts  []CategoryCount `json:"issue_counts" xml:"IssueCounts>Category"`
	Issues       []Issue         `json:"issues" xml:"Issues>Issue"`
}

// Summary is one line saying how many issues were found ("No issues found").
func (r Report) Summary() string {
	switch len(r.Issues) {
	case 0:
		return "No issues found"
	case 1:
		return "1 issue found"
	}
	return fmt.Sprintf("%d issues found", len(r.Issues))
}

// Analyze runs every rule over the statements of a schema. It is pure apart
// from GeneratedAt (time.Now); ExportDir and SourceDBType are the caller's.
func Analyze(stmts []schema.Statement) Report {
	ctx := newCheckCtx(stmts)
	issues := []Issue{}
	hit := make([]bool, len(stmts))
	for i, st := range stmts {
		if st.Node == nil || st.Type == schema.Session {
			continue
		}
		found := checkStatement(ctx, st)
		hit[i] = len(found) > 0
		issues = append(issues, found...)
	}
	return Report{
		GeneratedAt:  time.Now().UTC(),
		ObjectCounts: countObjects(stmts, hit),
		IssueCounts:  countCategories(issues),
		Issues:       issues,
	}
}

// checkStatement runs all rules on one statement, dropping repeated findings
// of a rule (same key) on the statement.
func checkStatement(ctx *checkCtx, st schema.Statement) []Issue {
	var out []Issue
	for _, r := range rules {
		seen := map[string]bool{}
		for _, f := range r.Check(ctx, st) {
			if seen[f.Key] {
				continue
			}
			seen[f.Key] = true
			out = append(out, r.issue(st, f))
		}
	}
	return out
}

func (r rule) issue(st schema.Statement, f finding) Issue {
	typ, name := describe(st)
	if f.ObjectType != "" {
		typ = f.ObjectType
	}
	if f.Object != "" {
		name = f.Object
	}
	reason := r.Reason
	if f.Detail != "" {
		reason += " " + f.Detail
	}
	sugg := r.Suggestion
	if f.Suggestion != "" {
		sugg = f.Suggestion
	}
	return Issue{ObjectType: typ, ObjectName: name, File: st.File, Line: st.Line, SQL: st.Text,
		RuleID: r.ID, Category: r.Category, Reason: reason, Suggestion: sugg, DocLink: docBase + r.Doc}
}

// describe names the object of a statement; schema.Classify leaves some
// kinds UNCATEGORIZED that a report should still call by their name.
func describe(st schema.Statement) (string, string) {
	n := st.Node
	switch {
	case n.GetCreateForeignTableStmt() != nil:
		return "FOREIGN TABLE", schema.RangeVarName(n.GetCreateForeignTableStmt().BaseStmt.GetRelation())
	case n.GetCreateForeignServerStmt() != nil:
		return "SERVER", n.GetCreateForeignServerStmt().Servername
	case n.GetCreateUserMappingStmt() != nil:
		um := n.GetCreateUserMappingStmt()
		return "USER MAPPING", roleName(um.User) + " SERVER " + um.Servername
	case n.GetCreateTableSpaceStmt() != nil:
		return "TABLESPACE", n.GetCreateTableSpaceStmt().Tablespacename
	case n.GetDoStmt() != nil:
		return "DO", ""
	case n.GetTransactionStmt() != nil:
		return "TRANSACTION", n.GetTransactionStmt().Gid
	case n.GetIndexStmt() != nil && n.GetIndexStmt().Idxname == "":
		// schema.Classify names an unnamed index "schema." (see qualify)
		return string(st.Type), "unnamed index on " + schema.RangeVarName(n.GetIndexStmt().Relation)
	}
	return string(st.Type), st.Name
}

func roleName(r *pg_query.RoleSpec) string {
	if r == nil {
		return ""
	}
	if r.Rolename != "" {
		return r.Rolename
	}
	return map[pg_query.RoleSpecType]string{
		pg_query.RoleSpecType_ROLESPEC_CURRENT_USER: "CURRENT_USER",
		pg_query.RoleSpecType_ROLESPEC_SESSION_USER: "SESSION_USER",
		pg_query.RoleSpecType_ROLESPEC_PUBLIC:       "PUBLIC",
	}[r.Roletype]
}

// perStatement object types have no per-object name (a COMMENT's name is the
// kind of object it comments on), so each statement counts as one object.
var perStatement = map[schema.ObjectType]bool{schema.Comment: true, schema.Uncategorized: true}

func countObjects(stmts []schema.Statement, hit []bool) []ObjectCount {
	type acc struct {
		objs, bad map[string]bool
		names     map[string]bool
	}
	by := map[schema.ObjectType]*acc{}
	for i, st := range stmts {
		if st.Type == schema.Session {
			continue
		}
		a := by[st.Type]
		if a == nil {
			a = &acc{objs: map[string]bool{}, bad: map[string]bool{}, names: map[string]bool{}}
			by[st.Type] = a
		}
		key := st.Name
		if key == "" || strings.HasSuffix(key, ".") || perStatement[st.Type] {
			key = fmt.Sprintf("#%d", i)
		}
		a.objs[key] = true
		if hit[i] {
			a.bad[key] = true
		}
		if !strings.HasPrefix(key, "#") {
			a.names[st.Name] = true
		}
	}
	out := []ObjectCount{}
	for _, t := range typeOrder(by) {
		a := by[t]
		out = append(out, ObjectCount{ObjectType: string(t), Total: len(a.objs), WithIssues: len(a.bad), Names: sortedKeys(a.names)})
	}
	return out
}

// typeOrder is schema.Order restricted to the types present, then any others.
func typeOrder[V any](by map[schema.ObjectType]V) []schema.ObjectType {
	var out []schema.ObjectType
	known := map[schema.ObjectType]bool{}
	for _, t := range schema.Order {
		known[t] = true
		if _, ok := by[t]; ok {
			out = append(out, t)
		}
	}
	var rest []schema.ObjectType
	for t := range by {
		if !known[t] {
			rest = append(rest, t)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	return append(out, rest...)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func countCategories(issues []Issue) []CategoryCount {
	n := map[string]int{}
	for _, is := range issues {
		n[is.Category]++
	}
	out := make([]CategoryCount, len(Categories))
	for i, c := range Categories {
		out[i] = CategoryCount{Category: c, Count: n[c]}
	}
	return out
}
