package redo

import (
	"reflect"
	"strings"
	"testing"
)

func str(s string) Value        { return Value{Text: s} }
func fn(f, s, fmt string) Value { return Value{Func: f, Text: s, Format: fmt} }
func col(n string, v Value) Column {
	return Column{Name: n, Value: v}
}

var null = Value{Null: true}

// The statement forms of Oracle Database Utilities 19c, "Using LogMiner to
// Analyze Redo Log Files", section "Examples Using LogMiner" (Examples 1-4)
// and "LogMiner Dictionary Options", as V$LOGMNR_CONTENTS.SQL_REDO holds
// them (the manual prints them wrapped into columns).
func TestParse_documentedForms(t *testing.T) {
	cases := []struct {
		name, sql string
		want      Redo
	}{{
		// Example 1: an INSERT with its column list, numbers quoted.
		"example 1 insert",
		`insert into "HR"."EMPLOYEES"("EMPLOYEE_ID","FIRST_NAME","LAST_NAME","EMAIL","PHONE_NUMBER","HIRE_DATE","JOB_ID","SALARY","COMMISSION_PCT","MANAGER_ID","DEPARTMENT_ID") values ('306','Nandini','Shastry','NSHASTRY', '1234567890',TO_DATE('10-jan-2012 13:34:43', 'dd-mon-yyyy hh24:mi:ss'),'HR_REP','120000', '.05','105','10');`,
		Redo{Op: Insert, Owner: "HR", Table: "EMPLOYEES", Set: []Column{
			col("EMPLOYEE_ID", str("306")), col("FIRST_NAME", str("Nandini")), col("LAST_NAME", str("Shastry")),
			col("EMAIL", str("NSHASTRY")), col("PHONE_NUMBER", str("1234567890")),
			col("HIRE_DATE", fn("TO_DATE", "10-jan-2012 13:34:43", "dd-mon-yyyy hh24:mi:ss")),
			col("JOB_ID", str("HR_REP")), col("SALARY", str("120000")), col("COMMISSION_PCT", str(".05")),
			col("MANAGER_ID", str("105")), col("DEPARTMENT_ID", str("10"))}},
	}, {
		// Example 1: an UPDATE of an INTERVAL YEAR TO MONTH, ROWID last.
		"example 1 update",
		`update "OE"."PRODUCT_INFORMATION" set "WARRANTY_PERIOD" = TO_YMINTERVAL('+05-00') where "PRODUCT_ID" = '1799' and "WARRANTY_PERIOD" = TO_YMINTERVAL('+01-00') and ROWID = 'AAAHTKAABAAAY9mAAB';`,
		Redo{Op: Update, Owner: "OE", Table: "PRODUCT_INFORMATION",
			Set:   []Column{col("WARRANTY_PERIOD", fn("TO_YMINTERVAL", "+05-00", ""))},
			Where: []Column{col("PRODUCT_ID", str("1799")), col("WARRANTY_PERIOD", fn("TO_YMINTERVAL", "+01-00", ""))},
			RowID: "AAAHTKAABAAAY9mAAB"},
	}, {
		// Example 1: a DELETE with IS NULL and a line break inside a conjunct.
		"example 1 delete",
		"delete from \"HR\".\"EMPLOYEES\" where \"EMPLOYEE_ID\" = '205' and \"FIRST_NAME\" = 'Shelley' and \"HIRE_DATE\" = TO_DATE(\n'07-jun-1994 10:05:01',\n'dd-mon-yyyy hh24:mi:ss') and \"SALARY\"= '12000' and \"COMMISSION_PCT\" IS NULL and \"MANAGER_ID\"\n= '101' and ROWID = \n'AAAHSkAABAAAY6rAAM';",
		Redo{Op: Delete, Owner: "HR", Table: "EMPLOYEES", Where: []Column{
			col("EMPLOYEE_ID", str("205")), col("FIRST_NAME", str("Shelley")),
			col("HIRE_DATE", fn("TO_DATE", "07-jun-1994 10:05:01", "dd-mon-yyyy hh24:mi:ss")),
			col("SALARY", str("12000")), col("COMMISSION_PCT", null), col("MANAGER_ID", str("101"))},
			RowID: "AAAHSkAABAAAY6rAAM"},
	}, {
		// Example 3: PRINT_PRETTY_SQL's INSERT, "COL" = value, numbers bare.
		"example 3 pretty insert",
		"insert into \"HR\".\"EMPLOYEES\"\n values\n   \"EMPLOYEE_ID\" = 307,\n   \"FIRST_NAME\" = 'John',\n   \"HIRE_DATE\" = TO_DATE('10-jan-2012 13:41:03',\n   'dd-mon-yyyy hh24:mi:ss'),\n   \"SALARY\" = 110000,\n   \"COMMISSION_PCT\" = .05,\n   \"DEPARTMENT_ID\" = 50;",
		Redo{Op: Insert, Owner: "HR", Table: "EMPLOYEES", Set: []Column{
			col("EMPLOYEE_ID", str("307")), col("FIRST_NAME", str("John")),
			col("HIRE_DATE", fn("TO_DATE", "10-jan-2012 13:41:03", "dd-mon-yyyy hh24:mi:ss")),
			col("SALARY", str("110000")), col("COMMISSION_PCT", str(".05")), col("DEPARTMENT_ID", str("50"))}},
	}, {
		// Example 3: PRINT_PRETTY_SQL's DELETE (the SQL_UNDO of the insert).
		"example 3 pretty delete",
		"delete from \"HR\".\"EMPLOYEES\"\nwhere\n   \"EMPLOYEE_ID\" = 306 and\n   \"LAST_NAME\" = 'Shastry' and\n   \"COMMISSION_PCT\" = .05 and\n   ROWID = 'AAAHSkAABAAAY6rAAO';",
		Redo{Op: Delete, Owner: "HR", Table: "EMPLOYEES", Where: []Column{
			col("EMPLOYEE_ID", str("306")), col("LAST_NAME", str("Shastry")), col("COMMISSION_PCT", str(".05"))},
			RowID: "AAAHSkAABAAAY6rAAO"},
	}, {
		// Example 4: PRINT_PRETTY_SQL's UPDATE of two columns.
		"example 4 pretty update",
		"update \"OE\".\"PRODUCT_INFORMATION\"\n  set\n    \"WARRANTY_PERIOD\" = TO_YMINTERVAL('+08-00'),\n    \"LIST_PRICE\" = 100\n  where\n    \"PRODUCT_ID\" = 1729 and\n    \"WARRANTY_PERIOD\" = TO_YMINTERVAL('+05-00') and\n    \"LIST_PRICE\" = 80 and\n    ROWID = 'AAAHTKAABAAAY9yAAA';",
		Redo{Op: Update, Owner: "OE", Table: "PRODUCT_INFORMATION",
			Set:   []Column{col("WARRANTY_PERIOD", fn("TO_YMINTERVAL", "+08-00", "")), col("LIST_PRICE", str("100"))},
			Where: []Column{col("PRODUCT_ID", str("1729")), col("WARRANTY_PERIOD", fn("TO_YMINTERVAL", "+05-00", "")), col("LIST_PRICE", str("80"))},
			RowID: "AAAHTKAABAAAY9yAAA"},
	}, {
		// Example 4: a table the dictionary does not know yet.
		"example 4 no dictionary",
		"insert into \"UNKNOWN\".\"OBJ# 33415\"\n  values\n    \"COL 1\" = HEXTORAW('c2121e'),\n    \"COL 2\" = HEXTORAW('7867010d110804'),\n    \"COL 3\" = HEXTORAW('c151'),\n    \"COL 4\" = HEXTORAW('800000053c');",
		Redo{Op: Insert, Owner: "UNKNOWN", Table: "OBJ# 33415", Set: []Column{
			col("COL 1", fn("HEXTORAW", "c2121e", "")), col("COL 2", fn("HEXTORAW", "7867010d110804", "")),
			col("COL 3", fn("HEXTORAW", "c151", "")), col("COL 4", fn("HEXTORAW", "800000053c", ""))}},
	}, {
		// "LogMiner Configuration": the HR.JOBS insert without a dictionary.
		"configuration no dictionary",
		`insert into "UNKNOWN"."OBJ# 45522"("COL 1","COL 2","COL 3","COL 4") values (HEXTORAW('45465f4748'),HEXTORAW('546563686e6963616c20577269746572'), HEXTORAW('c229'),HEXTORAW('c3020b'));`,
		Redo{Op: Insert, Owner: "UNKNOWN", Table: "OBJ# 45522", Set: []Column{
			col("COL 1", fn("HEXTORAW", "45465f4748", "")), col("COL 2", fn("HEXTORAW", "546563686e6963616c20577269746572", "")),
			col("COL 3", fn("HEXTORAW", "c229", "")), col("COL 4", fn("HEXTORAW", "c3020b", ""))}},
	}, {
		// "Using the Online Catalog": unquoted names, lower-case function.
		"online catalog mismatch",
		`insert into HR.EMPLOYEES(col#1, col#2) values (hextoraw('4a6f686e20446f65'), hextoraw('c306'))`,
		Redo{Op: Insert, Owner: "HR", Table: "EMPLOYEES", Set: []Column{
			col("COL#1", fn("HEXTORAW", "4a6f686e20446f65", "")), col("COL#2", fn("HEXTORAW", "c306", ""))}},
	}, {
		// The brief's JOBS forms; NO_SQL_DELIMITER drops the semicolon.
		"jobs insert",
		`insert into "HR"."JOBS"("JOB_ID","JOB_TITLE") values ('IT_WT','Technical Writer')`,
		Redo{Op: Insert, Owner: "HR", Table: "JOBS", Set: []Column{col("JOB_ID", str("IT_WT")), col("JOB_TITLE", str("Technical Writer"))}},
	}, {
		"jobs update",
		`UPDATE "HR"."JOBS" SET "JOB_TITLE" = 'X' WHERE "JOB_ID" = 'IT_WT' AND ROWID = 'AAAHSeAABAAAY+CAAX';`,
		Redo{Op: Update, Owner: "HR", Table: "JOBS", Set: []Column{col("JOB_TITLE", str("X"))},
			Where: []Column{col("JOB_ID", str("IT_WT"))}, RowID: "AAAHSeAABAAAY+CAAX"},
	}, {
		// NO_ROWID_IN_STMT: no ROWID conjunct.
		"no rowid",
		`delete from "HR"."JOBS" where "JOB_ID" = 'IT_WT'`,
		Redo{Op: Delete, Owner: "HR", Table: "JOBS", Where: []Column{col("JOB_ID", str("IT_WT"))}},
	}, {
		// A LOB column: the insert carries EMPTY_CLOB(), its text comes later.
		"empty clob",
		`insert into "ADMIN"."T"("ID","C") values ('1',EMPTY_CLOB());`,
		Redo{Op: Insert, Owner: "ADMIN", Table: "T", Set: []Column{col("ID", str("1")), col("C", Value{EmptyLOB: true})}},
	}}
	for _, tc := range cases {
		got, err := Parse(tc.sql)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func TestParse_values(t *testing.T) {
	cases := []struct{ sql, want string }{
		{`'it''s'`, "it's"},
		{`''`, ""},
		{`N'naïve'`, "naïve"},
		{`q'[it's [x]]'`, "it's [x]"},
		{`nq'{a'b}'`, "a'b"},
		{`-1.5`, "-1.5"},
		{`- 7`, "-7"},
		{`1E+10`, "1E+10"},
		{`'a' || 'b'`, "ab"},
		{`'Alternative '||chr(38)||' Punk'`, "Alternative & Punk"},
		{`''||chr(39)||'Round Midnight'`, "'Round Midnight"},
		{`UNISTR('caf\00e9')`, "café"},
		{`UNISTR('\00C9t\00E9 \\ \D83D\DE00')`, "Été \\ 😀"},
		{`UNISTR('\+01F600')`, "😀"},
		{`'x: ' || UNISTR('\00e9') || 'y'`, "x: éy"},
		{`UNISTR('a||b')`, "a||b"},
	}
	for _, tc := range cases {
		r, err := Parse(`insert into "T"("C") values (` + tc.sql + `)`)
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if v := r.Set[0].Value; v != (Value{Text: tc.want}) {
			t.Errorf("%s: got %+v, want text %q", tc.sql, v, tc.want)
		}
	}
	special := []struct {
		sql  string
		want Value
	}{
		{`NULL`, Value{Null: true}},
		{`Unsupported Type`, Value{Unsupported: true}},
		{`EMPTY_BLOB()`, Value{EmptyLOB: true}},
		{`TO_TIMESTAMP('2012-01-10 13:34:43.123456')`, fn("TO_TIMESTAMP", "2012-01-10 13:34:43.123456", "")},
		{`TO_TIMESTAMP_TZ('10-JAN-12 01.34.43.000000 PM +01:00', 'DD-MON-RR HH.MI.SSXFF AM TZR')`,
			fn("TO_TIMESTAMP_TZ", "10-JAN-12 01.34.43.000000 PM +01:00", "DD-MON-RR HH.MI.SSXFF AM TZR")},
		{`TO_DSINTERVAL('+02 10:00:00.000000')`, fn("TO_DSINTERVAL", "+02 10:00:00.000000", "")},
		{`to_date('17-06-2003', 'dd-MM-yyyy')`, fn("TO_DATE", "17-06-2003", "dd-MM-yyyy")},
	}
	for _, tc := range special {
		r, err := Parse(`update "T" set "C" = ` + tc.sql + ` where "ID" = '1'`)
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if v := r.Set[0].Value; v != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.sql, v, tc.want)
		}
	}
}

// TestParse_refused: what is not one row change is an error naming what
// was found, quoting a few bytes of the statement at most.
func TestParse_refused(t *testing.T) {
	secret := strings.Repeat("s3cr3t-", 40)
	cases := []struct{ sql, want string }{
		{"", "empty"},
		{"set transaction read write;", "not an INSERT, UPDATE or DELETE"},
		{"commit;", "not an INSERT"},
		{"create table oe.product_tracking (product_id number not null);", "not an INSERT"},
		// LogMiner's LOB write forms (SEL_LOB_LOCATOR / LOB_WRITE rows).
		{"DECLARE \n loc_c CLOB; \n buf_c VARCHAR2(6156); \nBEGIN\n select \"C\" into loc_c from \"ADMIN\".\"T\" where \"ID\" = '4' for update;\n buf_c := '" + secret + "'; dbms_lob.write(loc_c, 8, 1, buf_c);\nEND;", "PL/SQL block"},
		{`select "C" into loc_c from "ADMIN"."T" where "ID" = '4' for update;`, "a SELECT"},
		{"Unsupported", "could not reconstruct"},
		{`insert into "T"("A") values (SYSDATE)`, "unsupported value"},
		{`insert into "T"("A") values (TO_CHAR('x'))`, "unsupported function"},
		{`insert into "T"("A") values (1 + 2)`, "expected , or )"},
		{`insert into "T"("A","B") values ('1')`, "1 values where 2 are expected"},
		{`insert into "T"("A") values ('1','2')`, "more than the 1 values"},
		{`insert into "T" values ('1'), ('2')`, "INSERT of 2 rows"},
		{`insert into "T"("A") values ('` + secret, "never closed"},
		{`update "T" set "A" = '1'`, "must name its row"},
		{`delete from "T"`, "must name its row"},
		{`delete from "T" where "A" = '1' or "B" = '2'`, "after the statement"},
		{`delete from "T" where "A" = '1'; delete from "T" where "A" = '2'`, "after the statement"},
		{`update "T" set "A" = TO_DATE('x', 'y', 'z') where "A" = '1'`, "at most 2 arguments"},
		{`update "T" set "A" = HEXTORAW('zz') where "A" = '1'`, "not hexadecimal"},
		{`update "T" set "A" = 'a' || chr(233) where "A" = '1'`, "character set"},
		{`update "T" set "A" = UNISTR('\D83D') where "A" = '1'`, "high surrogate"},
		{`update "T" set "A" = UNISTR('\zz') where "A" = '1'`, "four hex digits"},
		{`update "T" set "A" = 'a' || 1 where "A" = '1'`, "after ||"},
		{`update "T" set "A" = Unsupported where "A" = '1'`, "expected TYPE"},
		{`insert into "T"("A") values ('` + secret + `') garbage ` + secret, "after the statement"},
	}
	for _, tc := range cases {
		_, err := Parse(tc.sql)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.40q: got %v, want an error containing %q", tc.sql, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), strings.Repeat("s3cr3t-", 5)) || len(err.Error()) > 200 {
			t.Errorf("%.40q: the error quotes too much of the statement: %v", tc.sql, err)
		}
	}
}

// A documentation typo is refused, not guessed: Example 3 prints one
// PRINT_PRETTY_SQL insert with TO_DATE's closing parenthesis missing.
func TestParse_exampleThreeTypo(t *testing.T) {
	sql := "insert into \"HR\".\"EMPLOYEES\"\n values\n \"EMPLOYEE_ID\" = 306,\n \"HIRE_DATE\" = TO_DATE('10-jan-2012 13:34:43', \n 'dd-mon-yyyy hh24:mi:ss',\n \"JOB_ID\" = 'HR_REP';"
	if _, err := Parse(sql); err == nil || !strings.Contains(err.Error(), "expected a literal argument of TO_DATE") {
		t.Errorf("got %v", err)
	}
}

func TestParseRows_multiRow(t *testing.T) {
	rs, err := ParseRows("INSERT INTO Genre (GenreId, Name) VALUES\n    (1, 'Rock'),\n    (4, 'Alternative '||chr(38)||' Punk');")
	if err != nil {
		t.Fatal(err)
	}
	want := []Redo{
		{Op: Insert, Table: "GENRE", Set: []Column{col("GENREID", str("1")), col("NAME", str("Rock"))}},
		{Op: Insert, Table: "GENRE", Set: []Column{col("GENREID", str("4")), col("NAME", str("Alternative & Punk"))}},
	}
	if !reflect.DeepEqual(rs, want) {
		t.Errorf("got %+v", rs)
	}
	if _, err := ParseRows("insert into t values (1, 2), (3)"); err == nil || !strings.Contains(err.Error(), "1 values where 2") {
		t.Errorf("uneven rows: %v", err)
	}
}

func TestOp_String(t *testing.T) {
	if Insert.String() != "INSERT" || Update.String() != "UPDATE" || Delete.String() != "DELETE" || Op(9).String() != "Op(9)" {
		t.Error(Insert, Update, Delete, Op(9))
	}
}

// FuzzParse: no input makes the parser panic or hang; what it accepts has
// a table and an operation, and an error quotes little of its input.
//
//	go test ./internal/source/oracle/redo -run XXX -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`insert into "HR"."JOBS"("JOB_ID","JOB_TITLE") values ('IT_WT','Technical Writer');`,
		`update "HR"."JOBS" set "JOB_TITLE" = 'X' where "JOB_ID" = 'IT_WT' and ROWID = 'AAAHSeAABAAAY+CAAX';`,
		`delete from "T" where "A" IS NULL and "B" = TO_DATE('1', 'y')`,
		`insert into t values (q'[a]', N'b', -1.5E+3, UNISTR('\D83D\DE00') || chr(38), EMPTY_CLOB(), Unsupported Type, NULL)`,
		"insert into \"T\"\n values\n \"A\" = HEXTORAW('00'),\n \"B\" = .5;",
		`insert into t (a) values (1), (2)`, "'", `"`, "q'", "UNISTR('\\", "/* x", "-- y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		rs, err := ParseRows(sql)
		if err != nil {
			if len(err.Error()) > 300 {
				t.Fatalf("error of %d bytes", len(err.Error()))
			}
			return
		}
		for _, r := range rs {
			if r.Table == "" || r.Op < Insert || r.Op > Delete {
				t.Fatalf("%+v", r)
			}
		}
	})
}
