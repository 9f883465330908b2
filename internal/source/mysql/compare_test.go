package mysql

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/verify"
)

func spec(name string, pk []string, cols ...string) verify.TableSpec {
	return verify.TableSpec{Table: sqlname.Table{Schema: "public", Name: name}, Columns: cols, PrimaryKey: pk}
}

func wantMatch(t *testing.T, r verify.Result) {
	t.Helper()
	if !r.Match || r.Err != "" || r.SourceChecksum != r.TargetChecksum || len(r.MismatchedChunks) != 0 {
		t.Errorf("%s: want match, got %+v", r.Table, r)
	}
}

func wantMismatch(t *testing.T, r verify.Result) {
	t.Helper()
	if r.Match || r.Err != "" {
		t.Errorf("%s: want mismatch without error, got %+v", r.Table, r)
	}
}

// myEnv is a fresh MariaDB source database and PostgreSQL target database.
type myEnv struct {
	my          *mytest.Server
	tgt         *pgtest.Cluster
	myDB, tgtDB string
}

func newMyEnv(t *testing.T) *myEnv {
	t.Helper()
	my, tgt := mytest.Shared(t, mytest.RoleSource), pgtest.Shared(t, pgtest.RoleTarget)
	return &myEnv{my: my, tgt: tgt, myDB: my.CreateDatabase(t, "verify_my"), tgtDB: tgt.CreateDatabase(t, "verify_tgt")}
}

func (e *myEnv) source(password string) dbconn.Config {
	return dbconn.Config{Type: "mysql", Host: e.my.Host, Port: e.my.Port, User: e.my.User, Password: password, DBName: e.myDB}
}

func (e *myEnv) target() dbconn.Config {
	return dbconn.Config{Type: "yugabytedb", Host: e.tgt.Host, Port: e.tgt.Port, User: e.tgt.User, Password: e.tgt.Password,
		DBName: e.tgtDB, SSLMode: "disable"}
}

func (e *myEnv) compare(t *testing.T, chunkRows int64, specs ...verify.TableSpec) []verify.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	src, err := OpenCompare(ctx, e.source(e.my.Password), 3)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rs, err := verify.Compare(ctx, verify.Options{Source: src, Target: e.target(), Tables: specs, Workers: 3, ChunkRows: chunkRows})
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	if len(rs) != len(specs) {
		t.Fatalf("Compare returned %d results for %d tables", len(rs), len(specs))
	}
	return rs
}

// The MySQL table and the PostgreSQL table export would produce from it
// (see internal/source/mysql/types.go), with the data as migrated: zero
// dates as NULL, bit(1) as boolean, set as text[], blobs as bytea.
const myEdgeDDL = `SET SESSION sql_mode = '';
CREATE TABLE edge (
  id int PRIMARY KEY,
  s varchar(50), c char(5), tx text,
  ti tinyint, tb tinyint(1), ub bigint unsigned, si smallint unsigned, i int unsigned, bi bigint,
  d decimal(12,3), f float, db double,
  dt date, dtm datetime(6), dt0 datetime, ts timestamp(3) NULL DEFAULT NULL, tm time(6), yr year,
  b1 bit(1), b10 bit(10), bin binary(4), vb varbinary(10), bl blob,
  e enum('small','medium','large'), st set('a','b','c'), j json
) CHARACTER SET utf8mb4;
CREATE TABLE lat (id int PRIMARY KEY, v varchar(20)) CHARACTER SET latin1;
INSERT INTO edge VALUES
 (1, '', 'ab', 'tab\there\nnl', -128, 1, 18446744073709551615, 65535, 4294967295, -9223372036854775808,
  123456789.125, 0.1, 1.5e300, '2024-02-29', '2024-02-29 23:59:59.999999', '1999-12-31 00:00:00', '2038-01-19 03:14:07.123', '-12:34:56.5', 2024,
  b'1', b'1010101010', X'00010000', X'00ff00', X'000102ff00',
  'medium', 'a,c', '{"b": 2, "a": [1, 2.50, {"y": null, "x": "é"}]}'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL),
 (3, 'ünïcödé ✓ 😀', 'x  ', '', 0, 0, 0, 0, 0, 9223372036854775807,
  -0.001, -0.0, -0.0, '0000-00-00', '0000-00-00 00:00:00', '2020-01-01 00:00:00.000001', NULL, '00:00:00', 1901,
  b'0', b'0000000001', X'61626364', X'', X'',
  'small', '', '[]'),
 (4, 'a\\b''"', 'q', 'x', 127, 0, 1, 1, 1, 1,
  0.000, 3.40282e38, 2.2250738585072014e-308, '1000-01-01', '9999-12-31 23:59:59.000000', '2020-00-10 00:00:00', '1970-01-01 00:00:01', '838:59:59', 2155,
  b'1', b'1111111111', NULL, NULL, NULL,
  'large', 'a,b,c', '{"a":1,"b":"x y","n":1e2}');
INSERT INTO lat VALUES (1, 'café'), (2, NULL), (3, '');`

// The rows as export data loads them (time '838:59:59' does not exist in
// PostgreSQL: row 4 holds 23:59:59 on both sides instead, see below).
const pgEdgeDDL = `CREATE TYPE edge_e AS ENUM ('small','medium','large');
CREATE TABLE edge (
  id integer PRIMARY KEY,
  s varchar(50), c char(5), tx text,
  ti smallint, tb smallint, ub numeric(20), si integer, i bigint, bi bigint,
  d numeric(12,3), f real, db double precision,
  dt date, dtm timestamp(6) without time zone, dt0 timestamp(0) without time zone, ts timestamp(3) with time zone, tm time(6), yr smallint,
  b1 boolean, b10 bit varying(10), bin bytea, vb bytea, bl bytea,
  e edge_e, st text[], j jsonb
);
CREATE TABLE lat (id integer PRIMARY KEY, v varchar(20));
INSERT INTO edge VALUES
 (1, '', 'ab', E'tab\there\nnl', -128, 1, 18446744073709551615, 65535, 4294967295, -9223372036854775808,
  123456789.125, 0.1, 1.5e300, '2024-02-29', '2024-02-29 23:59:59.999999', '1999-12-31 00:00:00', '2038-01-19 03:14:07.123+00', '12:34:56.5', 2024,
  true, B'1010101010', '\x00010000', '\x00ff00', '\x000102ff00',
  'medium', '{a,c}', '{"a": [1, 2.5, {"x": "é", "y": null}], "b": 2}'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL),
 (3, 'ünïcödé ✓ 😀', 'x', '', 0, 0, 0, 0, 0, 9223372036854775807,
  -0.001, -0.0, -0.0, NULL, NULL, '2020-01-01 00:00:00.000001', NULL, '00:00:00', 1901,
  false, B'0000000001', '\x61626364', '\x', '\x',
  'small', '{}', '[]'),
 (4, E'a\\b''"', 'q', 'x', 127, 0, 1, 1, 1, 1,
  0.000, 3.40282e38, 2.2250738585072014e-308, '1000-01-01', '9999-12-31 23:59:59.000000', NULL, '1970-01-01 00:00:01+00', '23:59:59', 2155,
  true, B'1111111111', NULL, NULL, NULL,
  'large', '{a,b,c}', '{"n": 100, "b": "x y", "a": 1.0}');
INSERT INTO lat VALUES (1, 'café'), (2, NULL), (3, '');`

var edgeCols = strings.Fields("id s c tx ti tb ub si i bi d f db dt dtm dt0 ts tm yr b1 b10 bin vb bl e st j")

func newEdgeEnv(t *testing.T) *myEnv {
	e := newMyEnv(t)
	e.my.Exec(t, e.myDB, myEdgeDDL)
	// time values: MySQL TIME ranges beyond a day and below zero, PostgreSQL
	// time does not; such values are not part of a successful migration.
	e.my.Exec(t, e.myDB, "UPDATE edge SET tm = '12:34:56.5' WHERE id = 1; UPDATE edge SET tm = '23:59:59' WHERE id = 4")
	e.tgt.Exec(t, e.tgtDB, pgEdgeDDL)
	return e
}

func TestMySQLEdgeValuesMatch(t *testing.T) {
	e := newEdgeEnv(t)
	rs := e.compare(t, 0, spec("edge", []string{"id"}, edgeCols...), spec("lat", []string{"id"}, "id", "v"))
	for _, r := range rs {
		wantMatch(t, r)
	}
	if rs[0].SourceRows != 4 || rs[0].TargetRows != 4 || rs[1].SourceRows != 3 {
		t.Errorf("row counts: %+v", rs)
	}
	if strings.HasSuffix(rs[0].SourceChecksum, ":0") || strings.HasPrefix(rs[0].SourceChecksum, "0:") {
		t.Errorf("checksum %q: want both the SQL and the JSON sums non-zero", rs[0].SourceChecksum)
	}
}

func TestMySQLChangedValuesMismatch(t *testing.T) {
	changes := map[string]string{
		"empty vs NULL": "UPDATE edge SET s = NULL WHERE id = 1",
		"text":          "UPDATE edge SET tx = E'tab\there\nnl ' WHERE id = 1",
		"unsigned":      "UPDATE edge SET ub = 18446744073709551614 WHERE id = 1",
		"decimal":       "UPDATE edge SET d = 123456789.126 WHERE id = 1",
		"double":        "UPDATE edge SET db = 1.5000000000001e300 WHERE id = 1",
		"float":         "UPDATE edge SET f = 0.1001 WHERE id = 1",
		"datetime(6)":   "UPDATE edge SET dtm = '2024-02-29 23:59:59.999998' WHERE id = 1",
		"timestamp":     "UPDATE edge SET ts = '2038-01-19 03:14:07.123+01' WHERE id = 1",
		"zero date":     "UPDATE edge SET dt = '2000-01-01' WHERE id = 3",
		"bit":           "UPDATE edge SET b1 = false WHERE id = 1",
		"bit(10)":       "UPDATE edge SET b10 = B'1010101011' WHERE id = 1",
		"blob":          `UPDATE edge SET bl = '\x000102ff' WHERE id = 1`,
		"enum":          "UPDATE edge SET e = 'large' WHERE id = 1",
		"set":           "UPDATE edge SET st = '{a}' WHERE id = 1",
		"json":          `UPDATE edge SET j = '{"a": 1, "b": "x y", "n": 101}' WHERE id = 4`,
		"json null":     `UPDATE edge SET j = 'null' WHERE id = 2`,
		"extra row":     "INSERT INTO edge (id) VALUES (5)",
		"missing row":   "DELETE FROM edge WHERE id = 2",
	}
	e := newEdgeEnv(t)
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			// Re-create the target table from scratch, then apply the change.
			e.tgt.Exec(t, e.tgtDB, "DROP TABLE edge; DROP TYPE edge_e; DROP TABLE lat;\n"+pgEdgeDDL+";\n"+change)
			r := e.compare(t, 0, spec("edge", []string{"id"}, edgeCols...))[0]
			wantMismatch(t, r)
		})
	}
}

func TestMySQLChunkedMismatchReportsRange(t *testing.T) {
	e := newMyEnv(t)
	e.my.Exec(t, e.myDB, `CREATE TABLE t (id bigint PRIMARY KEY, v double, w varchar(10));
		INSERT INTO t SELECT seq, seq / 7e0, CONCAT('w', seq) FROM seq_1_to_1000;
		ANALYZE TABLE t;`)
	e.tgt.Exec(t, e.tgtDB, `CREATE TABLE t (id bigint PRIMARY KEY, v double precision, w varchar(10));
		INSERT INTO t SELECT g, g / 7.0, 'w' || g FROM generate_series(1, 1000) g;`)
	r := e.compare(t, 100, spec("t", []string{"id"}, "id", "v", "w"))[0]
	wantMatch(t, r)
	e.tgt.Exec(t, e.tgtDB, `UPDATE t SET w = 'x' WHERE id = 555`)
	r = e.compare(t, 100, spec("t", []string{"id"}, "id", "v", "w"))[0]
	wantMismatch(t, r)
	if len(r.MismatchedChunks) != 1 || !strings.Contains(r.MismatchedChunks[0], `"id" >=`) {
		t.Errorf("want one mismatched PostgreSQL-quoted range, got %q", r.MismatchedChunks)
	}
}

func TestMySQLSetupErrors(t *testing.T) {
	e := newMyEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := OpenCompare(ctx, e.source("wrong"), 1); err == nil || !strings.Contains(err.Error(), "compare data: source") {
		t.Errorf("wrong source password: err = %v, want a source connection error", err)
	}
	e.my.Exec(t, e.myDB, "CREATE TABLE t (id int)")
	r := e.compare(t, 0, spec("t", nil, "id"))
	if len(r) != 1 || r[0].Match || !strings.Contains(r[0].Err, "does not exist on the target") {
		t.Errorf("table missing on the target: %+v", r)
	}
}

// ENUM error values are exported as NULL; TIME durations load into an
// interval column (the fix export data and import data name). Both compare
// equal as migrated, and a changed value still shows.
func TestMySQLEnumErrorsAndDurationsMatch(t *testing.T) {
	e := newMyEnv(t)
	e.my.Exec(t, e.myDB, `SET SESSION sql_mode = '';
		CREATE TABLE d (id int PRIMARY KEY, e enum('a',''), tm time(3));
		INSERT INTO d VALUES (1, 'bogus', '838:59:59'), (2, '', '-00:30:00.25'), (3, 'a', '12:00:00'), (4, NULL, NULL),
			(5, 'a', '-838:59:59'), (6, 'a', '24:00:00.001');`)
	const pgDDL = `CREATE TYPE d_e_enum AS ENUM ('a', '');
		CREATE TABLE d (id integer PRIMARY KEY, e d_e_enum, tm interval(3));
		INSERT INTO d VALUES (1, NULL, '838:59:59'), (2, '', '-00:30:00.25'), (3, 'a', '12:00:00'), (4, NULL, NULL),
			(5, 'a', '-838:59:59'), (6, 'a', '24:00:00.001');`
	e.tgt.Exec(t, e.tgtDB, pgDDL)
	wantMatch(t, e.compare(t, 0, spec("d", []string{"id"}, "id", "e", "tm"))[0])
	for name, change := range map[string]string{
		"error value kept as ''": "UPDATE d SET e = '' WHERE id = 1",
		"'' label as NULL":       "UPDATE d SET e = NULL WHERE id = 2",
		"duration sign":          "UPDATE d SET tm = '00:30:00.25' WHERE id = 2",
		"duration":               "UPDATE d SET tm = '838:59:58' WHERE id = 1",
	} {
		t.Run(name, func(t *testing.T) {
			e.tgt.Exec(t, e.tgtDB, "DROP TABLE d; DROP TYPE d_e_enum;\n"+pgDDL+";\n"+change)
			wantMismatch(t, e.compare(t, 0, spec("d", []string{"id"}, "id", "e", "tm"))[0])
		})
	}
}
