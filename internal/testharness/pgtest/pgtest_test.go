package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, Harness) }

func TestSharedClusterRoundTrip(t *testing.T) {
	c := Shared(t, RoleSource)
	var db string
	t.Run("create", func(t *testing.T) {
		db = c.CreateDatabase(t, "PgTest-Smoke")
		c.Exec(t, db, `CREATE TABLE t (id int PRIMARY KEY, v text);
			INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');`)
		if n := c.QueryInt(t, db, "SELECT count(*) FROM t"); n != 3 {
			t.Fatalf("count(*) = %d, want 3", n)
		}
		if n := c.QueryInt(t, db, "SELECT (current_setting('wal_level') = 'logical')::int"); n != 1 {
			t.Fatalf("wal_level is not logical")
		}
	})
	q := fmt.Sprintf("SELECT count(*) FROM pg_database WHERE datname = '%s'", db)
	if n := c.QueryInt(t, "postgres", q); n != 0 {
		t.Fatalf("database %s still exists after its test ended", db)
	}
}

func TestSharedRolesAreDistinct(t *testing.T) {
	src, tgt := Shared(t, RoleSource), Shared(t, RoleTarget)
	if src.Addr() == tgt.Addr() {
		t.Fatalf("source and target share address %s", src.Addr())
	}
	if again := Shared(t, RoleSource); again != src {
		t.Fatalf("Shared returned a different source cluster on second call")
	}
}

func TestWrongPasswordRejected(t *testing.T) {
	c := Shared(t, RoleSource)
	bad := &Cluster{Host: c.Host, Port: c.Port, User: c.User, Password: "wrong", name: "bad"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := bad.Connect(ctx, "postgres")
	if err == nil {
		conn.Close(ctx)
		t.Fatal("connection with a wrong password succeeded")
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "28P01" {
		t.Fatalf("want invalid_password (28P01), got %v", err)
	}
}

func TestStartExtraConfAndStop(t *testing.T) {
	c, err := Start(Options{Name: "Extra Conf", ExtraConf: map[string]string{"work_mem": "7MB"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	if n := c.QueryInt(t, "postgres", "SELECT (current_setting('work_mem') = '7MB')::int"); n != 1 {
		t.Fatal("ExtraConf work_mem=7MB not applied")
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.Dir); !os.IsNotExist(err) {
		t.Fatalf("cluster dir %s still exists after Stop (stat err %v)", c.Dir, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := c.Connect(ctx, "postgres"); err == nil {
		conn.Close(ctx)
		t.Fatal("server still accepts connections after Stop")
	}
}

func TestMissingBinariesError(t *testing.T) {
	t.Setenv(BinDirEnv, t.TempDir())
	_, err := Start(Options{Name: "missing"})
	if err == nil {
		t.Fatal("Start succeeded without server binaries")
	}
	t.Log(err)
}
