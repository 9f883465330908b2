package analyze

import (
	"fmt"
	"regexp"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// functionRules scan the bodies of functions, procedures and DO blocks
// (comments and string literals removed, case-insensitive, whole words) for
// features YugabyteDB lacks.
var functionRules = []rule{
	{
		ID: "ADVISORY_LOCKS", Category: UnsupportedFeature,
		Reason:     "Advisory locks (pg_advisory_*) are not yet supported.",
		Suggestion: "Serialise with a row lock instead, e.g. SELECT ... FOR UPDATE on a dedicated lock table.",
		Doc:        "advisory-locks-is-not-yet-implemented",
		Check:      bodyCheck(regexp.MustCompile(`(?i)\b(pg_(?:try_)?advisory_\w+)\s*\(`)),
	},
	{
		ID: "LISTEN_NOTIFY", Category: UnsupportedFeature,
		Reason:     "LISTEN / NOTIFY (and pg_notify) are not supported.",
		Suggestion: "Use a queue table polled by the application, or an external message broker.",
		Doc:        "events-listen-notify",
		Check:      bodyCheck(regexp.MustCompile(`(?i)\b(pg_notify)\s*\(|\b((?:un)?listen|notify)\s+[a-z_"*]`)),
	},
	{
		ID: "TWO_PHASE_COMMIT", Category: UnsupportedFeature,
		Reason:     "Two-phase commit (PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED) is not supported.",
		Suggestion: "Commit in a single phase, or coordinate with an application-level saga/outbox pattern.",
		Doc:        "two-phase-commit",
		Check:      checkTwoPhase,
	},
	{
		ID: "LARGE_OBJECT_FUNCTIONS", Category: UnsupportedFeature,
		Reason:     "Large-object functions (lo_create, lo_import, lo_open, ...) are not supported.",
		Suggestion: "Store the content in a bytea column and read/write it directly.",
		Doc:        "large-objects-and-its-functions-are-currently-not-supported",
		Check:      checkLargeObjects,
	},
}

// routineBody is the code of a function, procedure or DO block, or "" (also
// for C and internal functions, whose "body" is a symbol name).
func routineBody(st schema.Statement) string {
	if d := st.Node.GetDoStmt(); d != nil {
		for _, a := range d.Args {
			if de := a.GetDefElem(); de != nil && de.Defname == "as" {
				return de.Arg.GetString_().GetSval()
			}
		}
		return ""
	}
	f := st.Node.GetCreateFunctionStmt()
	if f == nil {
		return ""
	}
	if f.SqlBody != nil { // BEGIN ATOMIC ... END / RETURN expr: no body string
		return st.Text
	}
	var body []string
	for _, o := range f.Options {
		de := o.GetDefElem()
		switch {
		case de == nil:
		case de.Defname == "language" && isNativeLanguage(de.Arg.GetString_().GetSval()):
			return ""
		case de.Defname == "as":
			body = append(body, strs(de.Arg.GetList().GetItems())...)
		}
	}
	return strings.Join(body, "\n")
}

func isNativeLanguage(lang string) bool {
	lang = strings.ToLower(lang)
	return lang == "c" || lang == "internal"
}

// bodyCheck reports routines whose code matches re, naming what matched.
func bodyCheck(re *regexp.Regexp) func(*checkCtx, schema.Statement) []finding {
	return func(_ *checkCtx, st schema.Statement) []finding {
		body := routineBody(st)
		if body == "" {
			return nil
		}
		return matchFinding(re, stripNoise(body))
	}
}

// matchFinding names what re's first non-empty capture group matched.
func matchFinding(re *regexp.Regexp, code string) []finding {
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(code, -1) {
		for _, g := range m[1:] {
			if g != "" {
				seen[strings.ToLower(strings.Join(strings.Fields(g), " "))] = true
				break
			}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	return []finding{{Detail: fmt.Sprintf("Found: %s.", strings.Join(sortedKeys(seen), ", "))}}
}

var twoPhaseRe = regexp.MustCompile(`(?i)\b(prepare\s+transaction|commit\s+prepared|rollback\s+prepared)\b`)

func checkTwoPhase(c *checkCtx, st schema.Statement) []finding {
	if t := st.Node.GetTransactionStmt(); t != nil {
		switch t.Kind {
		case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE, pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED,
			pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
			return once(true)
		}
	}
	return bodyCheck(twoPhaseRe)(c, st)
}

var largeObjectRe = regexp.MustCompile(`(?i)\b(lo_(?:creat|create|import|export|unlink|open|close|read|write|get|put|` +
	`lseek|lseek64|tell|tell64|truncate|truncate64|from_bytea)|loread|lowrite)\s*\(`)

// checkLargeObjects finds large-object calls in routines, and triggers that
// run lo_manage (the lo extension's cleanup trigger).
func checkLargeObjects(c *checkCtx, st schema.Statement) []finding {
	if t := st.Node.GetCreateTrigStmt(); t != nil {
		names := strs(t.Funcname)
		if len(names) > 0 && strings.EqualFold(names[len(names)-1], "lo_manage") {
			return []finding{{Detail: "Found: lo_manage."}}
		}
		return nil
	}
	return bodyCheck(largeObjectRe)(c, st)
}

// stripNoise blanks out comments and single-quoted string literals so that
// words inside them do not match; dollar-quoted strings are kept, as they
// are usually dynamic SQL.
func stripNoise(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '-' && i+1 < len(b) && b[i+1] == '-':
			i = blank(b, i, lineEnd(b, i))
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			i = blank(b, i, blockEnd(b, i))
		case b[i] == '\'':
			escapes := i > 0 && (b[i-1] == 'e' || b[i-1] == 'E') && (i == 1 || !isWordByte(b[i-2]))
			i = blank(b, i, quoteEnd(b, i, escapes))
		}
	}
	return string(b)
}

// blank replaces b[from:to] with spaces, keeping newlines, and returns the
// index of the last blanked byte.
func blank(b []byte, from, to int) int {
	for j := from; j < to; j++ {
		if b[j] != '\n' {
			b[j] = ' '
		}
	}
	return to - 1
}

func lineEnd(b []byte, i int) int {
	for ; i < len(b) && b[i] != '\n'; i++ {
	}
	return i
}

func blockEnd(b []byte, i int) int {
	for j := i + 2; j+1 < len(b); j++ {
		if b[j] == '*' && b[j+1] == '/' {
			return j + 2
		}
	}
	return len(b)
}

// quoteEnd is the index just past the literal opened at b[i]: a doubled
// quote is part of it, and after an E prefix a backslash escapes the next byte.
func quoteEnd(b []byte, i int, escapes bool) int {
	for j := i + 1; j < len(b); j++ {
		switch {
		case escapes && b[j] == '\\':
			j++
		case b[j] == '\'' && j+1 < len(b) && b[j+1] == '\'':
			j++
		case b[j] == '\'':
			return j + 1
		}
	}
	return len(b)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
