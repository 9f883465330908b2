package ddl

import "strings"

// Object is a schema-qualified Oracle name, each part as the catalog
// stores it: an unquoted name in upper case, a quoted one as written.
type Object struct {
	Schema string // "" when the statement does not qualify it
	Name   string
}

func (o Object) String() string {
	if o.Schema == "" {
		return o.Name
	}
	return o.Schema + "." + o.Name
}

// Ident reads an identifier token in catalog form: a bare word in upper
// case, a quoted name as written; ok is false for any other token.
func (t Token) Ident() (string, bool) {
	switch t.Kind {
	case Quoted:
		return t.Text, t.Text != ""
	case Word:
		return strings.ToUpper(t.Text), true
	}
	return "", false
}

// Type is a column's Oracle data type as declared.
type Type struct {
	Name string // upper case, words joined by one space: NUMBER, VARCHAR2, TIMESTAMP WITH LOCAL TIME ZONE, INTERVAL DAY TO SECOND
	// Precision and Scale of NUMBER / FLOAT / DECIMAL, or the length of a
	// character or RAW type in Precision; Precision is -1 when not given
	// (or *), ScaleGiven says whether a scale was (it may be negative).
	Precision, Scale int
	ScaleGiven       bool
	// Char is true for VARCHAR2(n CHAR) / CHAR(n CHAR) length semantics,
	// Byte for an explicit n BYTE (neither: the database default, BYTE).
	Char, Byte bool
	// Fraction is TIMESTAMP's / INTERVAL DAY TO SECOND's fractional-second
	// precision, Leading INTERVAL's leading field precision; -1 if not given.
	Fraction, Leading int
	Owner             string // the owner of a user-defined type, if qualified
	Text              string // as written
}

// Identity is a column's GENERATED ... AS IDENTITY clause.
type Identity struct {
	Always  bool // ALWAYS, else BY DEFAULT
	OnNull  bool // BY DEFAULT ON NULL
	Options string
	Start   string // START WITH n, "" if not given
	Step    string // INCREMENT BY n
}

// Column is one column of a CREATE TABLE.
type Column struct {
	Name          string
	Type          Type
	Default       string // the DEFAULT expression as written, "" for none
	DefaultOnNull bool
	Identity      *Identity
	Virtual       string // the expression of a virtual (generated) column
	NotNull       bool
	Invisible     bool
}

// Constraint is a table constraint, or an inline one lifted to the table.
type Constraint struct {
	Name       string // "" when unnamed
	Kind       string // PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK
	Columns    []string
	RefTable   Object
	RefColumns []string // empty: the referenced table's primary key
	OnDelete   string   // CASCADE, SET NULL, "" (NO ACTION)
	Check      string
	Deferrable bool
	Deferred   bool // INITIALLY DEFERRED
	Disabled   bool // DISABLE
	NoValidate bool // NOVALIDATE (existing rows not checked)
	Line       int  // offset of the constraint in its statement
}

// Partitioning is a table's PARTITION BY clause, kept as text with its kind.
type Partitioning struct {
	Method     string // RANGE, LIST, HASH, REFERENCE, SYSTEM
	Columns    []string
	Interval   string // INTERVAL (expr) of interval partitioning
	Sub        string // SUBPARTITION BY method, for composite partitioning
	Partitions []Partition
	Text       string
}

// Partition is one named partition of a partitioned table.
type Partition struct {
	Name   string
	Values string // VALUES LESS THAN (...) / VALUES (...) text, "" for hash
}

// Table is a CREATE TABLE.
type Table struct {
	Object         Object
	Columns        []Column
	Constraints    []Constraint
	Temporary      bool   // GLOBAL TEMPORARY
	OnCommit       string // DELETE ROWS or PRESERVE ROWS
	IndexOrganized bool
	Partitioning   *Partitioning
	// Dropped lists the physical clauses left behind (TABLESPACE, STORAGE,
	// SEGMENT CREATION, ...), for the conversion notes.
	Dropped []string
}

// Column returns the named column (catalog form), or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}
