package mysql

// Catalog is what the schema conversion knows about one MySQL/MariaDB
// database: filled by ReadCatalog from information_schema, or built by hand
// in tests.
type Catalog struct {
	// Database is the MySQL database the catalog describes. View definitions
	// qualify names with it; Convert rewrites that qualifier to the target
	// schema. Empty: no rewriting.
	Database string
	Tables   []Table
	Views    []View
	Routines []Routine
	Triggers []Trigger
}

// Table is a base table.
type Table struct {
	Name        string
	Columns     []Column // in ORDINAL_POSITION order
	PrimaryKey  []string // column names in key order; empty when none
	Indexes     []Index  // every index except PRIMARY
	ForeignKeys []ForeignKey
	Checks      []Check
	// AutoIncrement is the next AUTO_INCREMENT value (TABLES.AUTO_INCREMENT);
	// 0 when the table has no AUTO_INCREMENT column or it is unknown.
	AutoIncrement int64
	Comment       string
}

// Column is one column of a table, as information_schema.COLUMNS shows it.
type Column struct {
	Name string
	// DataType is COLUMNS.DATA_TYPE, lower case ("int", "varchar", "enum").
	DataType string
	// ColumnType is the full COLUMN_TYPE: "int(10) unsigned", "enum('a','b')", "tinyint(1)".
	ColumnType string
	Nullable   bool
	// Default is the column default with MySQL's quoting removed: a literal
	// value ("abc", "0", "b'1'") or, when DefaultIsExpr, an expression
	// ("current_timestamp()", "uuid()"). nil: no default or DEFAULT NULL.
	Default       *string
	DefaultIsExpr bool
	// Extra is COLUMNS.EXTRA: "auto_increment", "on update CURRENT_TIMESTAMP",
	// "VIRTUAL GENERATED", "STORED GENERATED", "DEFAULT_GENERATED".
	Extra string
	// GenerationExpr is the expression of a generated column, in MySQL syntax.
	GenerationExpr    string
	CharMaxLen        *int64
	NumericPrecision  *int64
	NumericScale      *int64
	DatetimePrecision *int64
	Comment           string
	Charset           string // CHARACTER_SET_NAME, lower case ("" for non-character columns)
}

// Index is a secondary (non-primary) index.
type Index struct {
	Name    string
	Columns []IndexColumn // in SEQ_IN_INDEX order
	Unique  bool
	Type    string // INDEX_TYPE: BTREE, FULLTEXT, SPATIAL, HASH
}

// IndexColumn is one key part of an index.
type IndexColumn struct {
	Name    string // empty for a functional key part (Expression set)
	SubPart *int   // prefix length of a prefix index; nil for the whole column
	// Expression is a functional key part (MySQL 8.0.13+), in MySQL syntax.
	Expression string
	Desc       bool // descending key part (MySQL 8)
}

// ForeignKey is a FOREIGN KEY constraint.
type ForeignKey struct {
	Name    string
	Columns []string
	// RefSchema is the referenced table's database when it is not the
	// catalog's own database; empty otherwise.
	RefSchema  string
	RefTable   string
	RefColumns []string
	OnDelete   string // CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION
	OnUpdate   string
}

// Check is a CHECK constraint; Clause is in MySQL syntax.
type Check struct {
	Name   string
	Clause string
}

// View is a view; Definition is the SELECT as information_schema.VIEWS shows it.
type View struct {
	Name       string
	Definition string
}

// Routine is a stored procedure or function.
type Routine struct {
	Name string
	Type string // PROCEDURE or FUNCTION
	// Definition is the CREATE statement (SHOW CREATE) when readable, else
	// the body from information_schema.ROUTINES.
	Definition string
}

// Trigger is a table trigger.
type Trigger struct {
	Name      string
	Table     string
	Timing    string // BEFORE, AFTER
	Event     string // INSERT, UPDATE, DELETE
	Statement string // the trigger body, in MySQL syntax
}
