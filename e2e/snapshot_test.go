package e2e

import (
	"strings"
	"testing"
)

const typesSchema = `
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a int, b text);
CREATE TABLE all_types (
	id        bigint PRIMARY KEY,
	i2 smallint, i4 integer, i8 bigint,
	n numeric, n2 numeric(12,4),
	f4 real, f8 double precision,
	t text, c char(5), vc varchar(20),
	b bytea, bo boolean,
	d date, tm time, tmtz timetz, ts timestamp, tstz timestamptz, iv interval,
	u uuid, j json, jb jsonb,
	arr int[], arr2 text[][],
	m mood, dm posint,
	ip inet, cidr_ cidr, mac macaddr,
	bt bit(4), vb varbit(10),
	mo money, tsv tsvector, hs hstore, cp pair
);
INSERT INTO all_types VALUES
 (1, -32768, -2147483648, -9223372036854775808,
  123456789012345678901234567890.123456789012345678901234567890, 12345678.1234,
  'NaN', 'Infinity',
  E'tab\there\nnewline back\\slash \\N literal, ünïcødé ✓', 'abc', 'varchar',
  E'\\x00ff00', true,
  '-infinity', '23:59:59.999999', '12:00:00+05:30', 'infinity', '2024-02-29 12:34:56.789+00', '1 year 2 mons 3 days 04:05:06.5',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2, {"b": null}]}', '{"k": "v\tw"}',
  ARRAY[1, NULL, 3], ARRAY[['a', NULL], ['c', 'd"q']],
  'happy', 42,
  '192.168.1.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
  B'1010', B'101',
  '$1,234.56', to_tsvector('simple', 'the quick brown fox'), 'a=>1, "b c"=>NULL', ROW(1, 'x,y')),
 (2, 32767, 2147483647, 9223372036854775807,
  -0.000000000000000000000000001, 0, '-Infinity', '-Infinity',
  '', '', '', '', false,
  'infinity', '00:00', '00:00+00', '-infinity', 'infinity', '-178000000 years',
  '00000000-0000-0000-0000-000000000000', '[]', '{}',
  '{}', '{}',
  'sad', 1,
  '::1', '::/0', '00:00:00:00:00:00',
  B'0000', B'',
  '-$0.01', '', '', ROW(NULL, '')),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 0, 0, 0, 'NaN', 1.5, 3.4028235e38, 1.7976931348623157e308,
  E'\\\\N', E'\\N', 'NULL', E'\\x5c4e', NULL,
  '2000-01-01', '12:00', '12:00-08', '1999-12-31 23:59:59', '1970-01-01 00:00:00+00', '-1 day -00:00:01',
  NULL, 'null', '"s"', ARRAY[[1,2],[3,4]], ARRAY['x'], 'ok', 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`

func TestTypesMigrateExactly(t *testing.T) {
	e := newEnv(t)
	e.srcExec(typesSchema)
	e.copySchema()
	e.exportData()
	r := e.importData()
	if !strings.Contains(r.stdout, "Imported 4 rows") {
		t.Fatalf("unexpected import output: %s", r)
	}
	e.expectCompareClean()
	// NULL and the empty string must stay distinct.
	if n := e.tgtInt(`SELECT count(*) FROM all_types WHERE t = '' `); n != 1 {
		t.Fatalf("rows with empty text = %d, want 1", n)
	}
	if n := e.tgtInt(`SELECT count(*) FROM all_types WHERE t IS NULL`); n != 1 {
		t.Fatalf("rows with NULL text = %d, want 1", n)
	}
	if n := e.tgtInt(`SELECT count(*) FROM all_types WHERE t = E'\\\\N' AND c = E'\\N'`); n != 1 {
		t.Fatalf("literal backslash-N values: %d rows, want 1", n)
	}
	if n := e.tgtInt(`SELECT count(*) FROM all_types WHERE b = E'\\x00ff00'::bytea`); n != 1 {
		t.Fatal("bytea with NUL bytes did not survive")
	}
}

const layoutSchema = `
CREATE SCHEMA sales;
CREATE TABLE public.orders (id int PRIMARY KEY, note text);
CREATE TABLE public.no_pk (a int, b text);
CREATE TABLE public."Mixed Case" ("Id" int PRIMARY KEY, "Weird ""Col""" text);
CREATE TABLE public."select" ("from" int PRIMARY KEY, "where" text);
CREATE TABLE public.skip_me (id int PRIMARY KEY);
CREATE TABLE public.events (id int, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
	PARTITION BY LIST (id);
CREATE TABLE public.events_2024_a PARTITION OF public.events_2024 FOR VALUES IN (1, 2, 3);
CREATE TABLE public.events_2024_b PARTITION OF public.events_2024 DEFAULT;
CREATE TABLE sales.orders (id int PRIMARY KEY, amount numeric, gen numeric GENERATED ALWAYS AS (amount * 2) STORED);
INSERT INTO public.orders SELECT g, 'o' || g FROM generate_series(1, 500) g;
INSERT INTO public.no_pk SELECT g % 7, 'dup' FROM generate_series(1, 300) g;
INSERT INTO public."Mixed Case" VALUES (1, 'x'), (2, 'y');
INSERT INTO public."select" VALUES (1, 'reserved');
INSERT INTO public.skip_me VALUES (1);
INSERT INTO public.events SELECT g, DATE '2023-06-01' + (g % 400), 'p' FROM generate_series(1, 1000) g;
INSERT INTO sales.orders (id, amount) SELECT g, g * 1.5 FROM generate_series(1, 200) g;
`

func TestPartitionsQuotingSchemasAndFilters(t *testing.T) {
	e := newEnv(t)
	e.srcExec(layoutSchema)
	e.copySchema()
	e.exportData("--source-db-schema", "public,sales", "--exclude-table-list", "skip_*")
	e.importData()
	e.expectCompareClean()
	checks := map[string]int64{
		`SELECT count(*) FROM public.events`:        1000,
		`SELECT count(*) FROM public.events_2024_b`: e.srcInt(`SELECT count(*) FROM public.events_2024_b`),
		`SELECT count(*) FROM public.no_pk`:         300,
		`SELECT count(*) FROM public."Mixed Case"`:  2,
		`SELECT count(*) FROM public."select"`:      1,
		`SELECT count(*) FROM sales.orders`:         200,
		`SELECT count(*) FROM public.skip_me`:       0,
		`SELECT sum(gen)::bigint FROM sales.orders`: e.srcInt(`SELECT sum(gen)::bigint FROM sales.orders`),
	}
	for q, want := range checks {
		if got := e.tgtInt(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	st := e.mustRun("export", "data", "status", "--export-dir", e.exportDir, "--output-format", "json")
	if strings.Contains(st.stdout, "skip_me") || !strings.Contains(st.stdout, `"public.Mixed Case"`) {
		t.Fatalf("export data status does not reflect the table selection: %s", st.stdout)
	}
}

func TestTableListSelectsOnly(t *testing.T) {
	e := newEnv(t)
	e.srcExec(layoutSchema)
	e.copySchema()
	e.exportData("--source-db-schema", "public,sales", "--table-list", `sales.orders,"Mixed Case",ev*`)
	e.importData()
	e.expectCompareClean()
	if n := e.tgtInt(`SELECT count(*) FROM public.orders`); n != 0 {
		t.Fatalf("public.orders was not in --table-list but has %d rows", n)
	}
	if n := e.tgtInt(`SELECT count(*) FROM public.events`); n != 1000 {
		t.Fatalf("events (glob ev*) has %d rows, want 1000", n)
	}
}

// TestBinaryFastPathFallsBackToText: a table of fast-path types is loaded as
// COPY binary; batches holding values outside the exporters' usual text (BC
// dates, numeric infinity, 5-digit years) are loaded again as text, and
// everything arrives exactly once.
func TestBinaryFastPathFallsBackToText(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`
CREATE TABLE fast (id bigint PRIMARY KEY, ts timestamptz, d date, n numeric, v varchar(40), f float8, ok bool);
INSERT INTO fast SELECT g, timestamptz '2020-01-01 00:00:00+00' + g * interval '1.5 second', DATE '2000-01-01' + g,
	g / 7.0, md5(g::text), g / 3.0, g % 2 = 0 FROM generate_series(1, 5000) g;
UPDATE fast SET ts = '0044-03-15 12:00:00+00 BC' WHERE id = 700;
UPDATE fast SET n = 'Infinity' WHERE id = 1900;
UPDATE fast SET d = '12345-06-07' WHERE id = 2600;
UPDATE fast SET ts = 'infinity', d = '-infinity', n = 'NaN', f = '-Infinity', v = E'tab\there \\N' WHERE id = 4000;`)
	e.copySchema()
	e.exportData()
	r := e.importData("--batch-size", "500")
	if !strings.Contains(r.stdout, "Imported 5000 rows") {
		t.Fatalf("unexpected import output: %s", r)
	}
	e.expectCompareClean()
	if n := e.tgtInt(`SELECT count(*) FROM fast WHERE ts < '0001-01-01' OR n = 'Infinity' OR d > '9999-12-31'`); n != 3 {
		t.Fatalf("rows with out-of-fast-path values = %d, want 3", n)
	}
}
