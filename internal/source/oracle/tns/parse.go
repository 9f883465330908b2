// Package tns reads Oracle Net's client configuration files, tnsnames.ora
// and sqlnet.ora, the way an Oracle client does, so that a DBA's TNS alias
// (--oracle-tns-alias) resolves here to the same connect descriptor and
// wallet it resolves to for SQL*Plus. go-ora has no such reader; it takes the
// descriptor text and a wallet directory, which is what Lookup returns.
//
// It owns the file syntax (parameters, nested (KEY=VALUE) lists, comments,
// continuation lines, quoted values, IFILE includes), where the files are
// searched (TNS_ADMIN, then ORACLE_HOME/network/admin), and which wallet
// applies (the descriptor's SECURITY, then sqlnet.ora's WALLET_LOCATION,
// then the configuration directory itself). It never connects.
package tns

import (
	"fmt"
	"strings"
)

// Node is one KEY=VALUE of a parameter file. A value is a word (Value), a
// list of words such as (TNSNAMES, EZCONNECT) (Items), or nested nodes
// (Children). Keys keep their spelling; Oracle compares them ignoring case.
type Node struct {
	Key      string
	Value    string
	Items    []string
	Children []*Node
	Line     int
}

// Param is one top-level parameter: one or more names (net1, net2 = ...)
// sharing a value.
type Param struct {
	Names []string
	Node  *Node // Node.Key is Names[0]
}

// SyntaxError names the file and line of the first thing that is not
// parameter-file syntax.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Msg)
}

// maxDepth bounds nesting so that no input can exhaust the stack; real
// descriptors nest five or six levels.
const maxDepth = 64

type tokKind int

const (
	tEOF tokKind = iota
	tOpen
	tClose
	tEq
	tComma
	tWord
)

type token struct {
	kind   tokKind
	text   string
	line   int
	col    int  // 0 = first column of its line
	quoted bool // a "..." or '...' value
}

// lex splits a parameter file into tokens. Comments run from # to the end
// of the line outside quotes. Words run to whitespace or one of ( ) = , ;
// a quoted value ("..." or '...') is one word without its quotes.
func lex(file string, src []byte) ([]token, error) {
	var toks []token
	line, lineStart := 1, 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			lineStart = i
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '(' || c == ')' || c == '=' || c == ',':
			k := map[byte]tokKind{'(': tOpen, ')': tClose, '=': tEq, ',': tComma}[c]
			toks = append(toks, token{kind: k, text: string(c), line: line, col: i - lineStart})
			i++
		case c == '"' || c == '\'':
			start, startLine := i, line
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\n' {
					line++
					lineStart = j + 1
				}
				j++
			}
			if j >= len(src) {
				return nil, &SyntaxError{file, startLine, "unterminated quoted value"}
			}
			toks = append(toks, token{kind: tWord, text: string(src[start+1 : j]), line: startLine, col: start - lineStart, quoted: true})
			i = j + 1
		default:
			start := i
			for i < len(src) && !strings.ContainsRune(" \t\r\n\f\v()=,#\"'", rune(src[i])) {
				i++
			}
			toks = append(toks, token{kind: tWord, text: string(src[start:i]), line: line, col: start - lineStart})
		}
	}
	return append(toks, token{kind: tEOF, line: line}), nil
}

type parser struct {
	file string
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *parser) fail(t token, format string, a ...any) error {
	return &SyntaxError{p.file, t.line, fmt.Sprintf(format, a...)}
}

// Parse reads a whole parameter file. file names it in errors.
func Parse(file string, src []byte) ([]Param, error) {
	toks, err := lex(file, src)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file, toks: toks}
	var params []Param
	for p.peek().kind != tEOF {
		prm, err := p.param()
		if err != nil {
			return nil, err
		}
		params = append(params, prm)
	}
	return params, nil
}

// param reads NAME[, NAME...] = VALUE. A parameter starts in the first
// column; a value's continuation lines are indented (or inside brackets).
func (p *parser) param() (Param, error) {
	t := p.next()
	if t.kind != tWord || t.quoted {
		return Param{}, p.fail(t, "expected a parameter name, found %q", t.text)
	}
	if t.col != 0 {
		return Param{}, p.fail(t, "parameter %q does not start in the first column (an indented line continues the parameter before it)", t.text)
	}
	names := []string{t.text}
	for p.peek().kind == tComma {
		p.next()
		n := p.next()
		if n.kind != tWord || n.quoted {
			return Param{}, p.fail(n, "expected another name after the comma in %q", t.text)
		}
		names = append(names, n.text)
	}
	eq := p.next()
	if eq.kind != tEq {
		return Param{}, p.fail(eq, "expected = after %q", strings.Join(names, ", "))
	}
	node := &Node{Key: t.text, Line: t.line}
	if err := p.value(node, 0, true); err != nil {
		return Param{}, err
	}
	return Param{Names: names, Node: node}, nil
}

// value reads what follows KEY=: a word, a (word, word) list, or nested
// (KEY=VALUE) nodes. At the top level a following word in the first column
// starts the next parameter, so it ends the value.
func (p *parser) value(n *Node, depth int, top bool) error {
	if depth > maxDepth {
		return p.fail(p.peek(), "nesting deeper than %d levels", maxDepth)
	}
	t := p.peek()
	switch t.kind {
	case tWord:
		p.next()
		n.Value = t.text
		// A bare value may be several unquoted words on one line.
		for nt := p.peek(); !t.quoted && nt.kind == tWord && !nt.quoted && nt.line == t.line && !(top && nt.col == 0); nt = p.peek() {
			p.next()
			n.Value += " " + nt.text
		}
		return nil
	case tOpen:
		if p.isWordList() {
			return p.wordList(n)
		}
		for p.peek().kind == tOpen {
			c, err := p.group(depth + 1)
			if err != nil {
				return err
			}
			n.Children = append(n.Children, c)
		}
		return nil
	case tEq, tClose, tComma:
		return p.fail(t, "expected a value for %q, found %q", n.Key, t.text)
	default:
		// KEY= at the end of the file: an empty value, as Oracle allows.
		return nil
	}
}

// isWordList reports whether the bracket at pos opens (word[, word...])
// rather than (KEY=VALUE).
func (p *parser) isWordList() bool {
	if p.pos+2 >= len(p.toks) {
		return false
	}
	a, b := p.toks[p.pos+1], p.toks[p.pos+2]
	return a.kind == tWord && (b.kind == tComma || b.kind == tClose)
}

func (p *parser) wordList(n *Node) error {
	p.next() // (
	for {
		w := p.next()
		if w.kind != tWord {
			return p.fail(w, "expected a word in the list of %q, found %q", n.Key, w.text)
		}
		n.Items = append(n.Items, w.text)
		switch s := p.next(); s.kind {
		case tComma:
		case tClose:
			return nil
		default:
			return p.fail(s, "expected , or ) in the list of %q", n.Key)
		}
	}
}

// group reads one (KEY=VALUE).
func (p *parser) group(depth int) (*Node, error) {
	open := p.next()
	k := p.next()
	if k.kind != tWord || k.quoted {
		return nil, p.fail(k, "expected a keyword after (, found %q", k.text)
	}
	if eq := p.next(); eq.kind != tEq {
		return nil, p.fail(eq, "expected = after (%s", k.text)
	}
	n := &Node{Key: k.text, Line: open.line}
	if p.peek().kind != tClose {
		if err := p.value(n, depth, false); err != nil {
			return nil, err
		}
	}
	if c := p.next(); c.kind != tClose {
		return nil, p.fail(c, "expected ) to close (%s=, opened on line %d", k.text, open.line)
	}
	return n, nil
}

// Child returns the first child whose key matches (ignoring case).
func (n *Node) Child(key string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if strings.EqualFold(c.Key, key) {
			return c
		}
	}
	return nil
}

// Find returns every node below n (n included) with the key, depth first.
func (n *Node) Find(key string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	if strings.EqualFold(n.Key, key) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, c.Find(key)...)
	}
	return out
}

// String writes the node back as one line of parameter syntax, keys upper
// case, values quoted when they hold a character the syntax reserves. This
// is the connect descriptor text handed to the driver.
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	b.WriteString("(")
	b.WriteString(strings.ToUpper(n.Key))
	b.WriteString("=")
	n.writeValue(b)
	b.WriteString(")")
}

func (n *Node) writeValue(b *strings.Builder) {
	switch {
	case len(n.Children) > 0:
		for _, c := range n.Children {
			c.write(b)
		}
	case len(n.Items) > 0:
		b.WriteString("(")
		for i, it := range n.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(it))
		}
		b.WriteString(")")
	default:
		b.WriteString(quote(n.Value))
	}
}

// Text writes the parameter's value as it would follow NAME=.
func (n *Node) Text() string {
	var b strings.Builder
	n.writeValue(&b)
	return b.String()
}

func quote(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\r\n\f\v()=,#'\"") {
		if strings.ContainsRune(v, '"') {
			return "'" + v + "'"
		}
		return `"` + v + `"`
	}
	return v
}
