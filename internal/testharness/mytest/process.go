package mytest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/go-sql-driver/mysql" // registers the "mysql" database/sql driver
)

// errPortInUse marks a server that exited because its port was taken.
var errPortInUse = errors.New("port already in use")

// shutdownTimeout is how long Stop waits after SIGTERM before SIGKILL.
const shutdownTimeout = 30 * time.Second

// process is a started server process (possibly wrapped in runuser).
type process struct {
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed
}

// startProcess starts cmd from a goroutine locked to its OS thread and
// keeps that thread alive until the process exits: Pdeathsig fires when the
// creating thread (not process) exits.
func startProcess(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// shutdown sends SIGTERM to mariadbd (normal shutdown) and, if it has not
// exited after shutdownTimeout, SIGKILLs its process group.
func (p *process) shutdown(pidFile string) error {
	if p.exited() {
		return nil
	}
	p.terminate(pidFile)
	select {
	case <-p.done:
		return nil
	case <-time.After(shutdownTimeout):
	}
	pgid := p.cmd.Process.Pid
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill process group %d: %w", pgid, err)
	}
	<-p.done
	return fmt.Errorf("mariadbd did not shut down within %s; killed", shutdownTimeout)
}

// terminate sends SIGTERM to the mariadbd named in the pid file, or to the
// started process if that file does not exist (yet). mariadbd is signalled
// directly because runuser would follow its relayed SIGTERM with a SIGKILL
// two seconds later, too early for a clean shutdown.
func (p *process) terminate(pidFile string) {
	if pid, ok := readPID(pidFile); ok {
		if err := syscall.Kill(pid, syscall.SIGTERM); err == nil {
			return
		}
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
}

func readPID(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(line)))
	return pid, err == nil && pid > 0
}

// waitReady polls until root can connect over TCP to a server reporting our
// data directory (not some other server that owns the port).
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var lastErr error
	for {
		if s.proc.exited() {
			return s.exitedEarly()
		}
		if lastErr = s.probe(ctx); lastErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("mariadbd on port %d not ready: %w (last error: %v)%s",
				s.Port, ctx.Err(), lastErr, s.logTail())
		case <-s.proc.done:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// probe connects once as root and checks the server's data directory.
func (s *Server) probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
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

// setRootPassword gives root@127.0.0.1 and root@localhost the password
// RootPassword and all privileges.
func (s *Server) setRootPassword(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	db, err := sql.Open("mysql", s.dsn(s.User, "", ""))
	if err != nil {
		return err
	}
	defer db.Close()
	var b strings.Builder
	for _, host := range []string{"127.0.0.1", "localhost"} {
		acct := fmt.Sprintf("'%s'@'%s'", s.User, host)
		pw := "'" + strings.ReplaceAll(s.Password, "'", "''") + "'"
		fmt.Fprintf(&b, "CREATE USER IF NOT EXISTS %s IDENTIFIED BY %s;\n", acct, pw)
		fmt.Fprintf(&b, "ALTER USER %s IDENTIFIED BY %s;\n", acct, pw)
		fmt.Fprintf(&b, "GRANT ALL PRIVILEGES ON *.* TO %s WITH GRANT OPTION;\n", acct)
	}
	// The other root accounts mariadb-install-db made ('root'@'::1' and
	// 'root'@'<hostname>', which DROP USER cannot name under
	// --skip-name-resolve) must not stay password-less.
	for _, table := range []string{"mysql.global_priv", "mysql.proxies_priv"} {
		fmt.Fprintf(&b, "DELETE FROM %s WHERE User = '%s' AND Host NOT IN ('127.0.0.1', 'localhost');\n", table, s.User)
	}
	b.WriteString("FLUSH PRIVILEGES;\n")
	if _, err := db.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("set root password: %w", err)
	}
	s.passwordOn = true
	return nil
}

// exitedEarly describes a server that died during startup.
func (s *Server) exitedEarly() error {
	tail := s.logTail()
	err := fmt.Errorf("mariadbd exited during startup: %v%s", s.proc.waitErr, tail)
	if strings.Contains(tail, "Address already in use") || strings.Contains(tail, "Bind on TCP/IP port") {
		return fmt.Errorf("%w: %w", errPortInUse, err)
	}
	return err
}

// logTail returns the last lines of the error log and of mariadbd's
// stdout/stderr, formatted for errors.
func (s *Server) logTail() string {
	return fileTail("error log", s.LogFile) + fileTail("output", s.stdoutFile())
}

func fileTail(what, path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	const limit = 2048
	if len(b) > limit {
		b = b[len(b)-limit:]
	}
	return "\nmariadbd " + what + " (" + path + ", tail):\n" + strings.TrimSpace(string(b))
}
