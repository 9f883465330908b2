// Package e2e drives the built yb-voyager binary as a user would, against
// throwaway PostgreSQL clusters from the test harness, and checks the
// target with compare data and its own queries.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

var binPath string

func TestMain(m *testing.M) {
	code := func() int {
		defer pgtest.StopAll()
		defer mytest.StopAll()
		if p := os.Getenv("YBV_BIN"); p != "" {
			binPath = p
		} else {
			dir, err := os.MkdirTemp("", "ybv-e2e-bin")
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			defer os.RemoveAll(dir)
			binPath = filepath.Join(dir, "yb-voyager")
			out, err := exec.Command("go", "build", "-o", binPath, "../cmd/yb-voyager").CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "build yb-voyager: %v\n%s", err, out)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// env is one test's pair of databases and export directory.
type env struct {
	t         *testing.T
	src, tgt  *pgtest.Cluster
	srcDB     string
	tgtDB     string
	exportDir string
	// srcPassword is the source password when the source is not PostgreSQL.
	srcPassword string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, src: pgtest.Shared(t, pgtest.RoleSource), tgt: pgtest.Shared(t, pgtest.RoleTarget)}
	e.srcDB = e.src.CreateDatabase(t, "src")
	e.tgtDB = e.tgt.CreateDatabase(t, "tgt")
	e.exportDir = t.TempDir()
	return e
}

// result of one yb-voyager run.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run executes yb-voyager with args; passwords come from the environment,
// as a careful user would pass them.
func (e *env) run(args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := e.command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run yb-voyager %v: %v", args, err)
	}
	return r
}

func (e *env) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = append(os.Environ(), "TARGET_DB_PASSWORD="+e.tgt.Password)
	if e.src != nil {
		cmd.Env = append(cmd.Env, "SOURCE_DB_PASSWORD="+e.src.Password)
	} else if e.srcPassword != "" {
		cmd.Env = append(cmd.Env, "SOURCE_DB_PASSWORD="+e.srcPassword)
	}
	return cmd
}

func (e *env) mustRun(args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("yb-voyager %s failed: %s", strings.Join(args, " "), r)
	}
	return r
}

func (e *env) sourceFlags() []string {
	return []string{"--export-dir", e.exportDir, "--source-db-type", "postgresql",
		"--source-db-host", e.src.Host, "--source-db-port", strconv.Itoa(e.src.Port),
		"--source-db-user", e.src.User, "--source-db-name", e.srcDB}
}

func (e *env) targetFlags() []string {
	return []string{"--export-dir", e.exportDir, "--target-db-host", e.tgt.Host,
		"--target-db-port", strconv.Itoa(e.tgt.Port), "--target-db-user", e.tgt.User, "--target-db-name", e.tgtDB}
}

func (e *env) exportData(extra ...string) result {
	e.t.Helper()
	return e.mustRun(append(append([]string{"export", "data"}, e.sourceFlags()...), append([]string{"--disable-pb"}, extra...)...)...)
}

func (e *env) importData(extra ...string) result {
	e.t.Helper()
	return e.mustRun(append(append([]string{"import", "data"}, e.targetFlags()...), append([]string{"--disable-pb"}, extra...)...)...)
}

func (e *env) compare() result {
	e.t.Helper()
	args := []string{"compare", "data", "--export-dir", e.exportDir}
	if e.src != nil {
		args = append(args, e.sourceFlags()[2:]...)
	} // else: the source recorded by export data, password from the environment
	args = append(args, e.targetFlags()[2:]...)
	return e.run(args...)
}

// copySchema creates the source's tables on the target (until import schema
// lands, this is how a user would do it too).
func (e *env) copySchema(schemas ...string) {
	e.t.Helper()
	args := []string{"--schema-only", "--no-owner", "--no-privileges", "-d", e.src.DSN(e.srcDB)}
	for _, s := range schemas {
		args = append(args, "-n", s)
	}
	dump, err := exec.Command("pg_dump", args...).Output()
	if err != nil {
		e.t.Fatalf("pg_dump: %v", err)
	}
	psql := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", e.tgt.DSN(e.tgtDB))
	psql.Stdin = bytes.NewReader(dump)
	if out, err := psql.CombinedOutput(); err != nil {
		e.t.Fatalf("psql schema load: %v\n%s", err, out)
	}
}

func (e *env) srcExec(sql string) { e.t.Helper(); e.src.Exec(e.t, e.srcDB, sql) }
func (e *env) tgtExec(sql string) { e.t.Helper(); e.tgt.Exec(e.t, e.tgtDB, sql) }
func (e *env) tgtInt(sql string) int64 {
	e.t.Helper()
	return e.tgt.QueryInt(e.t, e.tgtDB, sql)
}
func (e *env) srcInt(sql string) int64 {
	e.t.Helper()
	return e.src.QueryInt(e.t, e.srcDB, sql)
}

// expectCompareClean runs compare data and fails unless every table matches.
func (e *env) expectCompareClean() {
	e.t.Helper()
	r := e.compare()
	if r.code != 0 {
		e.t.Fatalf("compare data found differences: %s", r)
	}
}

// firstLine is the stderr line a user sees.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func sharedTarget(t *testing.T) *pgtest.Cluster { return pgtest.Shared(t, pgtest.RoleTarget) }
