package oracle

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// The sequence-plus-trigger idiom in the forms DBAs wrote it before 12c
// identity columns, and as DBMS_METADATA returns it.
func TestSequenceTrigger(t *testing.T) {
	script := `CREATE TABLE dept (id NUMBER(10) PRIMARY KEY, name VARCHAR2(30));
CREATE TABLE emp (emp_id NUMBER(10) PRIMARY KEY, name VARCHAR2(30));
CREATE TABLE audit_log (id NUMBER, at DATE);
CREATE SEQUENCE dept_seq;
CREATE SEQUENCE emp_seq START WITH 100;
CREATE SEQUENCE log_seq;
CREATE OR REPLACE TRIGGER dept_bi
  BEFORE INSERT ON dept
  FOR EACH ROW
BEGIN
  :new.id := dept_seq.nextval;
END;
/
  CREATE OR REPLACE EDITIONABLE TRIGGER "HR"."EMP_BI" 
  BEFORE INSERT ON "HR"."EMP" 
  REFERENCING NEW AS NEW OLD AS OLD
  FOR EACH ROW
BEGIN
  IF :NEW.EMP_ID IS NULL THEN
    SELECT "HR"."EMP_SEQ".NEXTVAL INTO :NEW.EMP_ID FROM DUAL;
  END IF;
END;
/
ALTER TRIGGER "HR"."EMP_BI" ENABLE;
CREATE OR REPLACE TRIGGER log_bi BEFORE INSERT OR UPDATE ON audit_log FOR EACH ROW
BEGIN
  :new.id := log_seq.nextval;
  :new.at := SYSDATE;
END;
/
`
	stmts, _, _ := ddl.Split("t.sql", []byte(script))
	out, notes := Convert(stmts, ConvertOptions{Schema: "HR"})
	var text []string
	for _, st := range out {
		text = append(text, st.Text)
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{
		`"id" bigint DEFAULT nextval('"dept_seq"')`,
		`"emp_id" bigint DEFAULT nextval('"emp_seq"')`,
		// log_bi does more than set the key: it stays a trigger.
		`NEW.id := nextval('"log_seq"');`,
		`CREATE TRIGGER "log_bi" BEFORE INSERT OR UPDATE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "log_bi_fn"()`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %s:\n%s", want, all)
		}
	}
	if strings.Contains(all, `"audit_log" (`+"\n"+`    "id" numeric DEFAULT`) {
		t.Error("a trigger doing more than setting the key became a default")
	}
	if !hasNote(notes, "TRIGGER dept_bi", "becomes the column's DEFAULT nextval") || !hasNote(notes, "TRIGGER dept_bi", "overwrote values given explicitly") {
		t.Errorf("dept_bi notes: %v", notes)
	}
	if !hasNote(notes, "TRIGGER emp_bi", "becomes the column's DEFAULT nextval") || hasNote(notes, "TRIGGER emp_bi", "overwrote") {
		t.Errorf("emp_bi notes: %v", notes)
	}
}

func FuzzSequenceTrigger(f *testing.F) {
	for _, s := range []string{
		"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN :new.id := s.nextval; END;",
		"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN IF :NEW.ID IS NULL THEN SELECT s.NEXTVAL INTO :NEW.ID FROM DUAL; END IF; END;",
		"TRIGGER ON BEGIN END", "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN IF : NEW . a IS NULL THEN END IF ; END",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { _, _ = sequenceTrigger(s) })
}
