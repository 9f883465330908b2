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
