// Package schema owns the exported schema as files under EXPORT_DIR/schema:
// which object types exist, which file each statement belongs in, and how a
// (possibly hand-edited) file is read back into statements. Parsing uses the
// real PostgreSQL parser (pg_query_go); a statement's original text is kept
// byte for byte, so what the user edited is what gets applied.
package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// ObjectType is a kind of schema object, named as --object-type-list takes it.
type ObjectType string

// Object types, in the order import schema creates them.
const (
	Schema        ObjectType = "SCHEMA"
	Collation     ObjectType = "COLLATION"
	Extension     ObjectType = "EXTENSION"
	Type          ObjectType = "TYPE"
	Domain        ObjectType = "DOMAIN"
	Sequence      ObjectType = "SEQUENCE"
	Function      ObjectType = "FUNCTION"
	Table         ObjectType = "TABLE"
	Partition     ObjectType = "PARTITION"
	Procedure     ObjectType = "PROCEDURE"
	View          ObjectType = "VIEW"
	MView         ObjectType = "MVIEW"
	Synonym       ObjectType = "SYNONYM" // an Oracle synonym, as the view that stands for it
	Package       ObjectType = "PACKAGE" // an Oracle package, kept as source to rewrite
	Index         ObjectType = "INDEX"
	Trigger       ObjectType = "TRIGGER"
	Policy        ObjectType = "POLICY"
	Comment       ObjectType = "COMMENT"
	Uncategorized ObjectType = "UNCATEGORIZED"
)

// Order is the creation order of object types.
var Order = []ObjectType{Schema, Collation, Extension, Type, Domain, Sequence, Function, Table, Partition,
	Procedure, Package, View, MView, Synonym, Index, Trigger, Policy, Comment, Uncategorized}

// files maps each object type to its file under schema/, as Voyager lays it out.
var files = map[ObjectType]string{
	Schema:        "schemas/schema.sql",
	Collation:     "collations/collation.sql",
	Extension:     "extensions/extension.sql",
	Type:          "types/type.sql",
	Domain:        "domains/domain.sql",
	Sequence:      "sequences/sequence.sql",
	Function:      "functions/function.sql",
	Table:         "tables/table.sql",
	Partition:     "partitions/partition.sql",
	Procedure:     "procedures/procedure.sql",
	View:          "views/view.sql",
	MView:         "mviews/mview.sql",
	Synonym:       "synonyms/synonym.sql",
	Package:       "packages/package.sql",
	Index:         "tables/INDEXES_table.sql",
	Trigger:       "triggers/trigger.sql",
	Policy:        "policies/policy.sql",
	Comment:       "comments/comment.sql",
	Uncategorized: "uncategorized.sql",
}

// FileFor is the file (relative to schema/) that holds objects of type t.
func FileFor(t ObjectType) string { return files[t] }

// ParseObjectTypes parses a comma-separated --object-type-list value.
func ParseObjectTypes(s string) ([]ObjectType, error) {
	var out []ObjectType
	for _, p := range strings.Split(s, ",") {
		p = strings.ToUpper(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if _, ok := files[ObjectType(p)]; !ok {
			return nil, fmt.Errorf("unknown object type %q: use any of %s", p, joinTypes(Order))
		}
		out = append(out, ObjectType(p))
	}
	return out, nil
}

func joinTypes(ts []ObjectType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// Statement is one SQL statement of a schema file.
type Statement struct {
	Text string     // original text, without the terminating semicolon
	File string     // path relative to schema/
	Line int        // 1-based line of File where the statement starts
	Type ObjectType // what it creates or alters
	Name string     // the object's name where the statement names one
	Node *pg_query.Node
}

// Location is "file:line", for reports and errors.
func (s Statement) Location() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// ParseSQL splits sql into statements with the real parser, keeping each
// statement's original text and line. Leading comments are not part of a
// statement's text. rel names the file in errors and in each Statement.
func ParseSQL(sql, rel string) ([]Statement, error) {
	res, err := pg_query.Parse(sql)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", rel, err)
	}
	out := make([]Statement, 0, len(res.Stmts))
	for _, rs := range res.Stmts {
		start := int(rs.StmtLocation)
		end := len(sql)
		if rs.StmtLen > 0 {
			end = start + int(rs.StmtLen)
		}
		raw := sql[start:end]
		trimmed, skipped := trimLeading(raw)
		if trimmed == "" {
			continue
		}
		st := Statement{Text: trimmed, File: rel, Line: 1 + strings.Count(sql[:start+skipped], "\n"), Node: rs.Stmt}
		st.Type, st.Name = Classify(rs.Stmt)
		out = append(out, st)
	}
	return out, nil
}

// trimLeading drops whitespace and comments before a statement and
// whitespace after it; it returns the text and how many bytes were skipped.
func trimLeading(s string) (string, int) {
	i := 0
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
			i++
		case strings.HasPrefix(s[i:], "--"):
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				return "", len(s)
			}
			i += nl + 1
		case strings.HasPrefix(s[i:], "/*"):
			e := strings.Index(s[i+2:], "*/")
			if e < 0 {
				return "", len(s)
			}
			i += e + 4
		default:
			return strings.TrimRight(s[i:], " \t\r\n"), i
		}
	}
	return "", len(s)
}

// ParseFile reads and parses one schema file.
func ParseFile(path, rel string) ([]Statement, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	return ParseSQL(string(b), rel)
}

// LoadDir parses every .sql file under dir (EXPORT_DIR/schema), in a stable
// order, skipping failed.sql (import schema's record of failures).
func LoadDir(dir string) ([]Statement, error) {
	paths, err := schemaFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []Statement
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		sts, err := ParseFile(p, rel)
		if err != nil {
			return nil, err
		}
		out = append(out, sts...)
	}
	return out, nil
}

// schemaFiles lists the .sql files under dir in a stable order, without
// failed.sql (import schema's record of failures).
func schemaFiles(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".sql") && d.Name() != "failed.sql" {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list schema files: %w", err)
	}
	sort.Strings(paths)
	return paths, nil
}
