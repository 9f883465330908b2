package mytest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// BinDirEnv names the environment variable that overrides where the MariaDB
// binaries (mariadbd, mariadb-install-db) are looked up.
const BinDirEnv = "YBV_TEST_MYSQL_BINDIR"

// osUser is the OS user that owns and runs the servers when we are root
// (mariadbd refuses to run as root).
const osUser = "mysql"

var (
	serverNames  = []string{"mariadbd", "mysqld"}
	installNames = []string{"mariadb-install-db", "mysql_install_db"}
	// fallbackDirs are searched after $PATH: /usr/sbin is often not in the
	// PATH of unprivileged users.
	fallbackDirs = []string{"/usr/sbin", "/usr/bin", "/usr/local/mysql/bin", "/usr/local/mysql/scripts", "/usr/local/bin", "/usr/local/sbin"}
)

// runner knows where the binaries are and how to run them, either directly
// or, when we are root, as the mysql OS user via runuser.
type runner struct {
	server  string // absolute path of mariadbd
	install string // absolute path of mariadb-install-db
	runuser string // path to runuser; empty when binaries run directly
	uid     int    // owner for server files; -1 when not switching user
	gid     int
}

// newRunner locates the binaries and, when running as root, the mysql OS
// user and runuser.
func newRunner() (*runner, error) {
	server, install, err := findBinaries()
	if err != nil {
		return nil, err
	}
	r := &runner{server: server, install: install, uid: -1, gid: -1}
	if os.Geteuid() != 0 {
		return r, nil
	}
	if err := r.setupRoot(); err != nil {
		return nil, err
	}
	return r, nil
}

// setupRoot resolves the mysql OS user and runuser.
func (r *runner) setupRoot() error {
	u, err := user.Lookup(osUser)
	if err != nil {
		return fmt.Errorf("running as root requires a %q OS user to own the server (it comes with apt-get install mariadb-server): %w", osUser, err)
	}
	if r.uid, err = strconv.Atoi(u.Uid); err != nil {
		return fmt.Errorf("parse uid of OS user %s %q: %w", osUser, u.Uid, err)
	}
	if r.gid, err = strconv.Atoi(u.Gid); err != nil {
		return fmt.Errorf("parse gid of OS user %s %q: %w", osUser, u.Gid, err)
	}
	if r.runuser, err = exec.LookPath("runuser"); err != nil {
		return fmt.Errorf("running as root requires runuser (util-linux) to run mariadbd as the %s user: %w", osUser, err)
	}
	return nil
}

// command builds a command for the binary at path, wrapped in
// `runuser -u mysql --` when running as root.
func (r *runner) command(ctx context.Context, path string, args ...string) *exec.Cmd {
	bin := path
	if r.runuser != "" {
		args = append([]string{"-u", osUser, "--", bin}, args...)
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

// sysProcAttr puts the server in its own process group (so a terminal ^C
// reaches only our process, which then stops the server in order) and asks
// the kernel to send SIGTERM (normal shutdown; runuser relays it) if we die
// without calling Stop.
func (r *runner) sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// chown hands path and everything below it to the mysql OS user when
// running as root; otherwise it does nothing.
func (r *runner) chown(path string) error {
	if r.uid < 0 {
		return nil
	}
	err := filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, r.uid, r.gid)
	})
	if err != nil {
		return fmt.Errorf("chown %s to %s: %w", path, osUser, err)
	}
	return nil
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
