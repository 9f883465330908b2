package oracle

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// Synonym forms from Oracle's SQL Language Reference (CREATE SYNONYM).
const synonymDDL = `
CREATE TABLE "HR"."EMPLOYEES" (ID NUMBER(6) PRIMARY KEY, NAME VARCHAR2(40));
CREATE VIEW hr.emp_names AS SELECT name FROM hr.employees;
CREATE SEQUENCE hr.emp_seq;
CREATE OR REPLACE EDITIONABLE SYNONYM "HR"."EMP" FOR "HR"."EMPLOYEES";
CREATE SYNONYM names FOR emp_names;
CREATE PUBLIC SYNONYM employees FOR hr.employees;
CREATE SYNONYM offsite FOR oe.inventories@remote.example.com;
CREATE SYNONYM orders FOR oe.orders;
CREATE SYNONYM next_emp FOR hr.emp_seq;
CREATE SYNONYM sales.customers FOR sales.customers_t;
`

func TestConvertSynonyms(t *testing.T) {
	stmts, _, finds := ddl.Split("syn.sql", []byte(synonymDDL))
	if len(finds) != 0 {
		t.Fatal(finds)
	}
	out, notes := Convert(stmts, ConvertOptions{Schema: "HR"})
	var syn []string
	for _, st := range out {
		if st.Type == schema.Synonym {
			syn = append(syn, st.Text)
		}
	}
	text := strings.Join(syn, ";\n")
	for _, want := range []string{
		`CREATE OR REPLACE VIEW "emp" AS SELECT * FROM "employees"`,
		`CREATE OR REPLACE VIEW "names" AS SELECT * FROM "emp_names"`,
		`line 7): a PUBLIC synonym`,
		`points over database link remote.example.com`,
		`points to OE.ORDERS, which is not in the migrated schema HR`,
		`points to EMP_SEQ, which is not a table or view of this export`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("synonyms lack %q:\n%s", want, text)
		}
	}
	if len(syn) != 6 {
		t.Errorf("%d synonyms written, want 6 (the one of schema SALES is skipped):\n%s", len(syn), text)
	}
	if !hasNote(notes, "SYNONYM customers", "belongs to schema SALES") && !hasNote(notes, "CREATE SYNONYM SALES.CUSTOMERS", "belongs to schema SALES") {
		t.Errorf("no note on another schema's synonym: %v", notes)
	}
	// What is written parses as PostgreSQL (and is commented out when it
	// is not a view).
	if _, err := schema.ParseSQL(text, "synonym.sql"); err != nil {
		t.Error(err)
	}
}
