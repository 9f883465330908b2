package analyze

import (
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// oracleKnownIssues is Voyager's page of Oracle-source issues.
const oracleKnownIssues = "https://docs.yugabyte.com/preview/yugabyte-voyager/known-issues/oracle/"

// AddUnconverted reports each block of source text export schema left
// commented out (schema.FindUnconverted) as an issue: it is not in the
// target schema until the DBA rewrites it in place.
func (r *Report) AddUnconverted(blocks []schema.Unconverted) {
	for _, b := range blocks {
		typ, name := unconvertedObject(b)
		rule, suggestion := "UNCONVERTED_OBJECT", "Rewrite it for PostgreSQL in this file, in place of the commented source, then rerun analyze-schema."
		if strings.HasPrefix(b.Why, "PL/SQL") {
			rule, suggestion = "PLSQL_NOT_CONVERTED", "Rewrite it in PL/pgSQL in this file, in place of the commented PL/SQL, then rerun analyze-schema."
		}
		r.Issues = append(r.Issues, Issue{ObjectType: typ, ObjectName: name, File: b.File, Line: b.Line, SQL: b.Text,
			RuleID: rule, Category: "unsupported_feature", Reason: b.Why + " (from " + b.Origin + ")", Suggestion: suggestion, DocLink: oracleKnownIssues})
	}
	r.IssueCounts = countCategories(r.Issues)
}

// unconvertedObject reads the object type and name from the source text's
// CREATE line ("CREATE OR REPLACE PROCEDURE secure_dml" → PROCEDURE,
// secure_dml).
func unconvertedObject(b schema.Unconverted) (string, string) {
	fields := strings.Fields(strings.ReplaceAll(b.Text, "(", " ("))
	skip := map[string]bool{"CREATE": true, "OR": true, "REPLACE": true, "EDITIONABLE": true, "NONEDITIONABLE": true, "FORCE": true, "NO": true, "EDITIONING": true}
	for i := 0; i < len(fields); i++ {
		w := strings.ToUpper(fields[i])
		if skip[w] {
			continue
		}
		if i+1 < len(fields) && (strings.ToUpper(fields[i+1]) == "BODY" || w == "MATERIALIZED") {
			w += " " + strings.ToUpper(fields[i+1])
			i++
		}
		if i+1 < len(fields) {
			return w, strings.ReplaceAll(fields[i+1], `"`, "")
		}
		return w, ""
	}
	return "UNKNOWN", ""
}

// caveatRules say how each kind of conversion caveat is reported.
var caveatRules = map[string]struct{ category, suggestion string }{
	"ORACLE_UNSUPPORTED_DATATYPE": {UnsupportedDatatype, "Choose the column's type on the target (or install the extension it needs), in this file, then delete the caveat line."},
	"ORACLE_DATATYPE":             {MigrationCaveat, "Check that the mapped type holds the application's values; change it in this file if not, then delete the caveat line."},
	"ORACLE_PARTITIONING":         {MigrationCaveat, "Adjust the partitioning in this file (or plan for what PostgreSQL does differently), then delete the caveat line."},
	"ORACLE_INDEX":                {MigrationCaveat, "Check that the B-tree index serves the queries; change or drop it in this file, then delete the caveat line."},
	"ORACLE_TABLE":                {MigrationCaveat, "Check that the application does not rely on the Oracle table organisation named here, then delete the caveat line."},
	"ORACLE_CONSTRAINT":           {MigrationCaveat, "Clean the rows that break the constraint before the data load, or drop the constraint in this file, then delete the caveat line."},
}

// AddCaveats reports each caveat line still in the files against the
// statement that follows it.
func (r *Report) AddCaveats(cavs []schema.Caveat, stmts []schema.Statement) {
	for _, c := range cavs {
		rule, ok := caveatRules[c.Rule]
		if !ok {
			rule.category, rule.suggestion = MigrationCaveat, "Review the statement below the caveat line, then delete the line."
		}
		is := Issue{File: c.File, Line: c.Line, RuleID: c.Rule, Category: rule.category, Reason: c.Why, Suggestion: rule.suggestion, DocLink: oracleKnownIssues}
		if st, ok := statementAfter(stmts, c); ok {
			is.ObjectType, is.ObjectName, is.SQL, is.Line = string(st.Type), st.Name, st.Text, st.Line
		}
		r.Issues = append(r.Issues, is)
	}
	r.IssueCounts = countCategories(r.Issues)
}

// statementAfter is the first statement of the caveat's file that starts
// below it.
func statementAfter(stmts []schema.Statement, c schema.Caveat) (schema.Statement, bool) {
	var best schema.Statement
	found := false
	for _, st := range stmts {
		if st.File == c.File && st.Line > c.Line && (!found || st.Line < best.Line) {
			best, found = st, true
		}
	}
	return best, found
}
