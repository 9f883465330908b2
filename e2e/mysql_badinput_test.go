package e2e

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
)

// startMariaDB starts a throwaway MariaDB with extra mariadbd options.
func startMariaDB(t *testing.T, name string, args ...string) *mytest.Server {
	t.Helper()
	s, err := mytest.Start(mytest.Options{Name: name, ExtraArgs: args})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

// mysqlLiveExport is export data --export-type snapshot-and-changes of
// database db on s as user.
func mysqlLiveExport(dir string, s *mytest.Server, user, db string) []string {
	return []string{"export", "data", "--disable-pb", "--export-type", "snapshot-and-changes", "--export-dir", dir,
		"--source-db-type", "mysql", "--source-db-host", s.Host, "--source-db-port", strconv.Itoa(s.Port),
		"--source-db-user", user, "--source-db-name", db}
}

// expectLiveExportWorks runs the live export in its directory until it
// streams, makes one change, cuts over, and expects the change exported
// and exit 0: the failed runs before it left the directory usable.
func expectLiveExportWorks(t *testing.T, e *env, dir string, args []string, change func()) {
	t.Helper()
	exp := e.startProc("export", args...)
	t.Cleanup(func() { _ = exp.cmd.Process.Kill() })
	output := func() string { b, _ := os.ReadFile(exp.log.Name()); return string(b) }
	waitFor(t, "the export to stream changes", time.Minute, func() bool {
		return strings.Contains(output(), "Streaming changes from binlog") || !exp.running()
	})
	if !exp.running() {
		exp.wait(t, time.Second)
		t.Fatalf("export data exited before streaming:\n%s", output())
	}
	change()
	e.mustRun("initiate", "cutover", "to", "target", "--export-dir", dir)
	exp.wait(t, time.Minute)
	if out := output(); !strings.Contains(out, "all changes exported (1 events)") {
		t.Fatalf("export data did not export the one change:\n%s", out)
	}
}

// TestMySQLBadInputLive: a MySQL source that cannot feed a live migration
// fails export data with one line naming the setting or grant and the fix,
// and the export directory still works once it is fixed. The binlog
// settings are broken on throwaway servers: the shared one keeps its own.
func TestMySQLBadInputLive(t *testing.T) {
	my := mytest.Shared(t, mytest.RoleSource)
	db := my.CreateDatabase(t, "badlive")
	my.Exec(t, db, `CREATE TABLE t (id int PRIMARY KEY, v varchar(10)); INSERT INTO t VALUES (1, 'a')`)
	e := &env{t: t, tgt: sharedTarget(t), srcPassword: my.Password}
	e.exportDir = t.TempDir()

	t.Run("wrong port", func(t *testing.T) {
		port := strconv.Itoa(closedPort(t))
		args := withFlag(mysqlLiveExport(e.exportDir, my, my.User, db), "--source-db-port", port)
		expectOneLineError(t, e.run(args...), 1, "connection refused", port)
	})
	t.Run("no replication grants", func(t *testing.T) {
		user := "norepl_" + db[len(db)-8:] // users are server-wide: one per test database
		my.Exec(t, "", `CREATE USER '`+user+`'@'%' IDENTIFIED BY '`+my.Password+`'; GRANT SELECT ON `+db+`.* TO '`+user+`'@'%'`)
		t.Cleanup(func() { my.Exec(t, "", `DROP USER '`+user+`'@'%'`) })
		args := mysqlLiveExport(e.exportDir, my, user, db)
		expectOneLineError(t, e.run(args...), 1, user, "RELOAD", "REPLICATION SLAVE", "REPLICATION CLIENT",
			"GRANT RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO")
		my.Exec(t, "", `GRANT RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '`+user+`'@'%'`)
		expectLiveExportWorks(t, e, e.exportDir, args, func() { my.Exec(t, db, `INSERT INTO t VALUES (2, 'b')`) })
	})
	t.Run("binlog off", func(t *testing.T) {
		s := startMariaDB(t, "no-binlog", "--skip-log-bin")
		s.Exec(t, "", `CREATE DATABASE shop; CREATE TABLE shop.t (id int PRIMARY KEY)`)
		r := e.run(mysqlLiveExport(t.TempDir(), s, s.User, "shop")...)
		expectOneLineError(t, r, 1, "log_bin is OFF", "enable binary logging", "restart the server")
	})
	t.Run("binlog format and row image", func(t *testing.T) {
		s := startMariaDB(t, "statement-binlog", "--binlog-format=STATEMENT")
		s.Exec(t, "", `CREATE DATABASE shop; CREATE TABLE shop.t (id int PRIMARY KEY)`)
		dir := t.TempDir()
		args := mysqlLiveExport(dir, s, s.User, "shop")
		expectOneLineError(t, e.run(args...), 1, "binlog_format ROW, but it is STATEMENT", "SET GLOBAL binlog_format = ROW")
		s.Exec(t, "", `SET GLOBAL binlog_format = ROW; SET GLOBAL binlog_row_image = MINIMAL`)
		expectOneLineError(t, e.run(args...), 1, "binlog_row_image FULL, but it is MINIMAL", "SET GLOBAL binlog_row_image = FULL")
		s.Exec(t, "", `SET GLOBAL binlog_row_image = FULL`)
		expectLiveExportWorks(t, e, dir, args, func() { s.Exec(t, "shop", `INSERT INTO t VALUES (1)`) })
	})
}
