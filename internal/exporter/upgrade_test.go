package exporter

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source/mysql"
	"github.com/yugabyte/yb-voyager-go/internal/source/postgres"
)

// legacyStore makes an export directory whose metainfo store holds what a
// release before 2026-12 wrote mid-stream (values captured from such a
// release's export data and import data, killed with SIGKILL).
func legacyStore(t *testing.T, engine string, kv map[string]string) *exportdir.Dir {
	t.Helper()
	d, err := exportdir.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := d.OpenStore() // today's schema, no legacy rows yet
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.EnsureMigration(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSource(context.Background(), engine, "id", "{}"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+d.Path(exportdir.MetainfoDir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for k, v := range kv {
		if _, err := db.Exec(`INSERT INTO kv (key, value) VALUES (?, ?)`, k, v); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// upgraded opens the store (which converts the legacy state) and reads
// the exporter's checkpoint.
func upgraded(t *testing.T, d *exportdir.Dir) (*exportdir.Store, Checkpoint) {
	t.Helper()
	st, err := d.OpenStore()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cp, ok, err := LoadCheckpoint(context.Background(), st, exportdir.SourceToTarget)
	if err != nil || !ok {
		t.Fatalf("checkpoint: %v %v", ok, err)
	}
	return st, cp
}

func TestUpgradeLegacyPostgresState(t *testing.T) {
	d := legacyStore(t, "postgresql", map[string]string{
		"live_state":       `{"slot":"ybvoyager_8a69043d17d14dd5","publication":"ybvoyager_8a69043d17d14dd5","consistent_point":"0/1969128","snapshot_done":true,"durable_lsn":"0/196AAC8","queue_position":{"segment":1,"offset":4473,"next_seq":41},"end_written":false,"finished":false,"events":40,"by_op":{"I":20,"U":20},"by_table":{"public.t":[20,20,0]}}`,
		"cdc_export_stats": `{"events":40,"by_op":{"I":20,"U":20},"by_table":{"public.t":[20,20,0]},"events_per_second":0,"lag_bytes":0,"lag_seconds":0,"durable_lsn":"0/196AAC8","updated_at":"2026-12-07T08:05:59.203645839Z"}`,
		"cdc_applied":      `{"applied_through_seq":40,"position":{"segment":1,"offset":4473,"next_seq":41}}`,
		"cdc_import_stats": `{"events_applied":40,"ordering_conflicts":0,"by_op":{"D":0,"I":20,"U":20},"events_per_second":0,"lag_seconds":0,"applied_through_seq":40,"updated_at":"2026-12-07T08:05:58.958027727Z"}`,
		"cutover":          "requested",
	})
	ctx, dir := context.Background(), exportdir.SourceToTarget
	st, cp := upgraded(t, d)
	src := &postgres.Source{}
	start, err := src.ParsePosition(cp.Start)
	if err != nil {
		t.Fatal(err)
	}
	resume, err := src.ParsePosition(cp.Resume)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Engine != "postgresql" || cp.Stream != "ybvoyager_8a69043d17d14dd5" || !cp.Holds || !cp.SnapshotDone ||
		start.String() != "0/1969128" || resume.String() != "0/196AAC8" {
		t.Fatalf("checkpoint %+v start %s resume %s", cp, start, resume)
	}
	mark, ok, err := queue.LoadMark(ctx, st, dir)
	if err != nil || !ok || mark.Position != (queue.Position{Segment: 1, Offset: 4473, NextSeq: 41}) || mark.Ended ||
		mark.Counts.Events != 40 || mark.Counts.ByOp["U"] != 20 || *mark.Counts.ByTable["public.t"] != [3]int64{20, 20, 0} {
		t.Fatalf("mark %+v %v %v", mark, ok, err)
	}
	p, ok, err := importer.LoadProgress(ctx, st, dir)
	if err != nil || !ok || p.Through != 40 || p.Position.NextSeq != 41 {
		t.Fatalf("importer progress %+v %v %v", p, ok, err)
	}
	xs, ok, err := LoadStats(ctx, st, dir)
	if err != nil || !ok || xs.DurableLSN != "0/196AAC8" {
		t.Fatalf("export stats %+v %v %v", xs, ok, err)
	}
	is, ok, err := importer.LoadStats(ctx, st, dir)
	if err != nil || !ok || is.Applied != 40 {
		t.Fatalf("import stats %+v %v %v", is, ok, err)
	}
	cut, err := st.Cutover(ctx, dir)
	if err != nil || cut.Status() != exportdir.CutoverInitiated || !cut.Exported.IsZero() {
		t.Fatalf("cutover %+v %v", cut, err)
	}
}

func TestUpgradeLegacyMySQLState(t *testing.T) {
	d := legacyStore(t, "mysql", map[string]string{
		"live_state":        `{"slot":"","publication":"","consistent_point":"","snapshot_done":true,"durable_lsn":"","queue_position":{"segment":1,"offset":215,"next_seq":3},"end_written":true,"finished":true,"binlog":{"File":"binlog.000001","Pos":3241,"GTID":"0-1-14"},"events":2,"by_op":{"I":1,"U":1},"by_table":{"public.t":[1,1,0]}}`,
		"cutover":           "requested",
		"cutover_completed": "2026-12-07T08:06:30Z",
	})
	ctx, dir := context.Background(), exportdir.SourceToTarget
	st, cp := upgraded(t, d)
	resume, err := (&mysql.Source{}).ParsePosition(cp.Resume)
	if err != nil {
		t.Fatal(err)
	}
	want := mysql.BinlogPosition{File: "binlog.000001", Pos: 3241, GTID: "0-1-14"}
	if cp.Engine != "mysql" || cp.Holds || cp.Stream != "" || resume != want {
		t.Fatalf("checkpoint %+v resume %+v", cp, resume)
	}
	if b, _ := json.Marshal(resume); string(b) != `{"file":"binlog.000001","pos":3241,"gtid":"0-1-14"}` {
		t.Fatalf("position JSON %s", b)
	}
	mark, _, err := queue.LoadMark(ctx, st, dir)
	if err != nil || !mark.Ended || mark.Counts.Events != 2 {
		t.Fatalf("mark %+v %v", mark, err)
	}
	cut, err := st.Cutover(ctx, dir)
	if err != nil || cut.Status() != exportdir.CutoverCompleted || cut.Exported.IsZero() {
		t.Fatalf("cutover %+v %v", cut, err)
	}
}

// TestUpgradeRefusesUnreadableState: state that cannot be converted is
// refused with one line that says what to do, and nothing is changed.
func TestUpgradeRefusesUnreadableState(t *testing.T) {
	d := legacyStore(t, "postgresql", map[string]string{"live_state": `{"slot": 7}`})
	_, err := d.OpenStore()
	if err == nil || !contains(err.Error(), "earlier yb-voyager release", "--start-clean") {
		t.Fatalf("OpenStore = %v", err)
	}
	if _, err := d.OpenStore(); err == nil {
		t.Fatal("a second open converted what the first refused")
	}
}

func contains(s string, words ...string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
