package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

// BinDirEnv names the environment variable that overrides where the
// PostgreSQL server binaries (initdb, postgres) are looked up.
const BinDirEnv = "YBV_TEST_PG_BINDIR"

// preferredBinDir is the Debian location of the PostgreSQL 15 server binaries.
const preferredBinDir = "/usr/lib/postgresql/15/bin"

// serverConfig is how proc runs and stops a postmaster. Fast shutdown
// (SIGINT) disconnects clients and checkpoints; immediate shutdown (SIGQUIT)
// is the fallback, and also what a directly started postmaster gets when
// the test process dies.
var serverConfig = proc.Config{
	Server:       "postgres",
	OSUser:       "postgres",
	DeathSignal:  syscall.SIGQUIT,
	Shutdown:     []proc.Step{{Signal: syscall.SIGINT, Wait: 30 * time.Second}, {Signal: syscall.SIGQUIT, Wait: 10 * time.Second}},
	ReadyTimeout: 30 * time.Second,
	PortInUse:    []string{"could not bind", "already in use"},
}

// runner knows where the server binaries are and how to run them, either
// directly or, when we are root, as the postgres OS user via runuser
// (initdb and postgres refuse to run as root).
type runner struct {
	*proc.Runner
	binDir string
}

// newRunner locates the server binaries and, when running as root, the
// postgres OS user and runuser.
func newRunner() (*runner, error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	r, err := proc.NewRunner(serverConfig)
	if err != nil {
		return nil, err
	}
	return &runner{Runner: r, binDir: binDir}, nil
}

// bin returns the path of the named server binary.
func (r *runner) bin(name string) string { return filepath.Join(r.binDir, name) }

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
