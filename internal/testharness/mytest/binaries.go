package mytest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

// BinDirEnv names the environment variable that overrides where the MariaDB
// binaries (mariadbd, mariadb-install-db) are looked up.
const BinDirEnv = "YBV_TEST_MYSQL_BINDIR"

var (
	serverNames  = []string{"mariadbd", "mysqld"}
	installNames = []string{"mariadb-install-db", "mysql_install_db"}
	// fallbackDirs are searched after $PATH: /usr/sbin is often not in the
	// PATH of unprivileged users.
	fallbackDirs = []string{"/usr/sbin", "/usr/bin", "/usr/local/mysql/bin", "/usr/local/mysql/scripts", "/usr/local/bin", "/usr/local/sbin"}
)

// shutdownTimeout is how long Stop waits after SIGTERM before SIGKILL.
const shutdownTimeout = 30 * time.Second

// serverConfig is how proc runs and stops mariadbd. SIGTERM is MariaDB's
// normal shutdown, both from Stop and when the test process dies.
var serverConfig = proc.Config{
	Server:       "mariadbd",
	OSUser:       "mysql", // mariadbd refuses to run as root
	UserHint:     " (it comes with apt-get install mariadb-server)",
	DeathSignal:  syscall.SIGTERM,
	Shutdown:     []proc.Step{{Signal: syscall.SIGTERM, Wait: shutdownTimeout}},
	ReadyTimeout: 60 * time.Second,
	PortInUse:    []string{"Address already in use", "Bind on TCP/IP port"},
}

// runner knows where the binaries are and how to run them, either directly
// or, when we are root, as the mysql OS user via runuser.
type runner struct {
	*proc.Runner
	server  string // absolute path of mariadbd
	install string // absolute path of mariadb-install-db
}

// newRunner locates the binaries and, when running as root, the mysql OS
// user and runuser.
func newRunner() (*runner, error) {
	server, install, err := findBinaries()
	if err != nil {
		return nil, err
	}
	r, err := proc.NewRunner(serverConfig)
	if err != nil {
		return nil, err
	}
	return &runner{Runner: r, server: server, install: install}, nil
}

// findBinaries returns the paths of the server and of the install script.
func findBinaries() (server, install string, err error) {
	if dir := os.Getenv(BinDirEnv); dir != "" {
		server, install = firstIn([]string{dir}, serverNames), firstIn([]string{dir}, installNames)
		if server == "" || install == "" {
			return "", "", fmt.Errorf("$%s=%s does not contain mariadbd and mariadb-install-db; "+
				"install MariaDB (Debian: apt-get install mariadb-server) or fix $%s", BinDirEnv, dir, BinDirEnv)
		}
		return server, install, nil
	}
	dirs := append(filepath.SplitList(os.Getenv("PATH")), fallbackDirs...)
	server, install = firstIn(dirs, serverNames), firstIn(dirs, installNames)
	if server == "" || install == "" {
		return "", "", errors.New("MariaDB binaries (mariadbd and mariadb-install-db) not found in $PATH, " +
			"/usr/sbin, /usr/bin or /usr/local/mysql; install the MariaDB server " +
			"(Debian: apt-get install mariadb-server, or run scripts/install-deps.sh) or set $" + BinDirEnv)
	}
	return server, install, nil
}

// firstIn returns the first executable named one of names (in order of
// preference) found in dirs, or "".
func firstIn(dirs, names []string) string {
	for _, name := range names {
		for _, dir := range dirs {
			if dir == "" {
				continue
			}
			p := filepath.Join(dir, name)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
				if abs, err := filepath.Abs(p); err == nil {
					return abs
				}
				return p
			}
		}
	}
	return ""
}
