package proc

import (
	"context"
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

// Config is what differs between the servers a Runner runs.
type Config struct {
	// Server names the server binary in errors ("postgres", "mariadbd").
	Server string
	// OSUser owns the server files and runs the binaries when the test
	// process is root, because the servers refuse to run as root.
	OSUser string
	// UserHint is appended to the error for a missing OSUser, to say how
	// to get it (e.g. " (it comes with apt-get install mariadb-server)").
	UserHint string
	// DeathSignal is sent to a directly started server when the test
	// process dies. A server run through runuser gets SIGTERM instead,
	// the one signal runuser relays to its child.
	DeathSignal syscall.Signal
	// Shutdown lists the signals Process.Shutdown sends in turn, each
	// followed by a wait, before it kills the process group.
	Shutdown []Step
	// ReadyTimeout bounds Process.WaitReady.
	ReadyTimeout time.Duration
	// PortInUse lists phrases of the server's log that mean it could not
	// bind its port, so that WithFreePort tries another one.
	PortInUse []string
}

// Step is one signal of a shutdown and how long to wait for the exit.
type Step struct {
	Signal syscall.Signal
	Wait   time.Duration
}

// Runner runs server binaries, either directly or, when the test process
// is root, as Config.OSUser via `runuser -u <user> --`.
type Runner struct {
	cfg     Config
	runuser string // path to runuser; empty when binaries run directly
	uid     int    // owner for server files; -1 when not switching user
	gid     int
}

// NewRunner returns a Runner for cfg, resolving the OS user and runuser
// when the test process is root.
func NewRunner(cfg Config) (*Runner, error) {
	r := &Runner{cfg: cfg, uid: -1, gid: -1}
	if os.Geteuid() != 0 {
		return r, nil
	}
	if err := r.setupRoot(); err != nil {
		return nil, err
	}
	return r, nil
}

// setupRoot resolves the OS user and runuser.
func (r *Runner) setupRoot() error {
	name := r.cfg.OSUser
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("running as root requires a %q OS user to own the server%s: %w", name, r.cfg.UserHint, err)
	}
	if r.uid, err = strconv.Atoi(u.Uid); err != nil {
		return fmt.Errorf("parse uid of OS user %s %q: %w", name, u.Uid, err)
	}
	if r.gid, err = strconv.Atoi(u.Gid); err != nil {
		return fmt.Errorf("parse gid of OS user %s %q: %w", name, u.Gid, err)
	}
	if r.runuser, err = exec.LookPath("runuser"); err != nil {
		return fmt.Errorf("running as root requires runuser (util-linux) to run %s as the %s user: %w", r.cfg.Server, name, err)
	}
	return nil
}

// Command builds a command for the binary at path, wrapped in runuser when
// running as root. It is for the long-running server, whose lifetime Start
// and Shutdown manage rather than a context.
func (r *Runner) Command(path string, args ...string) *exec.Cmd {
	bin, args := r.wrap(path, args)
	return exec.Command(bin, args...)
}

// CommandContext is Command for a short-lived tool (initdb,
// mariadb-install-db) that ctx may cancel.
func (r *Runner) CommandContext(ctx context.Context, path string, args ...string) *exec.Cmd {
	bin, args := r.wrap(path, args)
	cmd := exec.CommandContext(ctx, bin, args...)
	if r.runuser != "" {
		// SIGKILL would orphan runuser's child; SIGTERM is relayed to it.
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = 5 * time.Second
	}
	return cmd
}

func (r *Runner) wrap(path string, args []string) (string, []string) {
	if r.runuser == "" {
		return path, args
	}
	return r.runuser, append([]string{"-u", r.cfg.OSUser, "--", path}, args...)
}

// Chown hands path and everything below it to the OS user when running as
// root; otherwise it does nothing.
func (r *Runner) Chown(path string) error {
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
		return fmt.Errorf("chown %s to %s: %w", path, r.cfg.OSUser, err)
	}
	return nil
}

// sysProcAttr puts the server in its own process group (so a terminal ^C
// reaches only the test process, which then stops the server in order) and
// asks the kernel to signal it if the test process dies without stopping
// it.
func (r *Runner) sysProcAttr() *syscall.SysProcAttr {
	sig := r.cfg.DeathSignal
	if r.runuser != "" {
		sig = syscall.SIGTERM
	}
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: sig}
}
