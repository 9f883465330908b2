package oracle

import (
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	cases := []struct{ in, out, problem string }{
		{`SELECT NVL(commission_pct, 0) FROM employees`, `SELECT COALESCE(commission_pct, 0) FROM employees`, ""},
		{`SELECT NVL2(a, 'y', 'n') FROM t`, `SELECT (CASE WHEN a IS NOT NULL THEN 'y' ELSE 'n' END) FROM t`, ""},
		{`SELECT DECODE(b, 1, 'one', NULL, 'none', 'many') FROM t`, `SELECT (CASE WHEN b IS NOT DISTINCT FROM 1 THEN 'one' WHEN b IS NOT DISTINCT FROM NULL THEN 'none' ELSE 'many' END) FROM t`, ""},
		{`SELECT DECODE(NVL(x, 0), 0, 'zero') FROM t`, `SELECT (CASE WHEN COALESCE(x, 0) IS NOT DISTINCT FROM 0 THEN 'zero' END) FROM t`, ""},
		{`SELECT SYSDATE, SYSTIMESTAMP FROM DUAL`, `SELECT LOCALTIMESTAMP(0), CURRENT_TIMESTAMP`, ""},
		{`SELECT a FROM t MINUS SELECT a FROM u`, `SELECT a FROM t EXCEPT SELECT a FROM u`, ""},
		{`SELECT INSTR(email, '@') FROM "HR"."EMPLOYEES"`, `SELECT strpos(email, '@') FROM "public"."employees"`, ""},
		{`SELECT TO_DATE('17-06-2013', 'dd-MM-yyyy') FROM dual`, `SELECT CAST(to_timestamp('17-06-2013', 'dd-MM-yyyy') AS timestamp(0))`, ""},
		{`SELECT 'it''s', "Mixed" FROM hr.t`, `SELECT 'it''s', "Mixed" FROM "public".t`, ""},
		{`SELECT * FROM a, b WHERE a.id = b.id(+)`, ``, "(+) outer join"},
		{`SELECT * FROM t WHERE ROWNUM <= 10`, ``, "ROWNUM"},
		{`SELECT id FROM t START WITH p IS NULL CONNECT BY PRIOR id = p`, ``, "CONNECT BY"},
		{`SELECT TO_DATE(x) FROM t`, ``, "NLS_DATE_FORMAT"},
		{`SELECT INSTR(a, b, 1, 2) FROM t`, ``, "INSTR with 4 arguments"},
	}
	for _, tc := range cases {
		out, problems := translate(tc.in, "HR", "public")
		if tc.problem == "" {
			if len(problems) != 0 || out != tc.out {
				t.Errorf("%s\n got %s %v\nwant %s", tc.in, out, problems, tc.out)
			}
			continue
		}
		if !strings.Contains(strings.Join(problems, "; "), tc.problem) {
			t.Errorf("%s: problems %v, want %q", tc.in, problems, tc.problem)
		}
	}
}

func FuzzTranslate(f *testing.F) {
	for _, s := range []string{"SELECT NVL(a, DECODE(b, 1, 2)) FROM dual", "DECODE(", "NVL(a,)", "x(+)", "\"HR\".\"T\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { _, _ = translate(s, "HR", "public") })
}

func TestTranslateUnqualified(t *testing.T) {
	out, problems := translate(`SELECT e.id FROM "HR"."EMPLOYEES" e JOIN hr.jobs j ON j.id = e.job_id`, "HR", "")
	if want := `SELECT e.id FROM "employees" e JOIN jobs j ON j.id = e.job_id`; out != want || problems != nil {
		t.Errorf("got %q %v, want %q", out, problems, want)
	}
}
