package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// globalSection is the name used in messages for keys at the top level of
// the file.
const globalSection = "global"

// entry is one key/value pair read from the file. Value is never put into an
// error message: it may be a password.
type entry struct {
	key   string
	value string
	null  bool // the key is present with no value; it is not applied
	line  int
}

// section is a top-level key whose value is a mapping.
type section struct {
	name    string
	line    int
	entries []entry
}

// document is a parsed config file: top-level scalar keys and sections, in
// file order.
type document struct {
	path     string
	globals  []entry
	sections []section
}

// load reads and parses the config file at path.
func load(path string) (*document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in our message
		}
		return nil, fmt.Errorf("config file %s: cannot read: %w", path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		// Not wrapped: some yaml messages quote text from the file, e.g. an
		// unquoted password starting with "*" reads as an unknown anchor.
		return nil, fmt.Errorf("config file %s: invalid YAML: %s", path, redactQuoted(err.Error()))
	}
	doc := &document{path: path}
	if len(root.Content) == 0 {
		return doc, nil // empty file
	}
	top := deref(root.Content[0])
	if isNull(top) {
		return doc, nil
	}
	if top.Kind != yaml.MappingNode {
		return nil, doc.errorf(top.Line, "the top level must be a mapping of keys to values")
	}
	return doc, doc.parseTop(top)
}

// parseTop splits the top-level mapping into global entries and sections.
func (d *document) parseTop(top *yaml.Node) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], deref(top.Content[i+1])
		key, err := d.keyName(k, globalSection, seen)
		if err != nil {
			return err
		}
		if v.Kind != yaml.MappingNode {
			e, err := d.scalarEntry(key, globalSection, v)
			if err != nil {
				return err
			}
			e.line = k.Line
			d.globals = append(d.globals, e)
			continue
		}
		s, err := d.parseSection(key, k.Line, v)
		if err != nil {
			return err
		}
		d.sections = append(d.sections, s)
	}
	return nil
}

// parseSection reads the key/value pairs of one section.
func (d *document) parseSection(name string, line int, m *yaml.Node) (section, error) {
	s := section{name: name, line: line}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		key, err := d.keyName(k, name, seen)
		if err != nil {
			return s, err
		}
		e, err := d.scalarEntry(key, name, v)
		if err != nil {
			return s, err
		}
		e.line = k.Line
		s.entries = append(s.entries, e)
	}
	return s, nil
}

// keyName checks that k is a scalar key not seen before in the same mapping.
func (d *document) keyName(k *yaml.Node, sec string, seen map[string]bool) (string, error) {
	k = deref(k)
	if k.Kind != yaml.ScalarNode {
		return "", d.errorf(k.Line, "keys in section %q must be plain names", sec)
	}
	if seen[k.Value] {
		return "", d.errorf(k.Line, "key %q appears twice in section %q", k.Value, sec)
	}
	seen[k.Value] = true
	return k.Value, nil
}

// scalarEntry converts a value node into an entry. Scalars are kept as
// written; lists of scalars are joined with ",".
func (d *document) scalarEntry(key, sec string, v *yaml.Node) (entry, error) {
	e := entry{key: key}
	switch {
	case isNull(v):
		e.null = true
	case v.Kind == yaml.ScalarNode:
		e.value = v.Value
	case v.Kind == yaml.SequenceNode:
		items := make([]string, 0, len(v.Content))
		for _, item := range v.Content {
			item = deref(item)
			if item.Kind != yaml.ScalarNode {
				return e, d.errorf(item.Line, "key %q in section %q: list items must be plain values", key, sec)
			}
			items = append(items, item.Value)
		}
		e.value = strings.Join(items, ",")
	default:
		return e, d.errorf(v.Line, "key %q in section %q: nested mappings are not supported", key, sec)
	}
	return e, nil
}

// errorf builds an error that names the file and line. Callers must never
// pass a value from the file as an argument.
func (d *document) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("config file %s: line %d: %s", d.path, line, fmt.Sprintf(format, args...))
}

// quotedText matches text that yaml error messages quote from the file.
var quotedText = regexp.MustCompile("'[^']*'|`[^`]*`")

func redactQuoted(msg string) string {
	return quotedText.ReplaceAllString(msg, "(redacted)")
}

// deref follows YAML aliases (*anchor) to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
