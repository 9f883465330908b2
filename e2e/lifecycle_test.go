package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfigFileDrivesCommands(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' FROM generate_series(1, 1000) g;`)
	e.copySchema()
	cfg := filepath.Join(t.TempDir(), "voyager.yaml")
	yaml := fmt.Sprintf(`export-dir: %s
log-level: debug
source:
  db-type: postgresql
  db-host: %s
  db-port: %d
  db-user: %s
  db-name: %s
  db-schema: public
target:
  db-host: %s
  db-port: %d
  db-user: %s
  db-name: %s
export-data:
  parallel-jobs: 1
  disable-pb: true
import-data:
  batch-size: 100
  disable-pb: true
`, e.exportDir, e.src.Host, e.src.Port, e.src.User, e.srcDB, e.tgt.Host, e.tgt.Port, e.tgt.User, e.tgtDB)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	e.mustRun("export", "data", "from", "source", "--config-file", cfg)
	r := e.mustRun("import", "data", "to", "target", "--config-file", cfg)
	if !strings.Contains(r.stdout, "Imported 1000 rows in 10 batches") {
		t.Fatalf("config batch-size not applied: %s", r)
	}
	// A flag beats the config file.
	r = e.run("import", "data", "--config-file", cfg, "--target-db-name", "no_such_db")
	expectOneLineError(t, r, 1, "no_such_db", "does not exist")
	e.mustRun("compare", "data", "--config-file", cfg)
}

func TestExportDirOfAnotherSourceRefused(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE t (id int PRIMARY KEY)`)
	e.exportData()
	other := e.src.CreateDatabase(t, "other")
	e.src.Exec(t, other, `CREATE TABLE t (id int PRIMARY KEY)`)
	r := e.run(append(withFlag(append([]string{"export", "data"}, e.sourceFlags()...), "--source-db-name", other), "--disable-pb")...)
	expectOneLineError(t, r, 1, "belongs to another source database", "new, empty --export-dir")
	e.exportData() // the directory is still usable for its own source
}

func TestImportSurvivesDroppedTargetConnections(t *testing.T) {
	e := newEnv(t)
	e.srcExec(bigSchema)
	e.copySchema()
	e.exportData("--chunk-bytes", "4000000")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := e.command(ctx, append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb", "--batch-size", "1000", "--parallel-jobs", "2")...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	terminated := int64(0)
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("import data did not survive dropped connections: %v\n%s", err, out.String())
			}
			finished = true
		case <-time.After(30 * time.Millisecond):
			if terminated < 6 && e.importedBatches() > 0 {
				terminated += e.tgt.QueryInt(t, "postgres", `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
					WHERE application_name = 'yb-voyager' AND datname = '`+e.tgtDB+`') k`)
			}
		}
	}
	if terminated == 0 {
		t.Fatal("no target connection was terminated: the import finished too fast to test anything")
	}
	t.Logf("terminated %d target connections during import", terminated)
	e.importData() // completes whatever the killed attempt left, and must not duplicate
	e.expectCompareClean()
}

func TestEndMigrationBacksUpAndCleans(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100);`)
	e.copySchema()
	e.exportData()
	e.importData()
	backup := t.TempDir()
	args := []string{"end", "migration", "--export-dir", e.exportDir, "--backup-schema-files", "--backup-data-files",
		"--save-migration-reports", "--backup-log-files", "--backup-dir", backup}
	expectOneLineError(t, e.run(args...), 2, "--yes")
	if n := e.tgtInt(`SELECT count(*) FROM pg_namespace WHERE nspname = 'ybvoyager_metadata'`); n != 1 {
		t.Fatal("refused end migration must not drop anything")
	}
	e.mustRun(append(args, "--yes")...)
	if n := e.tgtInt(`SELECT count(*) FROM pg_namespace WHERE nspname = 'ybvoyager_metadata'`); n != 0 {
		t.Fatal("end migration left ybvoyager_metadata on the target")
	}
	for _, p := range []string{"data/public.t.00000.tsv", "reports/data_migration_report.json", "yb-voyager.log", "schema"} {
		if _, err := os.Stat(filepath.Join(backup, p)); err != nil {
			t.Errorf("backup misses %s: %v", p, err)
		}
	}
	left, _ := os.ReadDir(e.exportDir)
	if len(left) != 0 {
		t.Errorf("export dir not cleaned: %d entries left", len(left))
	}
	if n := e.tgtInt(`SELECT count(*) FROM t`); n != 100 {
		t.Fatalf("end migration touched user data: %d rows", n)
	}
}
