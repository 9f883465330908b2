package mysql

import (
	"context"
	"fmt"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/capture/capturetest"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
)

// myServer is MariaDB's side of the change-source contract suite.
type myServer struct{ s *mytest.Server }

func (m myServer) Open(t *testing.T, rows int) (capture.ChangeSource, capturetest.Writer) {
	t.Helper()
	db := m.s.CreateDatabase(t, "capture")
	m.s.Exec(t, db, fmt.Sprintf(`CREATE TABLE t (id int PRIMARY KEY AUTO_INCREMENT, v varchar(100), n int) AUTO_INCREMENT = 1000000;
		INSERT INTO t SELECT seq, CONCAT('r', seq), seq FROM seq_1_to_%d; ANALYZE TABLE t`, rows))
	ctx := context.Background()
	src, err := Open(ctx, dbconn.Config{Type: "mysql", Host: m.s.Host, Port: m.s.Port, User: m.s.User,
		Password: m.s.Password, DBName: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.Close)
	w, err := m.s.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	t.Cleanup(func() { w.Close() })
	return src, func(ctx context.Context, script string) error {
		_, err := w.ExecContext(ctx, script)
		return err
	}
}

func (myServer) Generator() string { return `"public"."t".id` }

func TestChangeSourceContract(t *testing.T) {
	capturetest.Run(t, myServer{mytest.Shared(t, mytest.RoleSource)})
}
