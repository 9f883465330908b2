package analyze

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// ruleCase runs sql through Analyze and expects want issues of rule (and, if
// object is set, that they all concern that object).
type ruleCase struct {
	rule, name, sql string
	want            int
	object          string
}

const fn = "CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN %s END $$;"

func body(code string) string { return strings.Replace(fn, "%s", code, 1) }

var ruleCases = []ruleCase{
	// tables
	{"ALTER_TABLE_ADD_PK_ON_PARTITIONED_TABLE", "alter pk on partitioned",
		"CREATE TABLE public.p(id int, d date) PARTITION BY RANGE (d); ALTER TABLE ONLY public.p ADD CONSTRAINT p_pkey PRIMARY KEY (id, d);", 1, "public.p"},
	{"ALTER_TABLE_ADD_PK_ON_PARTITIONED_TABLE", "alter pk on plain table",
		"CREATE TABLE p(id int, d date); ALTER TABLE ONLY p ADD CONSTRAINT p_pkey PRIMARY KEY (id, d);", 0, ""},
	{"ALTER_TABLE_ADD_PK_ON_PARTITIONED_TABLE", "pk in create of partitioned",
		"CREATE TABLE p(id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d);", 0, ""},
	{"EXCLUSION_CONSTRAINTS", "in create table",
		"CREATE TABLE r(room int, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&));", 1, "r"},
	{"EXCLUSION_CONSTRAINTS", "in alter table",
		"ALTER TABLE ONLY r ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);", 1, "r"},
	{"EXCLUSION_CONSTRAINTS", "unique is fine", "CREATE TABLE r(room int UNIQUE);", 0, ""},
	{"DEFERRABLE_CONSTRAINTS", "column pk", "CREATE TABLE t(id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED);", 1, "t"},
	{"DEFERRABLE_CONSTRAINTS", "table unique", "CREATE TABLE t(a int, b int, UNIQUE (a, b) DEFERRABLE);", 1, ""},
	{"DEFERRABLE_CONSTRAINTS", "alter unique", "ALTER TABLE ONLY t ADD CONSTRAINT t_u UNIQUE (a) DEFERRABLE;", 1, ""},
	{"DEFERRABLE_CONSTRAINTS", "deferrable fk is fine",
		"CREATE TABLE t(id int PRIMARY KEY, p int REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED);", 0, ""},
	{"DEFERRABLE_CONSTRAINTS", "plain pk", "CREATE TABLE t(id int PRIMARY KEY);", 0, ""},
	{"INHERITANCE", "inherits", "CREATE TABLE c(x int) INHERITS (p);", 1, "c"},
	{"INHERITANCE", "alter inherit", "ALTER TABLE c INHERIT p;", 1, "c"},
	{"INHERITANCE", "partition of", "CREATE TABLE c PARTITION OF p FOR VALUES IN (1);", 0, ""},
	{"STORED_GENERATED_COLUMNS", "two columns",
		"CREATE TABLE t(a int, b int GENERATED ALWAYS AS (a*2) STORED, c int GENERATED ALWAYS AS (a*3) STORED);", 2, "t"},
	{"STORED_GENERATED_COLUMNS", "identity is fine", "CREATE TABLE t(a int GENERATED ALWAYS AS IDENTITY);", 0, ""},
	{"XML_DATATYPE", "column and array", "CREATE TABLE t(a xml, b xml[]);", 2, "t"},
	{"XML_DATATYPE", "domain over xml", "CREATE DOMAIN d AS xml; CREATE TABLE t(a d);", 1, ""},
	{"XML_DATATYPE", "add column", "ALTER TABLE t ADD COLUMN x xml;", 1, ""},
	{"XML_DATATYPE", "text", "CREATE TABLE t(a text);", 0, ""},
	{"XID_DATATYPE", "xid and txid_snapshot", "CREATE TABLE t(a xid, b txid_snapshot);", 2, ""},
	{"XID_DATATYPE", "bigint", "CREATE TABLE t(a bigint);", 0, ""},
	{"LARGE_OBJECT_DATATYPE", "lo", "CREATE TABLE t(a public.lo);", 1, ""},
	{"LARGE_OBJECT_DATATYPE", "bytea", "CREATE TABLE t(a bytea);", 0, ""},
	{"POSTGIS_DATATYPE", "geometry and geography", "CREATE TABLE t(g public.geometry(Point,4326), h geography);", 2, ""},
	{"POSTGIS_DATATYPE", "point", "CREATE TABLE t(p point);", 0, ""},
	{"MULTIRANGE_DATATYPE", "create", "CREATE TABLE t(a int4multirange);", 1, ""},
	{"MULTIRANGE_DATATYPE", "alter type", "ALTER TABLE t ALTER COLUMN a TYPE datemultirange;", 1, ""},
	{"MULTIRANGE_DATATYPE", "range", "CREATE TABLE t(a int4range);", 0, ""},
	{"ALTER_TABLE_CLUSTER_ON", "cluster on", "ALTER TABLE public.t CLUSTER ON t_pkey;", 1, "public.t"},
	{"ALTER_TABLE_CLUSTER_ON", "without cluster", "ALTER TABLE t SET WITHOUT CLUSTER;", 0, ""},
	{"ALTER_TABLE_RULE", "disable rule", "ALTER TABLE t DISABLE RULE r;", 1, ""},
	{"ALTER_TABLE_RULE", "enable always rule", "ALTER TABLE t ENABLE ALWAYS RULE r;", 1, ""},
	{"ALTER_TABLE_RULE", "disable trigger", "ALTER TABLE t DISABLE TRIGGER tr;", 0, ""},
	{"ALTER_TABLE_SET_WITHOUT_OIDS", "without oids", "ALTER TABLE t SET WITHOUT OIDS;", 1, ""},
	{"ALTER_TABLE_SET_WITHOUT_OIDS", "set logged", "ALTER TABLE t SET LOGGED;", 0, ""},
	{"ALTER_TABLE_SET_COLUMN_ATTRIBUTE", "n_distinct", "ALTER TABLE ONLY t ALTER COLUMN a SET (n_distinct = 100);", 1, ""},
	{"ALTER_TABLE_SET_COLUMN_ATTRIBUTE", "statistics", "ALTER TABLE ONLY t ALTER COLUMN a SET STATISTICS 100;", 0, ""},
	{"ALTER_TABLE_ALTER_CONSTRAINT", "alter constraint", "ALTER TABLE t ALTER CONSTRAINT fk DEFERRABLE;", 1, ""},
	{"ALTER_TABLE_ALTER_CONSTRAINT", "validate constraint", "ALTER TABLE t VALIDATE CONSTRAINT fk;", 0, ""},

	// other objects
	{"UNLOGGED_TABLE", "create", "CREATE UNLOGGED TABLE t(a int);", 1, "t"},
	{"UNLOGGED_TABLE", "alter", "ALTER TABLE t SET UNLOGGED;", 1, ""},
	{"UNLOGGED_TABLE", "logged", "CREATE TABLE t(a int);", 0, ""},
	{"TABLESPACE_CLAUSE", "table and pk", "CREATE TABLE t(a int, PRIMARY KEY (a) USING INDEX TABLESPACE fast) TABLESPACE slow;", 2, ""},
	{"TABLESPACE_CLAUSE", "index", "CREATE INDEX i ON t(a) TABLESPACE fast;", 1, "i"},
	{"TABLESPACE_CLAUSE", "set tablespace", "ALTER TABLE t SET TABLESPACE fast;", 1, ""},
	{"TABLESPACE_CLAUSE", "pg_default", "CREATE TABLE t(a int) TABLESPACE pg_default;", 0, ""},
	{"CREATE_TABLESPACE", "location", "CREATE TABLESPACE fast LOCATION '/ssd';", 1, "fast"},
	{"CREATE_TABLESPACE", "replica placement",
		`CREATE TABLESPACE geo LOCATION '' WITH (replica_placement = '{"num_replicas": 3}');`, 0, ""},
	{"FOREIGN_TABLE", "foreign table", "CREATE FOREIGN TABLE public.ft(a int) SERVER remote;", 1, "public.ft"},
	{"FOREIGN_TABLE", "table", "CREATE TABLE ft(a int);", 0, ""},
	{"FOREIGN_SERVER", "server", "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h');", 1, "remote"},
	{"FOREIGN_SERVER", "user mapping", "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'u', password 'p');", 1, "app SERVER remote"},
	{"FOREIGN_SERVER", "extension", "CREATE EXTENSION postgres_fdw;", 0, ""},
	{"CONSTRAINT_TRIGGER", "constraint trigger",
		"CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f();", 1, "ct ON t"},
	{"CONSTRAINT_TRIGGER", "plain trigger", "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", 0, ""},
	{"REFERENCING_CLAUSE_IN_TRIGGER", "transition table",
		"CREATE TRIGGER tr AFTER INSERT ON t REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION f();", 1, ""},
	{"REFERENCING_CLAUSE_IN_TRIGGER", "plain trigger", "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", 0, ""},
	{"BEFORE_ROW_TRIGGER_ON_PARTITIONED_TABLE", "before row on partitioned",
		"CREATE TABLE p(a int) PARTITION BY LIST (a); CREATE TRIGGER tr BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION f();", 1, "tr ON p"},
	{"BEFORE_ROW_TRIGGER_ON_PARTITIONED_TABLE", "after row on partitioned",
		"CREATE TABLE p(a int) PARTITION BY LIST (a); CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION f();", 0, ""},
	{"BEFORE_ROW_TRIGGER_ON_PARTITIONED_TABLE", "before row on plain table",
		"CREATE TABLE p(a int); CREATE TRIGGER tr BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION f();", 0, ""},
	{"UNSUPPORTED_EXTENSION", "postgis", "CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;", 1, "postgis"},
	{"UNSUPPORTED_EXTENSION", "uuid-ossp", `CREATE EXTENSION IF NOT EXISTS "uuid-ossp";`, 0, ""},
	{"UNSUPPORTED_EXTENSION", "pgcrypto", "CREATE EXTENSION pgcrypto;", 0, ""},

	// indexes
	{"CONCURRENT_INDEX", "concurrently", "CREATE INDEX CONCURRENTLY i ON public.t(a);", 1, "public.i"},
	{"CONCURRENT_INDEX", "plain", "CREATE INDEX i ON t(a);", 0, ""},
	{"CONCURRENT_INDEX", "unnamed", "CREATE INDEX CONCURRENTLY ON public.t(a);", 1, "unnamed index on public.t"},
	{"UNSUPPORTED_INDEX_METHOD", "gist", "CREATE INDEX i ON t USING gist (a);", 1, "i"},
	{"UNSUPPORTED_INDEX_METHOD", "brin", "CREATE INDEX i ON t USING brin (a);", 1, ""},
	{"UNSUPPORTED_INDEX_METHOD", "spgist", "CREATE INDEX i ON t USING spgist (a);", 1, ""},
	{"UNSUPPORTED_INDEX_METHOD", "gin", "CREATE INDEX i ON t USING gin (a);", 0, ""},
	{"UNSUPPORTED_INDEX_METHOD", "btree", "CREATE INDEX i ON t (a);", 0, ""},
	{"MULTI_COLUMN_GIN_INDEX", "two columns", "CREATE INDEX i ON t USING gin (a, b);", 1, "i"},
	{"MULTI_COLUMN_GIN_INDEX", "one column", "CREATE INDEX i ON t USING gin (a);", 0, ""},
	{"MULTI_COLUMN_GIN_INDEX", "btree two columns", "CREATE INDEX i ON t (a, b);", 0, ""},
	{"ORDERED_GIN_INDEX", "desc", "CREATE INDEX i ON t USING gin (a DESC);", 1, "i"},
	{"ORDERED_GIN_INDEX", "unordered", "CREATE INDEX i ON t USING gin (a);", 0, ""},
	{"ORDERED_GIN_INDEX", "btree desc", "CREATE INDEX i ON t (a DESC);", 0, ""},
	{"INDEX_ON_COMPLEX_DATATYPE", "jsonb, array, inet",
		"CREATE TABLE t(id int, doc jsonb, tags text[], ip inet); CREATE INDEX i ON t (doc, tags, ip);", 3, "i"},
	{"INDEX_ON_COMPLEX_DATATYPE", "same column twice", "CREATE TABLE t(doc jsonb); CREATE INDEX i ON t (doc, doc);", 1, ""},
	{"INDEX_ON_COMPLEX_DATATYPE", "composite type",
		"CREATE TYPE addr AS (street text); CREATE TABLE t(a addr); CREATE INDEX i ON t (a);", 1, ""},
	{"INDEX_ON_COMPLEX_DATATYPE", "partition inherits column type",
		"CREATE TABLE p(doc jsonb, d date) PARTITION BY RANGE (d); CREATE TABLE c PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'); CREATE INDEX i ON c (doc);", 1, ""},
	{"INDEX_ON_COMPLEX_DATATYPE", "int column", "CREATE TABLE t(id int); CREATE INDEX i ON t (id);", 0, ""},
	{"INDEX_ON_COMPLEX_DATATYPE", "gin on jsonb", "CREATE TABLE t(doc jsonb); CREATE INDEX i ON t USING gin (doc);", 0, ""},
	{"INDEX_ON_COMPLEX_DATATYPE", "expression", "CREATE TABLE t(doc jsonb); CREATE INDEX i ON t ((doc->>'k'));", 0, ""},
	{"PK_UK_ON_COMPLEX_DATATYPE", "jsonb pk", "CREATE TABLE t(doc jsonb PRIMARY KEY);", 1, "t"},
	{"PK_UK_ON_COMPLEX_DATATYPE", "alter unique",
		"CREATE TABLE t(ip inet, m macaddr); ALTER TABLE ONLY t ADD CONSTRAINT u UNIQUE (ip, m);", 2, ""},
	{"PK_UK_ON_COMPLEX_DATATYPE", "int pk", "CREATE TABLE t(id int PRIMARY KEY, doc jsonb);", 0, ""},

	// functions
	{"ADVISORY_LOCKS", "xact lock", body("PERFORM pg_advisory_xact_lock(42);"), 1, "public.f"},
	{"ADVISORY_LOCKS", "do block", "DO $$ BEGIN PERFORM pg_try_advisory_lock(1); END $$;", 1, ""},
	{"ADVISORY_LOCKS", "comment and string", body("-- pg_advisory_lock(1)\nRAISE NOTICE 'pg_advisory_lock(1)';"), 0, ""},
	{"ADVISORY_LOCKS", "c function", "CREATE FUNCTION f() RETURNS void LANGUAGE c AS 'pg_advisory_lock', 'sym';", 0, ""},
	{"LISTEN_NOTIFY", "notify", body("NOTIFY orders_changed;"), 1, ""},
	{"LISTEN_NOTIFY", "pg_notify", body("PERFORM pg_notify('ch', 'x');"), 1, ""},
	{"LISTEN_NOTIFY", "words in comments and strings", body("RAISE NOTICE 'notify me'; -- listen here"), 0, ""},
	{"LISTEN_NOTIFY", "function name", "CREATE FUNCTION notify_users() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", 0, ""},
	{"TWO_PHASE_COMMIT", "top-level prepare", "PREPARE TRANSACTION 'x';", 1, ""},
	{"TWO_PHASE_COMMIT", "in procedure",
		"CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT PREPARED 'x'; END $$;", 1, "p"},
	{"TWO_PHASE_COMMIT", "plain commit", "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;", 0, ""},
	{"LARGE_OBJECT_FUNCTIONS", "lo_import", body("PERFORM lo_import('/tmp/x');"), 1, ""},
	{"LARGE_OBJECT_FUNCTIONS", "sql function", "CREATE FUNCTION g(o oid) RETURNS bytea LANGUAGE sql AS 'SELECT lo_get(o)';", 1, "g"},
	{"LARGE_OBJECT_FUNCTIONS", "lo_manage trigger",
		"CREATE TRIGGER t_lo BEFORE UPDATE OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION lo_manage(raster);", 1, ""},
	{"LARGE_OBJECT_FUNCTIONS", "similar name", body("PERFORM slo_import(1);"), 0, ""},

	// performance
	{"HOTSPOTS_ON_MONOTONIC_KEY", "serial pk", "CREATE TABLE t(id serial PRIMARY KEY);", 1, "t"},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "identity pk", "CREATE TABLE t(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);", 1, ""},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "pg_dump sequence owned by",
		"CREATE TABLE t(id integer NOT NULL); CREATE SEQUENCE t_id_seq; ALTER SEQUENCE t_id_seq OWNED BY t.id; ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (id);", 1, ""},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "default nextval by alter",
		"CREATE TABLE t(id int); ALTER TABLE ONLY t ALTER COLUMN id SET DEFAULT nextval('s'::regclass); CREATE INDEX i ON t (id);", 1, "i"},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "timestamp index", "CREATE TABLE t(a int, ts timestamp); CREATE INDEX i ON t (ts);", 1, "i"},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "date unique", "CREATE TABLE t(d date UNIQUE, id int PRIMARY KEY);", 1, ""},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "int pk", "CREATE TABLE t(id int PRIMARY KEY, ts timestamp); CREATE INDEX i ON t (id, ts);", 0, ""},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "timestamp second", "CREATE TABLE t(a int, ts timestamp); CREATE INDEX i ON t (a, ts);", 0, ""},
	{"HOTSPOTS_ON_MONOTONIC_KEY", "brin on timestamp", "CREATE TABLE t(ts timestamptz); CREATE INDEX i ON t USING brin (ts);", 0, ""},
	{"MISSING_FOREIGN_KEY_INDEX", "no index",
		"CREATE TABLE c(id int PRIMARY KEY, p int); ALTER TABLE ONLY c ADD CONSTRAINT c_p_fk FOREIGN KEY (p) REFERENCES par(id);", 1, "c"},
	{"MISSING_FOREIGN_KEY_INDEX", "fk column not leading",
		"CREATE TABLE c(x int, p int); CREATE INDEX i ON c (x, p); ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES par(id);", 1, ""},
	{"MISSING_FOREIGN_KEY_INDEX", "partial index does not count",
		"CREATE TABLE c(p int); CREATE INDEX i ON c (p) WHERE p > 0; ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES par(id);", 1, ""},
	{"MISSING_FOREIGN_KEY_INDEX", "inline references", "CREATE TABLE c(id int PRIMARY KEY, p int REFERENCES par(id));", 1, ""},
	{"MISSING_FOREIGN_KEY_INDEX", "indexed",
		"CREATE TABLE c(id int PRIMARY KEY, p int); CREATE INDEX ON c (p); ALTER TABLE ONLY c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES par(id);", 0, ""},
	{"MISSING_FOREIGN_KEY_INDEX", "covered by pk",
		"CREATE TABLE c(p int, id int, PRIMARY KEY (p, id)); ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES par(id);", 0, ""},
	{"MISSING_FOREIGN_KEY_INDEX", "multi-column in other order",
		"CREATE TABLE c(a int, b int); CREATE INDEX i ON c (b, a); ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES par(x, y);", 0, ""},
	{"REDUNDANT_INDEXES", "prefix", "CREATE INDEX a1 ON t (a); CREATE INDEX a2 ON t (a, b);", 1, "a1"},
	{"REDUNDANT_INDEXES", "exact duplicate reports the later", "CREATE INDEX a1 ON t (a); CREATE INDEX a2 ON t (a);", 1, "a2"},
	{"REDUNDANT_INDEXES", "covered by pk", "CREATE TABLE t(a int, b int, PRIMARY KEY (a, b)); CREATE INDEX i ON t (a);", 1, "i"},
	{"REDUNDANT_INDEXES", "unique is not redundant", "CREATE UNIQUE INDEX a1 ON t (a); CREATE INDEX a2 ON t (a, b);", 0, ""},
	{"REDUNDANT_INDEXES", "other method", "CREATE INDEX a1 ON t USING hash (a); CREATE INDEX a2 ON t (a, b);", 0, ""},
	{"REDUNDANT_INDEXES", "other direction", "CREATE INDEX a1 ON t (a DESC); CREATE INDEX a2 ON t (a, b);", 0, ""},
	{"REDUNDANT_INDEXES", "other table", "CREATE INDEX a1 ON t (a); CREATE INDEX a2 ON u (a, b);", 0, ""},
	{"REDUNDANT_INDEXES", "partial", "CREATE INDEX a1 ON t (a) WHERE a > 0; CREATE INDEX a2 ON t (a, b);", 0, ""},
	{"REDUNDANT_INDEXES", "include not covered", "CREATE INDEX a1 ON t (a) INCLUDE (c); CREATE INDEX a2 ON t (a, b);", 0, ""},
	{"REDUNDANT_INDEXES", "not a prefix", "CREATE INDEX a1 ON t (b); CREATE INDEX a2 ON t (a, b);", 0, ""},
}

func analyzeSQL(t *testing.T, sql string) Report {
	t.Helper()
	stmts, err := schema.ParseSQL(sql, "tables/table.sql")
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(stmts)
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			var got []Issue
			for _, is := range analyzeSQL(t, tc.sql).Issues {
				if is.RuleID == tc.rule {
					got = append(got, is)
				}
			}
			if len(got) != tc.want {
				t.Fatalf("got %d %s issues, want %d: %+v", len(got), tc.rule, tc.want, got)
			}
			for _, is := range got {
				if tc.object != "" && is.ObjectName != tc.object {
					t.Errorf("object = %q, want %q", is.ObjectName, tc.object)
				}
			}
		})
	}
}

// TestEveryRuleTested makes a new rule come with a positive and a negative case.
func TestEveryRuleTested(t *testing.T) {
	pos, neg := map[string]bool{}, map[string]bool{}
	for _, tc := range ruleCases {
		if tc.want > 0 {
			pos[tc.rule] = true
		} else {
			neg[tc.rule] = true
		}
	}
	for _, r := range rules {
		if !pos[r.ID] || !neg[r.ID] {
			t.Errorf("rule %s needs a positive and a negative case in ruleCases", r.ID)
		}
	}
}

func TestRuleTable(t *testing.T) {
	ids := map[string]bool{}
	cats := setOf(Categories...)
	for _, r := range rules {
		if ids[r.ID] {
			t.Errorf("duplicate rule ID %s", r.ID)
		}
		ids[r.ID] = true
		if !cats[r.Category] || r.Reason == "" || r.Suggestion == "" || r.Doc == "" || r.Check == nil {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
	}
}

func TestNormalSchemaHasNoIssues(t *testing.T) {
	r := analyzeSQL(t, `
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
CREATE TABLE public.customers (id uuid DEFAULT gen_random_uuid() NOT NULL, email text NOT NULL, profile jsonb);
CREATE TABLE public.orders (id uuid NOT NULL, customer_id uuid NOT NULL, total numeric(12,2));
ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX customers_email ON public.customers USING btree (email);
CREATE INDEX customers_profile ON public.customers USING gin (profile);
CREATE INDEX orders_customer ON public.orders USING btree (customer_id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers(id);
CREATE FUNCTION public.total(c uuid) RETURNS numeric LANGUAGE sql AS $$ SELECT sum(total) FROM public.orders WHERE customer_id = c $$;
`)
	if len(r.Issues) != 0 {
		t.Fatalf("want no issues, got %+v", r.Issues)
	}
	if r.Summary() != "No issues found" {
		t.Errorf("summary = %q", r.Summary())
	}
}

func TestObjectCounts(t *testing.T) {
	r := analyzeSQL(t, `
CREATE TABLE public.a (x xml);
CREATE TABLE public.b (y int);
ALTER TABLE ONLY public.a ADD CONSTRAINT a_pk PRIMARY KEY (x);
CREATE INDEX b_y ON public.b (y);
COMMENT ON TABLE public.a IS 'a';
COMMENT ON TABLE public.b IS 'b';
`)
	want := map[string]ObjectCount{
		"TABLE":   {Total: 2, WithIssues: 1, Names: []string{"public.a", "public.b"}},
		"INDEX":   {Total: 1, WithIssues: 0, Names: []string{"public.b_y"}},
		"COMMENT": {Total: 2, WithIssues: 0, Names: []string{}},
	}
	if len(r.ObjectCounts) != len(want) {
		t.Fatalf("object counts: %+v", r.ObjectCounts)
	}
	for _, oc := range r.ObjectCounts {
		w := want[oc.ObjectType]
		if oc.Total != w.Total || oc.WithIssues != w.WithIssues || strings.Join(oc.Names, ",") != strings.Join(w.Names, ",") {
			t.Errorf("%s: got %+v, want %+v", oc.ObjectType, oc, w)
		}
	}
	if r.ObjectCounts[0].ObjectType != "TABLE" || r.ObjectCounts[2].ObjectType != "COMMENT" {
		t.Errorf("object types not in schema.Order: %+v", r.ObjectCounts)
	}
	var n int
	for _, c := range r.IssueCounts {
		n += c.Count
	}
	if n != len(r.Issues) || len(r.IssueCounts) != len(Categories) {
		t.Errorf("issue counts %+v do not add up to %d issues", r.IssueCounts, len(r.Issues))
	}
}

func TestIssueFields(t *testing.T) {
	sql := "-- header\nCREATE TABLE public.t (a int);\n\nCREATE INDEX CONCURRENTLY t_a\n  ON public.t (a);\n"
	stmts, err := schema.ParseSQL(sql, "tables/INDEXES_table.sql")
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(stmts)
	if len(r.Issues) != 1 {
		t.Fatalf("issues: %+v", r.Issues)
	}
	want := Issue{ObjectType: "INDEX", ObjectName: "public.t_a", File: "tables/INDEXES_table.sql", Line: 4,
		SQL: "CREATE INDEX CONCURRENTLY t_a\n  ON public.t (a)", RuleID: "CONCURRENT_INDEX", Category: MigrationCaveat,
		Reason: rules[ruleIndex("CONCURRENT_INDEX")].Reason, Suggestion: "Remove CONCURRENTLY.",
		DocLink: docBase + "create-index-concurrently-is-not-supported"}
	if r.Issues[0] != want {
		t.Errorf("got  %+v\nwant %+v", r.Issues[0], want)
	}
}

func ruleIndex(id string) int {
	for i, r := range rules {
		if r.ID == id {
			return i
		}
	}
	return -1
}

func TestStripNoise(t *testing.T) {
	in := "a -- x\nb /* y\n z */ c 'd''e' E'f\\'g' h $$i$$"
	got := stripNoise(in)
	for _, gone := range []string{"x", "y", "z", "d", "e", "f", "g"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q still in %q", gone, got)
		}
	}
	for _, kept := range []string{"a", "b", "c", "h", "$$i$$"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q lost from %q", kept, got)
		}
	}
	if strings.Count(got, "\n") != strings.Count(in, "\n") || len(got) != len(in) {
		t.Errorf("layout changed: %q", got)
	}
}
