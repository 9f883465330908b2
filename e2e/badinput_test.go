package e2e

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// expectOneLineError checks the user sees one clear line with the words a
// fix needs, and a non-zero exit.
func expectOneLineError(t *testing.T, r result, wantCode int, words ...string) {
	t.Helper()
	if r.code == 0 || (wantCode != 0 && r.code != wantCode) {
		t.Fatalf("want exit %d, got: %s", wantCode, r)
	}
	msg := strings.TrimSpace(r.stderr)
	if strings.Count(msg, "\n") > 0 || !strings.HasPrefix(msg, "Error: ") {
		t.Fatalf("want exactly one 'Error:' line on stderr, got:\n%s", msg)
	}
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Fatalf("error line %q does not mention %q", msg, w)
		}
	}
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func withFlag(args []string, name, value string) []string {
	out := append([]string(nil), args...)
	for i := range out {
		if out[i] == name {
			out[i+1] = value
			return out
		}
	}
	return append(out, name, value)
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE t1 (id int PRIMARY KEY, v text); INSERT INTO t1 VALUES (1, 'a'), (2, 'b');
		CREATE TABLE t2 (id int PRIMARY KEY); INSERT INTO t2 VALUES (1);`)
	export := append([]string{"export", "data", "--disable-pb"}, e.sourceFlags()...)
	imp := append([]string{"import", "data", "--disable-pb"}, e.targetFlags()...)

	t.Run("missing export dir", func(t *testing.T) {
		args := append([]string{"export", "data"}, e.sourceFlags()[2:]...)
		expectOneLineError(t, e.run(args...), 2, "--export-dir is required")
	})
	t.Run("import before export", func(t *testing.T) {
		expectOneLineError(t, e.run(imp...), 1, "nothing has been exported", "export data")
	})
	t.Run("wrong password", func(t *testing.T) {
		cmd := e.command(context.Background(), export...)
		cmd.Env = append(cmd.Env, "SOURCE_DB_PASSWORD=wrong-secret")
		out, _ := cmd.CombinedOutput()
		r := result{stderr: string(out), code: cmd.ProcessState.ExitCode()}
		expectOneLineError(t, r, 1, "authentication failed", "password")
		if strings.Contains(r.stderr, "wrong-secret") {
			t.Fatal("the password appears in the error")
		}
	})
	t.Run("unreachable host", func(t *testing.T) {
		expectOneLineError(t, e.run(withFlag(export, "--source-db-port", strconv.Itoa(closedPort(t)))...), 1, "connection refused", "port")
	})
	t.Run("unknown table in table-list", func(t *testing.T) {
		expectOneLineError(t, e.run(append(export, "--table-list", "t1,nope")...), 1, "nope", "not found")
	})
	t.Run("target missing a table", func(t *testing.T) {
		e.mustRun(export...) // the failures above left the directory usable
		e.tgtExec(`CREATE TABLE t1 (id int PRIMARY KEY, v text)`)
		expectOneLineError(t, e.run(imp...), 1, "public.t2", "does not exist on the target", "import schema")
		e.tgtExec(`CREATE TABLE t2 (id int PRIMARY KEY)`)
		e.mustRun(imp...)
		e.expectCompareClean()
	})
	t.Run("data error names table file and line", func(t *testing.T) {
		e.srcExec(`CREATE TABLE t3 (id int PRIMARY KEY, v text); INSERT INTO t3 SELECT g, CASE g WHEN 7 THEN 'too long' ELSE 'ok' END FROM generate_series(1, 10) g;`)
		e.tgtExec(`CREATE TABLE t3 (id int PRIMARY KEY, v varchar(3))`)
		e.mustRun(append(export, "--start-clean", "--yes")...)
		r := e.run(append(imp, "--start-clean", "--yes")...)
		expectOneLineError(t, r, 1, "public.t3", "line 7", "t3.00000.tsv", "batch")
	})
	t.Run("unknown source type", func(t *testing.T) {
		expectOneLineError(t, e.run(withFlag(export, "--source-db-type", "db2")...), 2, "db2")
	})
	t.Run("oracle schema required, a server that is not Oracle", func(t *testing.T) {
		expectOneLineError(t, e.run(withFlag(export, "--source-db-type", "oracle")...), 2, "--source-db-schema is required for Oracle")
		expectOneLineError(t, e.run(withFlag(withFlag(export, "--source-db-type", "oracle"), "--source-db-schema", "hr")...), 1, "closed the connection during the Oracle login: it may not be an Oracle listener")
	})
	t.Run("cutover without a live migration", func(t *testing.T) {
		expectOneLineError(t, e.run("initiate", "cutover", "to", "target", "--export-dir", e.exportDir), 1, "no live migration")
	})
}

func TestSecretsStayOut(t *testing.T) {
	e := newEnv(t)
	const pw = "Sup3r-Secret-pw"
	e.srcExec(`CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);`)
	role := "voyager_" + e.srcDB // roles are cluster-wide: one per test database
	e.srcExec(`CREATE ROLE ` + role + ` LOGIN SUPERUSER PASSWORD '` + pw + `'`)
	defer e.srcExec(`DROP ROLE ` + role)
	args := withFlag(append([]string{"export", "data", "--disable-pb", "--log-level", "debug"}, e.sourceFlags()...), "--source-db-user", role)
	cmd := e.command(context.Background(), append(args, "--source-db-password", pw)...)
	cmd.Env = append(os.Environ(), "TARGET_DB_PASSWORD=postgres") // no SOURCE_DB_PASSWORD: the flag must work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("export with --source-db-password: %v\n%s", err, out)
	}
	err := filepath.Walk(e.exportDir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), pw) {
			t.Errorf("password found in %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
