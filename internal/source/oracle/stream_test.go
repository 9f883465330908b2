package oracle

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/logminer"
)

// fakeMiner serves a synthetic V$LOGMNR_CONTENTS stream (state-machine
// input, not Oracle) from one online log covering every SCN.
type fakeMiner struct {
	rows    []minedRow
	current uint64
}

func (f *fakeMiner) CurrentSCN(context.Context) (uint64, error) { return f.current, nil }

func (f *fakeMiner) Logs(context.Context) ([]logminer.LogFile, uint64, []int, error) {
	return []logminer.LogFile{{Name: "redo01.log", Thread: 1, Sequence: 1, FirstSCN: 1, NextSCN: 1 << 62, Resetlogs: 1}}, 1, []int{1}, nil
}

func (f *fakeMiner) Mine(_ context.Context, _ []logminer.LogFile, start, end uint64, each func(minedRow) error) error {
	for _, r := range f.rows {
		if r.SCN >= start && r.SCN <= end {
			if err := each(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordingSink keeps what the stream delivers; it stops the stream after
// `stop` commits.
type recordingSink struct {
	got     []string
	commits []logminer.Position
	stop    int
}

var errEnough = errors.New("enough")

func (s *recordingSink) Change(e *queue.Event) error {
	s.got = append(s.got, fmt.Sprintf("%s %s key=%s new=%s", e.Op, e.Table, show(e.Key), show(e.New)))
	return nil
}

func (s *recordingSink) Commit(end capture.Position, _ time.Time) error {
	s.got = append(s.got, "commit")
	s.commits = append(s.commits, end.(scnPosition).Position)
	if len(s.commits) == s.stop {
		return errEnough
	}
	return nil
}
func (s *recordingSink) Marker(string) error       { return nil }
func (s *recordingSink) Tick(capture.Tick) error   { return nil }
func (s *recordingSink) Durable() capture.Position { return nil }

func jobsStream() []minedRow {
	long := `insert into "HR"."JOBS"("JOB_ID","JOB_TITLE","MIN_SALARY","MAX_SALARY") values ('IT_WT','Technical Writer','4000','11000');`
	row := func(scn uint64, xid, op, redo string) minedRow {
		return minedRow{Row: logminer.Row{SCN: scn, XID: xid, Op: op, Redo: redo, RowID: "AAAHSeAABAAAY+CAAX"}}
	}
	return []minedRow{
		row(100, "A", "START", ""),
		{Row: logminer.Row{SCN: 101, XID: "A", Op: "INSERT", RowID: "r1", Redo: long[:40]}, CSF: true}, // continued in the next row
		{Row: logminer.Row{SCN: 101, XID: "A", Op: "INSERT", RowID: "r1", Redo: long[40:]}},
		row(102, "B", "START", ""),
		row(103, "B", "UPDATE", `update "HR"."JOBS" set "MAX_SALARY" = '12000' where "JOB_ID" = 'AD_VP' and ROWID = 'AAAHSeAABAAAY+CAAA';`),
		row(104, "C", "INSERT", `insert into "HR"."JOBS"("JOB_ID","JOB_TITLE") values ('TMP','Temp');`),
		row(105, "C", "ROLLBACK", ""),
		row(106, "A", "COMMIT", ""),
		row(107, "B", "DELETE", `delete from "HR"."JOBS" where "JOB_ID" = 'IT_WT' and ROWID = 'AAAHSeAABAAAY+CAAX';`),
		row(108, "B", "COMMIT", ""),
		row(109, "D", "DDL", `truncate table "HR"."JOBS";`),
		row(110, "D", "COMMIT", ""),
	}
}

func jobsStreamer(t *testing.T, m miner, sink capture.Sink) *streamer {
	stmts, _, _ := ddl.Split("hr_create.sql", corpus(t, "hr_create.sql"))
	tables := map[string]changeTable{}
	for _, st := range stmts {
		if tb, err := ddl.ParseTable(st.Text); err == nil && st.Kind == ddl.CreateTable && tb.Object.Name == "JOBS" {
			tb.Constraints = append(tb.Constraints, ddl.Constraint{Kind: "PRIMARY KEY", Columns: []string{"JOB_ID"}})
			tables["JOBS"] = newChangeTable(tb)
		}
	}
	return &streamer{m: m, tables: tables, owner: "HR", target: "hr", buf: logminer.NewBuffer(t.TempDir(), 1<<20), sink: sink, idle: time.Millisecond}
}

func TestStreamSynthetic(t *testing.T) {
	m := &fakeMiner{rows: jobsStream(), current: 110}
	sink := &recordingSink{stop: 3}
	if err := jobsStreamer(t, m, sink).run(context.Background(), logminer.Position{RestartSCN: 100, CommitSCN: 99}); !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	want := []string{
		"I jobs key=map[] new=map[job_id:IT_WT job_title:Technical Writer max_salary:11000 min_salary:4000]", "commit",
		"U jobs key=map[job_id:AD_VP] new=map[max_salary:12000]", "D jobs key=map[job_id:IT_WT] new=map[]", "commit",
		"T jobs key=map[] new=map[]", "commit",
	}
	if strings.Join(sink.got, "\n") != strings.Join(want, "\n") {
		t.Errorf("delivered\n%s\nwant\n%s", strings.Join(sink.got, "\n"), strings.Join(want, "\n"))
	}
	// Restart from the position after A's commit (B was open: from its start).
	if p := sink.commits[0]; p.RestartSCN != 102 || p.CommitSCN != 106 {
		t.Errorf("position after A: %v", p)
	}
	again := &recordingSink{stop: 2}
	if err := jobsStreamer(t, m, again).run(context.Background(), sink.commits[0]); !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	if strings.Join(again.got, "\n") != strings.Join(want[2:], "\n") {
		t.Errorf("after a restart at %v:\n%s", sink.commits[0], strings.Join(again.got, "\n"))
	}
}

func TestStreamStopsAtDDL(t *testing.T) {
	rows := append(jobsStream()[:1], minedRow{Row: logminer.Row{SCN: 101, XID: "A", Op: "DDL", Redo: `ALTER TABLE "HR"."JOBS" ADD ("NOTE" VARCHAR2(10))`}},
		minedRow{Row: logminer.Row{SCN: 102, XID: "A", Op: "COMMIT"}})
	err := jobsStreamer(t, &fakeMiner{rows: rows, current: 102}, &recordingSink{}).run(context.Background(), logminer.Position{RestartSCN: 100, CommitSCN: 99})
	if err == nil || !strings.Contains(err.Error(), "does not follow schema changes") {
		t.Errorf("DDL on a migrated table: %v", err)
	}
}
