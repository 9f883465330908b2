package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// statusEvents reads exported and applied change counts from the report.
func (e *env) liveCounts(t *testing.T) (exported, applied int64) {
	r := e.mustRun(append([]string{"get", "data-migration-report", "--output-format", "json"}, e.targetFlags()...)...)
	var doc struct {
		Tables []struct {
			Exported *map[string]int64 `json:"exported_changes"`
			Imported *map[string]int64 `json:"imported_changes"`
		} `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	for _, tb := range doc.Tables {
		for _, op := range []string{"inserts", "updates", "deletes"} {
			if tb.Exported != nil {
				exported += (*tb.Exported)[op]
			}
			if tb.Imported != nil {
				applied += (*tb.Imported)[op]
			}
		}
	}
	return exported, applied
}

func TestLiveTruncateArchiveAndEndWithoutCutover(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'seed' FROM generate_series(1, 100) g;
		CREATE TABLE other (id int PRIMARY KEY, v text);`)
	e.mustRun(append([]string{"export", "schema"}, e.sourceFlags()...)...)
	e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)
	os.Setenv("YBV_QUEUE_SEGMENT_BYTES", "20000") // many small segments to archive
	defer os.Unsetenv("YBV_QUEUE_SEGMENT_BYTES")
	exp, imp := startStreaming(t, e)
	for i := 0; i < 20; i++ {
		e.srcExec(`INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1000 + ` + itoa(i*100) + `, 1099 + ` + itoa(i*100) + `) g;
			INSERT INTO other VALUES (` + itoa(i) + `, 'o')`)
	}
	e.srcExec(`TRUNCATE t; INSERT INTO t VALUES (1, 'after truncate'), (2, 'after truncate');`)
	e.srcExec(`UPDATE other SET v = 'changed' WHERE id < 5`)
	// Every change, not just as many as exported so far: export and
	// import agree at moments in between too, and segments written after
	// the count below would break it.
	const changes = 20*101 + 2 + 5 // inserts before and after the truncate, updates
	waitFor(t, "every change applied", time.Minute, func() bool {
		x, a := e.liveCounts(t)
		return x == changes && a == changes
	})
	segs := func() int {
		m, _ := filepath.Glob(filepath.Join(e.exportDir, "data", "queue", "segment-*.ndjson"))
		return len(m)
	}
	before := segs()
	archive := t.TempDir()
	time.Sleep(2 * time.Second) // the importer records its position every second
	r := e.mustRun("archive", "changes", "--export-dir", e.exportDir, "--policy", "archive", "--archive-dir", archive, "--once")
	moved, _ := filepath.Glob(filepath.Join(archive, "segment-*.ndjson"))
	if before < 3 || len(moved) == 0 || segs()+len(moved) != before {
		t.Fatalf("archive changes: %d segments before, %d moved, %d left: %s", before, len(moved), segs(), r)
	}
	e.srcExec(`INSERT INTO other VALUES (1000, 'after archive')`)
	waitFor(t, "changes after archiving applied", time.Minute, func() bool {
		x, a := e.liveCounts(t)
		return x == a && e.tgtInt(`SELECT count(*) FROM other WHERE id = 1000`) == 1
	})
	e.expectCompareClean()
	if n := e.tgtInt(`SELECT count(*) FROM t`); n != 2 {
		t.Fatalf("TRUNCATE not applied: %d rows in t", n)
	}
	// Abandon the migration without cutover: end migration must drop the slot.
	_ = exp.cmd.Process.Kill()
	_ = imp.cmd.Process.Kill()
	<-exp.done
	<-imp.done
	r = e.mustRun("end", "migration", "--export-dir", e.exportDir, "--yes")
	if !strings.Contains(r.stdout, "Dropped replication slot") {
		t.Fatalf("end migration did not drop the slot: %s", r)
	}
	if n := e.srcInt(`SELECT count(*) FROM pg_replication_slots WHERE database = current_database()`); n != 0 {
		t.Fatalf("%d slots left after end migration", n)
	}
	if n := e.srcInt(`SELECT count(*) FROM pg_publication`); n != 0 {
		t.Fatalf("%d publications left after end migration", n)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// peakRSSMB reads a running process's peak resident set (VmHWM).
func peakRSSMB(t *testing.T, pid int) int64 {
	b, err := os.ReadFile("/proc/" + itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb int64
			_, _ = fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "VmHWM:"), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}

func TestLiveLargeTransactionMemoryBounded(t *testing.T) {
	// One transaction of ~250 MB of changes: far more than either process may hold.
	liveMemoryBounded(t, `CREATE TABLE big (id int PRIMARY KEY, pad text)`,
		`INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 250000) g`, 250000, 150)
}

func TestLiveWideRowsMemoryBounded(t *testing.T) {
	// 4,000 values of 150 kB (~600 MB of changes): few enough events that
	// the apply's event counts alone would let all of them into memory.
	// Export data keeps wide values' garbage up to its 160 MB soft memory
	// limit, so its bound here is import data's.
	liveMemoryBounded(t, `CREATE TABLE wide (id int PRIMARY KEY, doc text)`,
		`INSERT INTO wide SELECT g, repeat(md5(g::text), 4700) FROM generate_series(1, 4000) g`, 4000, 250)
}

// liveMemoryBounded streams one large transaction (insert, of rows rows)
// into a table made by ddl, checks that neither export data (at most
// exportMB) nor import data (250 MB) grew with it, then cuts over and
// compares.
func liveMemoryBounded(t *testing.T, ddl, insert string, rows, exportMB int64) {
	e := newEnv(t)
	e.srcExec(ddl)
	e.mustRun(append([]string{"export", "schema"}, e.sourceFlags()...)...)
	e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)
	exp, imp := startStreaming(t, e)
	e.srcExec(insert)
	waitFor(t, "the large transaction applied", 3*time.Minute, func() bool {
		x, a := e.liveCounts(t)
		return x == rows && a == rows
	})
	if ex, im := peakRSSMB(t, exp.cmd.Process.Pid), peakRSSMB(t, imp.cmd.Process.Pid); ex > exportMB || im > 250 {
		t.Fatalf("peak RSS: export data %d MB, import data %d MB: memory must not grow with a transaction", ex, im)
	} else {
		t.Logf("peak RSS with %d rows in one transaction: export data %d MB, import data %d MB", rows, ex, im)
	}
	e.mustRun("initiate", "cutover", "to", "target", "--export-dir", e.exportDir)
	exp.wait(t, 2*time.Minute)
	imp.wait(t, 2*time.Minute)
	e.expectCompareClean()
}

// startStreaming starts a live export data and import data from the
// PostgreSQL source and returns once changes stream into the queue; at the
// end of the test both are killed and a slot left behind is dropped.
func startStreaming(t *testing.T, e *env) (exp, imp *proc) {
	exp = e.startProc("export", append(append([]string{"export", "data"}, e.sourceFlags()...), "--export-type", "snapshot-and-changes", "--disable-pb")...)
	imp = e.startProc("import", append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb")...)
	t.Cleanup(func() {
		_ = exp.cmd.Process.Kill()
		_ = imp.cmd.Process.Kill()
		e.src.QueryInt(t, e.srcDB, `SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE NOT active AND database = current_database()`)
	})
	waitFor(t, "streaming", time.Minute, func() bool {
		_, err := os.Stat(filepath.Join(e.exportDir, "data", "queue", "segment-000001.ndjson"))
		return err == nil
	})
	return exp, imp
}

// TestLiveStartCleanAfterChangesApplied: a live migration that has
// applied changes is started over with export data --start-clean: the old
// slot and publication are dropped, and import data empties the tables,
// forgets the changes it applied (the new queue numbers its events from 1
// again) and loads the new snapshot; the new migration then cuts over
// exactly.
func TestLiveStartCleanAfterChangesApplied(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'seed' FROM generate_series(1, 50) g;`)
	e.mustRun(append([]string{"export", "schema"}, e.sourceFlags()...)...)
	e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)
	exp, imp := startStreaming(t, e)
	e.srcExec(`INSERT INTO t SELECT g, 'first run' FROM generate_series(100, 199) g; UPDATE t SET v = 'u' WHERE id <= 10`)
	waitFor(t, "the first run's changes applied", time.Minute, func() bool { return e.tgtInt(`SELECT count(*) FROM t`) == 150 })
	_ = exp.cmd.Process.Kill()
	_ = imp.cmd.Process.Kill()
	<-exp.done
	<-imp.done
	oldSlots := e.srcInt(`SELECT count(*) FROM pg_replication_slots WHERE database = current_database()`)
	e.srcExec(`DELETE FROM t WHERE id BETWEEN 150 AND 199`) // while nothing streams
	exp = e.startProc("export2", append(append([]string{"export", "data"}, e.sourceFlags()...),
		"--export-type", "snapshot-and-changes", "--disable-pb", "--start-clean", "--yes")...)
	imp = e.startProc("import2", append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb")...)
	t.Cleanup(func() { _ = exp.cmd.Process.Kill(); _ = imp.cmd.Process.Kill() })
	waitFor(t, "the new snapshot loaded", time.Minute, alongside(t, func() bool { return e.tgtInt(`SELECT count(*) FROM t`) == 100 }, exp, imp))
	if n := e.srcInt(`SELECT count(*) FROM pg_replication_slots WHERE database = current_database()`); oldSlots != 1 || n != 1 {
		t.Fatalf("slots: %d before --start-clean, %d after; want the old one replaced", oldSlots, n)
	}
	e.srcExec(`INSERT INTO t VALUES (500, 'second run'); UPDATE t SET v = 'u2' WHERE id = 1; DELETE FROM t WHERE id = 2`)
	waitFor(t, "the second run's changes applied", time.Minute, alongside(t, func() bool {
		return e.tgtInt(`SELECT count(*) FROM t WHERE id = 500`) == 1 && e.tgtInt(`SELECT count(*) FROM t WHERE id = 2`) == 0
	}, exp, imp))
	e.mustRun("initiate", "cutover", "to", "target", "--export-dir", e.exportDir)
	expectCutOver(t, e, exp, imp)
}
