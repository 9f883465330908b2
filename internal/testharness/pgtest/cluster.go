package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

const (
	// SuperUser and SuperPassword are the credentials of every cluster.
	SuperUser     = "postgres"
	SuperPassword = "postgres"

	portAttempts = 3
)

// Options configures Start.
type Options struct {
	// Name labels the cluster in logs, errors and its directory name.
	Name string
	// ExtraConf holds additional server settings, passed as -c key=value
	// after (and therefore overriding) the defaults.
	ExtraConf map[string]string
}

// Cluster is a running PostgreSQL server, either started by this package
// (Dir is set) or an external one found through the environment (Dir empty).
type Cluster struct {
	Host     string
	Port     int
	User     string
	Password string
	// Dir is the temporary directory holding the data directory ("data"),
	// the server log, the password file and the unix socket.
	Dir string
	// LogFile is the server log (empty for external clusters).
	LogFile string

	name     string
	extra    map[string]string
	run      *runner
	pm       *proc.Process
	stopOnce sync.Once
	stopErr  error
}

// defaultConf are the server settings every started cluster gets.
var defaultConf = []string{
	"listen_addresses=127.0.0.1",
	"wal_level=logical",
	"max_replication_slots=20",
	"max_wal_senders=20",
	"fsync=off",
	"synchronous_commit=off",
	"full_page_writes=off",
	"shared_buffers=128MB",
	"max_connections=200",
	"logging_collector=off",
}

// Start creates and starts a new cluster. See StartContext.
func Start(opts Options) (*Cluster, error) {
	return StartContext(context.Background(), opts)
}

// StartContext runs initdb in a fresh temporary directory, starts a
// postmaster on a free 127.0.0.1 port and waits until it accepts
// connections. The caller must call Stop.
func StartContext(ctx context.Context, opts Options) (*Cluster, error) {
	name := opts.Name
	if name == "" {
		name = "pg"
	}
	run, err := newRunner()
	if err != nil {
		return nil, fmt.Errorf("start postgres %s: %w", name, err)
	}
	dir, err := os.MkdirTemp("", "ybv-pgtest-"+proc.SafeIdent(name)+"-*")
	if err != nil {
		return nil, fmt.Errorf("start postgres %s: create temp dir: %w", name, err)
	}
	c := &Cluster{
		Host: "127.0.0.1", User: SuperUser, Password: SuperPassword,
		Dir: dir, LogFile: filepath.Join(dir, "postgres.log"),
		name: name, run: run, extra: opts.ExtraConf,
	}
	if err := c.start(ctx, opts.ExtraConf); err != nil {
		if stopErr := c.Stop(); stopErr != nil {
			err = errors.Join(err, stopErr)
		}
		return nil, fmt.Errorf("start postgres %s: %w", name, err)
	}
	return c, nil
}

// Restart stops the server (fast shutdown: clients are disconnected) and
// starts it again on the same port with the same data, for tests of how
// clients survive a server restart.
func (c *Cluster) Restart(ctx context.Context) error {
	if c.pm == nil {
		return fmt.Errorf("restart postgres %s: not started by this process", c.name)
	}
	if err := c.pm.Shutdown(); err != nil {
		return fmt.Errorf("restart postgres %s: %w", c.name, err)
	}
	if err := c.launch(ctx, c.Port, c.extra); err != nil {
		return fmt.Errorf("restart postgres %s: %w", c.name, err)
	}
	return nil
}

// Name returns the label given in Options (or the role for Shared).
func (c *Cluster) Name() string { return c.name }

// Addr returns "host:port".
func (c *Cluster) Addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "data") }

// start runs initdb, then launches the postmaster, retrying with another
// port if the chosen one was taken in the meantime.
func (c *Cluster) start(ctx context.Context, extra map[string]string) error {
	if err := c.initdb(ctx); err != nil {
		return err
	}
	return proc.WithFreePort(portAttempts, func(port int) error { return c.launch(ctx, port, extra) })
}

// initdb creates the data directory with a password-protected superuser.
func (c *Cluster) initdb(ctx context.Context) error {
	pwfile := filepath.Join(c.Dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(SuperPassword+"\n"), 0o600); err != nil {
		return fmt.Errorf("write password file: %w", err)
	}
	if err := c.run.Chown(c.Dir); err != nil {
		return err
	}
	cmd := c.run.CommandContext(ctx, c.run.bin("initdb"),
		"-D", c.dataDir(), "-U", SuperUser,
		"--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile="+pwfile,
		"--encoding=UTF8", "--locale=C", "--no-sync")
	cmd.Dir = c.Dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb (%s): %w\n%s", cmd.String(), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// launch starts the postmaster on port and waits until it is ready.
func (c *Cluster) launch(ctx context.Context, port int, extra map[string]string) error {
	logf, err := os.OpenFile(c.LogFile, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("open server log: %w", err)
	}
	defer logf.Close() // the child keeps its own descriptor
	if err := c.run.Chown(c.LogFile); err != nil {
		return err
	}
	cmd := c.run.Command(c.run.bin("postgres"), c.serverArgs(port, extra)...)
	cmd.Dir = c.Dir
	cmd.Stdout, cmd.Stderr = logf, logf
	c.Port = port
	if c.pm, err = c.run.Start(cmd, filepath.Join(c.dataDir(), "postmaster.pid")); err != nil {
		return fmt.Errorf("run %s: %w", cmd.String(), err)
	}
	return c.pm.WaitReady(ctx, port, c.probe, c.logTail)
}

// probe connects once and checks the server's data directory, so that
// another server that owns the port is not taken for ours.
func (c *Cluster) probe(ctx context.Context) error {
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

// logTail returns the end of the server log, formatted for errors.
func (c *Cluster) logTail() string { return proc.Tail("server log", c.LogFile) }

// serverArgs returns the postgres command line: defaults, then ExtraConf
// in sorted key order.
func (c *Cluster) serverArgs(port int, extra map[string]string) []string {
	conf := append([]string{"unix_socket_directories=" + c.Dir}, defaultConf...)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		conf = append(conf, k+"="+extra[k])
	}
	args := []string{"-D", c.dataDir(), "-p", strconv.Itoa(port)}
	for _, kv := range conf {
		args = append(args, "-c", kv)
	}
	return args
}

// Stop shuts the server down (fast shutdown) and removes its directory.
// It is idempotent and does nothing for external clusters.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Cluster) stop() error {
	if err := proc.Teardown(c.pm, c.Dir); err != nil {
		return fmt.Errorf("stop postgres %s: %w", c.name, err)
	}
	return nil
}
