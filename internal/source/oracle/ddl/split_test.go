package ddl

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// corpus reads a script from ../shared/reference/oracle (real Oracle text
// written by others; see its README).
func corpus(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "..", "shared", "reference", "oracle", name))
	if err != nil {
		t.Fatalf("the Oracle corpus is missing (%v): it lives in ../shared/reference/oracle beside the project", err)
	}
	return src
}

func kinds(st []Statement) map[Kind]int {
	m := map[Kind]int{}
	for _, s := range st {
		m[s.Kind]++
	}
	return m
}

func commands(ds []Directive) map[string]int {
	m := map[string]int{}
	for _, d := range ds {
		m[d.Command]++
	}
	return m
}

func equal[K comparable](t *testing.T, what string, got, want map[K]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
		return
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: got %v, want %v", what, got, want)
			return
		}
	}
}

func TestSplitRealScripts(t *testing.T) {
	cases := []struct {
		file  string
		kinds map[Kind]int
		dirs  map[string]int
	}{
		// Counts checked against grep of each file's statement heads.
		{"hr_create.sql", map[Kind]int{CreateTable: 7, CreateIndex: 17, AlterTable: 8, CreateSequence: 3, CreateView: 1, Comment: 42}, map[string]int{"REM": 90, "SET": 7, "PROMPT": 10}},
		{"hr_code.sql", map[Kind]int{CreateProcedure: 2, CreateTrigger: 2, "ALTER TRIGGER": 1, "COMMIT": 1}, map[string]int{"REM": 58, "SET": 7}},
		{"hr_populate.sql", map[Kind]int{"ALTER SESSION": 1, AnonymousBlock: 7, AlterTable: 2, "COMMIT": 1}, map[string]int{"REM": 60, "SET": 1, "PROMPT": 7}},
		{"Chinook_Oracle.sql", map[Kind]int{"GRANT": 3, CreateTable: 11, AlterTable: 11, "INSERT": 24, "COMMIT": 1}, map[string]int{"CONNECT": 1, "EXIT": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			src := corpus(t, tc.file)
			st, dirs, finds := Split(tc.file, src)
			equal(t, "statements", kinds(st), tc.kinds)
			equal(t, "SQL*Plus commands", commands(dirs), tc.dirs)
			if len(finds) != 0 {
				t.Errorf("findings: %v", finds)
			}
			lines := strings.Split(string(src), "\n")
			for _, s := range st {
				// Each statement starts on the line it says, with its text.
				first := strings.Fields(s.Text)[0]
				if s.Line < 1 || s.Line > len(lines) || !strings.Contains(lines[s.Line-1], first) {
					t.Errorf("%s line %d does not hold %q", tc.file, s.Line, first)
				}
				if strings.HasSuffix(s.Text, ";") != isPLSQL(strings.Fields(strings.ToUpper(s.Text))) && s.Kind != AnonymousBlock {
					t.Errorf("line %d: a SQL statement loses its ; and a PL/SQL unit keeps it: %.60q", s.Line, s.Text)
				}
			}
		})
	}
}

func TestSplitDetails(t *testing.T) {
	src := corpus(t, "hr_create.sql")
	st, _, _ := Split("hr_create.sql", src)
	var view, countries Statement
	for _, s := range st {
		if s.Kind == CreateView {
			view = s
		}
		if strings.HasPrefix(s.Text, "CREATE TABLE countries") {
			countries = s
		}
	}
	if !strings.HasSuffix(view.Text, "WITH READ ONLY") || !strings.Contains(view.Text, "AND j.job_id = e.job_id") {
		t.Errorf("the view is cut: %q", view.Text)
	}
	if !strings.HasSuffix(countries.Text, "ORGANIZATION INDEX") {
		t.Errorf("countries: %q", countries.Text)
	}

	code, _, _ := Split("hr_code.sql", corpus(t, "hr_code.sql"))
	if !strings.HasSuffix(code[0].Text, "END secure_dml;") || !strings.Contains(code[0].Text, "'You may only make changes during normal office hours');") {
		t.Errorf("procedure body: %q", code[0].Text)
	}

	// CONNECT chinook/chinook@FREEPDB1: the command is recorded, its text
	// (a password) is kept nowhere.
	ch, dirs, _ := Split("Chinook_Oracle.sql", corpus(t, "Chinook_Oracle.sql"))
	for _, s := range ch {
		if strings.Contains(s.Text, "chinook/chinook") {
			t.Errorf("a CONNECT line reached statement %d", s.Line)
		}
	}
	if dirs[0].Command != "CONNECT" || dirs[0].Line != 25 {
		t.Errorf("CONNECT at %+v", dirs[0])
	}
	// The banner comments ("/*****" at the start of a line) are not "/" lines.
	if ch[3].Kind != CreateTable || !strings.HasPrefix(ch[3].Text, "CREATE TABLE Album") || ch[3].Line != 32 {
		t.Errorf("first table: %+v", ch[3])
	}
	// chr(38) and '' stay in the multi-row INSERT.
	for _, s := range ch {
		if s.Kind == "INSERT" && strings.Contains(s.Text, "chr(38)") {
			return
		}
	}
	t.Error("no INSERT with chr(38)")
}

// DBMS_METADATA.GET_DDL's own output forms (with SQLTERMINATOR on), as
// Oracle documents them: quoted owner-qualified names, storage clauses,
// ALTER ... ENABLE, a trailing "/" after PL/SQL.
func TestSplitMetadataForms(t *testing.T) {
	src := `
  CREATE TABLE "HR"."REGIONS" 
   (	"REGION_ID" NUMBER CONSTRAINT "REGION_ID_NN" NOT NULL ENABLE, 
	"REGION_NAME" VARCHAR2(25), 
	 CONSTRAINT "REG_ID_PK" PRIMARY KEY ("REGION_ID")
  USING INDEX PCTFREE 10 INITRANS 2 MAXTRANS 255 COMPUTE STATISTICS 
  TABLESPACE "USERS"  ENABLE
   ) SEGMENT CREATION IMMEDIATE 
  PCTFREE 10 PCTUSED 40 INITRANS 1 MAXTRANS 255 
 NOCOMPRESS LOGGING
  STORAGE(INITIAL 65536 NEXT 1048576 MINEXTENTS 1 MAXEXTENTS 2147483645
  PCTINCREASE 0 FREELISTS 1 FREELIST GROUPS 1
  BUFFER_POOL DEFAULT FLASH_CACHE DEFAULT CELL_FLASH_CACHE DEFAULT)
  TABLESPACE "USERS" ;

  CREATE OR REPLACE EDITIONABLE TRIGGER "HR"."SECURE_EMPLOYEES" 
  BEFORE INSERT OR UPDATE OR DELETE ON employees
BEGIN
  secure_dml;
END secure_employees;
/
ALTER TRIGGER "HR"."SECURE_EMPLOYEES" DISABLE;

  CREATE OR REPLACE EDITIONABLE PACKAGE BODY "HR"."P" AS
  PROCEDURE x IS BEGIN NULL; END;
END;
/
  CREATE OR REPLACE TYPE "HR"."ADDR_T" AS OBJECT (street VARCHAR2(40), city VARCHAR2(30));
/
  CREATE UNIQUE INDEX "HR"."EMP_EMAIL_UK" ON "HR"."EMPLOYEES" ("EMAIL") 
  PCTFREE 10 INITRANS 2 MAXTRANS 255 COMPUTE STATISTICS TABLESPACE "USERS" ;
  CREATE MATERIALIZED VIEW "HR"."MV" AS SELECT q'[it's; here]' a, 'x;''y' b, "odd;name" FROM dual -- c;
  ;
  CREATE GLOBAL TEMPORARY TABLE "HR"."T" ("A" NUMBER) ON COMMIT PRESERVE ROWS ;
`
	st, dirs, finds := Split("ddl.sql", []byte(src))
	want := []struct {
		kind Kind
		line int
		tail string
	}{
		{CreateTable, 2, `TABLESPACE "USERS"`},
		{CreateTrigger, 16, "END secure_employees;"},
		{"ALTER TRIGGER", 22, "DISABLE"},
		{CreatePackageBody, 24, "END;"},
		{CreateType, 28, "city VARCHAR2(30));"},
		{CreateIndex, 30, `TABLESPACE "USERS"`},
		{CreateMaterializedView, 32, "-- c;"},
		{CreateTable, 34, "ON COMMIT PRESERVE ROWS"},
	}
	if len(st) != len(want) || len(dirs) != 0 || len(finds) != 0 {
		for _, s := range st {
			t.Logf("%d %s %.50q", s.Line, s.Kind, s.Text)
		}
		t.Fatalf("%d statements, %v, %v", len(st), dirs, finds)
	}
	for i, w := range want {
		if st[i].Kind != w.kind || st[i].Line != w.line || !strings.HasSuffix(st[i].Text, w.tail) {
			t.Errorf("statement %d: %s line %d %q, want %s line %d ending %q", i, st[i].Kind, st[i].Line, st[i].Text, w.kind, w.line, w.tail)
		}
	}
}

func TestSplitFindings(t *testing.T) {
	cases := []struct{ src, want string }{
		{"CREATE TABLE t (a VARCHAR2(10) DEFAULT 'x);\nCREATE TABLE u (b NUMBER);\n", "line 1: the script ends inside a quoted string"},
		{"CREATE TABLE t (a NUMBER) /* storage\n", "ends inside a /* comment"},
		{"CREATE OR REPLACE PROCEDURE p IS BEGIN NULL; END;\n", "ends inside a PL/SQL unit (no closing ; or /)"},
	}
	for _, tc := range cases {
		st, _, finds := Split("bad.sql", []byte(tc.src))
		if len(finds) != 1 || !strings.Contains("bad.sql line "+strconv.Itoa(finds[0].Line)+": "+finds[0].Msg, tc.want) || len(st) == 0 {
			t.Errorf("%q: %v, want %q", tc.src, finds, tc.want)
		}
	}
	// SET TRANSACTION is SQL, SET ECHO is SQL*Plus; a "-" continues a command.
	st, dirs, _ := Split("s.sql", []byte("SET ECHO OFF\nSET TRANSACTION READ ONLY;\nCOLUMN a FORMAT a10 -\n  HEADING 'x;'\n@other.sql\nselect 1 from dual;\n"))
	if len(st) != 2 || st[0].Kind != "SET TRANSACTION" || st[1].Kind != "SELECT" || commands(dirs)["COLUMN"] != 1 || commands(dirs)["@"] != 1 {
		t.Errorf("%+v %+v", st, dirs)
	}
}

// FuzzSplit: no input makes the splitter panic or hang; every statement
// has text and a line inside the input.
//
//	go test ./internal/source/oracle/ddl -fuzz FuzzSplit -fuzztime 60s
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"CREATE TABLE t (a NUMBER);\n/\n", "q'[x;]'", "nq'{a}'", "BEGIN NULL; END;\n/\n", "/* a; */ --b;\n", "'", "\"", "SET ECHO -\n", "CREATE OR REPLACE TYPE t AS OBJECT (a NUMBER);\n/"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		st, dirs, finds := Split("fuzz", src)
		lines := strings.Count(string(src), "\n") + 1
		for _, s := range st {
			if s.Text == "" || s.Line < 1 || s.Line > lines {
				t.Fatalf("statement %+v of %d lines", s, lines)
			}
		}
		for _, d := range dirs {
			if d.Line < 1 || d.Line > lines {
				t.Fatalf("directive %+v", d)
			}
		}
		for _, fd := range finds {
			if fd.Line < 1 || fd.Line > lines {
				t.Fatalf("finding %+v", fd)
			}
		}
	})
}
