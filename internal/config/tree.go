package config

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// prefixSections maps the database sections of the file to the prefix their
// keys get as flag names: "db-host" under "source:" is --source-db-host.
var prefixSections = map[string]string{
	"source":         "source-",
	"target":         "target-",
	"source-replica": "source-replica-",
}

// equivalentSections lists section names that configure the same command,
// as in YugabyteDB Voyager: "export data from source" is "export data".
var equivalentSections = [][]string{
	{"export-data", "export-data-from-source"},
	{"import-data", "import-data-to-target"},
}

// tree answers questions about the whole command tree: which flag names and
// which command sections exist anywhere in it.
type tree struct {
	commands []*cobra.Command
	sections map[string]bool
}

func newTree(root *cobra.Command) *tree {
	t := &tree{sections: map[string]bool{}}
	t.walk(root)
	return t
}

func (t *tree) walk(c *cobra.Command) {
	t.commands = append(t.commands, c)
	for _, name := range sectionNames(c) {
		t.sections[name] = true
	}
	for _, sub := range c.Commands() {
		t.walk(sub)
	}
}

// hasFlag reports whether any command in the tree defines the flag.
func (t *tree) hasFlag(name string) bool {
	for _, c := range t.commands {
		if c.Flags().Lookup(name) != nil || c.PersistentFlags().Lookup(name) != nil {
			return true
		}
	}
	return false
}

// sectionNames returns every section name that configures c: its command
// path without the root, words joined with "-", spelled with each of the
// names and aliases of every command on the path, plus the Voyager
// equivalents of those. The root command has no section.
func sectionNames(c *cobra.Command) []string {
	if !c.HasParent() {
		return nil
	}
	names := pathNames(c)
	for _, group := range equivalentSections {
		if containsAny(names, group) {
			names = appendMissing(names, group)
		}
	}
	return names
}

// pathNames spells c's path below the root in every way cobra accepts.
func pathNames(c *cobra.Command) []string {
	words := append([]string{c.Name()}, c.Aliases...)
	if !c.Parent().HasParent() {
		return dashed(words)
	}
	var out []string
	for _, prefix := range pathNames(c.Parent()) {
		for _, w := range dashed(words) {
			out = append(out, prefix+"-"+w)
		}
	}
	return out
}

func dashed(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.Join(strings.Fields(w), "-")
	}
	return out
}

func containsAny(have, want []string) bool {
	return slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
}

func appendMissing(have, add []string) []string {
	for _, a := range add {
		if !slices.Contains(have, a) {
			have = append(have, a)
		}
	}
	return have
}
