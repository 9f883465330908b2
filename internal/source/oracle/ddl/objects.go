package ddl

import "strings"

// Alter is an ALTER TABLE the converter acts on: constraints added.
type Alter struct {
	Table Object
	Add   []Constraint
}

// ParseAlterTable reads ALTER TABLE t ADD [(] constraint [, ...] [)].
// Other alterations are an error naming what was found.
func ParseAlterTable(text string) (*Alter, error) {
	c := newCursor(text)
	if err := c.expect("ALTER", "TABLE"); err != nil {
		return nil, err
	}
	obj, err := c.object()
	if err != nil {
		return nil, err
	}
	a := &Alter{Table: obj}
	if !c.accept("ADD") {
		return nil, c.errorf("only ALTER TABLE ... ADD constraint is converted, found %s", c.describe())
	}
	paren := c.accept("(")
	for {
		if p := c.peek(); !(p.Kind == Word && constraintStart[p.Upper()]) {
			return nil, c.errorf("only constraints can be added here (ADD COLUMN belongs in CREATE TABLE), found %s", c.describe())
		}
		k, err := c.constraint(false)
		if err != nil {
			return nil, err
		}
		a.Add = append(a.Add, k)
		if !c.accept(",") {
			break
		}
	}
	if paren {
		if err := c.expect(")"); err != nil {
			return nil, err
		}
	}
	if !c.eof() {
		return nil, c.errorf("unexpected %s after the constraint", c.describe())
	}
	return a, nil
}

// IndexColumn is one key of an index: a column or an expression.
type IndexColumn struct {
	Column string // catalog form, "" for an expression
	Expr   string // the expression of a function-based index
	Desc   bool
}

// Index is a CREATE INDEX.
type Index struct {
	Object  Object
	Table   Object
	Unique  bool
	Bitmap  bool
	Reverse bool
	Columns []IndexColumn
	Local   bool // LOCAL (per partition)
	Dropped []string
}

// ParseIndex reads CREATE [UNIQUE|BITMAP] INDEX name ON table (keys) ...
func ParseIndex(text string) (*Index, error) {
	c := newCursor(text)
	if err := c.expect("CREATE"); err != nil {
		return nil, err
	}
	x := &Index{}
	switch {
	case c.accept("UNIQUE"):
		x.Unique = true
	case c.accept("BITMAP"):
		x.Bitmap = true
	case c.accept("MULTIVALUE"):
		return nil, c.errorf("multivalue (JSON) indexes are not converted")
	}
	if err := c.expect("INDEX"); err != nil {
		return nil, err
	}
	var err error
	if x.Object, err = c.object(); err != nil {
		return nil, err
	}
	if err := c.expect("ON"); err != nil {
		return nil, err
	}
	if c.peek().Is("CLUSTER") {
		return nil, c.errorf("cluster indexes are not converted")
	}
	if x.Table, err = c.object(); err != nil {
		return nil, err
	}
	if t := c.peek(); t.Kind == Word { // a table alias may stand before the keys
		c.next()
	}
	if err := c.expect("("); err != nil {
		return nil, err
	}
	for {
		start := c.peek()
		e := c.expr()
		var k IndexColumn
		words := strings.Fields(e)
		if n := len(words); n > 1 && (strings.EqualFold(words[n-1], "DESC") || strings.EqualFold(words[n-1], "ASC")) {
			k.Desc = strings.EqualFold(words[n-1], "DESC")
			e = strings.TrimSpace(e[:strings.LastIndex(e, words[n-1])])
		}
		if toks := Tokens(e); len(toks) == 1 && (toks[0].Kind == Word || toks[0].Kind == Quoted) {
			k.Column, _ = toks[0].Ident()
		} else if e == "" {
			return nil, &ParseError{Offset: start.Pos, Msg: "an index key is empty"}
		} else {
			k.Expr = e
		}
		x.Columns = append(x.Columns, k)
		if !c.accept(",") {
			break
		}
	}
	if err := c.expect(")"); err != nil {
		return nil, err
	}
	for !c.eof() {
		p := c.peek()
		switch {
		case c.accept("REVERSE"):
			x.Reverse = true
		case c.accept("LOCAL"):
			x.Local = true
			if c.peek().Text == "(" {
				_, _ = c.skipGroup()
			}
		case p.Text == "(":
			_, _ = c.skipGroup()
		case p.Kind == Word:
			x.Dropped = appendOnce(x.Dropped, p.Upper())
			c.next()
		default:
			c.next()
		}
	}
	return x, nil
}

// Sequence is a CREATE SEQUENCE. Numbers are kept as text: Oracle's
// MAXVALUE may have 28 digits.
type Sequence struct {
	Object                Object
	Start, Step           string
	Min, Max              string
	Cache                 string
	NoCache, Cycle, Order bool
}

// ParseSequence reads CREATE SEQUENCE name [options].
func ParseSequence(text string) (*Sequence, error) {
	c := newCursor(text)
	if err := c.expect("CREATE", "SEQUENCE"); err != nil {
		return nil, err
	}
	c.accept("IF", "NOT", "EXISTS")
	obj, err := c.object()
	if err != nil {
		return nil, err
	}
	s := &Sequence{Object: obj}
	for !c.eof() {
		switch {
		case c.accept("START", "WITH"):
			s.Start = c.signedNumber()
		case c.accept("INCREMENT", "BY"):
			s.Step = c.signedNumber()
		case c.accept("MINVALUE"):
			s.Min = c.signedNumber()
		case c.accept("MAXVALUE"):
			s.Max = c.signedNumber()
		case c.accept("CACHE"):
			s.Cache = c.signedNumber()
		case c.accept("NOCACHE"):
			s.NoCache = true
		case c.accept("CYCLE"):
			s.Cycle = true
		case c.accept("ORDER"):
			s.Order = true
		case c.accept("NOCYCLE"), c.accept("NOORDER"), c.accept("NOMINVALUE"), c.accept("NOMAXVALUE"), c.accept("NOKEEP"), c.accept("KEEP"),
			c.accept("NOSCALE"), c.accept("SCALE"), c.accept("EXTEND"), c.accept("NOEXTEND"), c.accept("NOSHARD"), c.accept("SHARD"),
			c.accept("GLOBAL"), c.accept("SESSION"), c.accept("NOPARTITION"):
		default:
			return nil, c.errorf("unknown sequence option %s", c.describe())
		}
	}
	return s, nil
}

// CommentOn is a COMMENT ON TABLE / COLUMN.
type CommentOn struct {
	Table  Object
	Column string // "" for a table comment
	Text   string
}

// ParseComment reads COMMENT ON TABLE t IS '...' or COMMENT ON COLUMN
// t.c IS '...' (t may be schema-qualified).
func ParseComment(text string) (*CommentOn, error) {
	c := newCursor(text)
	if err := c.expect("COMMENT", "ON"); err != nil {
		return nil, err
	}
	out := &CommentOn{}
	switch {
	case c.accept("TABLE"):
		obj, err := c.object()
		if err != nil {
			return nil, err
		}
		out.Table = obj
	case c.accept("COLUMN"):
		var parts []string
		for {
			n, ok := c.peek().Ident()
			if !ok {
				return nil, c.errorf("expected a column name, found %s", c.describe())
			}
			c.next()
			parts = append(parts, n)
			if !c.accept(".") {
				break
			}
		}
		switch len(parts) {
		case 2:
			out.Table, out.Column = Object{Name: parts[0]}, parts[1]
		case 3:
			out.Table, out.Column = Object{Schema: parts[0], Name: parts[1]}, parts[2]
		default:
			return nil, c.errorf("expected table.column after COMMENT ON COLUMN")
		}
	default:
		return nil, c.errorf("only COMMENT ON TABLE and COLUMN are converted, found %s", c.describe())
	}
	if err := c.expect("IS"); err != nil {
		return nil, err
	}
	if t := c.next(); t.Kind == String {
		out.Text = t.Text
		return out, nil
	}
	return nil, c.errorf("expected the comment as a quoted string")
}

// View is a CREATE VIEW or CREATE MATERIALIZED VIEW.
type View struct {
	Object       Object
	Columns      []string
	Query        string // the SELECT, as written
	ReadOnly     bool   // WITH READ ONLY
	CheckOption  bool   // WITH CHECK OPTION
	Materialized bool
	Dropped      []string // physical and refresh clauses of a materialized view
}

// ParseView reads CREATE [OR REPLACE] [[NO] FORCE] [EDITIONABLE ...] VIEW
// name [(columns)] AS query [WITH READ ONLY | WITH CHECK OPTION], and
// CREATE MATERIALIZED VIEW name [(columns)] [clauses] AS query.
func ParseView(text string) (*View, error) {
	c := newCursor(text)
	if err := c.expect("CREATE"); err != nil {
		return nil, err
	}
	v := &View{}
	for c.peek().Kind == Word && modifiers[c.peek().Upper()] {
		c.next()
	}
	switch {
	case c.accept("MATERIALIZED", "VIEW"):
		v.Materialized = true
	case c.accept("VIEW"):
	default:
		return nil, c.errorf("expected VIEW, found %s", c.describe())
	}
	var err error
	if v.Object, err = c.object(); err != nil {
		return nil, err
	}
	if c.peek().Text == "(" {
		if v.Columns, err = c.nameList(true); err != nil {
			return nil, err
		}
	}
	for !c.eof() && !c.peek().Is("AS") {
		if c.peek().Text == "(" {
			_, _ = c.skipGroup()
			continue
		}
		if t := c.next(); t.Kind == Word {
			v.Dropped = appendOnce(v.Dropped, t.Upper())
		}
	}
	if err := c.expect("AS"); err != nil {
		return nil, err
	}
	start := c.peek().Pos
	end := len(text)
	// A trailing WITH READ ONLY / WITH CHECK OPTION [CONSTRAINT name] at
	// the top level ends the query.
	depth := 0
	for i := c.pos; i < len(c.toks); i++ {
		t := c.toks[i]
		switch {
		case t.Text == "(" && t.Kind == Punct:
			depth++
		case t.Text == ")" && t.Kind == Punct:
			depth--
		case depth == 0 && t.Is("WITH") && i+2 < len(c.toks) && c.toks[i+1].Is("READ") && c.toks[i+2].Is("ONLY"):
			v.ReadOnly, end = true, t.Pos
		case depth == 0 && t.Is("WITH") && i+2 < len(c.toks) && c.toks[i+1].Is("CHECK") && c.toks[i+2].Is("OPTION"):
			v.CheckOption, end = true, t.Pos
		}
		if end != len(text) {
			break
		}
	}
	v.Query = strings.TrimSpace(text[start:end])
	if v.Query == "" {
		return nil, c.errorf("the view has no query after AS")
	}
	return v, nil
}
