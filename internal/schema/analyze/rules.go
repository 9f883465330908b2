package analyze

import "github.com/yugabyte/yb-voyager-go/internal/schema"

// docBase is the page of Voyager's known PostgreSQL issues; a rule's Doc is
// the anchor of its section there.
const docBase = "https://docs.yugabyte.com/preview/yugabyte-voyager/known-issues/postgresql/#"

// rule is one check: its fixed text plus a function that finds where it
// applies in a statement. Adding a rule is a row in one of the tables below
// (and a test).
type rule struct {
	ID, Category, Reason, Suggestion, Doc string
	Check                                 func(c *checkCtx, st schema.Statement) []finding
}

// finding is one place a rule applies in a statement.
type finding struct {
	Key        string // tells findings of one rule on one statement apart (e.g. a column); "" = once
	Detail     string // appended to the rule's Reason
	Object     string // overrides the statement's object name
	ObjectType string // overrides the statement's object type
	Suggestion string // overrides the rule's Suggestion
}

// rules is every rule, in report order within a statement.
var rules = concat(tableRules, objectRules, indexRules, functionRules, performanceRules)

func concat(lists ...[]rule) []rule {
	var out []rule
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// once is a finding list with a single unkeyed finding when ok.
func once(ok bool) []finding {
	if ok {
		return []finding{{}}
	}
	return nil
}
