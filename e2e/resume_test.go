package e2e

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const bigSchema = `
CREATE TABLE big (id bigint PRIMARY KEY, a int, b text, c timestamptz, d numeric);
INSERT INTO big SELECT g, g % 1000, md5(g::text) || md5((g * 7)::text), now() - g * interval '1 second', g / 3.0
	FROM generate_series(1, 300000) g;
CREATE TABLE heap_no_pk (a int, b text);
INSERT INTO heap_no_pk SELECT g % 100, repeat('z', g % 50) FROM generate_series(1, 100000) g;
ANALYZE;
`

// killWhen starts yb-voyager, waits until progressed() says it has made
// progress, waits a random moment more, and kills it with SIGKILL. It
// reports whether the process was still running when killed.
func (e *env) killWhen(args []string, progressed func() bool) bool {
	e.t.Helper()
	cmd := e.command(context.Background(), args...)
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for !progressed() {
		select {
		case <-done:
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
	select {
	case <-done:
		return false
	case <-time.After(time.Duration(rand.Int64N(int64(30 * time.Millisecond)))):
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
	return true
}

// importedBatches counts committed batches on the target (0 before the first).
func (e *env) importedBatches() int64 {
	var n int64
	conn, err := e.tgt.Connect(context.Background(), e.tgtDB)
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close(context.Background())
	_ = conn.QueryRow(context.Background(), `SELECT count(*) FROM ybvoyager_metadata.ybvoyager_import_data_batches_metainfo`).Scan(&n)
	return n
}

// exportedChunks counts data files the exporter has completed.
func (e *env) exportedChunks() int {
	m, _ := filepath.Glob(filepath.Join(e.exportDir, "data", "*.tsv"))
	return len(m)
}

func TestKillImportAndResume(t *testing.T) {
	e := newEnv(t)
	e.srcExec(bigSchema)
	e.copySchema()
	e.exportData("--chunk-bytes", "4000000")
	args := append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb", "--batch-size", "1000", "--parallel-jobs", "3")
	kills := 0
	for i := 0; i < 4; i++ {
		before := e.importedBatches()
		if e.killWhen(args, func() bool { return e.importedBatches() > before }) {
			kills++
		}
	}
	if kills < 2 {
		t.Fatalf("import was killed mid-way only %d times", kills)
	}
	t.Logf("import killed %d times; %d rows in before the final run", kills, e.tgtInt(`SELECT count(*) FROM big`)+e.tgtInt(`SELECT count(*) FROM heap_no_pk`))
	// The last run uses another batch size: done ranges must still be honoured.
	e.importData("--batch-size", "7000")
	e.expectCompareClean()
	if n := e.tgtInt(`SELECT count(*) FROM heap_no_pk`); n != 100000 {
		t.Fatalf("heap_no_pk has %d rows, want exactly 100000", n)
	}
	st := e.mustRun(append([]string{"import", "data", "status", "--output-format", "json"}, e.targetFlags()...)...)
	if !strings.Contains(st.stdout, `"imported_rows": 300000`) {
		t.Fatalf("import data status does not show 300000 rows for big: %s", st.stdout)
	}
}

func TestKillExportAndResume(t *testing.T) {
	e := newEnv(t)
	e.srcExec(bigSchema)
	e.copySchema()
	args := append(append([]string{"export", "data"}, e.sourceFlags()...), "--disable-pb", "--chunk-bytes", "1000000", "--parallel-jobs", "2")
	kills := 0
	for i := 0; i < 3; i++ {
		before := e.exportedChunks()
		if e.killWhen(args, func() bool { return e.exportedChunks() > before }) {
			kills++
		}
	}
	if kills < 2 {
		t.Fatalf("export was killed mid-way only %d times", kills)
	}
	e.exportData("--chunk-bytes", "1000000", "--parallel-jobs", "2")
	e.importData()
	e.expectCompareClean()
	if n := e.tgtInt(`SELECT count(*) FROM heap_no_pk`); n != 100000 {
		t.Fatalf("heap_no_pk has %d rows, want exactly 100000", n)
	}
}

func TestImportWhileExportRuns(t *testing.T) {
	e := newEnv(t)
	e.srcExec(bigSchema)
	e.copySchema()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	exp := e.command(ctx, append(append([]string{"export", "data"}, e.sourceFlags()...), "--disable-pb", "--chunk-bytes", "500000", "--parallel-jobs", "1")...)
	var expOut strings.Builder
	exp.Stdout, exp.Stderr = &expOut, &expOut
	if err := exp.Start(); err != nil {
		t.Fatal(err)
	}
	// Start the importer as soon as the exporter has recorded its plan.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if r := e.run("export", "data", "status", "--export-dir", e.exportDir, "--output-format", "json"); r.code == 0 && strings.Contains(r.stdout, "public.big") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	imp := e.importData("--batch-size", "2000")
	if err := exp.Wait(); err != nil {
		t.Fatalf("export data failed: %v\n%s", err, expOut.String())
	}
	if !strings.Contains(imp.stdout, "Imported 400000 rows") {
		t.Fatalf("import alongside export: %s", imp)
	}
	e.expectCompareClean()
}

func TestInterruptIsCleanAndResumable(t *testing.T) {
	e := newEnv(t)
	e.srcExec(bigSchema)
	e.copySchema()
	e.exportData("--chunk-bytes", "4000000")
	cmd := e.command(context.Background(), append(append([]string{"import", "data"}, e.targetFlags()...), "--disable-pb", "--batch-size", "1000", "--parallel-jobs", "2")...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for e.importedBatches() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 && code != 0 {
		t.Fatalf("interrupted import exited %d, want 130 (or 0 if it had just finished)\n%s", code, stderr.String())
	}
	if cmd.ProcessState.ExitCode() == 130 && !strings.Contains(stderr.String(), "rerun the same command to resume") {
		t.Fatalf("interrupted import did not say how to resume:\n%s", stderr.String())
	}
	e.importData()
	e.expectCompareClean()
}
