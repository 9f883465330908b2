package mytest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, Harness) }

func TestSharedServerRoundTrip(t *testing.T) {
	s := Shared(t, RoleSource)
	if again := Shared(t, RoleSource); again != s {
		t.Fatal("Shared returned a different source server on second call")
	}
	var db string
	t.Run("create", func(t *testing.T) {
		db = s.CreateDatabase(t, "MyTest-Smoke")
		s.Exec(t, db, `CREATE TABLE t (id int PRIMARY KEY, v varchar(10));
			INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');`)
		if n := s.QueryInt(t, db, "SELECT count(*) FROM t"); n != 3 {
			t.Fatalf("count(*) = %d, want 3", n)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := s.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var logBin int
		var format, image string
		err = conn.QueryRowContext(ctx, "SELECT @@log_bin, @@binlog_format, @@binlog_row_image").Scan(&logBin, &format, &image)
		if err != nil {
			t.Fatal(err)
		}
		if logBin != 1 || format != "ROW" || image != "FULL" {
			t.Fatalf("log_bin=%d binlog_format=%s binlog_row_image=%s, want 1 ROW FULL", logBin, format, image)
		}
	})
	q := fmt.Sprintf("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '%s'", db)
	if n := s.QueryInt(t, "", q); n != 0 {
		t.Fatalf("database %s still exists after its test ended", db)
	}
}

func TestExecReportsLaterStatementError(t *testing.T) {
	s := Shared(t, RoleSource)
	db := s.CreateDatabase(t, "exec_err")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := s.exec(ctx, db, "CREATE TABLE a (id int); SELECT * FROM no_such_table;")
	if err == nil {
		t.Fatal("error in the second statement of a script was not reported")
	}
}

func TestWrongPasswordRejected(t *testing.T) {
	s := Shared(t, RoleSource)
	for _, pw := range []string{"wrong", ""} {
		bad := &Server{Host: s.Host, Port: s.Port, User: s.User, Password: pw, name: "bad"}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		conn, err := bad.Open(ctx, "")
		cancel()
		if err == nil {
			conn.Close()
			t.Fatalf("connection with password %q succeeded", pw)
		}
		var me *mysql.MySQLError
		if !errors.As(err, &me) || me.Number != 1045 {
			t.Fatalf("password %q: want access denied (1045), got %v", pw, err)
		}
	}
}

func TestStartExtraArgsRestartAndStop(t *testing.T) {
	t0 := time.Now()
	s, err := Start(Options{Name: "Extra Args", ExtraArgs: []string{"--max-connections=77"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start took %s", time.Since(t0).Round(time.Millisecond))
	t.Cleanup(func() { _ = s.Stop() })
	if n := s.QueryInt(t, "", "SELECT @@max_connections"); n != 77 {
		t.Fatalf("ExtraArgs --max-connections=77 not applied: %d", n)
	}
	const db = "restart" // not CreateDatabase: its cleanup would run after Stop
	s.Exec(t, "", "CREATE DATABASE restart; CREATE TABLE restart.t (id int PRIMARY KEY); INSERT INTO restart.t VALUES (1)")
	t0 = time.Now()
	if err := s.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("Restart took %s", time.Since(t0).Round(time.Millisecond))
	if n := s.QueryInt(t, db, "SELECT count(*) FROM t"); n != 1 {
		t.Fatalf("count(*) after restart = %d, want 1", n)
	}
	t0 = time.Now()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Stop took %s", time.Since(t0).Round(time.Millisecond))
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(s.Dir); !os.IsNotExist(err) {
		t.Fatalf("server dir %s still exists after Stop (stat err %v)", s.Dir, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := s.Open(ctx, ""); err == nil {
		conn.Close()
		t.Fatal("server still accepts connections after Stop")
	}
}

func TestMissingBinariesError(t *testing.T) {
	t.Setenv(BinDirEnv, t.TempDir())
	_, err := Start(Options{Name: "missing"})
	if err == nil {
		t.Fatal("Start succeeded without MariaDB binaries")
	}
	if !strings.Contains(err.Error(), "apt-get install mariadb-server") {
		t.Fatalf("error does not say how to install MariaDB: %v", err)
	}
	t.Log(err)
}
