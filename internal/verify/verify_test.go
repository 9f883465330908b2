package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

// env is a fresh source and target database for one test.
type env struct {
	src, tgt     *pgtest.Cluster
	srcDB, tgtDB string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	src, tgt := pgtest.Shared(t, pgtest.RoleSource), pgtest.Shared(t, pgtest.RoleTarget)
	return &env{src: src, tgt: tgt, srcDB: src.CreateDatabase(t, "verify_src"), tgtDB: tgt.CreateDatabase(t, "verify_tgt")}
}

// both runs the same script on the source and the target.
func (e *env) both(t *testing.T, sql string) {
	t.Helper()
	e.src.Exec(t, e.srcDB, sql)
	e.tgt.Exec(t, e.tgtDB, sql)
}

func config(c *pgtest.Cluster, db, typ string) dbconn.Config {
	return dbconn.Config{Type: typ, Host: c.Host, Port: c.Port, User: c.User, Password: c.Password, DBName: db, SSLMode: "disable"}
}

func (e *env) options(t *testing.T, chunkRows int64, specs ...TableSpec) Options {
	t.Helper()
	src, err := OpenPostgres(context.Background(), config(e.src, e.srcDB, "postgresql"), 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.Close)
	return Options{
		Source:    src,
		Target:    config(e.tgt, e.tgtDB, "yugabytedb"),
		Tables:    specs,
		Workers:   3,
		ChunkRows: chunkRows,
	}
}

// compare runs Compare and fails the test on a setup error.
func (e *env) compare(t *testing.T, chunkRows int64, specs ...TableSpec) []Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rs, err := Compare(ctx, e.options(t, chunkRows, specs...))
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	if len(rs) != len(specs) {
		t.Fatalf("Compare returned %d results for %d tables", len(rs), len(specs))
	}
	for i, r := range rs {
		if r.Table != specs[i].Table {
			t.Fatalf("result %d is for %s, want %s", i, r.Table, specs[i].Table)
		}
	}
	return rs
}

func spec(name string, pk []string, cols ...string) TableSpec {
	return TableSpec{Table: sqlname.Table{Schema: "public", Name: name}, Columns: cols, PrimaryKey: pk}
}

func wantMatch(t *testing.T, r Result) {
	t.Helper()
	if !r.Match || r.Err != "" || r.SourceChecksum != r.TargetChecksum || len(r.MismatchedChunks) != 0 {
		t.Errorf("%s: want match, got %+v", r.Table, r)
	}
}

func wantMismatch(t *testing.T, r Result) {
	t.Helper()
	if r.Match || r.Err != "" {
		t.Errorf("%s: want mismatch without error, got %+v", r.Table, r)
	}
}

func TestIdenticalDataInDifferentOrderMatches(t *testing.T) {
	e := newEnv(t)
	e.both(t, `CREATE TABLE t (id int PRIMARY KEY, name text, amount numeric(12,2));
		CREATE TABLE "Odd ""Name"", x" ("Col, 1" text, "select" int);`)
	e.src.Exec(t, e.srcDB, `INSERT INTO t SELECT g, 'n' || g, g * 1.25 FROM generate_series(1, 500) g ORDER BY g;
		INSERT INTO "Odd ""Name"", x" VALUES ('a', 1), (NULL, 2), ('b', NULL);`)
	e.tgt.Exec(t, e.tgtDB, `INSERT INTO t SELECT g, 'n' || g, g * 1.25 FROM generate_series(1, 500) g ORDER BY g DESC;
		UPDATE t SET name = name WHERE id % 7 = 0;
		INSERT INTO "Odd ""Name"", x" VALUES ('b', NULL), ('a', 1), (NULL, 2);`)
	rs := e.compare(t, 0, spec("t", []string{"id"}, "id", "name", "amount"),
		spec(`Odd "Name", x`, nil, "Col, 1", "select"))
	for _, r := range rs {
		wantMatch(t, r)
	}
	if rs[0].SourceRows != 500 || rs[0].TargetRows != 500 || rs[1].SourceRows != 3 {
		t.Errorf("row counts: %+v", rs)
	}
	if rs[0].SourceChecksum == "0:0" || !strings.Contains(rs[0].SourceChecksum, ":") {
		t.Errorf("checksum %q is not <sum0>:<sum1>", rs[0].SourceChecksum)
	}
}

func TestChangedValueMismatches(t *testing.T) {
	e := newEnv(t)
	e.both(t, `CREATE TABLE t (id int PRIMARY KEY, v text);
		INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g;`)
	e.tgt.Exec(t, e.tgtDB, `UPDATE t SET v = 'changed' WHERE id = 42;`)
	r := e.compare(t, 0, spec("t", []string{"id"}, "id", "v"))[0]
	wantMismatch(t, r)
	if r.SourceRows != 100 || r.TargetRows != 100 || r.SourceChecksum == r.TargetChecksum {
		t.Errorf("want equal counts and different checksums, got %+v", r)
	}
}

func TestDuplicateRowsMismatch(t *testing.T) {
	e := newEnv(t)
	e.both(t, `CREATE TABLE dup (v text); CREATE TABLE multi (v text); CREATE TABLE pairs (v text);`)
	e.src.Exec(t, e.srcDB, `INSERT INTO dup VALUES ('a'), ('b');
		INSERT INTO multi VALUES ('a'), ('a'), ('b');
		INSERT INTO pairs VALUES ('a'), ('a'), ('b'), ('b');`)
	// multi: same count, different multiplicities. pairs: equal under XOR
	// (every value twice) but not under a sum.
	e.tgt.Exec(t, e.tgtDB, `INSERT INTO dup VALUES ('a'), ('b'), ('b');
		INSERT INTO multi VALUES ('a'), ('b'), ('b');
		INSERT INTO pairs VALUES ('c'), ('c'), ('d'), ('d');`)
	rs := e.compare(t, 0, spec("dup", nil, "v"), spec("multi", nil, "v"), spec("pairs", nil, "v"))
	for _, r := range rs {
		wantMismatch(t, r)
	}
	if rs[0].SourceRows != 2 || rs[0].TargetRows != 3 {
		t.Errorf("dup counts: %+v", rs[0])
	}
	if rs[1].SourceRows != rs[1].TargetRows || rs[1].SourceChecksum == rs[1].TargetChecksum {
		t.Errorf("multi: want equal counts, different checksums: %+v", rs[1])
	}
}

func TestMissingTableOrColumnIsAnError(t *testing.T) {
	e := newEnv(t)
	e.src.Exec(t, e.srcDB, `CREATE TABLE gone (id int); CREATE TABLE narrow (id int, extra text); CREATE TABLE ok (id int);`)
	e.tgt.Exec(t, e.tgtDB, `CREATE TABLE narrow (id int); CREATE TABLE ok (id int);`)
	rs := e.compare(t, 0, spec("gone", nil, "id"), spec("narrow", nil, "id", "extra"),
		spec("ok", nil, "id"), spec("nowhere", nil, "id"))
	cases := []string{
		"table public.gone does not exist on the target",
		`table public.narrow on the target has no column "extra"`,
		"",
		"table public.nowhere does not exist on the source",
	}
	for i, want := range cases {
		if want == "" {
			wantMatch(t, rs[i])
			continue
		}
		if rs[i].Match || !strings.Contains(rs[i].Err, want) {
			t.Errorf("%s: want error containing %q, got %+v", rs[i].Table, want, rs[i])
		}
	}
	if AllMatch(rs) {
		t.Error("AllMatch is true with failed tables")
	}
}

func TestChunkedTableReportsTheChangedRange(t *testing.T) {
	e := newEnv(t)
	e.both(t, `CREATE TABLE big (id bigint PRIMARY KEY, v text);
		INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 1000) g;
		CREATE TABLE same (id int PRIMARY KEY, v text);
		INSERT INTO same SELECT g, md5(g::text) FROM generate_series(1, 1000) g;
		CREATE TABLE edges (id smallint PRIMARY KEY, v text);
		INSERT INTO edges SELECT g, md5(g::text) FROM generate_series(1, 1000) g;`)
	e.src.Exec(t, e.srcDB, `ANALYZE big, same, edges;`)
	e.tgt.Exec(t, e.tgtDB, `UPDATE big SET v = 'x' WHERE id = 150;
		INSERT INTO edges VALUES (0, 'below'), (5000, 'above');`)
	specs := []TableSpec{spec("big", []string{"id"}, "id", "v"), spec("same", []string{"id"}, "id", "v"),
		spec("edges", []string{"id"}, "id", "v")}
	rs := e.compare(t, 100, specs...)

	wantMismatch(t, rs[0])
	if want := []string{`"id" >= 101 AND "id" < 201`}; !slices.Equal(rs[0].MismatchedChunks, want) {
		t.Errorf("big: mismatched chunks %q, want %q", rs[0].MismatchedChunks, want)
	}
	wantMatch(t, rs[1])
	wantMismatch(t, rs[2])
	if want := []string{`"id" < 101`, `"id" >= 901`}; !slices.Equal(rs[2].MismatchedChunks, want) {
		t.Errorf("edges: mismatched chunks %q, want %q", rs[2].MismatchedChunks, want)
	}
	if rs[2].TargetRows != 1002 {
		t.Errorf("edges: target rows %d, want 1002 (open-ended first and last ranges)", rs[2].TargetRows)
	}

	// Chunking must not change the table totals.
	whole := e.compare(t, 0, specs...)
	for i := range specs {
		if whole[i].SourceChecksum != rs[i].SourceChecksum || whole[i].TargetChecksum != rs[i].TargetChecksum ||
			whole[i].SourceRows != rs[i].SourceRows || len(whole[i].MismatchedChunks) != 0 {
			t.Errorf("%s: chunked %+v, whole %+v", specs[i].Table, rs[i], whole[i])
		}
	}
}

const typesDDL = `CREATE TABLE types (id int PRIMARY KEY, n numeric, f float8, b bytea, ts timestamptz,
	d date, iv interval, j jsonb, ai int[], at text[], s text, m money);`

func TestTypesRenderTheSameUnderDifferentSessionDefaults(t *testing.T) {
	e := newEnv(t)
	// The target database defaults differ in every setting that changes text
	// output; Compare must pin them.
	e.tgt.Exec(t, "postgres", fmt.Sprintf(`ALTER DATABASE %[1]s SET TimeZone = 'Asia/Kolkata';
		ALTER DATABASE %[1]s SET DateStyle = 'SQL, DMY'; ALTER DATABASE %[1]s SET IntervalStyle = 'sql_standard';
		ALTER DATABASE %[1]s SET extra_float_digits = 0; ALTER DATABASE %[1]s SET bytea_output = 'escape';`,
		sqlname.Quote(e.tgtDB)))
	e.both(t, typesDDL)
	e.src.Exec(t, e.srcDB, `SET TimeZone = 'UTC'; INSERT INTO types VALUES
		(1, 12345678901234567890.123456789, 'NaN', '\x00ff10', '2024-02-29 23:59:59.123456+00', '2024-02-29',
		 '1 day 02:03:04.5', '{"a": 1, "b": [1, 2, {"c": null}]}', '{1,NULL,3}', '{"a b",NULL,"","x,y"}', '', 12.34),
		(2, -0.000001, 'Infinity', '', '1999-12-31 00:00:00+00', '0001-01-01', '-3 mons', '[]', '{}', '{}', NULL, NULL),
		(3, 0, '-Infinity', NULL, NULL, NULL, NULL, 'null', NULL, NULL, 'NULL', 0),
		(4, NULL, 0.1, '\x', '2024-06-01 12:00:00+00', NULL, '0', '"str"', '{{1,2},{3,4}}', '{NULL}', 'x', -1),
		(5, 1e-20, 1.7976931348623157e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`)
	e.tgt.Exec(t, e.tgtDB, `INSERT INTO types VALUES
		(5, 1e-20, 1.7976931348623157e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(4, NULL, 0.1, '\x', '2024-06-01 17:30:00+05:30', NULL, '0', '"str"', '{{1,2},{3,4}}', '{NULL}', 'x', -1),
		(3, 0, '-Infinity', NULL, NULL, NULL, NULL, 'null', NULL, NULL, 'NULL', 0),
		(2, -0.000001, 'Infinity', '', '1999-12-30 19:00:00-05', '0001-01-01', '-3 mons', '[]', '{}', '{}', NULL, NULL),
		(1, 12345678901234567890.123456789, 'NaN', '\x00ff10', '2024-03-01 05:29:59.123456+05:30', '2024-02-29',
		 '1 day 02:03:04.5', '{"b": [1, 2, {"c": null}],   "a": 1}', '{1,NULL,3}', '{"a b",NULL,"","x,y"}', '', 12.34);`)
	cols := []string{"id", "n", "f", "b", "ts", "d", "iv", "j", "ai", "at", "s", "m"}
	r := e.compare(t, 0, spec("types", []string{"id"}, cols...))[0]
	wantMatch(t, r)
	if r.SourceRows != 5 {
		t.Errorf("rows %d, want 5", r.SourceRows)
	}
}

func TestDifferentValuesOfEachTypeMismatch(t *testing.T) {
	cases := []struct{ name, typ, src, tgt string }{
		{"null_vs_empty", "text", "NULL", "''"},
		{"null_vs_null_word", "text", "NULL", "'NULL'"},
		{"nan_vs_inf", "float8", "'NaN'", "'Infinity'"},
		{"inf_vs_neg_inf", "float8", "'Infinity'", "'-Infinity'"},
		{"float_last_digit", "float8", "0.1", "0.10000000000000002"},
		{"numeric", "numeric", "1.000000000000000000001", "1.000000000000000000002"},
		{"bytea", "bytea", `'\x00'`, `'\x'`},
		{"timestamptz", "timestamptz", "'2024-01-01 00:00:00+00'", "'2024-01-01 00:00:00.000001+00'"},
		{"jsonb", "jsonb", `'{"a": 1}'`, `'{"a": "1"}'`},
		{"int_array", "int[]", "'{1,2}'", "'{2,1}'"},
		{"text_array_null", "text[]", "'{NULL}'", `'{""}'`},
	}
	e := newEnv(t)
	var ddl, srcSQL, tgtSQL strings.Builder
	var specs []TableSpec
	for _, c := range cases {
		fmt.Fprintf(&ddl, "CREATE TABLE %s (id int, c %s, c2 text);\n", c.name, c.typ)
		fmt.Fprintf(&srcSQL, "INSERT INTO %s VALUES (1, %s, 'same');\n", c.name, c.src)
		fmt.Fprintf(&tgtSQL, "INSERT INTO %s VALUES (1, %s, 'same');\n", c.name, c.tgt)
		specs = append(specs, spec(c.name, nil, "id", "c", "c2"))
	}
	// Column boundaries: ('a,b', 'c') must differ from ('a', 'b,c').
	ddl.WriteString("CREATE TABLE split (a text, b text);")
	srcSQL.WriteString("INSERT INTO split VALUES ('a,b', 'c');")
	tgtSQL.WriteString("INSERT INTO split VALUES ('a', 'b,c');")
	specs = append(specs, spec("split", nil, "a", "b"))

	e.both(t, ddl.String())
	e.src.Exec(t, e.srcDB, srcSQL.String())
	e.tgt.Exec(t, e.tgtDB, tgtSQL.String())
	for _, r := range e.compare(t, 0, specs...) {
		wantMismatch(t, r)
		if r.SourceRows != 1 || r.TargetRows != 1 {
			t.Errorf("%s: rows %d/%d, want 1/1", r.Table, r.SourceRows, r.TargetRows)
		}
	}
}

func TestInheritanceParentUsesOnlyAndPartitionedParentIncludesPartitions(t *testing.T) {
	e := newEnv(t)
	e.both(t, `CREATE TABLE parent (id int, v text);
		CREATE TABLE child (extra int) INHERITS (parent);
		CREATE TABLE pt (id int, v text) PARTITION BY RANGE (id);
		CREATE TABLE pt1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
		CREATE TABLE pt2 PARTITION OF pt FOR VALUES FROM (100) TO (200);
		INSERT INTO parent VALUES (1, 'p');
		INSERT INTO child VALUES (2, 'c', 20);
		INSERT INTO pt SELECT g, 'v' || g FROM generate_series(0, 199) g;`)
	e.tgt.Exec(t, e.tgtDB, `INSERT INTO child VALUES (3, 'extra', 30); UPDATE pt SET v = 'x' WHERE id = 150;`)
	rs := e.compare(t, 0, spec("parent", nil, "id", "v"), spec("child", nil, "id", "v", "extra"),
		spec("pt", nil, "id", "v"), spec("pt1", nil, "id", "v"), spec("pt2", nil, "id", "v"))
	wantMatch(t, rs[0])
	if rs[0].SourceRows != 1 {
		t.Errorf("parent: %d rows, want 1 (ONLY)", rs[0].SourceRows)
	}
	wantMismatch(t, rs[1])
	wantMismatch(t, rs[2])
	if rs[2].SourceRows != 200 {
		t.Errorf("pt: %d rows, want 200 (partitions included)", rs[2].SourceRows)
	}
	wantMatch(t, rs[3])
	wantMismatch(t, rs[4])
}

func TestSetupErrors(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	o := e.options(t, 0, spec("t", nil, "id"))
	o.Target.Password = "wrong"
	if _, err := Compare(ctx, o); err == nil || !strings.Contains(err.Error(), "target") {
		t.Errorf("wrong target password: err = %v, want a target connection error", err)
	}
	o = e.options(t, 0, spec("t", nil, "id"))
	o.Target.Type = "oracle"
	if _, err := Compare(ctx, o); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("oracle target: err = %v, want not supported", err)
	}
	cfg := config(e.src, e.srcDB, "postgresql")
	cfg.Password = "wrong"
	if _, err := OpenPostgres(ctx, cfg, 1); err == nil || !strings.Contains(err.Error(), "compare data: source") {
		t.Errorf("wrong source password: err = %v, want a source connection error", err)
	}
}
