package e2e

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
)

// mysqlEnv is an env whose source is database db of the MySQL server my,
// with the source flags export commands take.
func mysqlEnv(t *testing.T, my *mytest.Server, db string) (*env, []string) {
	e := &env{t: t, tgt: sharedTarget(t), srcPassword: my.Password}
	e.tgtDB = e.tgt.CreateDatabase(t, "tgt")
	e.exportDir = t.TempDir()
	return e, []string{"--export-dir", e.exportDir, "--source-db-type", "mysql", "--source-db-host", my.Host,
		"--source-db-port", strconv.Itoa(my.Port), "--source-db-user", my.User, "--source-db-name", db}
}

// TestMySQLLiveTruncate: a TRUNCATE of a migrated table during binlog CDC
// empties it on the target in order with the changes around it, and the
// exporter reports its binlog lag like the PostgreSQL one.
func TestMySQLLiveTruncate(t *testing.T) {
	my := mytest.Shared(t, mytest.RoleSource)
	db := my.CreateDatabase(t, "trunc")
	my.Exec(t, db, `SET SESSION max_recursive_iterations = 100000;
		CREATE TABLE items (id int AUTO_INCREMENT PRIMARY KEY, v varchar(40));
		CREATE TABLE keep (id int PRIMARY KEY, v varchar(40));
		INSERT INTO items (v) WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200) SELECT CONCAT('seed', n) FROM g;
		INSERT INTO keep WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50) SELECT n, 'keep' FROM g;`)
	e, src := mysqlEnv(t, my, db)
	e.mustRun(append([]string{"export", "schema"}, src...)...)
	e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)

	exp := e.startProc("export", append(append([]string{"export", "data"}, src...), "--export-type", "snapshot-and-changes", "--disable-pb")...)
	imp := e.startProc("import", append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb")...)
	t.Cleanup(func() { _ = exp.cmd.Process.Kill(); _ = imp.cmd.Process.Kill() })
	waitFor(t, "the export to stream changes", 2*time.Minute, func() bool {
		out, _ := os.ReadFile(exp.log.Name())
		return strings.Contains(string(out), "Streaming changes from binlog")
	})
	my.Exec(t, db, `INSERT INTO items (v) VALUES ('cdc1'), ('cdc2'), ('cdc3');
		UPDATE keep SET v = 'changed' WHERE id <= 10;`)
	my.Exec(t, db, "truncate TABLE `items`")
	my.Exec(t, db, `INSERT INTO items (v) VALUES ('after1'), ('after2');
		DELETE FROM keep WHERE id > 45;`)
	waitFor(t, "the changes after the truncate applied", time.Minute, func() bool {
		x, a := e.liveCounts(t)
		return x > 0 && x == a && e.tgtInt(`SELECT count(*) FROM items`) == 2
	})
	waitFor(t, "export data status with the binlog position and no lag", time.Minute, func() bool {
		st := exportStats(t, e)
		return strings.Contains(st.Durable, ":") && st.LagBytes == 0 && st.LagSeconds == 0
	})

	e.mustRun("initiate", "cutover", "to", "target", "--export-dir", e.exportDir)
	expectCutOver(t, e, exp, imp)
	if n := e.tgtInt(`SELECT count(*) FROM items WHERE v LIKE 'after%'`); n != 2 || e.tgtInt(`SELECT count(*) FROM items`) != 2 {
		t.Fatalf("items on the target: %d rows after the truncate, want only the 2 inserted after it", e.tgtInt(`SELECT count(*) FROM items`))
	}
	if n := e.tgtInt(`SELECT count(*) FROM keep`); n != 45 {
		t.Fatalf("keep has %d rows on the target, want 45", n)
	}
	out, _ := os.ReadFile(exp.log.Name())
	if !strings.Contains(string(out), "T 1)") {
		t.Errorf("the CDC line does not count the truncate:\n%s", tail(string(out), 2000))
	}
}

// cdcExportStats is the part of export data status --output-format json
// this test reads.
type cdcExportStats struct {
	LagBytes   int64   `json:"lag_bytes"`
	LagSeconds float64 `json:"lag_seconds"`
	Durable    string  `json:"durable_lsn"`
}

func exportStats(t *testing.T, e *env) cdcExportStats {
	t.Helper()
	r := e.mustRun("export", "data", "status", "--export-dir", e.exportDir, "--output-format", "json")
	var doc struct {
		CDC *cdcExportStats `json:"cdc_export"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("export data status JSON: %v\n%s", err, r.stdout)
	}
	if doc.CDC == nil {
		return cdcExportStats{}
	}
	return *doc.CDC
}
