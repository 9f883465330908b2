package redo

import (
	"fmt"
	"strings"
)

// parser reads one statement with one token of look-ahead.
type parser struct {
	sc  scanner
	tok token
}

func (p *parser) advance() { p.tok = p.sc.next() }

func (p *parser) isWord(w string) bool {
	return p.tok.kind == kWord && strings.EqualFold(p.tok.text, w)
}

func (p *parser) isPunct(c string) bool { return p.tok.kind == kPunct && p.tok.text == c }

func (p *parser) expectWord(w string) error {
	if !p.isWord(w) {
		return p.fail("expected %s, found %s", strings.ToUpper(w), p.found())
	}
	p.advance()
	return nil
}

func (p *parser) expectPunct(c string) error {
	if !p.isPunct(c) {
		return p.fail("expected %s, found %s", c, p.found())
	}
	p.advance()
	return nil
}

// found describes the current token for an error, quoting a few bytes.
func (p *parser) found() string {
	switch p.tok.kind {
	case kEOF:
		return "the end of the statement"
	case kBad:
		return "a quote that is never closed: " + excerpt(p.sc.src, p.tok.pos)
	}
	return excerpt(p.sc.src, p.tok.pos)
}

func (p *parser) fail(format string, a ...any) error {
	return &ParseError{Offset: p.tok.pos, Msg: fmt.Sprintf(format, a...)}
}

// parse reads a statement; more holds the rows after the first of a
// multi-row INSERT.
func parse(sql string) (r Redo, more [][]Column, err error) {
	p := &parser{sc: scanner{src: sql}}
	p.advance()
	switch {
	case p.isWord("insert"):
		r, more, err = p.insert()
	case p.isWord("update"):
		r, err = p.update()
	case p.isWord("delete"):
		r, err = p.delete()
	default:
		return Redo{}, nil, p.notDML()
	}
	if err == nil {
		err = p.end()
	}
	if err != nil {
		return Redo{}, nil, err
	}
	return r, more, nil
}

// notDML names what LogMiner wrote instead of a row change.
func (p *parser) notDML() error {
	switch {
	case p.tok.kind == kEOF:
		return p.fail("the statement is empty")
	case p.isWord("declare") || p.isWord("begin"):
		return p.fail("a PL/SQL block (LogMiner's LOB write form), not a row change: %s", p.found())
	case p.isWord("select"):
		return p.fail("a SELECT (LogMiner's LOB locator form), not a row change: %s", p.found())
	case p.isWord("unsupported"):
		return p.fail("LogMiner could not reconstruct this change: %s", p.found())
	}
	return p.fail("not an INSERT, UPDATE or DELETE: %s", p.found())
}

// end accepts the closing semicolon and nothing after it.
func (p *parser) end() error {
	if p.isPunct(";") {
		p.advance()
	}
	if p.tok.kind != kEOF {
		return p.fail("unexpected %s after the statement", p.found())
	}
	return nil
}

// ident reads a name in catalog form.
func (p *parser) ident(what string) (string, error) {
	t := p.tok
	switch {
	case t.kind == kQuoted && t.text != "":
		p.advance()
		return t.text, nil
	case t.kind == kWord:
		p.advance()
		return strings.ToUpper(t.text), nil
	}
	return "", p.fail("expected %s, found %s", what, p.found())
}

// table reads [owner.]table.
func (p *parser) table(r *Redo) error {
	name, err := p.ident("a table name")
	if err != nil {
		return err
	}
	if !p.isPunct(".") {
		r.Table = name
		return nil
	}
	p.advance()
	r.Owner = name
	r.Table, err = p.ident("a table name")
	return err
}

// insert reads INSERT INTO t [(cols)] VALUES (vals)[, (vals)...], or
// PRINT_PRETTY_SQL's INSERT INTO t VALUES "C" = v, ...
func (p *parser) insert() (Redo, [][]Column, error) {
	r := Redo{Op: Insert}
	p.advance()
	if err := p.expectWord("into"); err != nil {
		return r, nil, err
	}
	if err := p.table(&r); err != nil {
		return r, nil, err
	}
	named := p.isPunct("(")
	if named {
		if err := p.columnNames(&r); err != nil {
			return r, nil, err
		}
	}
	if err := p.expectWord("values"); err != nil {
		return r, nil, err
	}
	if !p.isPunct("(") {
		if named {
			return r, nil, p.fail("expected ( after VALUES, found %s", p.found())
		}
		var err error
		r.Set, err = p.assignments(nil)
		return r, nil, err
	}
	if err := p.row(&r.Set, named); err != nil {
		return r, nil, err
	}
	more, err := p.moreRows(r.Set)
	return r, more, err
}

// columnNames reads the (col, ...) list of an INSERT into r.Set.
func (p *parser) columnNames(r *Redo) error {
	// Size the list once: the commas before the first ) count the names
	// (a quoted name holding either only skews the estimate).
	rest := p.sc.src[p.sc.pos:]
	if end := strings.IndexByte(rest, ')'); end >= 0 {
		rest = rest[:end]
	}
	r.Set = make([]Column, 0, strings.Count(rest, ",")+1)
	p.advance()
	for {
		name, err := p.ident("a column name")
		if err != nil {
			return err
		}
		r.Set = append(r.Set, Column{Name: name})
		if !p.isPunct(",") {
			return p.expectPunct(")")
		}
		p.advance()
	}
}

// row reads (v, ...): into *set by position when fixed (its length is the
// count expected: the column list, or a multi-row INSERT's first row),
// else appended to it.
func (p *parser) row(set *[]Column, fixed bool) error {
	start := p.tok.pos
	p.advance()
	if !fixed && *set == nil {
		*set = make([]Column, 0, 8)
	}
	for i := 0; ; i++ {
		v, err := p.value()
		if err != nil {
			return err
		}
		switch {
		case !fixed:
			*set = append(*set, Column{Value: v})
		case i < len(*set):
			(*set)[i].Value = v
		default:
			return &ParseError{Offset: start, Msg: fmt.Sprintf("more than the %d values expected", len(*set))}
		}
		if !p.isPunct(",") {
			if fixed && i+1 < len(*set) {
				return &ParseError{Offset: start, Msg: fmt.Sprintf("%d values where %d are expected", i+1, len(*set))}
			}
			if !p.isPunct(")") {
				return p.fail("expected , or ) after a value, found %s", p.found())
			}
			p.advance()
			return nil
		}
		p.advance()
	}
}

// moreRows reads the , (vals) rows that follow a multi-row INSERT's first;
// each has as many values as the first, under the same names.
func (p *parser) moreRows(first []Column) ([][]Column, error) {
	var more [][]Column
	for p.isPunct(",") {
		p.advance()
		if !p.isPunct("(") {
			return nil, p.fail("expected ( for the next row, found %s", p.found())
		}
		row := make([]Column, len(first))
		for i := range first {
			row[i].Name = first[i].Name
		}
		if err := p.row(&row, true); err != nil {
			return nil, err
		}
		more = append(more, row)
	}
	return more, nil
}

// update reads UPDATE t SET "C" = v, ... WHERE conjuncts.
func (p *parser) update() (Redo, error) {
	r := Redo{Op: Update}
	p.advance()
	if err := p.table(&r); err != nil {
		return r, err
	}
	if err := p.expectWord("set"); err != nil {
		return r, err
	}
	var err error
	if r.Set, err = p.assignments(make([]Column, 0, 8)); err != nil {
		return r, err
	}
	return r, p.where(&r)
}

// delete reads DELETE FROM t WHERE conjuncts.
func (p *parser) delete() (Redo, error) {
	r := Redo{Op: Delete}
	p.advance()
	if err := p.expectWord("from"); err != nil {
		return r, err
	}
	if err := p.table(&r); err != nil {
		return r, err
	}
	return r, p.where(&r)
}

// assignments reads "C" = v, ... (a SET list, or a pretty INSERT's values).
func (p *parser) assignments(set []Column) ([]Column, error) {
	for {
		name, err := p.ident("a column name")
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct("="); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		set = append(set, Column{Name: name, Value: v})
		if !p.isPunct(",") {
			return set, nil
		}
		p.advance()
	}
}

// where reads WHERE "C" = v AND "D" IS NULL AND ROWID = '...'. It is
// required: a change that names no row would touch every row if applied.
func (p *parser) where(r *Redo) error {
	if !p.isWord("where") {
		return p.fail("expected WHERE, found %s (an %s must name its row)", p.found(), r.Op)
	}
	p.advance()
	r.Where = make([]Column, 0, 8)
	for {
		if err := p.conjunct(r); err != nil {
			return err
		}
		if !p.isWord("and") {
			return nil
		}
		p.advance()
	}
}

func (p *parser) conjunct(r *Redo) error {
	if p.isWord("rowid") {
		p.advance()
		if err := p.expectPunct("="); err != nil {
			return err
		}
		if p.tok.kind != kString {
			return p.fail("expected the ROWID literal, found %s", p.found())
		}
		r.RowID = p.tok.text
		p.advance()
		return nil
	}
	name, err := p.ident("a column name")
	if err != nil {
		return err
	}
	if p.isWord("is") {
		p.advance()
		if err := p.expectWord("null"); err != nil {
			return err
		}
		r.Where = append(r.Where, Column{Name: name, Value: Value{Null: true}})
		return nil
	}
	if err := p.expectPunct("="); err != nil {
		return err
	}
	v, err := p.value()
	if err != nil {
		return err
	}
	r.Where = append(r.Where, Column{Name: name, Value: v})
	return nil
}
