package mysql

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, mytest.Harness, pgtest.Harness) }

// openTest creates a fresh database with setup run in it and opens a Source on it.
func openTest(t *testing.T, setup string) (*mytest.Server, string, *Source) {
	t.Helper()
	srv := mytest.Shared(t, mytest.RoleSource)
	db := srv.CreateDatabase(t, "src")
	srv.Exec(t, db, setup)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, dbconn.Config{Type: "mysql", Host: srv.Host, Port: srv.Port, User: srv.User, Password: srv.Password, DBName: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return srv, db, s
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func table(t *testing.T, s *Source, name string) source.Table {
	t.Helper()
	ts, err := s.ListTables(ctxT(t), []sqlname.Pattern{sqlname.ParsePattern(`"` + name + `"`)}, nil)
	if err != nil || len(ts) != 1 {
		t.Fatalf("ListTables(%s) = %v, %v", name, ts, err)
	}
	return ts[0]
}

// exportAll exports every chunk of tbl and returns the COPY lines in chunk order.
func exportAll(t *testing.T, snap source.Snapshot, tbl source.Table, chunkBytes int64) ([]string, []source.Chunk) {
	t.Helper()
	ctx := ctxT(t)
	chunks, err := snap.PlanChunks(ctx, []source.Table{tbl}, chunkBytes)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i, c := range chunks {
		var buf bytes.Buffer
		n, err := snap.ExportChunk(ctx, i%2, c, tbl.Columns, &buf)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if buf.Len() == 0 {
			got = nil
		}
		if int64(len(got)) != n {
			t.Fatalf("chunk %d: %d rows reported, %d lines written", c.ChunkNo, n, len(got))
		}
		lines = append(lines, got...)
	}
	return lines, chunks
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("line %d:\n got  %q\n want %q", i+1, g, w)
		}
	}
}

func TestListTablesAndIdentity(t *testing.T) {
	srv, db, s := openTest(t, `
		CREATE TABLE a (id int PRIMARY KEY, v int, g int AS (v + 1) VIRTUAL, s int AS (v * 2) STORED, w text);
		CREATE TABLE B (k1 int, k2 varchar(5), u int, PRIMARY KEY (k2, k1), UNIQUE KEY (u));
		CREATE TABLE nokey (x int);
		CREATE VIEW v AS SELECT id FROM a;
		INSERT INTO a (id, v) VALUES (1, 1), (2, 2);`)
	ctx := ctxT(t)
	id, err := s.Identity(ctx)
	if err != nil || !strings.HasPrefix(id, "mysql:") || !strings.HasSuffix(id, fmt.Sprintf(":%d/%s", srv.Port, db)) {
		t.Fatalf("Identity = %q, %v", id, err)
	}
	all, err := s.ListTables(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%+v", all)
	want := "[{Name:public.a Columns:[id v w] PrimaryKey:[id] Relations:[public.a] EstRows:2 HasUniqueKeys:false} " +
		"{Name:public.B Columns:[k1 k2 u] PrimaryKey:[k2 k1] Relations:[public.B] EstRows:0 HasUniqueKeys:true} " +
		"{Name:public.nokey Columns:[x] PrimaryKey:[] Relations:[public.nokey] EstRows:0 HasUniqueKeys:false}]"
	if got != want {
		t.Errorf("ListTables:\n got  %s\n want %s", got, want)
	}
	sel, err := s.ListTables(ctx, []sqlname.Pattern{sqlname.ParsePattern(db + ".a"), sqlname.ParsePattern("no*")},
		[]sqlname.Pattern{sqlname.ParsePattern("public.nokey")})
	if err != nil || len(sel) != 1 || sel[0].Name.Name != "a" {
		t.Fatalf("ListTables with patterns = %+v, %v", sel, err)
	}
	if _, err := s.ListTables(ctx, []sqlname.Pattern{sqlname.ParsePattern("missing")}, nil); err == nil ||
		!strings.Contains(err.Error(), "missing") || !strings.Contains(err.Error(), db) {
		t.Fatalf("missing table error = %v", err)
	}
}

func TestExportTypes(t *testing.T) {
	_, _, s := openTest(t, `SET sql_mode = ''; SET time_zone = '+00:00';
		CREATE TABLE ints (id int PRIMARY KEY, ti tinyint, tiu tinyint unsigned, b tinyint(1), si smallint,
			siu smallint unsigned, mi mediumint, i int, iu int unsigned, bi bigint, biu bigint unsigned, y year);
		INSERT INTO ints VALUES
			(1, 127, 255, 1, 32767, 65535, 8388607, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 2155),
			(2, -128, 0, 0, -32768, 0, -8388608, -2147483648, 0, -9223372036854775808, 0, 1901),
			(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		CREATE TABLE nums (id int PRIMARY KEY, d decimal(65,30), d2 decimal(5,2) unsigned, f float, f2 float, db double, db2 double, b1 bit(1), b5 bit(5), b64 bit(64));
		INSERT INTO nums VALUES
			(1, 99999999999999999999999999999999999.999999999999999999999999999999, 999.99, 3.5, 0.1, 0.1, 1.7976931348623157e308, b'1', b'00101', b'1000000000000000000000000000000000000000000000000000000000000001'),
			(2, -0.000000000000000000000000000001, 0, -1e-10, 1e20, -2.2250738585072014e-308, 1e100, b'0', b'11111', 0),
			(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		CREATE TABLE strs (id int PRIMARY KEY, c char(5), vc varchar(50), tx text, e enum('a','b c'), st set('x','y','z w'), j json) DEFAULT CHARSET utf8mb4;
		ALTER TABLE strs MODIFY c char(5) CHARACTER SET latin1;
		INSERT INTO strs VALUES
			(1, '', '', '', 'a', '', '{"k": "a\\tb", "n": [1, 2.5, null]}'),
			(2, NULL, NULL, NULL, NULL, NULL, NULL),
			(3, 'ab', 'tab\there', 'line\nbreak\r\nend', 'b c', 'x,z w', '"\\\\N"'),
			(4, 'x', 'back\\slash', '\\N', 'a', 'x,y', '[]'),
			(5, 'héllo', '日本語 🎉', 'ünïcödé', 'a', 'y', '{"é": "日"}');
		CREATE TABLE bins (id int PRIMARY KEY, b binary(4), vb varbinary(10), bl blob, lb longblob);
		INSERT INTO bins VALUES
			(1, X'00FF5C0A', X'', X'0009000D5C4E', 'text\\'),
			(2, NULL, NULL, NULL, NULL),
			(3, 'ab', X'00', X'', X'FF');
		CREATE TABLE times (id int PRIMARY KEY, d date, dt datetime(6), dt0 datetime, ts timestamp(3) NULL DEFAULT NULL, tm time, tm3 time(3));
		INSERT INTO times VALUES
			(1, '2024-02-29', '2024-02-29 23:59:59.123456', '1000-01-01 00:00:00', '2038-01-19 03:14:07.999', '838:59:59', '-12:34:56.789'),
			(2, '0000-00-00', '0000-00-00 00:00:00', '2020-00-10 10:00:00', '0000-00-00 00:00:00', '00:00:00', '23:59:59.5'),
			(3, NULL, NULL, NULL, NULL, NULL, NULL),
			(4, '9999-12-31', '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01', '1970-01-01 00:00:01', '-838:59:59', '01:02:03');
		SET time_zone = '+05:30';
		INSERT INTO times (id, ts) VALUES (5, '2024-01-01 10:00:00.5');`)
	ctx := ctxT(t)
	snap, err := s.BeginSnapshot(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	cases := []struct {
		table string
		want  []string
	}{
		{"ints", []string{
			"1\t127\t255\t1\t32767\t65535\t8388607\t2147483647\t4294967295\t9223372036854775807\t18446744073709551615\t2155",
			"2\t-128\t0\t0\t-32768\t0\t-8388608\t-2147483648\t0\t-9223372036854775808\t0\t1901",
			"3\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
		}},
		{"nums", []string{
			"1\t99999999999999999999999999999999999.999999999999999999999999999999\t999.99\t3.5\t0.1\t0.1\t1.7976931348623157e+308\tt\t00101\t1000000000000000000000000000000000000000000000000000000000000001",
			"2\t-0.000000000000000000000000000001\t0.00\t-1e-10\t1e+20\t-2.2250738585072014e-308\t1e+100\tf\t11111\t0000000000000000000000000000000000000000000000000000000000000000",
			"3\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
		}},
		{"strs", []string{
			`1				a	{}	{"k": "a\\tb", "n": [1, 2.5, null]}`,
			`2	\N	\N	\N	\N	\N	\N`,
			`3	ab	tab\there	line\nbreak\r\nend	b c	{x,"z w"}	"\\\\N"`,
			`4	x	back\\slash	\\N	a	{x,y}	[]`,
			`5	héllo	日本語 🎉	ünïcödé	a	{y}	{"é": "日"}`,
		}},
		{"bins", []string{
			`1	\\x00ff5c0a	\\x	\\x0009000d5c4e	\\x74657874` + `5c`,
			`2	\N	\N	\N	\N`,
			`3	\\x61620000	\\x00	\\x	\\xff`,
		}},
		{"times", []string{
			"1\t2024-02-29\t2024-02-29 23:59:59.123456\t1000-01-01 00:00:00\t2038-01-19 03:14:07.999+00\t838:59:59\t-12:34:56.789",
			"2\t\\N\t\\N\t\\N\t\\N\t00:00:00\t23:59:59.500",
			"3\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
			"4\t9999-12-31\t9999-12-31 23:59:59.999999\t1970-01-01 00:00:01\t1970-01-01 00:00:01.000+00\t-838:59:59\t01:02:03.000",
			"5\t\\N\t\\N\t\\N\t2024-01-01 04:30:00.500+00\t\\N\t\\N",
		}},
	}
	for _, c := range cases {
		t.Run(c.table, func(t *testing.T) {
			got, _ := exportAll(t, snap, table(t, s, c.table), 1<<30)
			checkLines(t, got, c.want)
		})
	}
	if n := s.ZeroDates(); n != 4 {
		t.Errorf("ZeroDates = %d, want 4 (d, dt, dt0 '2020-00-10', ts of row 2)", n)
	}
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "times.tm (2 values, e.g. '838:59:59')") ||
		!strings.Contains(w, "times.tm3 (1 value, e.g. '-12:34:56.789')") {
		t.Errorf("Warnings() = %s; want times.tm and times.tm3 named", w)
	}
}

func TestChunksCoverEveryRowOnce(t *testing.T) {
	_, _, s := openTest(t, `SET max_recursive_iterations = 100000;
		CREATE TABLE big (id bigint PRIMARY KEY, pad varchar(300));
		INSERT INTO big WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 3000)
			SELECT n, REPEAT('x', 250) FROM seq;
		INSERT INTO big VALUES (-7, 'neg'), (1000000000000, 'far');
		CREATE TABLE ubig (id bigint unsigned PRIMARY KEY, pad varchar(300));
		INSERT INTO ubig SELECT id + 18446744073709540000, pad FROM big WHERE id BETWEEN 1 AND 3000;
		INSERT INTO ubig VALUES (0, 'zero'), (18446744073709551615, 'max');
		CREATE TABLE strkey (k varchar(20) PRIMARY KEY, pad varchar(300));
		INSERT INTO strkey SELECT id, pad FROM big;
		ANALYZE TABLE big, ubig, strkey;`)
	ctx := ctxT(t)
	snap, err := s.BeginSnapshot(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	for _, name := range []string{"big", "ubig"} {
		tbl := table(t, s, name)
		lines, chunks := exportAll(t, snap, tbl, 64<<10)
		t.Logf("%s: %d chunks, first %q, last %q", name, len(chunks), chunks[0].Filter, chunks[len(chunks)-1].Filter)
		if len(chunks) < 4 {
			t.Fatalf("%s: %d chunks, want several: %+v", name, len(chunks), chunks)
		}
		if !strings.Contains(chunks[0].Filter, "`id` < ") || !strings.HasPrefix(chunks[len(chunks)-1].Filter, "`id` >= ") ||
			strings.Contains(chunks[len(chunks)-1].Filter, "<") {
			t.Errorf("%s: first/last chunk not open-ended: %q, %q", name, chunks[0].Filter, chunks[len(chunks)-1].Filter)
		}
		seen := map[string]int{}
		for _, l := range lines {
			seen[strings.SplitN(l, "\t", 2)[0]]++
		}
		if len(lines) != 3002 || len(seen) != 3002 {
			t.Errorf("%s: %d lines, %d distinct keys; want 3002 each", name, len(lines), len(seen))
		}
		for k, n := range seen {
			if n != 1 {
				t.Errorf("%s: key %s exported %d times", name, k, n)
			}
		}
	}
	if keys := seenKeys(t, snap, table(t, s, "ubig")); len(keys) != 3002 {
		t.Errorf("ubig: %d distinct keys, want 3002", len(keys))
	}
	lines, chunks := exportAll(t, snap, table(t, s, "strkey"), 64<<10)
	if len(chunks) != 1 || chunks[0].Filter != "" || len(lines) != 3002 {
		t.Errorf("strkey: %d chunks (%+v), %d lines; want one unfiltered chunk of 3002", len(chunks), chunks, len(lines))
	}
}

func seenKeys(t *testing.T, snap source.Snapshot, tbl source.Table) map[uint64]bool {
	lines, _ := exportAll(t, snap, tbl, 64<<10)
	out := map[uint64]bool{}
	for _, l := range lines {
		k, err := strconv.ParseUint(strings.SplitN(l, "\t", 2)[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = true
	}
	if !out[0] || !out[18446744073709551615] {
		t.Errorf("ubig: extreme keys missing")
	}
	return out
}

func TestSnapshotIsConsistent(t *testing.T) {
	srv, db, s := openTest(t, `
		CREATE TABLE t (id int PRIMARY KEY, v varchar(10));
		INSERT INTO t VALUES (1, 'a'), (2, 'b');`)
	ctx := ctxT(t)
	raw, err := s.BeginSnapshot(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	snap := raw.(*Snapshot)
	file, pos, gtid := snap.Position()
	if file == "" || pos == 0 {
		t.Errorf("Position = %q, %d, %q; want a binlog file and position", file, pos, gtid)
	}
	t.Logf("position %s:%d gtid %q", file, pos, gtid)
	// Commits after BeginSnapshot returned must neither block nor show.
	srv.Exec(t, db, `INSERT INTO t VALUES (3, 'c'); UPDATE t SET v = 'z' WHERE id = 1; DELETE FROM t WHERE id = 2;`)
	tbl := table(t, s, "t")
	for w := 0; w < 2; w++ {
		var buf bytes.Buffer
		n, err := snap.ExportChunk(ctx, w, source.Chunk{Table: tbl.Name, Relation: tbl.Relations[0]}, tbl.Columns, &buf)
		if err != nil || n != 2 || buf.String() != "1\ta\n2\tb\n" {
			t.Errorf("worker %d: %d rows %q, %v; want the rows before the snapshot", w, n, buf.String(), err)
		}
	}
	if err := snap.Close(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err = s.BeginSnapshot(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close(ctx)
	file2, pos2, _ := raw.(*Snapshot).Position()
	if file2 == file && pos2 <= pos {
		t.Errorf("position did not advance: %s:%d then %s:%d", file, pos, file2, pos2)
	}
	var buf bytes.Buffer
	if _, err := raw.ExportChunk(ctx, 0, source.Chunk{Table: tbl.Name, Relation: tbl.Relations[0]}, tbl.Columns, &buf); err != nil ||
		buf.String() != "1\tz\n3\tc\n" {
		t.Errorf("new snapshot: %q, %v", buf.String(), err)
	}
	if _, err := raw.ExportChunk(ctx, 1, source.Chunk{Table: tbl.Name, Relation: tbl.Relations[0]}, tbl.Columns, &buf); err == nil {
		t.Error("ExportChunk with a worker out of range succeeded")
	}
}
