package oracle

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestLiveOracle is the only test here that needs an Oracle server: it
// runs when ORACLE_TEST_DSN holds a go-ora URL (oracle://user:pass@host:1521/service),
// for example an Oracle Free container on a machine with Docker (docs/oracle.md).
func TestLiveOracle(t *testing.T) {
	dsn := os.Getenv("ORACLE_TEST_DSN")
	if dsn == "" {
		fmt.Fprintln(os.Stderr, "oracle: skipped: no Oracle server (set ORACLE_TEST_DSN to run the live-server tests)")
		t.Skip("no Oracle server: set ORACLE_TEST_DSN")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("oracle", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(Explain(err, Context{}))
	}
	var banner string
	if err := db.QueryRowContext(ctx, "SELECT banner FROM v$version WHERE ROWNUM = 1").Scan(&banner); err != nil {
		t.Fatal(Explain(err, Context{Doing: "catalog"}))
	}
	t.Logf("connected: %s", banner)
}
