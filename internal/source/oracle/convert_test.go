package oracle

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

func corpus(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "reference", "oracle", name))
	if err != nil {
		t.Fatalf("the Oracle corpus is missing (%v): it lives in ../shared/reference/oracle beside the project", err)
	}
	return src
}

// convertFile converts one real script and loads the result into a fresh
// PostgreSQL database, in the order import schema uses.
func convertFile(t *testing.T, file, owner string) (db string, c *pgtest.Cluster, notes []schema.Note) {
	t.Helper()
	stmts, _, finds := ddl.Split(file, corpus(t, file))
	if len(finds) != 0 {
		t.Fatalf("findings: %v", finds)
	}
	out, notes := Convert(stmts, ConvertOptions{Schema: owner})
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].Type) < rank(out[j].Type) })
	c = pgtest.Shared(t, pgtest.RoleTarget)
	db = c.CreateDatabase(t, "oracle_"+strings.ToLower(owner))
	for _, st := range out {
		if _, err := schema.ParseSQL(st.Text, st.File); err != nil {
			t.Fatalf("%s does not parse as PostgreSQL: %v\n%s", st.Type, err, st.Text)
		}
		c.Exec(t, db, st.Text)
	}
	return db, c, notes
}

func rank(t schema.ObjectType) int {
	for i, o := range schema.Order {
		if o == t {
			return i
		}
	}
	return len(schema.Order)
}

// columnTypes reads format_type of every column of the public tables.
func columnTypes(t *testing.T, c *pgtest.Cluster, db string) map[string]string {
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

func hasNote(notes []schema.Note, object, reason string) bool {
	for _, n := range notes {
		if strings.Contains(n.Object, object) && strings.Contains(n.Reason, reason) {
			return true
		}
	}
	return false
}

// Oracle's HR schema, converted and created in a real PostgreSQL: every
// table, key, index and sequence, with the mapped column types.
func TestConvertHRIntoPostgres(t *testing.T) {
	db, c, notes := convertFile(t, "hr_create.sql", "HR")
	types := columnTypes(t, c, db)
	want := map[string]string{
		"regions.region_id":         "numeric NOT NULL", // bare NUMBER
		"regions.region_name":       "character varying(25)",
		"countries.country_id":      "character(2) NOT NULL",
		"locations.location_id":     "smallint NOT NULL", // NUMBER(4)
		"locations.city":            "character varying(30) NOT NULL",
		"employees.employee_id":     "integer NOT NULL", // NUMBER(6)
		"employees.hire_date":       "timestamp(0) without time zone NOT NULL",
		"employees.salary":          "numeric(8,2)",
		"employees.commission_pct":  "numeric(2,2)",
		"job_history.start_date":    "timestamp(0) without time zone NOT NULL",
		"departments.department_id": "smallint NOT NULL",
		"jobs.job_id":               "character varying(10) NOT NULL",
	}
	for col, typ := range want {
		if types[col] != typ {
			t.Errorf("%s: %q, want %q", col, types[col], typ)
		}
	}
	if n := len(types); n != 35 {
		t.Errorf("%d columns, want HR's 35", n)
	}
	counts := map[string]int64{
		"tables":       c.QueryInt(t, db, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`),
		"primary keys": c.QueryInt(t, db, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'p'`),
		"foreign keys": c.QueryInt(t, db, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f'`),
		"checks":       c.QueryInt(t, db, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'c'`),
		"uniques":      c.QueryInt(t, db, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'u'`),
		"indexes":      c.QueryInt(t, db, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'`),
		"sequences":    c.QueryInt(t, db, `SELECT count(*) FROM pg_sequences WHERE schemaname = 'public'`),
	}
	// 7 keys, 10 foreign keys, 2 checks, 1 unique; 17 indexes in the script,
	// 6 of which back a primary key (reg_id_pk ...): 11 + 7 keys + 1 unique.
	wantCounts := map[string]int64{"tables": 7, "primary keys": 7, "foreign keys": 10, "checks": 2, "uniques": 1, "indexes": 19, "sequences": 3}
	for k, n := range wantCounts {
		if counts[k] != n {
			t.Errorf("%s: %d, want %d", k, counts[k], n)
		}
	}
	// The view (an Oracle-style join) is created and reads the tables.
	c.Exec(t, db, `INSERT INTO regions VALUES (1, 'Europe'); INSERT INTO countries VALUES ('IT', 'Italy', 1);
		INSERT INTO locations (location_id, city, country_id) VALUES (1000, 'Roma', 'IT'); INSERT INTO jobs VALUES ('AD_PRES', 'President', 1, 2);
		INSERT INTO departments VALUES (10, 'Administration', NULL, 1000);
		INSERT INTO employees (employee_id, last_name, email, hire_date, job_id, salary, department_id) VALUES (100, 'King', 'SKING', '2003-06-17', 'AD_PRES', 24000, 10)`)
	if n := c.QueryInt(t, db, `SELECT count(*) FROM emp_details_view WHERE region_name = 'Europe' AND city = 'Roma'`); n != 1 {
		t.Errorf("emp_details_view: %d rows", n)
	}
	if got := c.QueryInt(t, db, `SELECT max_value FROM pg_sequences WHERE sequencename = 'locations_seq'`); got != 9900 {
		t.Errorf("locations_seq max %d", got)
	}
	for _, n := range [][2]string{
		{"INDEX reg_id_pk", "backs PRIMARY KEY REG_ID_PK"},
		{"TABLE countries", "index-organised"},
		{"COMMENT", "42 COMMENT statements not exported"},
		{"VIEW emp_details_view", "WITH READ ONLY"},
	} {
		if !hasNote(notes, n[0], n[1]) {
			t.Errorf("no note %q on %q in %v", n[1], n[0], notes)
		}
	}
}

func TestConvertChinookIntoPostgres(t *testing.T) {
	db, c, notes := convertFile(t, "Chinook_Oracle.sql", "CHINOOK")
	types := columnTypes(t, c, db)
	for col, typ := range map[string]string{
		"track.trackid":       "numeric NOT NULL",
		"track.unitprice":     "numeric(10,2) NOT NULL",
		"invoice.invoicedate": "timestamp(0) without time zone NOT NULL",
		"customer.email":      "character varying(60) NOT NULL",
		"employee.reportsto":  "numeric",
	} {
		if types[col] != typ {
			t.Errorf("%s: %q, want %q", col, types[col], typ)
		}
	}
	if n := c.QueryInt(t, db, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f'`); n != 11 {
		t.Errorf("%d foreign keys, want 11", n)
	}
	if n := c.QueryInt(t, db, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`); n != 11 {
		t.Errorf("%d tables, want 11", n)
	}
	if !hasNote(notes, "GRANT", "Chinook_Oracle.sql line 19: not schema") || !hasNote(notes, "INSERT", "not schema") {
		t.Errorf("grants and inserts are not reported: %v", notes)
	}
}
