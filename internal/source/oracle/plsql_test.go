package oracle

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

func convertText(t *testing.T, src string) ([]schema.Statement, []schema.Note) {
	t.Helper()
	stmts, _, finds := ddl.Split("t.sql", []byte(src))
	if len(finds) != 0 {
		t.Fatal(finds)
	}
	return Convert(stmts, ConvertOptions{Schema: "HR"})
}

// TestHRCodeIntoPostgres: Oracle's HR procedures and triggers, translated,
// are created in a real PostgreSQL and do there what they do in Oracle.
func TestHRCodeIntoPostgres(t *testing.T) {
	out, notes := convertText(t, string(corpus(t, "hr_create.sql"))+string(corpus(t, "hr_code.sql")))
	for _, n := range notes {
		if strings.Contains(n.Reason, "PL/SQL not translated") {
			t.Errorf("HR's code is mechanical, yet: %s: %s", n.Object, n.Reason)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].Type) < rank(out[j].Type) })
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_hr_code")
	for _, st := range out {
		c.Exec(t, db, st.Text)
	}
	for _, q := range []string{
		`INSERT INTO regions VALUES (1, 'Europe')`,
		`INSERT INTO countries VALUES ('UK', 'United Kingdom', 1)`,
		`INSERT INTO locations VALUES (2400, '8204 Arthur St', NULL, 'London', NULL, 'UK')`,
		`INSERT INTO departments VALUES (40, 'Human Resources', NULL, 2400)`,
		`INSERT INTO jobs VALUES ('HR_REP', 'Human Resources Representative', 4000, 9000), ('AD_VP', 'Administration Vice President', 15000, 30000)`,
		`INSERT INTO employees VALUES (203, 'Susan', 'Mavris', 'SMAVRIS', '515.123.7777', '2002-06-07', 'HR_REP', 6500, NULL, NULL, 40)`,
		// The trigger update_job_history records the old job.
		`UPDATE employees SET job_id = 'AD_VP' WHERE employee_id = 203`,
		`CALL add_job_history(203, '2001-01-01', '2002-06-01', 'HR_REP', 40)`,
	} {
		c.Exec(t, db, q)
	}
	if n := c.QueryInt(t, db, `SELECT count(*) FROM job_history WHERE employee_id = 203 AND job_id = 'HR_REP' AND department_id = 40`); n != 2 {
		t.Errorf("job_history holds %d rows for employee 203, want 2 (one from the trigger, one from the call)", n)
	}
	if n := c.QueryInt(t, db, `SELECT count(*) FROM pg_trigger WHERE tgname = 'secure_employees' AND tgenabled = 'D'`); n != 1 {
		t.Error("secure_employees is disabled in HR and should be created disabled")
	}
	// secure_dml refuses changes out of office hours with the error's own
	// number: either outcome is right, depending on when the test runs.
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var pgErr *pgconn.PgError
	if _, err := conn.Exec(ctx, `CALL secure_dml()`); err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "45205" && strings.Contains(pgErr.Message, "normal office hours")) {
		t.Errorf("secure_dml: %v", err)
	}
}

// Forms that stay PL/SQL, each with the construct named.
func TestPLSQLNotMechanical(t *testing.T) {
	for _, tc := range []struct{ src, why string }{
		{"CREATE PROCEDURE p IS BEGIN FOR r IN (SELECT 1 FROM dual) LOOP NULL; END LOOP; END;\n/\n", "uses loops"},
		{"CREATE PROCEDURE p IS BEGIN NULL; EXCEPTION WHEN OTHERS THEN NULL; END;\n/\n", "EXCEPTION handlers"},
		{"CREATE PROCEDURE p IS CURSOR c IS SELECT 1 FROM dual; BEGIN NULL; END;\n/\n", "declares a cursor"},
		{"CREATE PROCEDURE p IS BEGIN EXECUTE IMMEDIATE 'DROP TABLE t'; END;\n/\n", "dynamic SQL"},
		{"CREATE PROCEDURE p IS BEGIN pkg.run(1); END;\n/\n", "calls pkg.run"},
		{"CREATE PROCEDURE p IS BEGIN COMMIT; END;\n/\n", "transaction control"},
		{"CREATE PROCEDURE p IS v t_rec; BEGIN NULL; END;\n/\n", "a type not translated: t_rec"},
		{"CREATE TRIGGER tr FOR INSERT ON t COMPOUND TRIGGER BEFORE STATEMENT IS BEGIN NULL; END BEFORE STATEMENT; END;\n/\n", "compound"},
		{"CREATE TRIGGER tr AFTER LOGON ON DATABASE BEGIN NULL; END;\n/\n", "fires on LOGON"},
		{"CREATE TRIGGER tr BEFORE INSERT ON t REFERENCING NEW AS n FOR EACH ROW BEGIN NULL; END;\n/\n", "REFERENCING"},
		{"CREATE TRIGGER tr BEFORE INSERT OR UPDATE ON t FOR EACH ROW WHEN (old.x > 0) BEGIN NULL; END;\n/\n", "WHEN reads OLD in an INSERT trigger"},
		{"CREATE PACKAGE pk AS PROCEDURE p; END;\n/\n", "packages are not translated"},
		{"CREATE PROCEDURE p IS BEGIN SELECT ROWNUM FROM dual; END;\n/\n", "SELECT without INTO"},
	} {
		out, notes := convertText(t, tc.src)
		if len(out) != 1 || !strings.Contains(out[0].Text, "-- yb-voyager: not converted") || !strings.Contains(out[0].Text, tc.why) {
			t.Errorf("%q: want it kept commented out for %q, got %v", tc.src, tc.why, out)
		}
		if len(notes) == 0 || !strings.Contains(notes[len(notes)-1].Reason, tc.why) {
			t.Errorf("%q: notes %v lack %q", tc.src, notes, tc.why)
		}
	}
}

// Translated forms beyond HR's, checked by PostgreSQL's PL/pgSQL parser
// as they are written (unitBody) and here by their text.
func TestPLSQLMechanicalForms(t *testing.T) {
	src := `CREATE OR REPLACE FUNCTION get_bonus (p_salary IN NUMBER, p_pct IN NUMBER DEFAULT 10) RETURN NUMBER IS
  v_bonus NUMBER(10,2) := 0;
  c_max CONSTANT PLS_INTEGER := 5000;
BEGIN
  IF p_salary IS NULL THEN
    RETURN NULL;
  ELSIF p_salary > 100000 THEN
    v_bonus := c_max;
  ELSE
    v_bonus := NVL(p_salary, 0) * p_pct / 100;
  END IF;
  DBMS_OUTPUT.PUT_LINE('bonus ' || v_bonus);
  RETURN v_bonus;
END get_bonus;
/
CREATE OR REPLACE TRIGGER emp_audit
  BEFORE INSERT OR UPDATE OR DELETE ON employees
  FOR EACH ROW
DECLARE
  v_now DATE := SYSDATE;
BEGIN
  IF INSERTING THEN
    :new.hire_date := v_now;
  ELSIF DELETING THEN
    RAISE_APPLICATION_ERROR(-20001, 'no deletes');
  END IF;
END;
/
CREATE TRIGGER emp_raise BEFORE UPDATE OF salary ON employees FOR EACH ROW
  WHEN (new.salary > old.salary * 1.5)
BEGIN
  RAISE_APPLICATION_ERROR(-20002, 'raise too large for ' || :old.employee_id);
END;
/
`
	out, notes := convertText(t, src)
	var text []string
	for _, st := range out {
		text = append(text, st.Text)
	}
	all := strings.Join(text, ";\n")
	for _, want := range []string{
		`CREATE OR REPLACE FUNCTION "get_bonus"("p_salary" numeric, "p_pct" numeric DEFAULT 10) RETURNS numeric`,
		`"v_bonus" numeric(10,2) := 0;`,
		`"c_max" CONSTANT integer := 5000;`,
		`v_bonus := COALESCE(p_salary, 0) * p_pct / 100;`,
		`RAISE NOTICE '%', ('bonus ' || v_bonus);`,
		`ELSIF p_salary > 100000 THEN`,
		`BEFORE UPDATE OF "salary" ON "employees" FOR EACH ROW WHEN (NEW.salary > OLD.salary * 1.5) EXECUTE FUNCTION "emp_raise_fn"()`,
		`RAISE EXCEPTION '%', 'raise too large for ' || OLD.employee_id USING ERRCODE = '45002';`,
		`IF TG_OP = 'INSERT' THEN`,
		`NEW.hire_date := v_now;`,
		`RAISE EXCEPTION '%', 'no deletes' USING ERRCODE = '45001';`,
		"IF TG_OP = 'DELETE' THEN\n        RETURN OLD;",
		`CREATE TRIGGER "emp_audit" BEFORE INSERT OR UPDATE OR DELETE ON "employees" FOR EACH ROW`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %s\n%s\nnotes %v", want, all, notes)
		}
	}
	// And they run as the Oracle units do.
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_plsql_forms")
	c.Exec(t, db, `CREATE TABLE employees (employee_id int PRIMARY KEY, salary numeric, hire_date timestamp(0))`)
	for _, st := range out {
		c.Exec(t, db, st.Text)
	}
	c.Exec(t, db, `INSERT INTO employees (employee_id, salary) VALUES (1, 1000)`)
	if n := c.QueryInt(t, db, `SELECT count(*) FROM employees WHERE hire_date IS NOT NULL`); n != 1 {
		t.Error("the BEFORE INSERT trigger did not set hire_date")
	}
	if n := c.QueryInt(t, db, `SELECT get_bonus(1000)::int + get_bonus(200000, 1)::int`); n != 100+5000 {
		t.Errorf("get_bonus(1000) + get_bonus(200000, 1) = %d, want 5100", n)
	}
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for q, code := range map[string]string{
		`DELETE FROM employees`:              "45001",
		`UPDATE employees SET salary = 2000`: "45002",
	} {
		var pgErr *pgconn.PgError
		if _, err := conn.Exec(ctx, q); !errors.As(err, &pgErr) || pgErr.Code != code {
			t.Errorf("%s: %v, want SQLSTATE %s", q, err, code)
		}
	}
}

// FuzzPLSQL: no input makes the PL/SQL translator panic or hang.
func FuzzPLSQL(f *testing.F) {
	for _, s := range []string{
		"BEGIN NULL; END;", "v NUMBER := 1; BEGIN IF v > 0 THEN v := v + 1; ELSE NULL; END IF; END p;",
		"BEGIN RAISE_APPLICATION_ERROR(-20001, 'x', TRUE); END;", "BEGIN s.nextval; x.y.nextval; END;",
		"BEGIN DBMS_OUTPUT.PUT_LINE(1); p(1, 2); END;", "BEGIN BEGIN NULL; END; END;", "BEGIN ELSIF END IF; END;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, head := range []string{"CREATE PROCEDURE p IS ", "CREATE FUNCTION f (a IN NUMBER) RETURN NUMBER AS ", "CREATE TRIGGER tr BEFORE INSERT OR DELETE ON t FOR EACH ROW "} {
			stmts, _, _ := ddl.Split("f.sql", []byte(head+s+"\n/\n"))
			Convert(stmts, ConvertOptions{Schema: "HR"})
		}
	})
}
