package mysql

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

func i64(n int64) *int64   { return &n }
func str(s string) *string { return &s }

func TestMapType(t *testing.T) {
	cases := []struct {
		dt, ct string
		col    Column // extra attributes
		want   string
	}{
		{"tinyint", "tinyint(4)", Column{}, "smallint"},
		{"tinyint", "tinyint(1)", Column{}, "smallint"},
		{"tinyint", "tinyint(3) unsigned", Column{}, "smallint"},
		{"smallint", "smallint(6)", Column{}, "smallint"},
		{"smallint", "smallint(5) unsigned", Column{}, "integer"},
		{"mediumint", "mediumint(9)", Column{}, "integer"},
		{"mediumint", "mediumint(8) unsigned", Column{}, "integer"},
		{"int", "int(11)", Column{}, "integer"},
		{"int", "int(10) unsigned", Column{}, "bigint"},
		{"int", "int(10) unsigned zerofill", Column{}, "bigint"},
		{"bigint", "bigint(20)", Column{}, "bigint"},
		{"bigint", "bigint(20) unsigned", Column{}, "numeric(20)"},
		{"decimal", "decimal(10,2)", Column{NumericPrecision: i64(10), NumericScale: i64(2)}, "numeric(10,2)"},
		{"decimal", "decimal(65,30)", Column{}, "numeric(65,30)"},
		{"float", "float", Column{}, "real"},
		{"float", "float(7,4)", Column{}, "real"},
		{"double", "double", Column{}, "double precision"},
		{"bit", "bit(1)", Column{NumericPrecision: i64(1)}, "boolean"},
		{"bit", "bit(8)", Column{NumericPrecision: i64(8)}, "bit varying(8)"},
		{"bit", "bit(64)", Column{}, "bit varying(64)"},
		{"char", "char(10)", Column{CharMaxLen: i64(10)}, "char(10)"},
		{"varchar", "varchar(255)", Column{CharMaxLen: i64(255)}, "varchar(255)"},
		{"varchar", "varchar(0)", Column{CharMaxLen: i64(0)}, "text"},
		{"tinytext", "tinytext", Column{}, "text"},
		{"text", "text", Column{}, "text"},
		{"mediumtext", "mediumtext", Column{}, "text"},
		{"longtext", "longtext", Column{}, "text"},
		{"binary", "binary(16)", Column{}, "bytea"},
		{"varbinary", "varbinary(200)", Column{}, "bytea"},
		{"tinyblob", "tinyblob", Column{}, "bytea"},
		{"blob", "blob", Column{}, "bytea"},
		{"mediumblob", "mediumblob", Column{}, "bytea"},
		{"longblob", "longblob", Column{}, "bytea"},
		{"date", "date", Column{}, "date"},
		{"datetime", "datetime", Column{DatetimePrecision: i64(0)}, "timestamp(0) without time zone"},
		{"datetime", "datetime(6)", Column{DatetimePrecision: i64(6)}, "timestamp(6) without time zone"},
		{"datetime", "datetime(3)", Column{}, "timestamp(3) without time zone"},
		{"timestamp", "timestamp", Column{DatetimePrecision: i64(0)}, "timestamp(0) with time zone"},
		{"timestamp", "timestamp(6)", Column{DatetimePrecision: i64(6)}, "timestamp(6) with time zone"},
		{"time", "time(2)", Column{DatetimePrecision: i64(2)}, "time(2)"},
		{"year", "year(4)", Column{}, "smallint"},
		{"set", "set('a','b')", Column{}, "text[]"},
		{"json", "json", Column{}, "jsonb"},
		{"geometry", "geometry", Column{}, "text"},
		{"point", "point", Column{}, "text"},
		{"multipolygon", "multipolygon", Column{}, "text"},
		{"geomcollection", "geomcollection", Column{}, "text"},
		{"uuid", "uuid", Column{}, "uuid"},
		{"inet6", "inet6", Column{}, "inet"},
		{"vector", "vector(3)", Column{}, "text"},
	}
	for _, c := range cases {
		col := c.col
		col.DataType, col.ColumnType = c.dt, c.ct
		if got := mapType(col, false).typ; got != c.want {
			t.Errorf("%s: got %q, want %q", c.ct, got, c.want)
		}
	}
	if got := mapType(Column{DataType: "longtext", ColumnType: "longtext"}, true).typ; got != "jsonb" {
		t.Errorf("MariaDB JSON (longtext + json_valid): got %q, want jsonb", got)
	}
}

// one converts a catalog holding only tbl into schema public.
func one(tbl Table) ([]schema.Statement, []Note) {
	return Convert(Catalog{Database: "shop", Tables: []Table{tbl}}, "public")
}

// colDef is the definition line of column name in CREATE TABLE.
func colDef(t *testing.T, stmts []schema.Statement, name string) string {
	t.Helper()
	for _, st := range stmts {
		if !strings.HasPrefix(st.Text, "CREATE TABLE") {
			continue
		}
		for _, l := range strings.Split(st.Text, "\n") {
			l = strings.TrimSuffix(strings.TrimSpace(l), ",")
			if strings.HasPrefix(l, `"`+name+`" `) {
				return l
			}
		}
	}
	t.Fatalf("no column %q in:\n%s", name, texts(stmts))
	return ""
}

func texts(stmts []schema.Statement) string {
	var b strings.Builder
	for _, st := range stmts {
		b.WriteString("[" + st.File + "] " + st.Text + ";\n")
	}
	return b.String()
}

func hasNote(notes []Note, object, reason string) bool {
	for _, n := range notes {
		if n.Object == object && strings.Contains(n.Reason, reason) {
			return true
		}
	}
	return false
}

// find returns the statements of typ whose text contains substr.
func find(stmts []schema.Statement, typ schema.ObjectType, substr string) []schema.Statement {
	var out []schema.Statement
	for _, st := range stmts {
		if st.Type == typ && strings.Contains(st.Text, substr) {
			out = append(out, st)
		}
	}
	return out
}

func TestColumnDefinitions(t *testing.T) {
	cases := []struct {
		name string
		col  Column
		want string
	}{
		{"literal string", Column{DataType: "varchar", ColumnType: "varchar(20)", Default: str("it's"), CharMaxLen: i64(20)},
			`"c" varchar(20) DEFAULT 'it''s' NOT NULL`},
		{"number", Column{DataType: "int", ColumnType: "int(11)", Default: str("-5")}, `"c" integer DEFAULT -5 NOT NULL`},
		{"decimal", Column{DataType: "decimal", ColumnType: "decimal(5,2)", Default: str("9.99")}, `"c" numeric(5,2) DEFAULT 9.99 NOT NULL`},
		{"nullable, no default", Column{DataType: "int", ColumnType: "int(11)", Nullable: true}, `"c" integer`},
		{"bit(1) default", Column{DataType: "bit", ColumnType: "bit(1)", Default: str("b'1'")}, `"c" boolean DEFAULT true NOT NULL`},
		{"bit(n) default", Column{DataType: "bit", ColumnType: "bit(8)", Default: str("b'101'")}, `"c" bit varying(8) DEFAULT B'101' NOT NULL`},
		{"year default", Column{DataType: "year", ColumnType: "year(4)", Default: str("2020")}, `"c" smallint DEFAULT 2020 NOT NULL`},
		{"binary default", Column{DataType: "varbinary", ColumnType: "varbinary(4)", Default: str("ab")}, `"c" bytea DEFAULT '\x6162' NOT NULL`},
		{"set default", Column{DataType: "set", ColumnType: "set('a','b')", Default: str("a,b")}, `"c" text[] DEFAULT ARRAY['a', 'b']::text[] NOT NULL`},
		{"datetime(6) current_timestamp(6)", Column{DataType: "datetime", ColumnType: "datetime(6)", DatetimePrecision: i64(6),
			Default: str("current_timestamp(6)"), DefaultIsExpr: true}, `"c" timestamp(6) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL`},
		{"MySQL 5.7 CURRENT_TIMESTAMP", Column{DataType: "timestamp", ColumnType: "timestamp", Default: str("CURRENT_TIMESTAMP")},
			`"c" timestamp(0) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL`},
		{"curdate", Column{DataType: "date", ColumnType: "date", Default: str("curdate()"), DefaultIsExpr: true}, `"c" date DEFAULT CURRENT_DATE NOT NULL`},
		{"literal datetime", Column{DataType: "datetime", ColumnType: "datetime", Default: str("2020-01-02 03:04:05")},
			`"c" timestamp(0) without time zone DEFAULT '2020-01-02 03:04:05' NOT NULL`},
		{"expression default", Column{DataType: "int", ColumnType: "int(11)", Default: str("(1 + 2)"), DefaultIsExpr: true},
			`"c" integer DEFAULT ((1 + 2)) NOT NULL`},
		{"MySQL 8 escaped expression default", Column{DataType: "text", ColumnType: "text", Default: str(`_utf8mb4\'x\'`), DefaultIsExpr: true},
			`"c" text DEFAULT ('x') NOT NULL`},
		{"json", Column{DataType: "json", ColumnType: "json"}, `"c" jsonb NOT NULL`},
	}
	for _, c := range cases {
		col := c.col
		col.Name = "c"
		stmts, _ := one(Table{Name: "t", Columns: []Column{col}})
		if got := colDef(t, stmts, "c"); got != c.want {
			t.Errorf("%s: got\n  %s\nwant\n  %s", c.name, got, c.want)
		}
	}
}

func TestDroppedDefaultsAreNoted(t *testing.T) {
	stmts, notes := one(Table{Name: "t", Columns: []Column{
		{Name: "z", DataType: "datetime", ColumnType: "datetime", Nullable: true, Default: str("0000-00-00 00:00:00")},
		{Name: "e", DataType: "int", ColumnType: "int(11)", Nullable: true, Default: str("1 DIV 2"), DefaultIsExpr: true},
	}})
	if got := colDef(t, stmts, "z"); got != `"z" timestamp(0) without time zone` {
		t.Errorf("zero date default kept: %s", got)
	}
	if got := colDef(t, stmts, "e"); got != `"e" integer` {
		t.Errorf("invalid expression default kept: %s", got)
	}
	if !hasNote(notes, "COLUMN public.t.z", "zero date") || !hasNote(notes, "COLUMN public.t.e", "not valid PostgreSQL") {
		t.Errorf("missing notes: %+v", notes)
	}
}

func TestEnumBecomesType(t *testing.T) {
	stmts, _ := one(Table{Name: "orders", Columns: []Column{{Name: "status", DataType: "enum",
		ColumnType: `enum('new','it''s','back\\slash')`, Default: str("new")}}})
	types := find(stmts, schema.Type, "CREATE TYPE")
	if len(types) != 1 || types[0].Text != `CREATE TYPE "public"."orders_status_enum" AS ENUM ('new', 'it''s', 'back\slash')` ||
		types[0].File != "types/type.sql" || types[0].Name != "public.orders_status_enum" {
		t.Fatalf("enum type: %s", texts(types))
	}
	if got := colDef(t, stmts, "status"); got != `"status" "public"."orders_status_enum" DEFAULT 'new' NOT NULL` {
		t.Errorf("enum column: %s", got)
	}
}

func TestSetGeometryAndTimeAreNoted(t *testing.T) {
	_, notes := one(Table{Name: "t", Columns: []Column{
		{Name: "s", DataType: "set", ColumnType: "set('a','b')", Nullable: true},
		{Name: "g", DataType: "point", ColumnType: "point", Nullable: true},
		{Name: "tm", DataType: "time", ColumnType: "time(3)", Nullable: true},
	}})
	if !hasNote(notes, "COLUMN public.t.s", "text[]") || !hasNote(notes, "COLUMN public.t.g", "PostGIS") ||
		!hasNote(notes, "COLUMN public.t.tm", "TYPE interval") {
		t.Errorf("notes: %+v", notes)
	}
}

func TestAutoIncrementContinues(t *testing.T) {
	stmts, notes := one(Table{Name: "t", AutoIncrement: 1001, PrimaryKey: []string{"id"}, Columns: []Column{
		{Name: "id", DataType: "int", ColumnType: "int(10) unsigned", Extra: "auto_increment"}}})
	if got := colDef(t, stmts, "id"); got != `"id" bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1001) NOT NULL` {
		t.Errorf("identity: %s", got)
	}
	stmts, notes = one(Table{Name: "t", Columns: []Column{
		{Name: "id", DataType: "bigint", ColumnType: "bigint(20) unsigned", Extra: "auto_increment"}}})
	if got := colDef(t, stmts, "id"); got != `"id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL` {
		t.Errorf("bigint unsigned identity: %s", got)
	}
	if !hasNote(notes, "COLUMN public.t.id", "bigint unsigned") {
		t.Errorf("notes: %+v", notes)
	}
}

func TestOnUpdateCurrentTimestampTrigger(t *testing.T) {
	stmts, _ := one(Table{Name: "t", Columns: []Column{{Name: "updated_at", DataType: "timestamp", ColumnType: "timestamp",
		Default: str("current_timestamp()"), DefaultIsExpr: true, Extra: "on update current_timestamp()"}}})
	if got := colDef(t, stmts, "updated_at"); got != `"updated_at" timestamp(0) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL` {
		t.Errorf("column: %s", got)
	}
	fn := find(stmts, schema.Function, `NEW."updated_at" := now();`)
	tr := find(stmts, schema.Trigger, "BEFORE UPDATE")
	if len(fn) != 1 || fn[0].File != "functions/function.sql" || fn[0].Name != "public.t_on_update_now" {
		t.Fatalf("function: %s", texts(fn))
	}
	if len(tr) != 1 || tr[0].File != "triggers/trigger.sql" || tr[0].Text != `CREATE TRIGGER "t_on_update_now" BEFORE UPDATE ON "public"."t" `+
		`FOR EACH ROW EXECUTE FUNCTION "public"."t_on_update_now"()` {
		t.Fatalf("trigger: %s", texts(tr))
	}
}

func TestGeneratedColumn(t *testing.T) {
	stmts, notes := one(Table{Name: "t", Columns: []Column{
		{Name: "price", DataType: "decimal", ColumnType: "decimal(10,2)", Nullable: true},
		{Name: "total", DataType: "decimal", ColumnType: "decimal(12,2)", Nullable: true, Extra: "VIRTUAL GENERATED", GenerationExpr: "(`price` * 2)"},
		{Name: "bad", DataType: "int", ColumnType: "int(11)", Nullable: true, Extra: "STORED GENERATED", GenerationExpr: "`price` DIV 2"},
	}})
	if got := colDef(t, stmts, "total"); got != `"total" numeric(12,2) GENERATED ALWAYS AS (("price" * 2)) STORED` {
		t.Errorf("generated: %s", got)
	}
	if got := colDef(t, stmts, "bad"); got != `"bad" integer` {
		t.Errorf("unparsable generated: %s", got)
	}
	if !hasNote(notes, "COLUMN public.t.total", "GENERATED ALWAYS") || !hasNote(notes, "COLUMN public.t.bad", "plain column") {
		t.Errorf("notes: %+v", notes)
	}
}

func TestKeysIndexesAndConstraints(t *testing.T) {
	sub := 10
	intCol := func(n string) Column { return Column{Name: n, DataType: "int", ColumnType: "int(11)"} }
	txt := Column{Name: "body", DataType: "text", ColumnType: "text", Nullable: true}
	geo := Column{Name: "g", DataType: "point", ColumnType: "point"}
	parent := Table{Name: "parent", Columns: []Column{intCol("a"), intCol("b"), intCol("code"), txt, geo},
		PrimaryKey: []string{"a", "b"},
		Checks:     []Check{{Name: "chk_code", Clause: "`code` > 0"}, {Name: "chk_bad", Clause: "`code` DIV 2 > 0"}},
		Indexes: []Index{
			{Name: "uq_code", Unique: true, Type: "BTREE", Columns: []IndexColumn{{Name: "code"}}},
			{Name: "idx_body", Type: "BTREE", Columns: []IndexColumn{{Name: "body", SubPart: &sub}}},
			{Name: "ft_body", Type: "FULLTEXT", Columns: []IndexColumn{{Name: "body"}}},
			{Name: "sp_g", Type: "SPATIAL", Columns: []IndexColumn{{Name: "g"}}},
			{Name: "fn", Type: "BTREE", Columns: []IndexColumn{{Expression: "(`code` + 1)", Desc: true}}},
		}}
	child := Table{Name: "child", Columns: []Column{intCol("id"), intCol("pa"), intCol("pb"), intCol("c")}, PrimaryKey: []string{"id"},
		ForeignKeys: []ForeignKey{
			{Name: "fk_parent", Columns: []string{"pa", "pb"}, RefTable: "parent", RefColumns: []string{"a", "b"}, OnDelete: "CASCADE", OnUpdate: "NO ACTION"},
			{Name: "fk_nonunique", Columns: []string{"c"}, RefTable: "parent", RefColumns: []string{"body"}, OnDelete: "RESTRICT"},
			{Name: "fk_other_db", Columns: []string{"c"}, RefSchema: "other", RefTable: "x", RefColumns: []string{"id"}},
		}}
	stmts, notes := Convert(Catalog{Database: "shop", Tables: []Table{child, parent}}, "public")

	if len(find(stmts, schema.Table, `PRIMARY KEY ("a", "b"),`+"\n\t"+`CONSTRAINT "chk_code" CHECK ("code" > 0)`)) != 1 {
		t.Errorf("composite PK / CHECK missing:\n%s", texts(stmts))
	}
	if len(find(stmts, schema.Table, "chk_bad")) != 0 || !hasNote(notes, "CHECK chk_bad ON public.parent", "not valid PostgreSQL") {
		t.Errorf("unparsable CHECK kept or not noted")
	}
	wantIdx := []string{
		`CREATE UNIQUE INDEX "parent_uq_code" ON "public"."parent" ("code")`,
		`CREATE INDEX "parent_idx_body" ON "public"."parent" ("body")`,
		`CREATE INDEX "parent_ft_body" ON "public"."parent" USING gin (to_tsvector('simple', "body"))`,
		`CREATE INDEX "parent_fn" ON "public"."parent" (("code" + 1) DESC)`,
	}
	idx := find(stmts, schema.Index, "")
	if len(idx) != len(wantIdx) {
		t.Fatalf("indexes:\n%s", texts(idx))
	}
	for i, w := range wantIdx {
		if idx[i].Text != w || idx[i].File != "tables/INDEXES_table.sql" {
			t.Errorf("index %d: got %s, want %s", i, idx[i].Text, w)
		}
	}
	for obj, reason := range map[string]string{
		"INDEX public.parent_idx_body": "prefix index on body(10)", "INDEX public.parent_ft_body": "FULLTEXT",
		"INDEX public.parent_sp_g": "SPATIAL", "FOREIGN KEY fk_nonunique ON public.child": "no primary key or unique index",
		"FOREIGN KEY fk_other_db ON public.child": "another database",
	} {
		if !hasNote(notes, obj, reason) {
			t.Errorf("no note %s: %s in %+v", obj, reason, notes)
		}
	}
	fks := find(stmts, schema.Table, "FOREIGN KEY")
	if len(fks) != 2 || fks[0].Text != `ALTER TABLE "public"."child" ADD CONSTRAINT "fk_parent" FOREIGN KEY ("pa", "pb") `+
		`REFERENCES "public"."parent" ("a", "b") ON DELETE CASCADE` || !strings.HasSuffix(fks[1].Text, "ON DELETE RESTRICT") {
		t.Fatalf("foreign keys:\n%s", texts(fks))
	}
	// Foreign keys come after every CREATE TABLE.
	lastCreate, firstFK := -1, len(stmts)
	for i, st := range stmts {
		if strings.HasPrefix(st.Text, "CREATE TABLE") {
			lastCreate = i
		} else if strings.HasPrefix(st.Text, "ALTER TABLE") && i < firstFK {
			firstFK = i
		}
	}
	if lastCreate > firstFK {
		t.Errorf("a foreign key precedes a CREATE TABLE:\n%s", texts(stmts))
	}
}

func TestMariaDBJSONCheck(t *testing.T) {
	stmts, _ := one(Table{Name: "t", Columns: []Column{{Name: "doc", DataType: "longtext", ColumnType: "longtext", Nullable: true}},
		Checks: []Check{{Name: "doc", Clause: "json_valid(`doc`)"}}})
	if got := colDef(t, stmts, "doc"); got != `"doc" jsonb` {
		t.Errorf("MariaDB JSON column: %s", got)
	}
	if len(find(stmts, schema.Table, "json_valid")) != 0 {
		t.Errorf("json_valid check kept:\n%s", texts(stmts))
	}
}

func TestViewsRoutinesTriggers(t *testing.T) {
	c := Catalog{Database: "shop",
		Tables: []Table{{Name: "t", Columns: []Column{{Name: "id", DataType: "int", ColumnType: "int(11)"}}}},
		Views: []View{
			{Name: "v0", Definition: "select `v1`.`id` AS `id` from `shop`.`v1`"},
			{Name: "v1", Definition: "select `shop`.`t`.`id` AS `id` from `shop`.`t` where `shop`.`t`.`id` <> _utf8mb4'a\\'b'"},
			{Name: "bad", Definition: "select `id` from `shop`.`t` limit 1,2"},
		},
		Routines: []Routine{{Name: "p", Type: "PROCEDURE", Definition: "CREATE PROCEDURE `p`()\nBEGIN\n  SELECT 1; /* x */\nEND"},
			{Name: "f", Type: "FUNCTION", Definition: "CREATE FUNCTION `f`() RETURNS int RETURN 1"}},
		Triggers: []Trigger{{Name: "trg", Table: "t", Timing: "BEFORE", Event: "INSERT", Statement: "SET NEW.id = 1"}},
	}
	stmts, notes := Convert(c, "app")
	views := find(stmts, schema.View, "")
	if len(views) != 3 || views[0].Name != "app.v1" || views[1].Name != "app.v0" ||
		views[0].Text != `CREATE VIEW "app"."v1" AS select "app"."t"."id" AS "id" from "app"."t" where "app"."t"."id" <> 'a''b'` {
		t.Fatalf("views (v1 must precede v0):\n%s", texts(views))
	}
	if !strings.HasPrefix(views[2].Text, "-- ") || !hasNote(notes, "VIEW app.bad", "not valid PostgreSQL") {
		t.Errorf("unparsable view: %s", views[2].Text)
	}
	for _, w := range []struct {
		typ  schema.ObjectType
		name string
	}{{schema.Procedure, "app.p"}, {schema.Function, "app.f"}, {schema.Trigger, "trg ON app.t"}} {
		got := find(stmts, w.typ, "-- yb-voyager: MySQL")
		if len(got) != 1 || got[0].Name != w.name || got[0].File != schema.FileFor(w.typ) {
			t.Errorf("%s placeholder: %s", w.typ, texts(got))
		}
	}
	if len(notes) != 6 {
		t.Errorf("want 6 notes (3 views, 3 routines/triggers), got %+v", notes)
	}
}

// A bigint unsigned AUTO_INCREMENT key becomes a bigint identity; the bigint
// unsigned columns referencing it (transitively) must become bigint too, or
// PostgreSQL rejects the foreign keys for mismatched types.
func TestBigintUnsignedKeysFollowForeignKeys(t *testing.T) {
	ub := func(n string) Column { return Column{Name: n, DataType: "bigint", ColumnType: "bigint(20) unsigned"} }
	id := ub("id")
	id.Extra = "auto_increment"
	c := Catalog{Tables: []Table{
		{Name: "grandchild", Columns: []Column{ub("gpid"), ub("other")},
			ForeignKeys: []ForeignKey{{Name: "fk_g", Columns: []string{"gpid"}, RefTable: "child", RefColumns: []string{"pid"}}}},
		{Name: "child", Columns: []Column{ub("pid")},
			ForeignKeys: []ForeignKey{{Name: "fk_c", Columns: []string{"pid"}, RefTable: "parent", RefColumns: []string{"id"}}}},
		{Name: "parent", Columns: []Column{id}, PrimaryKey: []string{"id"}},
	}}
	stmts, notes := Convert(c, "public")
	for col, want := range map[string]string{
		"id": `"id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL`, "pid": `"pid" bigint NOT NULL`,
		"gpid": `"gpid" bigint NOT NULL`, "other": `"other" numeric(20) NOT NULL`,
	} {
		if got := colDef(t, stmts, col); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if !hasNote(notes, "COLUMN public.grandchild.gpid", "match the referenced column child.pid") {
		t.Errorf("notes: %+v", notes)
	}
}
