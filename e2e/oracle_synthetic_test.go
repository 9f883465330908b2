package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// syntheticRedo writes a synthetic V$LOGMNR_CONTENTS stream (state-machine
// input, not Oracle's behaviour) and keeps the model of what it committed.
type syntheticRedo struct {
	mu      sync.Mutex
	f       *os.File
	scn     uint64
	nextID  int
	model   map[int]int // id -> balance of committed rows
	commits int
}

func (w *syntheticRedo) line(xid, op, rowID string, rollback bool, redo string) {
	w.scn++
	rb := "0"
	if rollback {
		rb = "1"
	}
	// A statement over 60 bytes is split over continuation rows, as
	// LogMiner splits long SQL_REDO (CSF = 1).
	for len(redo) > 60 {
		fmt.Fprintf(w.f, "%d\t%s\t%s\t%s\t%s\t1\t%s\n", w.scn, xid, op, rowID, rb, redo[:60])
		redo = redo[60:]
	}
	fmt.Fprintf(w.f, "%d\t%s\t%s\t%s\t%s\t0\t%s\n", w.scn, xid, op, rowID, rb, redo)
}

// tx writes one transaction: inserts, updates and deletes of ACCOUNTS,
// sometimes a partial rollback, sometimes a rollback of the whole.
func (w *syntheticRedo) tx(rng *rand.Rand) {
	w.mu.Lock()
	defer w.mu.Unlock()
	xid := fmt.Sprintf("%016X", rng.Uint64())
	w.line(xid, "START", "", false, "")
	staged := map[int]*int{}
	var ids []int
	for id := range w.model {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	pick := func() (int, bool) { // a row that exists at this point of the transaction
		for tries := 0; tries < 5 && len(ids) > 0; tries++ {
			id := ids[rng.IntN(len(ids))]
			if b, touched := staged[id]; !touched || b != nil {
				return id, true
			}
		}
		return 0, false
	}
	for n := 1 + rng.IntN(4); n > 0; n-- {
		id, ok := pick()
		switch k := rng.IntN(10); {
		case k < 4 || !ok:
			id := w.nextID
			w.nextID++
			bal := rng.IntN(100000)
			w.line(xid, "INSERT", fmt.Sprintf("R%d", id), false, fmt.Sprintf(`insert into "HR"."ACCOUNTS"("ID","EMAIL","BALANCE","OPENED") values ('%d','a%d@example.com','%d.25',TO_DATE(' 2026-12-07 10:00:00', 'SYYYY-MM-DD HH24:MI:SS'));`, id, id, bal))
			if rng.IntN(8) == 0 { // rolled back to a savepoint
				w.line(xid, "DELETE", fmt.Sprintf("R%d", id), true, "")
				continue
			}
			b := bal
			staged[id] = &b
		case k < 8:
			bal := rng.IntN(100000)
			w.line(xid, "UPDATE", fmt.Sprintf("R%d", id), false, fmt.Sprintf(`update "HR"."ACCOUNTS" set "BALANCE" = '%d.25' where "ID" = '%d' and ROWID = 'R%d';`, bal, id, id))
			b := bal
			staged[id] = &b
		default:
			w.line(xid, "DELETE", fmt.Sprintf("R%d", id), false, fmt.Sprintf(`delete from "HR"."ACCOUNTS" where "ID" = '%d' and ROWID = 'R%d';`, id, id))
			staged[id] = nil
		}
	}
	if rng.IntN(7) == 0 {
		w.line(xid, "ROLLBACK", "", false, "")
		return
	}
	w.line(xid, "COMMIT", "", false, "")
	for id, b := range staged {
		if b == nil {
			delete(w.model, id)
		} else {
			w.model[id] = *b
		}
	}
	w.commits++
}

// A synthetic Oracle (YB_VOYAGER_ORACLE_SYNTHETIC: tables, snapshot and a
// LogMiner row stream in files) through the real binary: the snapshot,
// then the change stream parsed, buffered and positioned by the real
// Oracle code, with export and import killed with SIGKILL at random
// moments, then cutover; the target holds exactly the committed state.
func TestOracleSyntheticLiveSurvivesKills(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	tables := `CREATE TABLE "HR"."ACCOUNTS" ("ID" NUMBER(9) PRIMARY KEY, "EMAIL" VARCHAR2(80 CHAR), "BALANCE" NUMBER(12,2), "OPENED" DATE);`
	w := &syntheticRedo{scn: 1000, nextID: 200, model: map[int]int{}}
	var snap strings.Builder
	for id := 1; id < 200; id++ {
		fmt.Fprintf(&snap, "INSERT INTO accounts (id, email, balance, opened) VALUES (%d, 'a%d@example.com', %d.25, TO_DATE(' 2026-01-01 00:00:00', 'SYYYY-MM-DD HH24:MI:SS'));\n", id, id, id)
		w.model[id] = id
	}
	for name, text := range map[string]string{"tables.sql": tables + "\n", "snapshot.sql": snap.String(), "scn": "1000\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, "redo.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w.f = f
	t.Setenv("YB_VOYAGER_ORACLE_SYNTHETIC", dir)
	e.srcPassword = "unused"
	src := []string{"--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-db-schema", "hr",
		"--source-db-host", "synthetic", "--source-db-user", "ybvoyager", "--oracle-db-sid", "SYN"}
	e.mustRun("export", "schema", "--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-db-schema", "hr", "--source-ddl-file", filepath.Join(dir, "tables.sql"))
	e.mustRun(append([]string{"import", "schema", "--target-db-schema", "hr"}, e.targetFlags()...)...)

	exp, imp := liveWithKills(t, e, src, func(ctx context.Context) {
		rng := rand.New(rand.NewPCG(7, 11))
		for ctx.Err() == nil {
			w.tx(rng)
			time.Sleep(time.Duration(rng.IntN(3)) * time.Millisecond)
		}
	})
	t.Logf("synthetic stream: %d committed transactions, SCN %d", w.commits, w.scn)
	exp.wait(t, 2*time.Minute)
	imp.wait(t, 2*time.Minute)
	if r := e.mustRun("cutover", "status", "--export-dir", e.exportDir); !strings.Contains(r.stdout, "COMPLETED") {
		t.Fatalf("cutover status: %s", r)
	}
	var sum int64
	for _, b := range w.model {
		sum += int64(b)
	}
	if n := e.tgtInt(`SELECT count(*) FROM hr.accounts`); n != int64(len(w.model)) {
		t.Errorf("target holds %d rows, the stream committed %d", n, len(w.model))
	}
	if s := e.tgtInt(`SELECT coalesce(sum(floor(balance)), 0)::bigint FROM hr.accounts`); s != sum {
		t.Errorf("target balances sum to %d, the stream's to %d", s, sum)
	}
	if n := e.tgtInt(`SELECT count(*) FROM hr.accounts WHERE balance - floor(balance) <> 0.25 OR email NOT LIKE 'a%@example.com'`); n != 0 {
		t.Errorf("%d rows with values other than written", n)
	}
}
