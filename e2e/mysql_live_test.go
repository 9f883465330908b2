package e2e

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
)

func mysqlWorkload(ctx context.Context, dsn string, txs *atomic.Int64) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return
	}
	defer db.Close()
	ops := []string{
		`INSERT INTO accounts (email, balance, note) VALUES (CONCAT('n', UUID()), 1, REPEAT(MD5(RAND()), 20))`,
		`UPDATE accounts SET balance = balance + 1 WHERE id = (SELECT id FROM (SELECT id FROM accounts ORDER BY RAND() LIMIT 1) x)`,
		`UPDATE accounts SET id = id + 1000000 WHERE id = (SELECT id FROM (SELECT id FROM accounts WHERE id < 1000000 ORDER BY RAND() LIMIT 1) x)`,
		`DELETE FROM accounts WHERE id = (SELECT id FROM (SELECT id FROM accounts ORDER BY RAND() LIMIT 1) x)`,
		`INSERT INTO ledger (account_id, amount, kind) VALUES (FLOOR(1 + RAND() * 500), RAND() * 100, ELT(1 + FLOOR(RAND() * 2), 'in', 'out'))`,
		`UPDATE ledger SET amount = amount * 2 WHERE id = (SELECT id FROM (SELECT id FROM ledger ORDER BY RAND() LIMIT 1) x)`,
		`INSERT INTO nokey VALUES (FLOOR(RAND() * 10), 'x')`,
		`DELETE FROM nokey WHERE a = FLOOR(RAND() * 10) LIMIT 1`,
	}
	for ctx.Err() == nil {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		ok := true
		for i := 0; i < 1+rand.IntN(3); i++ {
			if _, err := tx.ExecContext(ctx, ops[rand.IntN(len(ops))]); err != nil {
				ok = false
				break
			}
		}
		// Move a unique email to a new row: delete, then reinsert under a new key.
		if ok && rand.IntN(5) == 0 {
			var id int64
			var email string
			if tx.QueryRowContext(ctx, `SELECT id, email FROM accounts ORDER BY RAND() LIMIT 1`).Scan(&id, &email) == nil {
				_, err1 := tx.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id)
				_, err2 := tx.ExecContext(ctx, `INSERT INTO accounts (email, balance) VALUES (?, 0)`, email)
				ok = err1 == nil && err2 == nil
			}
		}
		if ok && tx.Commit() == nil {
			txs.Add(1)
		} else {
			_ = tx.Rollback()
		}
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	}
}

func TestMySQLLiveMigrationSurvivesKillsAndCutsOver(t *testing.T) {
	my := mytest.Shared(t, mytest.RoleSource)
	db := my.CreateDatabase(t, "live")
	my.Exec(t, db, `SET SESSION max_recursive_iterations = 100000;
		CREATE TABLE accounts (id bigint AUTO_INCREMENT PRIMARY KEY, email varchar(80) NOT NULL UNIQUE, balance decimal(12,2) NOT NULL,
			note text, updated_at timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
		CREATE TABLE ledger (id int unsigned AUTO_INCREMENT PRIMARY KEY, account_id bigint, amount double, kind enum('in','out'), at datetime(6) DEFAULT NOW(6));
		CREATE TABLE nokey (a int, b varchar(10));
		INSERT INTO accounts (email, balance) WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 500) SELECT CONCAT('e', n), n FROM g;
		INSERT INTO ledger (account_id, amount, kind) SELECT id, balance / 3, 'in' FROM accounts;`)
	e, src := mysqlEnv(t, my, db)
	e.mustRun(append([]string{"export", "schema"}, src...)...)
	e.mustRun("analyze-schema", "--export-dir", e.exportDir, "--output-format", "txt")
	e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)

	var txs atomic.Int64
	exp, imp := liveWithKills(t, e, src, func(ctx context.Context) { mysqlWorkload(ctx, my.DSN(db), &txs) })
	t.Logf("workload committed %d transactions", txs.Load())
	expectCutOver(t, e, exp, imp)
	srcMax := my.QueryInt(t, db, `SELECT MAX(id) FROM accounts`)
	e.tgtExec(`INSERT INTO accounts (email, balance) VALUES ('after-cutover', 0)`)
	if n := e.tgtInt(`SELECT id FROM accounts WHERE email = 'after-cutover'`); n <= srcMax {
		t.Fatalf("identity on the target restarted at %d, not above the source's %d", n, srcMax)
	}
	e.mustRun("end", "migration", "--export-dir", e.exportDir, "--backup-schema-files", "--save-migration-reports",
		"--backup-log-files", "--backup-dir", t.TempDir(), "--yes")
	if n := e.tgtInt(`SELECT count(*) FROM pg_namespace WHERE nspname = 'ybvoyager_metadata'`); n != 0 {
		t.Fatal("end migration left ybvoyager_metadata on the target")
	}
}
