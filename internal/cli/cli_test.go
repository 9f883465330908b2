package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// testIO is a command's IO on buffers, with an environment of its own.
func testIO(env map[string]string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }}, &out, &errb
}

// run executes a whole command line as the binary does.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errb := testIO(nil)
	code = ExecuteWith(context.Background(), args, io, DefaultDeps())
	return code, out.String(), errb.String()
}

// TestExportDataFlags: flags, the environment and the engine's defaults
// are parsed into the options without anything being run.
func TestExportDataFlags(t *testing.T) {
	io, _, _ := testIO(map[string]string{"SOURCE_DB_PASSWORD": "from-env"})
	var got *ExportDataOptions
	c := newExportDataCmd(io, DefaultDeps(), "data", func(o *ExportDataOptions) error { got = o; return nil })
	c.SetArgs([]string{"--export-dir", "/x", "--source-db-type", "Postgres", "--source-db-user", "u",
		"--source-db-name", "d", "--source-db-schema", `sales, "Mixed"`, "--export-type", "snapshot-and-changes"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	s := got.Source
	if s.Type != "postgresql" || s.Port != 5432 || s.Host != "localhost" || s.Password != "from-env" ||
		strings.Join(s.Schemas, "|") != "sales|Mixed" || got.ExportDir != "/x" || got.ExportType != "snapshot-and-changes" ||
		got.ParallelJobs < 2 || got.ChunkBytes <= 0 || got.StartClean {
		t.Errorf("options %+v, source %+v", got, s)
	}
}

// TestSourceFlagErrors: a bad source flag is one line and the usage exit
// code; what an engine cannot do yet is a plain failure.
func TestSourceFlagErrors(t *testing.T) {
	dir := t.TempDir()
	base := []string{"export", "data", "--export-dir", dir, "--source-db-user", "u", "--source-db-name", "d"}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--source-db-type", "mysql", "--source-db-schema", "s"}, ExitUsage, "--source-db-schema is not applicable for MySQL"},
		{[]string{"--source-db-type", "db2"}, ExitUsage, `--source-db-type "db2" is not supported`},
		{nil, ExitUsage, "--source-db-type is required"},
		{[]string{"--source-db-type", "oracle"}, ExitUsage, "--source-db-schema is required for Oracle"},
		{[]string{"--source-db-type", "oracle", "--source-db-schema", "hr", "--source-db-port", "1"}, ExitFailure, "no Oracle listener answers at localhost:1"},
		{[]string{"--source-db-type", "postgresql", "--export-type", "full"}, ExitUsage, `--export-type "full" is not valid`},
	} {
		code, _, stderr := run(t, append(append([]string{}, base...), c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", c.args, code, stderr, c.code, c.want)
		}
	}
	if code, _, stderr := run(t, "cutover", "status"); code != ExitUsage || !strings.Contains(stderr, "--export-dir is required") {
		t.Errorf("no export dir: exit %d, %q", code, stderr)
	}
}

// TestCutoverCommandsOnRecords: initiate cutover and cutover status work
// on the metainfo store alone.
func TestCutoverCommandsOnRecords(t *testing.T) {
	dir := t.TempDir()
	if code, out, _ := run(t, "cutover", "status", "--export-dir", dir); code != 0 || out != "cutover to target status: NOT INITIATED\n" {
		t.Errorf("new dir: exit %d, %q", code, out)
	}
	if code, _, stderr := run(t, "initiate", "cutover", "to", "target", "--export-dir", dir); code != ExitFailure ||
		!strings.Contains(stderr, "no live migration in") {
		t.Errorf("without a live migration: exit %d, %q", code, stderr)
	}
	saveCheckpoint(t, dir, `{"engine":"postgresql","stream":"s","snapshot_done":false,"start":"0/10","resume":"0/10"}`)
	if code, _, stderr := run(t, "initiate", "cutover", "to", "target", "--export-dir", dir); code != ExitFailure ||
		!strings.Contains(stderr, "the snapshot is still being exported") {
		t.Errorf("during the snapshot: exit %d, %q", code, stderr)
	}
	saveCheckpoint(t, dir, `{"engine":"postgresql","stream":"s","snapshot_done":true,"start":"0/10","resume":"0/10"}`)
	if code, out, _ := run(t, "initiate", "cutover", "to", "target", "--export-dir", dir); code != 0 || !strings.HasPrefix(out, "Cutover initiated") {
		t.Errorf("first request: exit %d, %q", code, out)
	}
	if code, out, _ := run(t, "initiate", "cutover", "to", "target", "--export-dir", dir); code != 0 || out != "Cutover is already INITIATED.\n" {
		t.Errorf("second request: exit %d, %q", code, out)
	}
	code, out, _ := run(t, "cutover", "status", "--export-dir", dir, "--output-format", "json")
	var doc map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc["cutover_status"] != "INITIATED" {
		t.Errorf("status: exit %d, %q", code, out)
	}
}

// saveCheckpoint writes an exporter checkpoint as export data would.
func saveCheckpoint(t *testing.T, dir, cp string) {
	t.Helper()
	d, err := exportdir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := d.OpenStore()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveState(context.Background(), exportdir.SourceToTarget,
		exportdir.Record{Role: exportdir.RoleExporter, Value: json.RawMessage(cp)}, queue.MarkRecord(queue.Mark{})); err != nil {
		t.Fatal(err)
	}
}

// TestStatusAndArchiveWithoutAnExport: the status commands say what to run
// first; archive changes has nothing to remove and says nothing.
func TestStatusAndArchiveWithoutAnExport(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := run(t, "export", "data", "status", "--export-dir", dir); code != ExitFailure ||
		stderr != "Error: no export has been started in "+dir+": run `yb-voyager export data` first\n" {
		t.Errorf("export data status: exit %d, %q", code, stderr)
	}
	if code, out, stderr := run(t, "archive", "changes", "--export-dir", dir, "--policy", "delete", "--once"); code != 0 || out != "" || stderr != "" {
		t.Errorf("archive changes: exit %d, %q %q", code, out, stderr)
	}
	if code, _, stderr := run(t, "archive", "changes", "--export-dir", dir, "--policy", "archive"); code != ExitUsage ||
		!strings.Contains(stderr, "--policy archive needs --archive-dir") {
		t.Errorf("archive without a dir: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "yb-voyager.log")); err != nil {
		t.Errorf("the commands left no log: %v", err)
	}
}

// TestCommandsLockTheirExportDir: a second process running the same
// command on the same directory is refused, naming the holder.
func TestCommandsLockTheirExportDir(t *testing.T) {
	dir := t.TempDir()
	d, err := exportdir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	lk, err := d.LockCommand("archive-changes")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	// The flock is per open file description: the command's own open of
	// the lock file conflicts with ours, as another process's would.
	code, _, stderr := run(t, "archive", "changes", "--export-dir", dir, "--policy", "delete", "--once")
	if code != ExitFailure || !strings.Contains(stderr, `is already running "archive changes"`) {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

func TestChooseTargetSchema(t *testing.T) {
	parse := func(sql string) []schema.Statement {
		st, err := schema.ParseSQL(sql, "t.sql")
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	oracle := parse(`CREATE TABLE "regions" (id int);`)
	named := parse(`CREATE TABLE "sales"."orders" (id int);`)
	for _, tc := range []struct {
		stmts      []schema.Statement
		flag, want string
		err        string
	}{
		{oracle, "", "public", ""},
		{oracle, "hr", "hr", ""},
		{named, "", "", ""},
		{named, "hr", "", "names its schemas (sales)"},
	} {
		o := &ImportSchemaOptions{TargetSchema: tc.flag}
		err := chooseTargetSchema(tc.stmts, o)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("flag %q: err %v, want %q", tc.flag, err, tc.err)
			}
			continue
		}
		if err != nil || o.Target.TargetSchema != tc.want {
			t.Errorf("flag %q: target schema %q (err %v), want %q", tc.flag, o.Target.TargetSchema, err, tc.want)
		}
	}
}
