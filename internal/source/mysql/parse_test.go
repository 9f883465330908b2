package mysql

import (
	"database/sql"
	"reflect"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// richCatalog exercises every conversion path.
func richCatalog() Catalog {
	sub := 8
	return Catalog{Database: "shop",
		Tables: []Table{{
			Name: "Orders", AutoIncrement: 42, Comment: "all the orders", PrimaryKey: []string{"id"},
			Columns: []Column{
				{Name: "id", DataType: "bigint", ColumnType: "bigint(20) unsigned", Extra: "auto_increment"},
				{Name: "Status", DataType: "enum", ColumnType: "enum('new','done')", Default: str("new"), Comment: "it's the status"},
				{Name: "tags", DataType: "set", ColumnType: "set('a','b')", Nullable: true, Default: str("")},
				{Name: "flag", DataType: "bit", ColumnType: "bit(1)", Default: str("b'0'")},
				{Name: "price", DataType: "decimal", ColumnType: "decimal(10,2) unsigned", Default: str("0.00")},
				{Name: "total", DataType: "decimal", ColumnType: "decimal(12,2)", Nullable: true, Extra: "STORED GENERATED", GenerationExpr: "`price` * 2"},
				{Name: "note", DataType: "varchar", ColumnType: "varchar(100)", Nullable: true, Default: str(`a "quoted" \ value`)},
				{Name: "doc", DataType: "json", ColumnType: "json", Nullable: true},
				{Name: "shape", DataType: "geometry", ColumnType: "geometry", Nullable: true},
				{Name: "created", DataType: "datetime", ColumnType: "datetime(6)", Default: str("CURRENT_TIMESTAMP(6)"), DefaultIsExpr: true},
				{Name: "updated", DataType: "timestamp", ColumnType: "timestamp", Default: str("current_timestamp()"), DefaultIsExpr: true,
					Extra: "on update current_timestamp()"},
				{Name: "weird$col", DataType: "varchar", ColumnType: "varchar(10)", Nullable: true},
			},
			Checks: []Check{{Name: "chk_price", Clause: "(`price` >= 0)"}},
			Indexes: []Index{
				{Name: "uq", Unique: true, Type: "BTREE", Columns: []IndexColumn{{Name: "note", SubPart: &sub}, {Name: "Status"}}},
				{Name: "ft", Type: "FULLTEXT", Columns: []IndexColumn{{Name: "note"}, {Name: "weird$col"}}},
				{Name: "sp", Type: "SPATIAL", Columns: []IndexColumn{{Name: "shape"}}},
				{Name: "h", Type: "HASH", Columns: []IndexColumn{{Name: "price"}}},
			},
		}, {
			Name: "items", PrimaryKey: []string{"order_id", "n"},
			Columns: []Column{
				{Name: "order_id", DataType: "bigint", ColumnType: "bigint(20) unsigned"},
				{Name: "n", DataType: "int", ColumnType: "int(11)"},
			},
			ForeignKeys: []ForeignKey{{Name: "fk_order", Columns: []string{"order_id"}, RefTable: "Orders", RefColumns: []string{"id"},
				OnDelete: "CASCADE", OnUpdate: "SET NULL"}},
		}},
		Views: []View{{Name: "open_orders", Definition: "select `shop`.`Orders`.`id` AS `id` from `shop`.`Orders` where `shop`.`Orders`.`Status` = 'new'"},
			{Name: "bad", Definition: "select 1 limit 1,2"}},
		Routines: []Routine{{Name: "p", Type: "PROCEDURE", Definition: "CREATE PROCEDURE `p`()\r\nBEGIN SELECT '*/'; END"},
			{Name: "f", Type: "FUNCTION", Definition: "RETURN 1"}},
		Triggers: []Trigger{{Name: "trg", Table: "items", Timing: "AFTER", Event: "DELETE", Statement: "BEGIN\n  DELETE FROM x; -- y\nEND"}},
	}
}

// TestEveryStatementParses checks that each statement parses with the
// PostgreSQL parser and classifies to its own Type and Name, and that the
// files schema.Write lays out load back.
func TestEveryStatementParses(t *testing.T) {
	stmts, _ := Convert(richCatalog(), "public")
	seen := map[schema.ObjectType]bool{}
	for _, st := range stmts {
		if st.File != schema.FileFor(st.Type) {
			t.Errorf("%s %s: file %s, want %s", st.Type, st.Name, st.File, schema.FileFor(st.Type))
		}
		parsed, err := schema.ParseSQL(st.Text+";\n", st.File)
		if err != nil {
			t.Errorf("%v\n%s", err, st.Text)
			continue
		}
		if strings.HasPrefix(st.Text, "-- ") {
			if len(parsed) != 0 {
				t.Errorf("comment placeholder parsed into statements: %s", st.Text)
			}
			continue
		}
		if len(parsed) != 1 {
			t.Errorf("want 1 statement, got %d: %s", len(parsed), st.Text)
			continue
		}
		seen[st.Type] = true
		if parsed[0].Type != st.Type || parsed[0].Name != st.Name {
			t.Errorf("classified as %s %q, emitted as %s %q: %s", parsed[0].Type, parsed[0].Name, st.Type, st.Name, st.Text)
		}
		if parsed[0].Text != st.Text {
			t.Errorf("text changed by parsing:\n%s\n%s", parsed[0].Text, st.Text)
		}
	}
	for _, typ := range []schema.ObjectType{schema.Schema, schema.Type, schema.Function, schema.Table, schema.View,
		schema.Index, schema.Trigger, schema.Comment} {
		if !seen[typ] {
			t.Errorf("no %s statement emitted", typ)
		}
	}
	dir := t.TempDir()
	if _, err := schema.Write(dir, stmts); err != nil {
		t.Fatal(err)
	}
	loaded, err := schema.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, st := range stmts {
		if !strings.HasPrefix(st.Text, "-- ") {
			want++
		}
	}
	if len(loaded) != want {
		t.Errorf("loaded %d statements from the files, want %d", len(loaded), want)
	}
}

func TestNormalizeDefault(t *testing.T) {
	ns := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
	cases := []struct {
		raw      sql.NullString
		extra    string
		dataType string
		mariadb  bool
		want     *string
		expr     bool
	}{
		{sql.NullString{}, "", "int", true, nil, false},
		{ns("NULL"), "", "int", true, nil, false},
		{ns(`'it''s \\ x'`), "", "varchar", true, str(`it's \ x`), false},
		{ns("'NULL'"), "", "varchar", true, str("NULL"), false},
		{ns("0"), "", "int", true, str("0"), false},
		{ns("-1.5e3"), "", "double", true, str("-1.5e3"), false},
		{ns("b'1'"), "", "bit", true, str("b'1'"), false},
		{ns("current_timestamp()"), "on update current_timestamp()", "timestamp", true, str("current_timestamp()"), true},
		{ns("uuid()"), "", "varchar", true, str("uuid()"), true},
		{sql.NullString{}, "", "varchar", false, nil, false},
		{ns("abc"), "", "varchar", false, str("abc"), false},
		{ns("NULL"), "", "varchar", false, str("NULL"), false},
		{ns("CURRENT_TIMESTAMP"), "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", "timestamp", false, str("CURRENT_TIMESTAMP"), true},
		{ns("CURRENT_TIMESTAMP"), "on update CURRENT_TIMESTAMP", "timestamp", false, str("CURRENT_TIMESTAMP"), true},
		{ns("CURRENT_TIMESTAMP"), "", "varchar", false, str("CURRENT_TIMESTAMP"), false},
		{ns("rand()"), "DEFAULT_GENERATED", "double", false, str("rand()"), true},
	}
	for _, c := range cases {
		got, expr := normalizeDefault(c.raw, c.extra, c.dataType, c.mariadb)
		if !reflect.DeepEqual(got, c.want) || expr != c.expr {
			t.Errorf("normalizeDefault(%q, %q, mariadb=%v) = %v, %v; want %v, %v", c.raw.String, c.extra, c.mariadb,
				deref(got), expr, deref(c.want), c.expr)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestTranslateExpr(t *testing.T) {
	cases := []struct{ in, want string }{
		{"`a` + 1", `"a" + 1`},
		{"`we\"ird` > 0", `"we""ird" > 0`},
		{"`shop`.`t`.`a`", `"app"."t"."a"`},
		{"`shop` = 1", `"shop" = 1`},
		{"concat(`a`,_utf8mb4' ',`b`)", `concat("a",' ',"b")`},
		{"concat(`a`,_utf8mb4\\' \\',`b`)", `concat("a",' ',"b")`}, // MySQL 8 information_schema escaping
		{`'it\'s' = "x"`, `'it''s' = 'x'`},
		{"my_func(`a`)", `my_func("a")`},
		{"`a` = _binary'x'", `"a" = 'x'`},
	}
	for _, c := range cases {
		if got := translateExpr(c.in, "shop", "app"); got != c.want {
			t.Errorf("translateExpr(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestTypeLabels(t *testing.T) {
	got := typeLabels(`enum('a','it''s','back\\slash','x,y','')`)
	want := []string{"a", "it's", `back\slash`, "x,y", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("typeLabels = %q, want %q", got, want)
	}
}

func TestParenthesize(t *testing.T) {
	for in, want := range map[string]string{
		`("a" + 1)`: `("a" + 1)`, `"a" + 1`: `("a" + 1)`, `("a") + ("b")`: `(("a") + ("b"))`,
		`(')(' || "a")`: `(')(' || "a")`, `f("a")`: `(f("a"))`,
	} {
		if got := parenthesize(in); got != want {
			t.Errorf("parenthesize(%s) = %s, want %s", in, got, want)
		}
	}
}
