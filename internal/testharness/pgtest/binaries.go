package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// BinDirEnv names the environment variable that overrides where the
// PostgreSQL server binaries (initdb, postgres) are looked up.
const BinDirEnv = "YBV_TEST_PG_BINDIR"

// preferredBinDir is the Debian location of the PostgreSQL 15 server binaries.
const preferredBinDir = "/usr/lib/postgresql/15/bin"

// runner knows where the server binaries are and how to run them, either
// directly or, when we are root, as the postgres OS user via runuser.
type runner struct {
	binDir  string
	runuser string // path to runuser; empty when binaries run directly
	uid     int    // owner for cluster files; -1 when not switching user
	gid     int
}

// newRunner locates the server binaries and, when running as root, the
// postgres OS user and runuser.
func newRunner() (*runner, error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	r := &runner{binDir: binDir, uid: -1, gid: -1}
	if os.Geteuid() != 0 {
		return r, nil
	}
	if err := r.setupRoot(); err != nil {
		return nil, err
	}
	return r, nil
}

// setupRoot resolves the postgres OS user and runuser, required because
// initdb and postgres refuse to run as root.
func (r *runner) setupRoot() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root requires a \"postgres\" OS user to own the cluster: %w", err)
	}
	if r.uid, err = strconv.Atoi(u.Uid); err != nil {
		return fmt.Errorf("parse uid of OS user postgres %q: %w", u.Uid, err)
	}
	if r.gid, err = strconv.Atoi(u.Gid); err != nil {
		return fmt.Errorf("parse gid of OS user postgres %q: %w", u.Gid, err)
	}
	if r.runuser, err = exec.LookPath("runuser"); err != nil {
		return fmt.Errorf("running as root requires runuser (util-linux) to run postgres as the postgres user: %w", err)
	}
	return nil
}

// command builds a command for the named server binary, wrapped in
// `runuser -u postgres --` when running as root.
func (r *runner) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	bin := filepath.Join(r.binDir, name)
	if r.runuser != "" {
		args = append([]string{"-u", "postgres", "--", bin}, args...)
		bin = r.runuser
	}
	if ctx == nil {
		return exec.Command(bin, args...)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	if r.runuser != "" {
		// SIGKILL would orphan runuser's child; SIGTERM is relayed to it.
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = 5 * time.Second
	}
	return cmd
}

// chown hands dir and everything below it to the postgres OS user when
// running as root; otherwise it does nothing.
func (r *runner) chown(dir string) error {
	if r.uid < 0 {
		return nil
	}
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, r.uid, r.gid)
	})
	if err != nil {
		return fmt.Errorf("chown %s to postgres: %w", dir, err)
	}
	return nil
}

// findBinDir returns the first directory holding both initdb and postgres.
func findBinDir() (string, error) {
	if dir := os.Getenv(BinDirEnv); dir != "" {
		if !hasServerBinaries(dir) {
			return "", fmt.Errorf("$%s=%s does not contain initdb and postgres", BinDirEnv, dir)
		}
		return dir, nil
	}
	for _, dir := range candidateBinDirs() {
		if hasServerBinaries(dir) {
			return dir, nil
		}
	}
	return "", errors.New("PostgreSQL server binaries (initdb, postgres) not found in $" + BinDirEnv +
		", " + preferredBinDir + ", `pg_config --bindir`, /usr/lib/postgresql/*/bin or $PATH; " +
		"install the PostgreSQL 15 server (Debian: apt-get install postgresql-15) or set $" + BinDirEnv)
}

// candidateBinDirs lists where to look, most preferred first.
func candidateBinDirs() []string {
	dirs := []string{preferredBinDir}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	others, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(others, func(i, j int) bool { return versionOf(others[i]) > versionOf(others[j]) })
	dirs = append(dirs, others...)
	if p, err := exec.LookPath("postgres"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
	}
	return dirs
}

// versionOf extracts NN from /usr/lib/postgresql/NN/bin (0 if not numeric).
func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}
