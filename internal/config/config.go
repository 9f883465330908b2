// Package config owns how settings reach cobra flags from outside the command
// line: a YAML config file in YugabyteDB Voyager's format and a few
// environment variables. Precedence is flag > environment > config file >
// flag default.
//
// The file's top-level scalar keys are flag names ("export-dir: /x"). The
// sections "source:", "target:" and "source-replica:" hold database keys that
// become flags with that prefix ("db-host" under "source:" sets
// --source-db-host). Any other section is named after a command path below
// the root, words joined with "-" ("export-data:", "import-schema:") and
// applies only when that command runs. Within the file, the running command's
// section overrides the database sections, which override top-level keys.
//
// Keys that are flags of some other command are ignored, because one file
// serves every command; keys that no command defines are errors. Values are
// never included in error messages, because they may be passwords.
package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envBinding reads one environment variable into one flag.
type envBinding struct {
	envVar string
	flag   string
}

// envBindings is the complete list of environment variables Apply reads.
var envBindings = []envBinding{
	{envVar: "SOURCE_DB_PASSWORD", flag: "source-db-password"},
	{envVar: "TARGET_DB_PASSWORD", flag: "target-db-password"},
}

// setting is a value from the file resolved to the flag it sets.
type setting struct {
	flag    string
	section string
	entry
}

// Apply fills the flags of cmd, the command being run, that were not given on
// the command line: first from the environment variables in envBindings (read
// through getenv; nil means os.Getenv, empty values are ignored), then from
// the config file at path, if path is not empty. Flags it sets are marked
// Changed, so cobra's required-flag checks accept them. Call it after flag
// parsing, e.g. from the root command's PersistentPreRunE.
func Apply(cmd *cobra.Command, path string, getenv func(string) string) error {
	if getenv == nil {
		getenv = os.Getenv
	}
	cmd.InheritedFlags() // merges the ancestors' persistent flags into cmd.Flags()
	if err := applyEnv(cmd.Flags(), getenv); err != nil {
		return err
	}
	if path == "" {
		return nil
	}
	doc, err := load(path)
	if err != nil {
		return err
	}
	if err := doc.validate(newTree(cmd.Root())); err != nil {
		return err
	}
	settings, err := doc.settingsFor(cmd)
	if err != nil {
		return err
	}
	return doc.apply(cmd.Flags(), settings)
}

func applyEnv(fs *pflag.FlagSet, getenv func(string) string) error {
	for _, b := range envBindings {
		v := getenv(b.envVar)
		f := fs.Lookup(b.flag)
		if v == "" || f == nil || f.Changed {
			continue
		}
		if err := fs.Set(f.Name, v); err != nil {
			// err quotes the value, which may be a secret: do not wrap it.
			return fmt.Errorf("environment variable %s: value is not a valid %s for --%s",
				b.envVar, f.Value.Type(), f.Name)
		}
	}
	return nil
}

// validate checks every key and section of the file against the whole
// command tree, so a typo is reported whichever command runs.
func (d *document) validate(t *tree) error {
	for _, e := range d.globals {
		_, isDB := prefixSections[e.key]
		isSection := isDB || t.sections[e.key]
		switch {
		case isSection && e.null:
			continue // an empty section
		case isSection:
			return d.errorf(e.line, "section %q must be a mapping of keys to values", e.key)
		case !t.hasFlag(e.key):
			return d.unknownKey(e.key, globalSection)
		}
	}
	for _, s := range d.sections {
		if err := d.validateSection(t, s); err != nil {
			return err
		}
	}
	return nil
}

func (d *document) validateSection(t *tree, s section) error {
	prefix, isDB := prefixSections[s.name]
	if !isDB && !t.sections[s.name] {
		if t.hasFlag(s.name) {
			return d.errorf(s.line, "key %q in section %q must be a value or a list, not a mapping",
				s.name, globalSection)
		}
		return d.errorf(s.line, "unknown section %q: not a command path such as \"export-data\" "+
			"nor one of \"source\", \"target\", \"source-replica\"", s.name)
	}
	for _, e := range s.entries {
		if !t.hasFlag(prefix + e.key) {
			return d.unknownKey(e.key, s.name)
		}
	}
	return nil
}

func (d *document) unknownKey(key, section string) error {
	return fmt.Errorf("config file %s: unknown key %q in section %q", d.path, key, section)
}

// settingsFor resolves the file into flag values for cmd, later layers
// overriding earlier ones: top-level keys, database sections, cmd's section.
// Keys without a value do not override anything.
func (d *document) settingsFor(cmd *cobra.Command) ([]setting, error) {
	var out []setting
	index := map[string]int{}
	add := func(flag, section string, e entry) {
		if e.null {
			return
		}
		if i, ok := index[flag]; ok {
			out[i] = setting{flag, section, e}
			return
		}
		index[flag] = len(out)
		out = append(out, setting{flag, section, e})
	}
	for _, e := range d.globals {
		add(e.key, globalSection, e)
	}
	for _, s := range d.sections {
		if prefix, ok := prefixSections[s.name]; ok {
			for _, e := range s.entries {
				add(prefix+e.key, s.name, e)
			}
		}
	}
	own, err := d.commandSection(cmd)
	if err != nil || own == nil {
		return out, err
	}
	for _, e := range own.entries {
		add(e.key, own.name, e)
	}
	return out, nil
}

// commandSection finds the one section, if any, that configures cmd.
func (d *document) commandSection(cmd *cobra.Command) (*section, error) {
	names := sectionNames(cmd)
	var found *section
	for i := range d.sections {
		s := &d.sections[i]
		if _, isDB := prefixSections[s.name]; isDB || !slices.Contains(names, s.name) {
			continue
		}
		if found != nil {
			return nil, d.errorf(s.line, "sections %q and %q both configure %q; keep only one",
				found.name, s.name, cmd.CommandPath())
		}
		found = s
	}
	return found, nil
}

// apply sets each resolved value on cmd's flags unless the flag belongs to
// another command or was already set on the command line or from the
// environment.
func (d *document) apply(fs *pflag.FlagSet, settings []setting) error {
	for _, s := range settings {
		f := fs.Lookup(s.flag)
		if f == nil || f.Changed {
			continue
		}
		if err := fs.Set(f.Name, boolWord(f, s.value)); err != nil {
			// err quotes the value, which may be a secret: do not wrap it.
			return d.errorf(s.line, "key %q in section %q: value is not a valid %s for --%s",
				s.key, s.section, f.Value.Type(), f.Name)
		}
	}
	return nil
}

// boolWord accepts the YAML 1.1 words yes/no/on/off for boolean flags, which
// Voyager's documentation allows and strconv.ParseBool does not.
func boolWord(f *pflag.Flag, v string) string {
	if f.Value.Type() != "bool" {
		return v
	}
	switch strings.ToLower(v) {
	case "yes", "y", "on":
		return "true"
	case "no", "n", "off":
		return "false"
	}
	return v
}
