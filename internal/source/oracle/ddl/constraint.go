package ddl

import "strings"

// constraint reads [CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) |
// FOREIGN KEY (...) REFERENCES ... | CHECK (...) and its state. Inline
// (column) constraints have no column list and may be a bare REFERENCES.
func (c *cursor) constraint(inline bool) (Constraint, error) {
	k := Constraint{Line: c.peek().Pos}
	if c.accept("CONSTRAINT") {
		n, ok := c.peek().Ident()
		if !ok {
			return k, c.errorf("expected a constraint name, found %s", c.describe())
		}
		c.next()
		k.Name = n
	}
	var err error
	switch {
	case c.accept("PRIMARY", "KEY"):
		k.Kind = "PRIMARY KEY"
		if !inline {
			k.Columns, err = c.names()
		}
	case c.accept("UNIQUE"):
		k.Kind = "UNIQUE"
		if !inline {
			k.Columns, err = c.names()
		}
	case c.accept("FOREIGN", "KEY"):
		k.Kind = "FOREIGN KEY"
		if k.Columns, err = c.names(); err == nil {
			err = c.references(&k)
		}
	case c.peek().Is("REFERENCES") && inline:
		k.Kind = "FOREIGN KEY"
		err = c.references(&k)
	case c.accept("CHECK"):
		k.Kind = "CHECK"
		k.Check, err = c.skipGroup()
	default:
		return k, c.errorf("expected PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK, found %s", c.describe())
	}
	if err != nil {
		return k, err
	}
	c.states(&k)
	return k, nil
}

func (c *cursor) references(k *Constraint) error {
	if err := c.expect("REFERENCES"); err != nil {
		return err
	}
	obj, err := c.object()
	if err != nil {
		return err
	}
	k.RefTable = obj
	if c.peek().Kind == Punct && c.peek().Text == "(" {
		if k.RefColumns, err = c.names(); err != nil {
			return err
		}
	}
	if c.accept("ON", "DELETE") {
		switch {
		case c.accept("CASCADE"):
			k.OnDelete = "CASCADE"
		case c.accept("SET", "NULL"):
			k.OnDelete = "SET NULL"
		default:
			return c.errorf("expected CASCADE or SET NULL after ON DELETE, found %s", c.describe())
		}
	}
	return nil
}

// stateStop ends a USING INDEX clause.
var stateStop = map[string]bool{"ENABLE": true, "DISABLE": true, "VALIDATE": true, "NOVALIDATE": true, "RELY": true, "NORELY": true,
	"DEFERRABLE": true, "INITIALLY": true, "NOT": true, "CONSTRAINT": true, "PRIMARY": true, "UNIQUE": true, "CHECK": true,
	"REFERENCES": true, "EXCEPTIONS": true, "NULL": true, "DEFAULT": true}

// states reads a constraint's state (ENABLE, NOVALIDATE, DEFERRABLE,
// USING INDEX ..., ...); k may be nil for NOT NULL / NULL.
func (c *cursor) states(k *Constraint) {
	if k == nil {
		k = &Constraint{}
	}
	for {
		switch {
		case c.accept("ENABLE"), c.accept("VALIDATE"), c.accept("RELY"), c.accept("NORELY"),
			c.accept("NOT", "DEFERRABLE"), c.accept("INITIALLY", "IMMEDIATE"):
		case c.accept("DISABLE"):
			k.Disabled = true
		case c.accept("NOVALIDATE"):
			k.NoValidate = true
		case c.accept("DEFERRABLE"):
			k.Deferrable = true
		case c.accept("INITIALLY", "DEFERRED"):
			k.Deferred = true
		case c.accept("EXCEPTIONS", "INTO"):
			_, _ = c.object()
		case c.accept("USING", "INDEX"):
			c.usingIndex()
		default:
			return
		}
	}
}

// usingIndex skips USING INDEX's index name, (CREATE INDEX ...) or
// physical attributes: the target builds its own index.
func (c *cursor) usingIndex() {
	for !c.eof() {
		t := c.peek()
		switch {
		case t.Kind == Punct && t.Text == "(":
			_, _ = c.skipGroup()
			continue
		case t.Kind == Punct && (t.Text == "," || t.Text == ")"):
			return
		case t.Kind == Word && stateStop[strings.ToUpper(t.Text)]:
			return
		}
		c.next()
	}
}
