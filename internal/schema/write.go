package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Note is something a converted schema needs a look at by hand.
type Note struct {
	Object string // "TABLE public.orders", "COLUMN public.orders.status", "INDEX public.orders_ft", ...
	Reason string
}

// Filter selects object types: Include empty means all; Exclude wins.
type Filter struct {
	Include []ObjectType
	Exclude []ObjectType
}

// Allows reports whether statements of type t pass the filter.
func (f Filter) Allows(t ObjectType) bool {
	for _, e := range f.Exclude {
		if e == t {
			return false
		}
	}
	if len(f.Include) == 0 {
		return true
	}
	for _, i := range f.Include {
		if i == t {
			return true
		}
	}
	return false
}

// Split parses a dump and keeps the statements the filter allows, dropping
// session set-up lines.
func Split(dump string, f Filter) ([]Statement, error) {
	all, err := ParseSQL(dump, "pg_dump output")
	if err != nil {
		return nil, err
	}
	var out []Statement
	for _, st := range all {
		if st.Type == Session || !f.Allows(st.Type) {
			continue
		}
		st.File = FileFor(st.Type)
		if st.Type == Schema && st.Name == "public" {
			// pg_dump emits it when public is selected; every database has it.
			st.Text = "CREATE SCHEMA IF NOT EXISTS public"
		}
		out = append(out, st)
	}
	return out, nil
}

// Write lays the statements out under dir (EXPORT_DIR/schema), one file per
// object type, in their original order, and returns statement counts per type.
// Every file is written to a temporary name and renamed into place.
func Write(dir string, stmts []Statement) (map[ObjectType]int, error) {
	byFile := map[string]*strings.Builder{}
	counts := map[ObjectType]int{}
	for _, st := range stmts {
		b := byFile[st.File]
		if b == nil {
			b = &strings.Builder{}
			byFile[st.File] = b
		}
		b.WriteString(st.Text)
		b.WriteString(";\n\n")
		counts[st.Type]++
	}
	for file, b := range byFile {
		p := filepath.Join(dir, file)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", filepath.Dir(file), err)
		}
		if err := os.WriteFile(p+".tmp", []byte(b.String()), 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", file, err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			return nil, fmt.Errorf("write %s: %w", file, err)
		}
	}
	return counts, nil
}

// Clear removes every exported schema file (export schema --start-clean).
func Clear(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list schema dir: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("clear schema dir: %w", err)
		}
	}
	return nil
}

// HasFiles reports whether dir holds any exported .sql file.
func HasFiles(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// Unqualified reports whether any statement creates an object whose name
// has no schema: an Oracle source's export, which lands in the schema
// import schema is given.
func Unqualified(stmts []Statement) bool {
	for _, st := range stmts {
		switch st.Type {
		case Table, Partition, Sequence, View, MView, Type, Domain, Function, Procedure:
			if st.Name != "" && !strings.Contains(st.Name, ".") {
				return true
			}
		}
	}
	return false
}

// SchemasOf lists the schemas the statements create objects in: CREATE
// SCHEMA names and the schema part of qualified object names.
func SchemasOf(stmts []Statement) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, st := range stmts {
		switch st.Type {
		case Schema:
			add(st.Name)
		case Table, Partition, Sequence, View, MView, Type, Domain, Function, Procedure:
			if i := strings.IndexByte(st.Name, '.'); i > 0 {
				add(st.Name[:i])
			}
		}
	}
	return out
}

// WriteNotes writes notes, one "object: reason" line each, to path.
func WriteNotes(path string, notes []Note) error {
	var b strings.Builder
	for _, n := range notes {
		fmt.Fprintf(&b, "%s: %s\n", n.Object, n.Reason)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write conversion notes: %w", err)
	}
	return nil
}
