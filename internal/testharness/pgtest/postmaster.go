package pgtest

import (
	"bytes"
	"context"
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

	"github.com/jackc/pgx/v5"
)

// errPortInUse marks a postmaster that exited because its port was taken.
var errPortInUse = errors.New("port already in use")

// postmaster is a started server process (possibly wrapped in runuser).
type postmaster struct {
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed
}

// sysProcAttr puts the server in its own process group (so a terminal ^C
// reaches only our process, which then stops the server in order) and asks
// the kernel to signal it if we die without calling Stop. runuser turns
// SIGTERM into SIGTERM+SIGKILL for postgres; a direct postmaster gets
// SIGQUIT (immediate shutdown).
func (r *runner) sysProcAttr() *syscall.SysProcAttr {
	sig := syscall.SIGQUIT
	if r.runuser != "" {
		sig = syscall.SIGTERM
	}
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: sig}
}

// startPostmaster starts cmd from a goroutine locked to its OS thread and
// keeps that thread alive until the process exits: Pdeathsig fires when the
// creating thread (not process) exits.
func startPostmaster(cmd *exec.Cmd) (*postmaster, error) {
	pm := &postmaster{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		pm.waitErr = cmd.Wait()
		close(pm.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return pm, nil
}

func (pm *postmaster) exited() bool {
	select {
	case <-pm.done:
		return true
	default:
		return false
	}
}

// waitReady polls until the server accepts an authenticated connection and
// reports our data directory (not some other server that owns the port).
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var lastErr error
	for {
		if c.pm.exited() {
			return c.exitedEarly()
		}
		if lastErr = c.probe(ctx); lastErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres on port %d not ready: %w (last error: %v)%s",
				c.Port, ctx.Err(), lastErr, logTail(c.LogFile))
		case <-c.pm.done:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// probe connects once and checks the server's data directory.
func (c *Cluster) probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var dataDir string
	if err := conn.QueryRow(ctx, "SELECT current_setting('data_directory')").Scan(&dataDir); err != nil {
		return err
	}
	if dataDir != c.dataDir() {
		return fmt.Errorf("port %d is served by another cluster (%s)", c.Port, dataDir)
	}
	return nil
}

// exitedEarly describes a postmaster that died during startup.
func (c *Cluster) exitedEarly() error {
	tail := logTail(c.LogFile)
	err := fmt.Errorf("postgres exited during startup: %v%s", c.pm.waitErr, tail)
	if strings.Contains(tail, "could not bind") || strings.Contains(tail, "already in use") {
		return fmt.Errorf("%w: %w", errPortInUse, err)
	}
	return err
}

// shutdown asks the postmaster for a fast shutdown (SIGINT) and escalates
// to immediate shutdown (SIGQUIT) and finally SIGKILL of the process group.
func (pm *postmaster) shutdown(dataDir string) error {
	steps := []struct {
		sig  syscall.Signal
		wait time.Duration
	}{{syscall.SIGINT, 30 * time.Second}, {syscall.SIGQUIT, 10 * time.Second}}
	for _, s := range steps {
		if pm.exited() {
			return nil
		}
		pm.signal(dataDir, s.sig)
		select {
		case <-pm.done:
			return nil
		case <-time.After(s.wait):
		}
	}
	pgid := pm.cmd.Process.Pid
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill process group %d: %w", pgid, err)
	}
	<-pm.done
	return errors.New("postgres did not shut down; killed")
}

// signal sends sig to the postmaster named in postmaster.pid, or to the
// started process if that file is gone (SIGTERM for runuser, which relays it).
func (pm *postmaster) signal(dataDir string, sig syscall.Signal) {
	if pid, ok := readPostmasterPID(dataDir); ok {
		_ = syscall.Kill(pid, sig)
		return
	}
	if filepath.Base(pm.cmd.Path) == "runuser" {
		sig = syscall.SIGTERM
	}
	_ = pm.cmd.Process.Signal(sig)
}

func readPostmasterPID(dataDir string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(line)))
	return pid, err == nil && pid > 0
}

// logTail returns the last lines of the server log, formatted for errors.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	const limit = 2048
	if len(b) > limit {
		b = b[len(b)-limit:]
	}
	return "\nserver log (" + path + ", tail):\n" + strings.TrimSpace(string(b))
}
