package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

func TestStatementsPreparedOncePerConnectionAndBounded(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Shared(t, pgtest.RoleTarget)
	conn, err := pgx.Connect(ctx, c.DSN(c.CreateDatabase(t, "prepared")))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	pc := conn.PgConn()
	count := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE starts_with(name, 'ybv_set_')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	q := "SELECT $1::int8 + 1"
	first, err := prepared(ctx, pc, q, []uint32{pgoid.Int8})
	if err != nil || first == "" {
		t.Fatalf("prepare: %q, %v", first, err)
	}
	again, _ := prepared(ctx, pc, q, []uint32{pgoid.Int8})
	if again != first || count() != 1 {
		t.Fatalf("the same statement prepared again: %q then %q, %d on the server", first, again, count())
	}
	res := pc.ExecPrepared(ctx, first, [][]byte{[]byte("41")}, nil, nil).Read()
	if res.Err != nil || string(res.Rows[0][0]) != "42" {
		t.Fatalf("prepared statement ran: %v %v", res.Err, res.Rows)
	}
	if other, _ := prepared(ctx, pc, q, []uint32{pgoid.Text}); other == first || other == "" {
		t.Fatalf("other parameter types must be another statement: %q", other)
	}
	for i := 0; count() < maxPrepared; i++ {
		if _, err := prepared(ctx, pc, fmt.Sprintf("SELECT %d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := prepared(ctx, pc, "SELECT 'one too many'", nil); n != "" || err != nil || count() != maxPrepared {
		t.Fatalf("past the bound: %q, %v, %d prepared", n, err, count())
	}
}
