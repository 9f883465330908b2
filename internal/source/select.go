package source

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Select applies --table-list (include) and --exclude-table-list to all, the
// tables found in the selected schemas. Patterns without a schema match in
// any selected schema. A plain name in include that matches nothing is an
// error that names the schemas searched, so a typo is never a silent no-op.
func Select(all []sqlname.Table, include, exclude []sqlname.Pattern, schemas []string) ([]sqlname.Table, error) {
	var missing []string
	for _, p := range include {
		if p.IsGlob() {
			continue
		}
		if !anyMatch(all, p) {
			missing = append(missing, p.Raw)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("table %s in --table-list not found in schema(s) %s: check the spelling (quote mixed-case names, e.g. '\"MyTable\"')",
			strings.Join(missing, ", "), strings.Join(schemas, ", "))
	}
	var out []sqlname.Table
	for _, t := range all {
		if len(include) > 0 && !MatchesAny(t, include) {
			continue
		}
		if MatchesAny(t, exclude) {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no tables to migrate in schema(s) %s: check --source-db-schema, --table-list and --exclude-table-list",
			strings.Join(schemas, ", "))
	}
	return out, nil
}

func anyMatch(all []sqlname.Table, p sqlname.Pattern) bool {
	for _, t := range all {
		if p.Matches(t) {
			return true
		}
	}
	return false
}

// MatchesAny reports whether any pattern selects t.
func MatchesAny(t sqlname.Table, ps []sqlname.Pattern) bool {
	for _, p := range ps {
		if p.Matches(t) {
			return true
		}
	}
	return false
}
