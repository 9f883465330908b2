package oracle

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

func TestTranslate(t *testing.T) {
	cases := []translation{
		{`SELECT NVL(commission_pct, 0) FROM employees`, `SELECT COALESCE(commission_pct, 0) FROM employees`, ""},
		{`SELECT NVL2(a, 'y', 'n') FROM t`, `SELECT (CASE WHEN a IS NOT NULL THEN 'y' ELSE 'n' END) FROM t`, ""},
		{`SELECT DECODE(b, 1, 'one', NULL, 'none', 'many') FROM t`, `SELECT (CASE WHEN b IS NOT DISTINCT FROM 1 THEN 'one' WHEN b IS NOT DISTINCT FROM NULL THEN 'none' ELSE 'many' END) FROM t`, ""},
		{`SELECT DECODE(NVL(x, 0), 0, 'zero') FROM t`, `SELECT (CASE WHEN COALESCE(x, 0) IS NOT DISTINCT FROM 0 THEN 'zero' END) FROM t`, ""},
		{`SELECT SYSDATE, SYSTIMESTAMP FROM DUAL`, `SELECT LOCALTIMESTAMP(0), CURRENT_TIMESTAMP`, ""},
		{`SELECT a FROM t MINUS SELECT a FROM u`, `SELECT a FROM t EXCEPT SELECT a FROM u`, ""},
		{`SELECT INSTR(email, '@') FROM "HR"."EMPLOYEES"`, `SELECT strpos(email, '@') FROM "public"."employees"`, ""},
		{`SELECT TO_DATE('17-06-2013', 'dd-MM-yyyy') FROM dual`, `SELECT CAST(to_timestamp('17-06-2013', 'dd-MM-yyyy') AS timestamp(0))`, ""},
		{`SELECT 'it''s', "Mixed" FROM hr.t`, `SELECT 'it''s', "Mixed" FROM "public".t`, ""},
		{`SELECT 1 FROM dual WHERE x = 1`, `SELECT 1 WHERE x = 1`, ""},
		{`SELECT TO_CHAR(hire_date, 'YYYY-MM-DD'), TO_NUMBER(zip), TO_NUMBER(amt, '9999.99') FROM t`, `SELECT to_char(hire_date, 'YYYY-MM-DD'), CAST(zip AS numeric), to_number(amt, '9999.99') FROM t`, ""},
		{`SELECT SUBSTR(phone, 1, 3), SUBSTR(name, 2) FROM t`, `SELECT substr(phone, 1, 3), substr(name, 2) FROM t`, ""},
		{`SELECT SUBSTR(phone, -4) FROM t`, "", "SUBSTR with a start that is not a positive number"},
		{`SELECT TO_CHAR(hire_date) FROM t`, "", "TO_CHAR without a format"},
		{`SELECT ROWID FROM t`, ``, "ROWID has no PostgreSQL counterpart"},
		{`SELECT id FROM t START WITH p IS NULL CONNECT BY PRIOR id = p`, ``, "CONNECT BY"},
		{`SELECT TO_DATE(x) FROM t`, ``, "NLS_DATE_FORMAT"},
		{`SELECT INSTR(a, b, 1, 2) FROM t`, ``, "INSTR with 4 arguments"},
	}
	checkTranslations(t, cases)
}

type translation struct{ in, out, problem string }

// checkTranslations: each in translates to out without problems, or has
// a problem containing problem.
func checkTranslations(t *testing.T, cases []translation) {
	t.Helper()
	for _, tc := range cases {
		out, problems := translate(tc.in, "HR", "public")
		if tc.problem == "" {
			if len(problems) != 0 || out != tc.out {
				t.Errorf("%s\n got %s %v\nwant %s", tc.in, out, problems, tc.out)
			}
			continue
		}
		if !strings.Contains(strings.Join(problems, "; "), tc.problem) {
			t.Errorf("%s: problems %v (output %s), want %q", tc.in, problems, out, tc.problem)
		}
	}
}

const rownumProblem = "rewrite with LIMIT / row_number()"

func TestTranslate_RownumLimit(t *testing.T) {
	checkTranslations(t, []translation{
		// The top-N idiom: the inner query sorts, the outer one limits.
		{`SELECT * FROM (SELECT * FROM employees ORDER BY salary DESC) WHERE ROWNUM <= 10`,
			`SELECT * FROM (SELECT * FROM employees ORDER BY salary DESC) AS subquery1 LIMIT 10`, ""},
		{`SELECT e.* FROM (SELECT * FROM employees ORDER BY salary DESC) e WHERE ROWNUM <= 10`,
			`SELECT e.* FROM (SELECT * FROM employees ORDER BY salary DESC) e LIMIT 10`, ""},
		{`SELECT * FROM t WHERE ROWNUM <= 10`, `SELECT * FROM t LIMIT 10`, ""},
		{`SELECT * FROM t WHERE x = 1 AND ROWNUM < 5 AND y = 2`, `SELECT * FROM t WHERE x = 1 AND y = 2 LIMIT 4`, ""},
		{`SELECT * FROM t WHERE ROWNUM = 1 AND x = 1`, `SELECT * FROM t WHERE x = 1 LIMIT 1`, ""},
		{`SELECT * FROM t WHERE x = 1 AND 3 >= rownum`, `SELECT * FROM t WHERE x = 1 LIMIT 3`, ""},
		{`SELECT * FROM t WHERE 3 > ROWNUM`, `SELECT * FROM t LIMIT 2`, ""},
		{`SELECT * FROM t WHERE ROWNUM < 1`, `SELECT * FROM t LIMIT 0`, ""},
		{"SELECT *\nFROM t\nWHERE x BETWEEN 1 AND 5\n  AND ROWNUM <= 2", "SELECT *\nFROM t\nWHERE x BETWEEN 1 AND 5 LIMIT 2", ""},
		{`SELECT * FROM t WHERE CASE WHEN a = 1 AND b = 2 THEN 1 END = 1 AND ROWNUM <= 2`,
			`SELECT * FROM t WHERE CASE WHEN a = 1 AND b = 2 THEN 1 END = 1 LIMIT 2`, ""},
		{`SELECT NVL(a, 0) FROM hr.t WHERE ROWNUM = 1`, `SELECT COALESCE(a, 0) FROM "public".t LIMIT 1`, ""},
		{`SELECT 1 FROM dual WHERE ROWNUM = 1`, `SELECT 1 LIMIT 1`, ""},
		// Subqueries: the limit goes before their closing parenthesis.
		{`SELECT t.id, (SELECT u.name FROM u WHERE u.id = t.id AND ROWNUM = 1) AS name FROM t`,
			`SELECT t.id, (SELECT u.name FROM u WHERE u.id = t.id LIMIT 1) AS name FROM t`, ""},
		{`SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE ROWNUM <= 5)`, `SELECT * FROM t WHERE id IN (SELECT id FROM u LIMIT 5)`, ""},
		{`SELECT (SELECT max(x) FROM u) FROM t WHERE ROWNUM <= 5`, `SELECT (SELECT max(x) FROM u) FROM t LIMIT 5`, ""},
		{`SELECT * FROM t WHERE ROWNUM <= 5 AND x IN (SELECT y FROM u WHERE ROWNUM <= 1)`, `SELECT * FROM t WHERE x IN (SELECT y FROM u LIMIT 1) LIMIT 5`, ""},
		{"SELECT * FROM t /* all */ WHERE ROWNUM <= 5 -- five", "SELECT * FROM t LIMIT 5 -- five", ""},
		{`(SELECT a FROM t WHERE ROWNUM <= 3) UNION ALL (SELECT a FROM u)`, `(SELECT a FROM t LIMIT 3) UNION ALL (SELECT a FROM u)`, ""},
		{`WITH q AS (SELECT * FROM t ORDER BY a) SELECT * FROM q WHERE ROWNUM <= 3`, `WITH q AS (SELECT * FROM t ORDER BY a) SELECT * FROM q LIMIT 3`, ""},
		// A derived table gets a name even without ROWNUM, one the query does not use.
		{`SELECT subquery1 FROM (SELECT 1 AS subquery1 FROM t)`, `SELECT subquery1 FROM (SELECT 1 AS subquery1 FROM t) AS subquery2`, ""},
		{`SELECT * FROM (SELECT a FROM t), (SELECT b FROM u) WHERE a = b`,
			`SELECT * FROM (SELECT a FROM t) AS subquery1, (SELECT b FROM u) AS subquery2 WHERE a = b`, ""},

		// ROWNUM is numbered before ORDER BY, GROUP BY, DISTINCT and aggregates; LIMIT after.
		{`SELECT * FROM t WHERE ROWNUM <= 10 ORDER BY a`, ``, rownumProblem},
		{`SELECT a, count(*) FROM t WHERE ROWNUM <= 10 GROUP BY a`, ``, rownumProblem},
		{`SELECT count(*) FROM t WHERE ROWNUM <= 10`, ``, rownumProblem},
		{`SELECT NVL(MAX(a), 0) FROM t WHERE ROWNUM <= 10`, ``, rownumProblem},
		{`SELECT DISTINCT a FROM t WHERE ROWNUM <= 10`, ``, rownumProblem},
		{`SELECT a, row_number() OVER (ORDER BY a) FROM t WHERE ROWNUM <= 10`, ``, rownumProblem},
		{`SELECT a FROM t WHERE ROWNUM <= 3 UNION SELECT a FROM u`, ``, rownumProblem},
		{`SELECT a FROM u UNION SELECT a FROM t WHERE ROWNUM <= 3`, ``, rownumProblem},
		// Not a plain top-level limit.
		{`SELECT ROWNUM, a FROM t`, ``, rownumProblem},
		{`SELECT * FROM (SELECT a.*, ROWNUM rn FROM (SELECT * FROM t ORDER BY x) a WHERE ROWNUM <= 20) WHERE rn > 10`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= 10 OR x = 1`, ``, rownumProblem},
		{`SELECT * FROM t WHERE x = 1 OR y = 2 AND ROWNUM <= 10`, ``, rownumProblem},
		{`SELECT * FROM t WHERE (ROWNUM <= 10)`, ``, rownumProblem},
		{`SELECT * FROM t WHERE NOT ROWNUM > 10`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= n`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= :n`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= 10.5`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= 99999999999999999999`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM = 2`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM > 5`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM >= 1`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= 5 AND ROWNUM <= 3`, ``, rownumProblem},
		{`SELECT * FROM t WHERE ROWNUM <= 5 FOR UPDATE`, ``, rownumProblem},
		{`UPDATE t SET a = 1 WHERE ROWNUM <= 5`, ``, rownumProblem},
		{`SELECT * FROM t WHERE x = offset AND ROWNUM <= 5`, ``, rownumProblem},
	})
}

const joinProblem = "(+) outer join: rewrite it as LEFT JOIN"

func TestTranslate_OuterJoin(t *testing.T) {
	checkTranslations(t, []translation{
		{`SELECT e.id, d.name FROM hr.employees e, hr.departments d WHERE e.dept_id = d.id(+)`,
			`SELECT e.id, d.name FROM "public".employees e LEFT JOIN "public".departments d ON e.dept_id = d.id`, ""},
		{`SELECT * FROM a, b WHERE b.x (+) = a.x AND b.y(+) = a.y`, `SELECT * FROM a LEFT JOIN b ON b.x = a.x AND b.y = a.y`, ""},
		{`SELECT * FROM a, b WHERE a.x = b.x(+) AND b.kind(+) = 'X' AND a.z > 0`, `SELECT * FROM a LEFT JOIN b ON a.x = b.x AND b.kind = 'X' WHERE a.z > 0`, ""},
		{`SELECT * FROM a, b WHERE a.z > 0 AND a.x = b.x(+) AND b.n(+) = 5 AND b.w IS NULL`,
			`SELECT * FROM a LEFT JOIN b ON a.x = b.x AND b.n = 5 WHERE a.z > 0 AND b.w IS NULL`, ""},
		// Several tables, each on tables joined before it.
		{`SELECT e.id, d.name, l.city FROM employees e, departments d, locations l WHERE e.dept_id = d.id(+) AND d.loc_id = l.id(+)`,
			`SELECT e.id, d.name, l.city FROM employees e LEFT JOIN departments d ON e.dept_id = d.id LEFT JOIN locations l ON d.loc_id = l.id`, ""},
		{`SELECT * FROM a, b, c WHERE a.x = b.x(+) AND a.y = c.y(+)`, `SELECT * FROM a LEFT JOIN b ON a.x = b.x LEFT JOIN c ON a.y = c.y`, ""},
		{`SELECT * FROM a, b, c WHERE a.k = c.k AND a.x = b.x(+)`, `SELECT * FROM a LEFT JOIN b ON a.x = b.x, c WHERE a.k = c.k`, ""},
		{`SELECT "E".id FROM "HR"."EMP" "E", dept d WHERE d.id(+) = "E".dept`, `SELECT "e".id FROM "public"."emp" "e" LEFT JOIN dept d ON d.id = "e".dept`, ""},
		// Outer-joined before its table in the FROM list: fine unless * fixes the column order.
		{`SELECT a.*, b.* FROM b, a WHERE b.x(+) = a.x`, `SELECT a.*, b.* FROM a LEFT JOIN b ON b.x = a.x`, ""},
		{`SELECT b.v FROM b, a, c WHERE b.x(+) = a.x AND c.y(+) = b.y`, `SELECT b.v FROM a LEFT JOIN b ON b.x = a.x LEFT JOIN c ON c.y = b.y`, ""},
		// In a subquery, and with a limit.
		{`SELECT * FROM t WHERE EXISTS (SELECT 1 FROM a, b WHERE a.x = b.x(+) AND a.id = t.id)`,
			`SELECT * FROM t WHERE EXISTS (SELECT 1 FROM a LEFT JOIN b ON a.x = b.x WHERE a.id = t.id)`, ""},
		{`SELECT a.x, b.y FROM a, b WHERE a.x = b.x(+) AND ROWNUM <= 5`, `SELECT a.x, b.y FROM a LEFT JOIN b ON a.x = b.x LIMIT 5`, ""},
		{`SELECT a.x, count(b.y) FROM a, b WHERE a.x = b.x(+) GROUP BY a.x ORDER BY 2`, `SELECT a.x, count(b.y) FROM a LEFT JOIN b ON a.x = b.x GROUP BY a.x ORDER BY 2`, ""},
		{`WITH q AS (SELECT a.x FROM a, b WHERE a.x = b.x(+)) SELECT * FROM q`, `WITH q AS (SELECT a.x FROM a LEFT JOIN b ON a.x = b.x) SELECT * FROM q`, ""},

		{`SELECT * FROM a, b WHERE a.x = b.x(+) OR a.y = 1`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE (a.x = b.x(+))`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE b.x(+) IN (1, 2)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x < b.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x(+) = b.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x = b.x(+) AND b.y = a.y(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x + 1 = b.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x = NVL(b.x(+), 0)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE x = b.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x = y(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x = z.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE b.x(+) = 5`, ``, joinProblem},
		{`SELECT * FROM b, a WHERE b.x(+) = a.x`, ``, joinProblem},
		{`SELECT * FROM a, b, c WHERE a.x = b.x(+) AND c.y = b.y(+)`, ``, joinProblem},
		{`SELECT * FROM a JOIN c ON a.id = c.id, b WHERE a.x = b.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, (SELECT * FROM u) b WHERE a.x = b.x(+)`, ``, joinProblem},
		{`SELECT * FROM a, a WHERE a.x = a.y(+)`, ``, joinProblem},
		{`SELECT * FROM a x, b x WHERE x.x = x.y(+)`, ``, joinProblem},
		{`SELECT * FROM a, b@remote WHERE a.x = b.x(+)`, ``, joinProblem},
		{`SELECT a.x, b.y FROM a, b WHERE a.x = b.x(+) UNION SELECT a.x, b.y FROM a, b WHERE a.x(+) = b.x`, ``, joinProblem},
		{`(SELECT a.x FROM a, b WHERE a.x = b.x(+)) UNION (SELECT b.x FROM a, b WHERE a.x(+) = b.x)`, ``, joinProblem},
		{`SELECT * FROM a, b WHERE a.x = b.x(+) START WITH a.p IS NULL CONNECT BY PRIOR a.id = a.p`, ``, "CONNECT BY"},
		{`DELETE FROM a WHERE a.x = b.x(+)`, ``, joinProblem},
	})
}

func FuzzTranslate(f *testing.F) {
	for _, s := range []string{"SELECT NVL(a, DECODE(b, 1, 2)) FROM dual", "DECODE(", "NVL(a,)", "x(+)", "\"HR\".\"T\"",
		"SELECT * FROM (SELECT * FROM t ORDER BY a) WHERE ROWNUM <= 10 AND x BETWEEN 1 AND 2",
		"SELECT * FROM a, b x, c WHERE a.x = x.x(+) AND x.y = c.y(+) AND c.k(+) = 'k' AND a.z = 1 ORDER BY 1",
		"WITH q AS (SELECT 1 FROM dual WHERE ROWNUM = 1) SELECT * FROM (SELECT * FROM q), q WHERE 2 > ROWNUM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, problems := translate(s, "HR", "public")
		if len(problems) > 0 {
			return
		}
		toks := ddl.Tokens(out)
		for i, tok := range toks {
			plus := i+2 < len(toks) && tok.Text == "(" && toks[i+1].Text == "+" && toks[i+2].Text == ")" && toks[i+1].Kind == ddl.Punct
			if tok.Is("ROWNUM") || plus {
				t.Fatalf("%q translated without a problem to %q", s, out)
			}
		}
	})
}

func TestTranslateUnqualified(t *testing.T) {
	out, problems := translate(`SELECT e.id FROM "HR"."EMPLOYEES" e JOIN hr.jobs j ON j.id = e.job_id`, "HR", "")
	if want := `SELECT e.id FROM "employees" e JOIN jobs j ON j.id = e.job_id`; out != want || problems != nil {
		t.Errorf("got %q %v, want %q", out, problems, want)
	}
}

// The translated top-N idiom and a three-table (+) join run in a real
// PostgreSQL (15 rejects a subquery in FROM without a name) and return
// Oracle's rows: the null-extended ones included, in the inner order.
func TestTranslate_QueriesIntoPostgres(t *testing.T) {
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_translate")
	c.Exec(t, db, `CREATE SCHEMA hr;
		CREATE TABLE hr.locations (location_id int PRIMARY KEY, city text, kind text);
		CREATE TABLE hr.departments (department_id int PRIMARY KEY, department_name text, location_id int);
		CREATE TABLE hr.employees (employee_id int PRIMARY KEY, last_name text, salary int, department_id int);
		INSERT INTO hr.locations VALUES (1, 'Roma', 'office'), (2, 'Oxford', 'warehouse');
		INSERT INTO hr.departments VALUES (10, 'Admin', 1), (20, 'Sales', 2), (30, 'IT', NULL);
		INSERT INTO hr.employees VALUES (100, 'King', 24000, 10), (101, 'Kochhar', 17000, 20), (102, 'De Haan', 17500, 30),
			(103, 'Hunold', 9000, NULL), (104, 'Ernst', 6000, 10)`)
	for _, tc := range []struct{ name, oracle, read, rows string }{
		// Read as is: the view keeps the inner query's order.
		{"top_n", `SELECT * FROM (SELECT employee_id, salary FROM hr.employees ORDER BY salary DESC) WHERE ROWNUM <= 3`,
			"SELECT * FROM top_n", "100 24000; 102 17500; 101 17000"},
		{"three_table_join", `SELECT e.employee_id, d.department_name, l.city
			FROM hr.employees e, hr.departments d, hr.locations l
			WHERE e.department_id = d.department_id(+) AND d.location_id = l.location_id(+) AND l.kind(+) = 'office'
			AND e.salary > 5000`,
			"SELECT * FROM three_table_join ORDER BY 1", "100 Admin Roma; 101 Sales <nil>; 102 IT <nil>; 103 <nil> <nil>; 104 Admin Roma"},
	} {
		pg, problems := translate(tc.oracle, "HR", "hr")
		if len(problems) > 0 {
			t.Errorf("%s: %v", tc.name, problems)
			continue
		}
		c.Exec(t, db, "CREATE VIEW "+tc.name+" AS "+pg)
		if got := queryRows(t, c, db, tc.read); got != tc.rows {
			t.Errorf("%s: %s\n got %s\nwant %s", tc.name, pg, got, tc.rows)
		}
	}
	if v := c.QueryInt(t, db, "SELECT current_setting('server_version_num')::int"); v/10000 != 15 {
		t.Logf("PostgreSQL %d, not 15: the derived table's name is not required here", v)
	}
}

// queryRows is the result of a query, values separated by spaces and rows
// by "; ".
func queryRows(t *testing.T, c *pgtest.Cluster, db, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(row, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return strings.Join(out, "; ")
}
