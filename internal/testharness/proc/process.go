package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrPortInUse marks a server that exited because its port was taken.
var ErrPortInUse = errors.New("port already in use")

// Process is a started server process (possibly wrapped in runuser).
type Process struct {
	run     *Runner
	cmd     *exec.Cmd
	pidFile string        // where the server writes its own pid
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed
}

// Start starts the server cmd (built by Command) in its own process group.
// pidFile is where the server writes its pid: Shutdown signals that pid,
// not runuser, when the file exists.
//
// cmd is started from a goroutine locked to its OS thread, which stays
// alive until the process exits: Pdeathsig fires when the creating thread
// (not process) exits.
func (r *Runner) Start(cmd *exec.Cmd, pidFile string) (*Process, error) {
	cmd.SysProcAttr = r.sysProcAttr()
	p := &Process{run: r, cmd: cmd, pidFile: pidFile, done: make(chan struct{})}
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

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// WaitReady polls probe until it succeeds, the process exits or
// Config.ReadyTimeout passes. probe must fail unless the server on port
// is this one (not some other server that took the port). tail returns the
// end of the server's logs for the error; an early exit whose tail names
// one of Config.PortInUse wraps ErrPortInUse.
func (p *Process) WaitReady(ctx context.Context, port int, probe func(context.Context) error, tail func() string) error {
	ctx, cancel := context.WithTimeout(ctx, p.run.cfg.ReadyTimeout)
	defer cancel()
	var lastErr error
	for {
		if p.Exited() {
			return p.exitedEarly(tail())
		}
		if lastErr = probeOnce(ctx, probe); lastErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s on port %d not ready: %w (last error: %v)%s",
				p.run.cfg.Server, port, ctx.Err(), lastErr, tail())
		case <-p.done:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// probeOnce bounds one probe so that a server that accepts the connection
// but never answers does not use up the whole ready timeout.
func probeOnce(ctx context.Context, probe func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return probe(ctx)
}

// exitedEarly describes a server that died during startup.
func (p *Process) exitedEarly(tail string) error {
	err := fmt.Errorf("%s exited during startup: %v%s", p.run.cfg.Server, p.waitErr, tail)
	for _, phrase := range p.run.cfg.PortInUse {
		if strings.Contains(tail, phrase) {
			return fmt.Errorf("%w: %w", ErrPortInUse, err)
		}
	}
	return err
}

// Shutdown sends the signals of Config.Shutdown in turn until the server
// exits and finally SIGKILLs the process group. It returns once the process
// is reaped, with an error if it had to be killed.
func (p *Process) Shutdown() error {
	var waited time.Duration
	for _, s := range p.run.cfg.Shutdown {
		if p.Exited() {
			return nil
		}
		p.signal(s.Signal)
		select {
		case <-p.done:
			return nil
		case <-time.After(s.Wait):
		}
		waited += s.Wait
	}
	pgid := p.cmd.Process.Pid
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill process group %d: %w", pgid, err)
	}
	<-p.done
	return fmt.Errorf("%s did not shut down within %s; killed", p.run.cfg.Server, waited)
}

// signal sends sig to the server named in the pid file, or to the started
// process if that file does not exist (yet). The server is signalled
// directly because runuser relays only SIGTERM (PostgreSQL's shutdown modes
// are SIGINT and SIGQUIT), and follows the relayed SIGTERM with a SIGKILL
// two seconds later, too early for a clean shutdown.
func (p *Process) signal(sig syscall.Signal) {
	if pid, ok := readPID(p.pidFile); ok {
		if err := syscall.Kill(pid, sig); err == nil {
			return
		}
	}
	if p.run.runuser != "" {
		sig = syscall.SIGTERM
	}
	_ = p.cmd.Process.Signal(sig)
}

// readPID reads the pid on the first line of a pid file (PostgreSQL's
// postmaster.pid has more lines after it).
func readPID(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(line)))
	return pid, err == nil && pid > 0
}

// Teardown shuts p down (if it was started) and removes dir (if set),
// returning both errors.
func Teardown(p *Process, dir string) error {
	var errs []error
	if p != nil {
		errs = append(errs, p.Shutdown())
	}
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", dir, err))
		}
	}
	return errors.Join(errs...)
}

// WithFreePort calls launch with a free 127.0.0.1 port, and again with
// another one while it fails with ErrPortInUse, up to attempts calls in
// all: another process may bind the port between our choosing it and the
// server binding it.
func WithFreePort(attempts int, launch func(port int) error) error {
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		err = launch(port)
		if err == nil || !errors.Is(err, ErrPortInUse) || attempt == attempts {
			return err
		}
	}
}

// freePort asks the kernel for a currently unused TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Tail returns the last 2 KiB of the file at path, labelled for an error
// message, or "" if the file is missing or blank.
func Tail(label, path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	const limit = 2048
	if len(b) > limit {
		b = b[len(b)-limit:]
	}
	return "\n" + label + " (" + path + ", tail):\n" + strings.TrimSpace(string(b))
}
