package oracle

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/redo"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

const changeDDL = `CREATE TABLE "HR"."EVENTS" (
  "ID" NUMBER(9) PRIMARY KEY, "AMOUNT" NUMBER(12,2), "NOTE" VARCHAR2(40 CHAR), "BODY" CLOB,
  "AT" DATE, "STAMP" TIMESTAMP(6), "STAMP_TZ" TIMESTAMP(6) WITH TIME ZONE,
  "SPAN" INTERVAL DAY(2) TO SECOND(6), "AGE" INTERVAL YEAR(2) TO MONTH,
  "TOKEN" RAW(8), "RATIO" BINARY_DOUBLE)`

// SQL_REDO as LogMiner writes it in a session with the pinned NLS
// settings (the forms of Oracle's LogMiner examples), through the redo
// parser and the snapshot's value converter, into the converted table of a
// real PostgreSQL.
func TestRedoValuesIntoPostgres(t *testing.T) {
	tbl, err := ddl.ParseTable(changeDDL)
	if err != nil {
		t.Fatal(err)
	}
	ct := newChangeTable(tbl)
	stmts, _, _ := ddl.Split("events.sql", []byte(changeDDL+";\n"))
	out, _ := Convert(stmts, ConvertOptions{Schema: "HR"})
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_redo_values")
	c.Exec(t, db, out[0].Text)
	sql := `insert into "HR"."EVENTS"("ID","AMOUNT","NOTE","BODY","AT","STAMP","STAMP_TZ","SPAN","AGE","TOKEN","RATIO") values ` +
		`('7','-1234.5','it''s ' || UNISTR('\00e9t\00e9'),EMPTY_CLOB(),TO_DATE(' 2026-12-07 10:11:12', 'SYYYY-MM-DD HH24:MI:SS'),` +
		`TO_TIMESTAMP(' 2026-12-07 10:11:12.123456789'),TO_TIMESTAMP_TZ(' 2026-12-07 10:11:12.500000000 +05:30'),` +
		`TO_DSINTERVAL('+01 02:03:04.500000'),TO_YMINTERVAL('-01-06'),HEXTORAW('DEADBEEF'),'Inf');`
	r, err := redo.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	row, err := ct.row(r.Set)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Text in, as COPY and the apply send it.
	var names, params []string
	args := []any{pgx.QueryExecModeSimpleProtocol}
	for i, n := range row.Names {
		names = append(names, `"`+n+`"`)
		params = append(params, "$"+strconv.Itoa(i+1))
		args = append(args, row.Vals[i])
	}
	q := `INSERT INTO "events" (` + strings.Join(names, ", ") + `) VALUES (` + strings.Join(params, ", ") + `)`
	if _, err := conn.Exec(ctx, q, args...); err != nil {
		t.Fatalf("%v\n%s %v", err, q, row.Map())
	}
	var got string
	err = conn.QueryRow(ctx, `SELECT concat_ws('|', id, amount, note, body = '', "at", stamp, stamp_tz AT TIME ZONE 'UTC', span, age, encode(token, 'hex'), ratio) FROM "events"`).Scan(&got)
	want := "7|-1234.50|it's été|t|2026-12-07 10:11:12|2026-12-07 10:11:12.123457|2026-12-07 04:41:12.5|1 day 02:03:04.5|-1 years -6 mons|deadbeef|Infinity"
	if err != nil || got != want {
		t.Errorf("read back %q (%v)\nwant      %q", got, err, want)
	}
}

func TestRedoValueRefusals(t *testing.T) {
	tbl, _ := ddl.ParseTable(changeDDL)
	ct := newChangeTable(tbl)
	for sql, want := range map[string]string{
		`insert into "HR"."EVENTS"("ID","AT") values ('1',TO_DATE('07-12-2026', 'DD-MM-YYYY'));`: "not the session's",
		`insert into "HR"."EVENTS"("ID","BODY") values ('1',Unsupported Type);`:                  "Unsupported Type",
		`insert into "HR"."EVENTS"("ID","GONE") values ('1','x');`:                               "has no column GONE",
		`insert into "HR"."EVENTS"("ID","AMOUNT") values ('1','12abc');`:                         "AMOUNT",
	} {
		r, err := redo.Parse(sql)
		if err == nil {
			_, err = ct.row(r.Set)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", sql, err, want)
		}
	}
}

// UPDATE and DELETE as LogMiner writes them with supplemental logging of
// all columns (the WHERE lists every old value and the ROWID), for HR's
// JOBS table from Oracle's own script.
func TestRedoEvents(t *testing.T) {
	stmts, _, _ := ddl.Split("hr_create.sql", corpus(t, "hr_create.sql"))
	var jobs *ddl.Table
	for _, st := range stmts {
		if st.Kind == ddl.CreateTable {
			if tb, err := ddl.ParseTable(st.Text); err == nil && tb.Object.Name == "JOBS" {
				jobs = tb
			}
		}
	}
	if jobs == nil {
		t.Fatal("no JOBS table in hr_create.sql")
	}
	// HR adds the key with ALTER TABLE; the change path reads the converted
	// table, which has it.
	jobs.Constraints = append(jobs.Constraints, ddl.Constraint{Kind: "PRIMARY KEY", Columns: []string{"JOB_ID"}})
	ct := newChangeTable(jobs)
	for sql, want := range map[string]string{
		`update "HR"."JOBS" set "JOB_TITLE" = 'Technical Writer', "MAX_SALARY" = '11000' where "JOB_ID" = 'IT_WT' and "JOB_TITLE" = 'Writer' and "MIN_SALARY" = '4000' and "MAX_SALARY" = '10000' and ROWID = 'AAAHSeAABAAAY+CAAX';`: `U key map[job_id:IT_WT] new map[job_title:Technical Writer max_salary:11000]`,
		`delete from "HR"."JOBS" where "JOB_ID" = 'IT_WT' and "JOB_TITLE" = 'Technical Writer' and "MIN_SALARY" IS NULL and ROWID = 'AAAHSeAABAAAY+CAAX';`:                                                                           `D key map[job_id:IT_WT] new map[]`,
		`insert into "HR"."JOBS"("JOB_ID","JOB_TITLE","MIN_SALARY","MAX_SALARY") values ('IT_WT','Technical Writer','4000','11000');`:                                                                                                `I key map[] new map[job_id:IT_WT job_title:Technical Writer max_salary:11000 min_salary:4000]`,
	} {
		r, err := redo.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ct.event(r, "hr")
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Op + " key " + show(e.Key) + " new " + show(e.New); got != want || e.Table != "jobs" {
			t.Errorf("%s\n got %s\nwant %s", sql, got, want)
		}
	}
	r, _ := redo.Parse(`delete from "HR"."JOBS" where "JOB_TITLE" = 'x' and ROWID = 'AAAHSeAABAAAY+CAAX';`)
	if _, err := ct.event(r, "hr"); err == nil || !strings.Contains(err.Error(), "ADD SUPPLEMENTAL LOG DATA (PRIMARY KEY) COLUMNS") {
		t.Errorf("a delete without the key: %v", err)
	}
}

func show(r queue.Row) string {
	m := map[string]string{}
	for i, n := range r.Names {
		if r.Vals[i] != nil {
			m[n] = *r.Vals[i]
		}
	}
	return fmt.Sprint(m)
}
