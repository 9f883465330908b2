package mytest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

const (
	// RootUser and RootPassword are the credentials of every server.
	RootUser     = "root"
	RootPassword = "mysql"

	portAttempts = 3
)

// Options configures Start.
type Options struct {
	// Name labels the server in logs, errors and its directory name.
	Name string
	// ExtraArgs are additional mariadbd command-line options (for example
	// "--binlog-row-image=MINIMAL"), passed after (and therefore
	// overriding) the defaults.
	ExtraArgs []string
}

// Server is a running MariaDB server, either started by this package (Dir
// is set) or an external one found through the environment (Dir empty).
type Server struct {
	Host     string
	Port     int
	User     string
	Password string
	// Dir is the temporary directory holding the data directory ("data"),
	// the binary logs ("binlog.*"), the error log, the pid file and the
	// unix socket.
	Dir string
	// LogFile is the server error log (empty for external servers).
	LogFile string

	name       string
	extra      []string
	run        *runner
	proc       *proc.Process
	realData   string // data directory with symlinks resolved, as mariadbd reports it
	passwordOn bool   // root has RootPassword (false right after install: empty password)
	stopOnce   sync.Once
	stopErr    error
}

// Start creates and starts a new server. See StartContext.
func Start(opts Options) (*Server, error) {
	return StartContext(context.Background(), opts)
}

// StartContext runs mariadb-install-db in a fresh temporary directory,
// starts mariadbd on a free 127.0.0.1 port, waits until root can connect
// over TCP and gives root the password "mysql". The caller must call Stop.
func StartContext(ctx context.Context, opts Options) (*Server, error) {
	name := opts.Name
	if name == "" {
		name = "mariadb"
	}
	run, err := newRunner()
	if err != nil {
		return nil, fmt.Errorf("start mariadb %s: %w", name, err)
	}
	dir, err := os.MkdirTemp("", "ybv-mytest-"+proc.SafeIdent(name)+"-*")
	if err != nil {
		return nil, fmt.Errorf("start mariadb %s: create temp dir: %w", name, err)
	}
	s := &Server{
		Host: "127.0.0.1", User: RootUser, Password: RootPassword,
		Dir: dir, LogFile: filepath.Join(dir, "error.log"),
		name: name, run: run, extra: append([]string(nil), opts.ExtraArgs...),
	}
	if err := s.start(ctx); err != nil {
		if stopErr := s.Stop(); stopErr != nil {
			err = errors.Join(err, stopErr)
		}
		return nil, fmt.Errorf("start mariadb %s: %w", name, err)
	}
	return s, nil
}

// Restart stops the server (normal shutdown: clients are disconnected) and
// starts it again on the same port with the same data, for tests of how
// clients (e.g. binlog readers) survive a server restart.
func (s *Server) Restart(ctx context.Context) error {
	if s.proc == nil {
		return fmt.Errorf("restart mariadb %s: not started by this process", s.name)
	}
	if err := s.proc.Shutdown(); err != nil {
		return fmt.Errorf("restart mariadb %s: %w", s.name, err)
	}
	if err := s.launch(ctx, s.Port); err != nil {
		return fmt.Errorf("restart mariadb %s: %w", s.name, err)
	}
	return nil
}

// Name returns the label given in Options (or the role for Shared).
func (s *Server) Name() string { return s.name }

// Addr returns "host:port".
func (s *Server) Addr() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

func (s *Server) dataDir() string    { return filepath.Join(s.Dir, "data") }
func (s *Server) pidFile() string    { return filepath.Join(s.Dir, "mariadbd.pid") }
func (s *Server) socket() string     { return filepath.Join(s.Dir, "mysqld.sock") }
func (s *Server) stdoutFile() string { return filepath.Join(s.Dir, "mariadbd.out") }

// start installs the system tables, launches mariadbd (retrying with another
// port if the chosen one was taken in the meantime) and sets the root
// password.
func (s *Server) start(ctx context.Context) error {
	if err := s.installDB(ctx); err != nil {
		return err
	}
	if err := proc.WithFreePort(portAttempts, func(port int) error { return s.launch(ctx, port) }); err != nil {
		return err
	}
	return s.setRootPassword(ctx)
}

// installDB creates the data directory with the system tables; root has no
// password until setRootPassword.
func (s *Server) installDB(ctx context.Context) error {
	if err := os.MkdirAll(s.tmpDir(), 0o700); err != nil {
		return fmt.Errorf("create server tmpdir: %w", err)
	}
	if err := s.run.Chown(s.Dir); err != nil {
		return err
	}
	cmd := s.run.CommandContext(ctx, s.run.install,
		"--no-defaults",
		"--datadir="+s.dataDir(),
		"--auth-root-authentication-method=normal",
		"--skip-test-db",
		"--skip-name-resolve", // no 'root'@'<hostname>' account
	)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), "TMPDIR="+s.tmpDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s (%s): %w\n%s", filepath.Base(s.run.install), cmd.String(), err, strings.TrimSpace(string(out)))
	}
	real, err := filepath.EvalSymlinks(s.dataDir())
	if err != nil {
		return fmt.Errorf("resolve data directory: %w", err)
	}
	s.realData = real
	return nil
}

// launch starts mariadbd on port and waits until it accepts connections.
func (s *Server) launch(ctx context.Context, port int) error {
	for _, f := range []string{s.LogFile, s.pidFile()} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	out, err := os.OpenFile(s.stdoutFile(), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("open server output file: %w", err)
	}
	defer out.Close() // the child keeps its own descriptor
	cmd := s.run.Command(s.run.server, s.serverArgs(port)...)
	cmd.Dir = s.Dir
	cmd.Stdout, cmd.Stderr = out, out
	s.Port = port
	if s.proc, err = s.run.Start(cmd, s.pidFile()); err != nil {
		return fmt.Errorf("run %s: %w", cmd.String(), err)
	}
	return s.proc.WaitReady(ctx, port, s.probe, s.logTail)
}

// probe connects once as root and checks the server's data directory, so
// that another server that owns the port is not taken for ours.
func (s *Server) probe(ctx context.Context) error {
	pw := ""
	if s.passwordOn {
		pw = s.Password
	}
	db, err := sql.Open("mysql", s.dsn(s.User, pw, ""))
	if err != nil {
		return err
	}
	defer db.Close()
	var dataDir string
	if err := db.QueryRowContext(ctx, "SELECT @@datadir").Scan(&dataDir); err != nil {
		return err
	}
	if filepath.Clean(dataDir) != s.realData && filepath.Clean(dataDir) != s.dataDir() {
		return fmt.Errorf("port %d is served by another server (datadir %s)", s.Port, dataDir)
	}
	return nil
}

// logTail returns the end of the error log and of mariadbd's
// stdout/stderr, formatted for errors.
func (s *Server) logTail() string {
	return proc.Tail("mariadbd error log", s.LogFile) + proc.Tail("mariadbd output", s.stdoutFile())
}

// tmpDir is the server's own temporary directory: a starting MariaDB
// (mariadb-install-db too) deletes every #sql* file in its tmpdir, which in
// /tmp would break queries in flight on the other servers of the machine.
func (s *Server) tmpDir() string { return filepath.Join(s.Dir, "tmp") }

// serverArgs returns the mariadbd command line: defaults, then ExtraArgs.
func (s *Server) serverArgs(port int) []string {
	args := []string{
		"--no-defaults",
		"--datadir=" + s.dataDir(),
		"--port=" + strconv.Itoa(port),
		"--bind-address=127.0.0.1",
		"--socket=" + s.socket(),
		"--pid-file=" + s.pidFile(),
		"--tmpdir=" + s.tmpDir(),
		"--log-bin=" + filepath.Join(s.Dir, "binlog"),
		"--binlog-format=ROW",
		"--binlog-row-image=FULL",
		"--server-id=1",
		"--log-error=" + s.LogFile,
		"--innodb-buffer-pool-size=128M",
		"--character-set-server=utf8mb4", // what production databases use
		"--collation-server=utf8mb4_general_ci",
		"--innodb-flush-log-at-trx-commit=2",
		"--skip-name-resolve",
	}
	return append(args, s.extra...)
}

// Stop shuts the server down and removes its directory. It is idempotent
// and does nothing for external servers.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	if err := proc.Teardown(s.proc, s.Dir); err != nil {
		return fmt.Errorf("stop mariadb %s: %w", s.name, err)
	}
	return nil
}
