package ddl

import (
	"strconv"
	"strings"
)

// ParseTable reads a CREATE TABLE statement.
func ParseTable(text string) (*Table, error) {
	c := newCursor(text)
	t := &Table{}
	if err := c.expect("CREATE"); err != nil {
		return nil, err
	}
	if c.accept("GLOBAL", "TEMPORARY") {
		t.Temporary = true
	}
	c.accept("PRIVATE", "TEMPORARY")
	c.accept("SHARDED")
	c.accept("DUPLICATED")
	if err := c.expect("TABLE"); err != nil {
		return nil, err
	}
	c.accept("IF", "NOT", "EXISTS")
	obj, err := c.object()
	if err != nil {
		return nil, err
	}
	t.Object = obj
	switch {
	case c.peek().Is("OF"):
		return nil, c.errorf("object tables (CREATE TABLE ... OF type) are not converted")
	case c.peek().Is("AS"):
		return nil, c.errorf("CREATE TABLE ... AS SELECT is not converted: create the table with its columns")
	case c.peek().Text != "(":
		return nil, c.errorf("expected ( and the columns after the table name, found %s", c.describe())
	}
	c.next()
	for {
		if err := c.element(t); err != nil {
			return nil, err
		}
		if c.accept(",") {
			continue
		}
		if err := c.expect(")"); err != nil {
			return nil, err
		}
		break
	}
	return t, c.tableProperties(t)
}

// object reads [schema.]name.
func (c *cursor) object() (Object, error) {
	a, ok := c.peek().Ident()
	if !ok {
		return Object{}, c.errorf("expected a name, found %s", c.describe())
	}
	c.next()
	if c.peek().Text == "." && c.peek().Kind == Punct {
		c.next()
		b, ok := c.peek().Ident()
		if !ok {
			return Object{}, c.errorf("expected a name after %s., found %s", a, c.describe())
		}
		c.next()
		return Object{Schema: a, Name: b}, nil
	}
	return Object{Name: a}, nil
}

// names reads ( name, name ... ).
func (c *cursor) names() ([]string, error) { return c.nameList(false) }

// nameList reads ( name ..., name ... ); with rest, anything after each
// name up to its comma (a view column's constraint) is skipped.
func (c *cursor) nameList(rest bool) ([]string, error) {
	if err := c.expect("("); err != nil {
		return nil, err
	}
	var out []string
	for {
		n, ok := c.peek().Ident()
		if !ok {
			return nil, c.errorf("expected a column name, found %s", c.describe())
		}
		c.next()
		out = append(out, n)
		if rest {
			c.skipToElementEnd()
		}
		if c.accept(",") {
			continue
		}
		return out, c.expect(")")
	}
}

var constraintStart = map[string]bool{"CONSTRAINT": true, "PRIMARY": true, "UNIQUE": true, "FOREIGN": true, "CHECK": true}

func (c *cursor) element(t *Table) error {
	p := c.peek()
	switch {
	case p.Kind == Word && constraintStart[p.Upper()]:
		k, err := c.constraint(false)
		if err != nil {
			return err
		}
		t.Constraints = append(t.Constraints, k)
		return nil
	case p.Is("SUPPLEMENTAL"), p.Is("PERIOD"):
		c.skipToElementEnd()
		t.Dropped = appendOnce(t.Dropped, p.Upper())
		return nil
	}
	return c.column(t)
}

func (c *cursor) column(t *Table) error {
	name, ok := c.peek().Ident()
	if !ok {
		return c.errorf("expected a column name, found %s", c.describe())
	}
	c.next()
	col := Column{Name: name}
	// A virtual column may omit its type: name AS (expr).
	if !c.peek().Is("GENERATED") && !c.peek().Is("AS") {
		ty, err := c.dataType()
		if err != nil {
			return err
		}
		col.Type = ty
	}
	for {
		p := c.peek()
		switch {
		case p.Kind == EOF || p.Kind == Punct && (p.Text == "," || p.Text == ")"):
			t.Columns = append(t.Columns, col)
			return nil
		case c.accept("SORT"), c.accept("VISIBLE"):
		case c.accept("INVISIBLE"):
			col.Invisible = true
		case c.accept("DEFAULT"):
			if c.accept("ON", "NULL") {
				col.DefaultOnNull = true
			}
			col.Default = c.expr()
		case p.Is("GENERATED") || p.Is("AS"):
			if err := c.generated(&col); err != nil {
				return err
			}
		case c.accept("VIRTUAL"):
		case c.accept("NOT", "NULL"):
			col.NotNull = true
			c.states(nil)
		case c.accept("NULL"):
			c.states(nil)
		case p.Is("CONSTRAINT") && c.peekN(2).Is("NOT") && c.peekN(3).Is("NULL"):
			c.pos += 4
			col.NotNull = true
			c.states(nil)
		case p.Is("CONSTRAINT") && c.peekN(2).Is("NULL"):
			c.pos += 3
			c.states(nil)
		case p.Kind == Word && (constraintStart[p.Upper()] || p.Is("REFERENCES")):
			k, err := c.constraint(true)
			if err != nil {
				return err
			}
			k.Columns = []string{name}
			t.Constraints = append(t.Constraints, k)
		case c.accept("COLLATE"), c.accept("ENCRYPT"):
			t.Dropped = appendOnce(t.Dropped, p.Upper())
			c.skipClauseArgs()
		default:
			return c.errorf("column %s: unexpected %s", name, c.describe())
		}
	}
}

// generated reads GENERATED ... AS IDENTITY [(options)] or
// [GENERATED ALWAYS] AS (expr) [VIRTUAL].
func (c *cursor) generated(col *Column) error {
	if c.accept("GENERATED") {
		id := &Identity{}
		switch {
		case c.accept("ALWAYS"):
			id.Always = true
		case c.accept("BY", "DEFAULT"):
			id.OnNull = c.accept("ON", "NULL")
		}
		if err := c.expect("AS"); err != nil {
			return err
		}
		if c.accept("IDENTITY") {
			if c.peek().Text == "(" {
				opts, err := c.skipGroup()
				if err != nil {
					return err
				}
				id.Options = opts
			} else {
				id.Options = c.identityOptions() // DBMS_METADATA writes them bare
			}
			id.Start, id.Step = identityNumbers(id.Options)
			col.Identity = id
			return nil
		}
	} else if err := c.expect("AS"); err != nil {
		return err
	}
	expr, err := c.skipGroup()
	if err != nil {
		return err
	}
	col.Virtual = expr
	return nil
}

// identityWords are the words of sequence options written after IDENTITY
// without brackets.
var identityWords = map[string]bool{"START": true, "WITH": true, "INCREMENT": true, "BY": true, "MINVALUE": true, "NOMINVALUE": true,
	"MAXVALUE": true, "NOMAXVALUE": true, "CACHE": true, "NOCACHE": true, "CYCLE": true, "NOCYCLE": true, "ORDER": true, "NOORDER": true,
	"KEEP": true, "NOKEEP": true, "SCALE": true, "NOSCALE": true, "EXTEND": true, "NOEXTEND": true, "SHARD": true, "NOSHARD": true,
	"LIMIT": true, "VALUE": true}

func (c *cursor) identityOptions() string {
	start, end := c.peek().Pos, c.peek().Pos
	for !c.eof() {
		t := c.peek()
		if !(t.Kind == Word && identityWords[t.Upper()] || t.Kind == Number || t.Kind == Punct && t.Text == "-") {
			break
		}
		c.next()
		end = t.End
	}
	return strings.TrimSpace(c.text[start:end])
}

// identityNumbers reads START WITH n and INCREMENT BY n from identity
// options.
func identityNumbers(opts string) (start, step string) {
	oc := newCursor(opts)
	for !oc.eof() {
		switch {
		case oc.accept("START", "WITH"):
			if oc.accept("LIMIT", "VALUE") {
				continue
			}
			start = oc.signedNumber()
		case oc.accept("INCREMENT", "BY"):
			step = oc.signedNumber()
		default:
			oc.next()
		}
	}
	return start, step
}

func (c *cursor) signedNumber() string {
	sign := ""
	if t := c.peek(); t.Kind == Punct && (t.Text == "-" || t.Text == "+") {
		c.next()
		if t.Text == "-" {
			sign = "-"
		}
	}
	if c.peek().Kind == Number {
		return sign + c.next().Text
	}
	return ""
}

// exprStop are the words that end a DEFAULT expression at depth 0.
var exprStop = map[string]bool{"CONSTRAINT": true, "NOT": true, "NULL": true, "PRIMARY": true, "UNIQUE": true, "REFERENCES": true,
	"CHECK": true, "ENABLE": true, "DISABLE": true, "GENERATED": true, "INVISIBLE": true, "VISIBLE": true, "COLLATE": true, "ENCRYPT": true}

// expr reads an expression up to a comma or bracket closing its list, or
// a word that starts the next clause, and returns its text.
func (c *cursor) expr() string {
	start := c.peek()
	end := start.Pos
	depth := 0
	for !c.eof() {
		t := c.peek()
		if t.Kind == Punct && t.Text == "(" {
			depth++
		}
		if t.Kind == Punct && t.Text == ")" {
			if depth == 0 {
				break
			}
			depth--
		}
		if depth == 0 && (t.Kind == Punct && t.Text == "," || t.Kind == Word && exprStop[t.Upper()] && !(t.Is("NULL") && end == start.Pos)) {
			break
		}
		c.next()
		end = t.End
	}
	return strings.TrimSpace(c.text[start.Pos:max(end, start.Pos)])
}

// dataType reads a type: its (possibly several) words and arguments.
func (c *cursor) dataType() (Type, error) {
	start := c.peek()
	ty := Type{Precision: -1, Fraction: -1, Leading: -1}
	w, ok := start.Ident()
	if !ok {
		return ty, c.errorf("expected a data type, found %s", c.describe())
	}
	c.next()
	if c.peek().Kind == Punct && c.peek().Text == "." { // owner.type
		c.next()
		n, ok := c.peek().Ident()
		if !ok {
			return ty, c.errorf("expected a type name after %s., found %s", w, c.describe())
		}
		c.next()
		ty.Owner, w = w, n
	}
	ty.Name = w
	switch w {
	case "DOUBLE":
		if c.accept("PRECISION") {
			ty.Name = "DOUBLE PRECISION"
		}
	case "LONG":
		if c.accept("RAW") {
			ty.Name = "LONG RAW"
		}
	case "NATIONAL":
		c.accept("CHARACTER")
		c.accept("CHAR")
		ty.Name = "NCHAR"
		if c.accept("VARYING") {
			ty.Name = "NVARCHAR2"
		}
	case "CHARACTER", "CHAR":
		if c.accept("VARYING") {
			ty.Name = "VARCHAR2"
		}
	case "TIMESTAMP":
		if err := c.optTypeArgs(&ty, &ty.Fraction, nil); err != nil {
			return ty, err
		}
		switch {
		case c.accept("WITH", "LOCAL", "TIME", "ZONE"):
			ty.Name = "TIMESTAMP WITH LOCAL TIME ZONE"
		case c.accept("WITH", "TIME", "ZONE"):
			ty.Name = "TIMESTAMP WITH TIME ZONE"
		}
		ty.Text = strings.TrimSpace(c.text[start.Pos:c.toks[c.pos-1].End])
		return ty, nil
	case "INTERVAL":
		switch {
		case c.accept("YEAR"):
			ty.Name = "INTERVAL YEAR TO MONTH"
			if err := c.optTypeArgs(&ty, &ty.Leading, nil); err != nil {
				return ty, err
			}
			if err := c.expect("TO", "MONTH"); err != nil {
				return ty, err
			}
		case c.accept("DAY"):
			ty.Name = "INTERVAL DAY TO SECOND"
			if err := c.optTypeArgs(&ty, &ty.Leading, nil); err != nil {
				return ty, err
			}
			if err := c.expect("TO", "SECOND"); err != nil {
				return ty, err
			}
			if err := c.optTypeArgs(&ty, &ty.Fraction, nil); err != nil {
				return ty, err
			}
		default:
			return ty, c.errorf("expected YEAR or DAY after INTERVAL, found %s", c.describe())
		}
		ty.Text = strings.TrimSpace(c.text[start.Pos:c.toks[c.pos-1].End])
		return ty, nil
	}
	if err := c.optTypeArgs(&ty, &ty.Precision, &ty.Scale); err != nil {
		return ty, err
	}
	ty.Text = strings.TrimSpace(c.text[start.Pos:c.toks[c.pos-1].End])
	return ty, nil
}

// optTypeArgs reads a type's bracketed arguments when they come next.
func (c *cursor) optTypeArgs(ty *Type, first, second *int) error {
	if p := c.peek(); p.Kind != Punct || p.Text != "(" {
		return nil
	}
	return c.typeArgs(ty, first, second)
}

// typeArgs reads (n [BYTE|CHAR]) or (p, s) or (*, s).
func (c *cursor) typeArgs(ty *Type, first, second *int) error {
	c.next() // (
	read := func(dst *int) error {
		t := c.next()
		switch {
		case t.Kind == Punct && t.Text == "*":
			*dst = -1
		case t.Kind == Punct && t.Text == "-" && c.peek().Kind == Number:
			n, err := strconv.Atoi(c.next().Text)
			if err != nil {
				return c.errorf("type argument %q is not a number", t.Text)
			}
			*dst = -n
		case t.Kind == Number:
			n, err := strconv.Atoi(t.Text)
			if err != nil {
				return c.errorf("type argument %q is not a whole number", t.Text)
			}
			*dst = n
		default:
			return c.errorf("expected a number in the type's brackets, found %q", t.Text)
		}
		return nil
	}
	if err := read(first); err != nil {
		return err
	}
	switch {
	case c.accept("CHAR"):
		ty.Char = true
	case c.accept("BYTE"):
		ty.Byte = true
	}
	if second != nil && c.accept(",") {
		if err := read(second); err != nil {
			return err
		}
		ty.ScaleGiven = true
	}
	return c.expect(")")
}

func appendOnce(list []string, w string) []string {
	for _, x := range list {
		if x == w {
			return list
		}
	}
	return append(list, w)
}

// skipToElementEnd skips to the comma or bracket ending a list element.
func (c *cursor) skipToElementEnd() {
	for !c.eof() {
		t := c.peek()
		if t.Kind == Punct && (t.Text == "," || t.Text == ")") {
			return
		}
		if t.Kind == Punct && t.Text == "(" {
			if _, err := c.skipGroup(); err != nil {
				return
			}
			continue
		}
		c.next()
	}
}

// skipClauseArgs skips one word or bracket group after a clause keyword.
func (c *cursor) skipClauseArgs() {
	if c.peek().Kind == Punct && c.peek().Text == "(" {
		_, _ = c.skipGroup()
		return
	}
	if t := c.peek(); t.Kind != Punct && !(t.Kind == Word && exprStop[t.Upper()]) {
		c.next()
	}
}

// ParseType reads a data type written alone (a PL/SQL parameter's or
// variable's type).
func ParseType(text string) (Type, error) {
	c := newCursor(text)
	ty, err := c.dataType()
	if err != nil {
		return ty, err
	}
	if !c.eof() {
		return ty, c.errorf("unexpected %s after the type", c.describe())
	}
	return ty, nil
}
