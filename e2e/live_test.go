package e2e

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

const liveSchema = `
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE accounts (id serial PRIMARY KEY, email text NOT NULL UNIQUE, balance numeric NOT NULL DEFAULT 0, note text, updated_at timestamptz DEFAULT now());
CREATE TABLE orders (id bigserial PRIMARY KEY, account_id int NOT NULL, amount numeric(12,2), items jsonb);
CREATE TABLE audit (at timestamptz DEFAULT now(), what text);
ALTER TABLE audit REPLICA IDENTITY FULL;
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE events_b PARTITION OF events FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
CREATE SEQUENCE invoice_no START 500;
CREATE TABLE tickets (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, state text);
CREATE TABLE labels (name text PRIMARY KEY, n bigint GENERATED ALWAYS AS IDENTITY, hits int NOT NULL DEFAULT 0);
INSERT INTO accounts (email, balance, note) SELECT 'e' || g, g, CASE WHEN g % 10 = 0 THEN (SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 200)) END FROM generate_series(1, 2000) g;
INSERT INTO orders (account_id, amount, items) SELECT 1 + g % 2000, g / 3.0, jsonb_build_object('n', g) FROM generate_series(1, 5000) g;
INSERT INTO audit (what) SELECT 'seed ' || g FROM generate_series(1, 100) g;
INSERT INTO events SELECT g, DATE '2024-01-01' + g % 360, 'p' || g FROM generate_series(1, 3000) g;
SELECT nextval('invoice_no');
INSERT INTO tickets (state) SELECT 'seed' FROM generate_series(1, 500);
INSERT INTO labels (name) SELECT 'l' || g FROM generate_series(1, 300) g;
`

// workload runs mixed transactions on the source until ctx ends: inserts,
// updates that leave a TOASTed value unchanged and that change it,
// primary-key updates, deletes, delete-then-reinsert of a unique value
// under a new key, multi-table transactions, a table without a key, and
// GENERATED ALWAYS identity columns (as key and not), which the target
// takes only with OVERRIDING SYSTEM VALUE and never in an UPDATE's SET.
func workload(ctx context.Context, t *testing.T, dsn string, txs *atomic.Int64) {
	var conn *pgx.Conn
	big := `(SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 200))`
	ops := []string{
		`INSERT INTO accounts (email, balance, note) VALUES ('n' || nextval('accounts_id_seq') || '_' || md5(random()::text), 1, ` + big + `)`,
		`UPDATE accounts SET balance = balance + 1, updated_at = now() WHERE id = (SELECT id FROM accounts WHERE note IS NOT NULL ORDER BY random() LIMIT 1)`,
		`UPDATE accounts SET note = ` + big + ` WHERE id = (SELECT id FROM accounts ORDER BY random() LIMIT 1)`,
		`UPDATE accounts SET id = id + 1000000 WHERE id = (SELECT id FROM accounts WHERE id < 1000000 ORDER BY random() LIMIT 1)`,
		`DELETE FROM accounts WHERE id = (SELECT id FROM accounts ORDER BY random() LIMIT 1)`,
		`WITH d AS (DELETE FROM accounts WHERE id = (SELECT id FROM accounts ORDER BY random() LIMIT 1) RETURNING email, balance)
			INSERT INTO accounts (email, balance) SELECT email, balance + 100 FROM d`,
		`WITH o AS (INSERT INTO orders (account_id, amount, items) VALUES (1 + (random() * 2000)::int, 9.99, '{"k": [1, 2]}') RETURNING account_id)
			UPDATE accounts SET balance = balance - 9.99 WHERE id = (SELECT account_id FROM o)`,
		`INSERT INTO audit (what) VALUES ('w' || random())`,
		`UPDATE audit SET what = what || '+' WHERE ctid = (SELECT ctid FROM audit ORDER BY random() LIMIT 1)`,
		`DELETE FROM audit WHERE ctid = (SELECT ctid FROM audit ORDER BY random() LIMIT 1)`,
		`INSERT INTO events VALUES (100000 + (random() * 1e9)::bigint, DATE '2024-01-01' + (random() * 300)::int, 'live') ON CONFLICT DO NOTHING`,
		`UPDATE events SET payload = payload || '!' WHERE id = (SELECT id FROM events ORDER BY random() LIMIT 1)`,
		`DELETE FROM orders WHERE id = (SELECT id FROM orders ORDER BY random() LIMIT 1)`,
		`SELECT nextval('invoice_no')`,
		`INSERT INTO tickets (state) VALUES ('new')`,
		`UPDATE tickets SET state = state || '.' WHERE id = (SELECT id FROM tickets ORDER BY random() LIMIT 1)`,
		`DELETE FROM tickets WHERE id = (SELECT id FROM tickets ORDER BY random() LIMIT 1)`,
		`INSERT INTO labels (name) VALUES ('l' || md5(random()::text))`,
		`UPDATE labels SET hits = hits + 1 WHERE name = (SELECT name FROM labels ORDER BY random() LIMIT 1)`,
	}
	for ctx.Err() == nil {
		if conn == nil || conn.IsClosed() {
			c, err := pgx.Connect(ctx, dsn)
			if err != nil {
				time.Sleep(100 * time.Millisecond) // the source may be restarting
				continue
			}
			conn = c
		}
		n := 1 + rand.IntN(3) // a transaction of 1 to 3 statements, across tables
		batch := []string{"BEGIN"}
		for i := 0; i < n; i++ {
			batch = append(batch, ops[rand.IntN(len(ops))])
		}
		batch = append(batch, "COMMIT")
		if _, err := conn.Exec(ctx, strings.Join(batch, ";\n")); err == nil {
			txs.Add(1)
		} else if !conn.IsClosed() {
			_, _ = conn.Exec(context.Background(), "ROLLBACK")
		}
		time.Sleep(time.Duration(rand.IntN(4)) * time.Millisecond)
	}
	if conn != nil {
		conn.Close(context.Background())
	}
}

// proc runs one yb-voyager command that the test may kill and restart.
type proc struct {
	e    *env
	args []string
	log  *os.File
	cmd  *exec.Cmd
	done chan error
}

func (e *env) startProc(name string, args ...string) *proc {
	f, err := os.Create(filepath.Join(e.t.TempDir(), name+".log"))
	if err != nil {
		e.t.Fatal(err)
	}
	p := &proc{e: e, args: args, log: f}
	p.start()
	e.t.Cleanup(func() {
		if e.t.Failed() {
			out, _ := os.ReadFile(f.Name())
			e.t.Logf("%s output:\n%s", name, tail(string(out), 3000))
		}
	})
	return p
}

func (p *proc) start() {
	p.cmd = p.e.command(context.Background(), p.args...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		p.e.t.Fatal(err)
	}
	p.done = make(chan error, 1)
	go func() { p.done <- p.cmd.Wait() }()
}

// running reports whether the process has not exited yet.
func (p *proc) running() bool {
	select {
	case err := <-p.done:
		p.done <- err // keep it for wait
		return false
	default:
		return true
	}
}

// killAndRestart kills with SIGKILL and starts the same command again.
func (p *proc) killAndRestart() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	p.start()
}

func (p *proc) wait(t *testing.T, d time.Duration) {
	select {
	case err := <-p.done:
		if err != nil {
			out, _ := os.ReadFile(p.log.Name())
			t.Fatalf("yb-voyager %s: %v\n%s", p.args[:2], err, tail(string(out), 3000))
		}
	case <-time.After(d):
		_ = p.cmd.Process.Kill()
		out, _ := os.ReadFile(p.log.Name())
		t.Fatalf("yb-voyager %s did not finish in %s\n%s", p.args[:2], d, tail(string(out), 3000))
	}
}

// killDuringCDC kills export and import with SIGKILL `rounds` times each,
// at random moments (up to maxPause apart) while changes flow, restarting
// each at once.
func killDuringCDC(t *testing.T, e *env, exp, imp *proc, rounds int, maxPause time.Duration) {
	t.Helper()
	pause := func() { time.Sleep(time.Duration(rand.Int64N(int64(maxPause)))) }
	for i := 0; i < rounds; i++ {
		q := e.queueBytes()
		waitFor(t, "more changes in the queue", time.Minute, alongside(t, func() bool { return e.queueBytes() > q }, exp, imp))
		pause()
		exp.killAndRestart()
		a := e.appliedEvents()
		waitFor(t, "more changes applied", time.Minute, alongside(t, func() bool { return e.appliedEvents() > a }, exp, imp))
		pause()
		imp.killAndRestart()
	}
}

// liveWithKills runs a live migration from src while workload writes to
// the source: export and import are killed with SIGKILL at random moments
// while changes flow and restarted, then the workload stops and cutover
// is initiated. It returns the running export and import.
func liveWithKills(t *testing.T, e *env, src []string, workload func(context.Context)) (exp, imp *proc) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); workload(ctx) }()
	defer func() { stop(); wg.Wait() }()
	exp = e.startProc("export", append(append([]string{"export", "data"}, src...), "--export-type", "snapshot-and-changes", "--disable-pb")...)
	imp = e.startProc("import", append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb")...)
	t.Cleanup(func() { _ = exp.cmd.Process.Kill(); _ = imp.cmd.Process.Kill() })
	waitFor(t, "the export to stream changes", 2*time.Minute, func() bool { return e.queueBytes() > 0 })
	killDuringCDC(t, e, exp, imp, 3, 200*time.Millisecond)
	stop()
	wg.Wait()
	e.mustRun("initiate", "cutover", "to", "target", "--export-dir", e.exportDir)
	return exp, imp
}

// expectCutOver waits for export and import to finish after a cutover was
// initiated, then checks the cutover status, compare data and the change
// counts.
func expectCutOver(t *testing.T, e *env, exp, imp *proc) {
	t.Helper()
	exp.wait(t, 2*time.Minute)
	imp.wait(t, 2*time.Minute)
	if r := e.mustRun("cutover", "status", "--export-dir", e.exportDir); !strings.Contains(r.stdout, "COMPLETED") {
		t.Fatalf("cutover status: %s", r)
	}
	e.expectCompareClean()
	checkChangeCounts(t, e)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// alongside wraps a wait condition so that the wait fails at once, with the
// process's output, when one of procs exits: before cutover a live export
// or import only ends by failing.
func alongside(t *testing.T, cond func() bool, procs ...*proc) func() bool {
	return func() bool {
		for _, p := range procs {
			if !p.running() {
				out, _ := os.ReadFile(p.log.Name())
				t.Fatalf("yb-voyager %s exited before cutover:\n%s", p.args[:2], tail(string(out), 2000))
			}
		}
		return cond()
	}
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) appliedEvents() int64 {
	var n int64
	conn, err := e.tgt.Connect(context.Background(), e.tgtDB)
	if err != nil {
		return 0
	}
	defer conn.Close(context.Background())
	_ = conn.QueryRow(context.Background(), `SELECT coalesce(sum(last_seq), 0) FROM ybvoyager_metadata.ybvoyager_cdc_channels`).Scan(&n)
	return n
}

func (e *env) queueBytes() int64 {
	var n int64
	m, _ := filepath.Glob(filepath.Join(e.exportDir, "data", "queue", "*.ndjson"))
	for _, f := range m {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

func TestLiveMigrationSurvivesKillsRestartsAndCutsOver(t *testing.T) {
	src, err := pgtest.Start(pgtest.Options{Name: "live-source"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Stop() })
	e := &env{t: t, src: src, tgt: pgtest.Shared(t, pgtest.RoleTarget)}
	e.srcDB = src.CreateDatabase(t, "live")
	e.tgtDB = e.tgt.CreateDatabase(t, "tgt")
	e.exportDir = t.TempDir()
	e.srcExec(liveSchema)
	e.mustRun(append([]string{"export", "schema"}, e.sourceFlags()...)...)
	e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)

	// A transaction open across the snapshot: its rows must come through CDC.
	longTx, err := pgx.Connect(context.Background(), src.DSN(e.srcDB))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := longTx.Exec(context.Background(), "BEGIN; INSERT INTO accounts (email, balance) VALUES ('long-tx-1', 7), ('long-tx-2', 8)"); err != nil {
		t.Fatal(err)
	}

	ctx, stopWorkload := context.WithCancel(context.Background())
	var txs atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); workload(ctx, t, src.DSN(e.srcDB), &txs) }()
	defer func() { stopWorkload(); wg.Wait() }()

	exp := e.startProc("export", append(append([]string{"export", "data"}, e.sourceFlags()...),
		"--export-type", "snapshot-and-changes", "--disable-pb", "--parallel-jobs", "2", "--chunk-bytes", "300000")...)
	imp := e.startProc("import", append(append([]string{"import", "data"}, e.targetFlags()...),
		"--disable-pb", "--parallel-jobs", "3", "--batch-size", "500")...)
	t.Cleanup(func() {
		for _, p := range []*proc{exp, imp} {
			_ = p.cmd.Process.Kill()
		}
		if t.Failed() {
			lg, _ := os.ReadFile(filepath.Join(e.exportDir, "yb-voyager.log"))
			t.Logf("log tail:\n%s", tail(string(lg), 6000))
		}
		src.QueryInt(t, e.srcDB, `SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE NOT active`)
	})
	// PostgreSQL builds the slot's snapshot only once transactions already
	// running have ended: the export waits for the long one (and says so).
	waitFor(t, "the replication slot", time.Minute, func() bool {
		return e.srcInt(`SELECT count(*) FROM pg_replication_slots`) > 0
	})
	time.Sleep(300 * time.Millisecond)
	if _, err := longTx.Exec(context.Background(), "COMMIT"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the slot to become consistent", time.Minute, func() bool {
		return e.srcInt(`SELECT count(*) FROM pg_replication_slots WHERE confirmed_flush_lsn IS NOT NULL`) > 0
	})
	// A second transaction opens while the snapshot is exported.
	if _, err := longTx.Exec(context.Background(), "BEGIN; INSERT INTO accounts (email, balance) VALUES ('long-tx-3', 9)"); err != nil {
		t.Fatal(err)
	}
	// Killed during its snapshot, the export starts the snapshot over on its
	// rerun, and the import (running alongside) reloads the new snapshot.
	waitFor(t, "the snapshot to start", time.Minute, func() bool {
		m, _ := filepath.Glob(filepath.Join(e.exportDir, "data", "*.tsv*"))
		return len(m) > 0
	})
	exp.killAndRestart()
	time.Sleep(500 * time.Millisecond)
	if _, err := longTx.Exec(context.Background(), "COMMIT"); err != nil {
		t.Fatal(err)
	}
	longTx.Close(context.Background())
	waitFor(t, "the export to stream changes", 2*time.Minute, alongside(t, func() bool { return e.queueBytes() > 0 }, exp, imp))
	waitFor(t, "the import to apply changes", 2*time.Minute, alongside(t, func() bool { return e.appliedEvents() > 0 }, exp, imp))
	// Unique constraints exist from here on, so ordering conflicts between
	// channels (a unique value deleted and reinserted under a new key) happen.
	// While changes are applied in parallel, a unique value can briefly sit
	// on two rows (moved from one key to another): a unique index build may
	// then fail, and a retry succeeds.
	for i := 0; ; i++ {
		r := e.run(append([]string{"finalize-schema-post-data-import", "--disable-pb", "--ignore-exist"}, e.targetFlags()...)...)
		if r.code == 0 {
			break
		}
		if i == 50 || !strings.Contains(r.stderr, "23505") {
			t.Fatalf("finalize during CDC: %s", r)
		}
		time.Sleep(100 * time.Millisecond)
	}

	killDuringCDC(t, e, exp, imp, 3, 300*time.Millisecond)
	// The restart is of a source that a streaming export reads from: an
	// export still starting up rightly fails at once ("the database system
	// is shutting down") rather than waiting, as with any unreachable source.
	q := e.queueBytes()
	waitFor(t, "the restarted export to stream", time.Minute, alongside(t, func() bool { return e.queueBytes() > q }, exp, imp))
	if err := src.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	q = e.queueBytes()
	waitFor(t, "changes after the source restart", 2*time.Minute, alongside(t, func() bool { return e.queueBytes() > q }, exp, imp))
	e.tgt.QueryInt(t, "postgres", `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'yb-voyager' AND datname = '`+e.tgtDB+`') k`)
	a := e.appliedEvents()
	waitFor(t, "changes applied after dropped target connections", time.Minute, alongside(t, func() bool { return e.appliedEvents() > a }, exp, imp))

	stopWorkload()
	wg.Wait()
	t.Logf("workload committed %d transactions", txs.Load())
	e.mustRun("initiate", "cutover", "to", "target", "--export-dir", e.exportDir)
	// Crashes inside the cutover itself: before or after the end marker,
	// before or after the slot is dropped, before or after the importer
	// records completion. Restarted, each finishes the cutover.
	time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
	if exp.running() {
		exp.killAndRestart()
	}
	time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
	if imp.running() {
		imp.killAndRestart()
	}
	expectCutOver(t, e, exp, imp)
	if n := e.tgtInt(`SELECT count(*) FROM accounts WHERE email LIKE 'long-tx-%'`); n != e.srcInt(`SELECT count(*) FROM accounts WHERE email LIKE 'long-tx-%'`) {
		t.Fatalf("rows of the long transactions: %d on the target", n)
	}
	for _, sq := range []string{"invoice_no", "accounts_id_seq", "orders_id_seq", "tickets_id_seq", "labels_n_seq"} {
		s, g := e.srcInt(`SELECT last_value FROM `+sq), e.tgtInt(`SELECT last_value FROM `+sq)
		if g < s {
			t.Errorf("sequence %s is %d on the target, below the source's %d", sq, g, s)
		}
	}
	if n := e.srcInt(`SELECT count(*) FROM pg_replication_slots`); n != 0 {
		t.Fatalf("%d replication slots left on the source after cutover", n)
	}
}

// checkChangeCounts: every change exported was applied exactly once, per
// table and operation, as get data-migration-report shows.
func checkChangeCounts(t *testing.T, e *env) {
	t.Helper()
	r := e.mustRun(append([]string{"get", "data-migration-report", "--output-format", "json"}, e.targetFlags()...)...)
	var doc struct {
		CutoverStatus string `json:"cutover_status"`
		Tables        []struct {
			Table    string          `json:"table_name"`
			Exported *map[string]int `json:"exported_changes"`
			Imported *map[string]int `json:"imported_changes"`
			Rows     *int64          `json:"target_row_count"`
		} `json:"tables"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, r.stdout)
	}
	total := 0
	for _, tb := range doc.Tables {
		if tb.Exported == nil || tb.Imported == nil || tb.Rows == nil {
			t.Fatalf("report misses change counts or row count for %s: %s", tb.Table, r.stdout)
		}
		for _, op := range []string{"inserts", "updates", "deletes"} {
			if (*tb.Exported)[op] != (*tb.Imported)[op] {
				t.Errorf("%s: %d %s exported, %d imported", tb.Table, (*tb.Exported)[op], op, (*tb.Imported)[op])
			}
			total += (*tb.Imported)[op]
		}
	}
	if doc.CutoverStatus != "COMPLETED" || total == 0 {
		t.Fatalf("report: cutover %q, %d changes: %s", doc.CutoverStatus, total, r.stdout)
	}
}
