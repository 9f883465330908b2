// Command testenv starts a throwaway "source" and "target" PostgreSQL
// cluster and a "source" MariaDB server (all in parallel), runs a command
// with YBV_TEST_PG_{SOURCE,TARGET}_{HOST,PORT} and
// YBV_TEST_MYSQL_SOURCE_{HOST,PORT} set so that pgtest.Shared and
// mytest.Shared use them, then stops all servers and exits with the
// command's exit code:
//
//	go run ./tools/testenv -- go test ./... -count=1
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/mytest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

var roles = []string{pgtest.RoleSource, pgtest.RoleTarget}

// mysqlRole is the role of the MariaDB server testenv starts.
const mysqlRole = mytest.RoleSource

// servers are the servers testenv started (nil or missing when they failed).
type servers struct {
	clusters []*pgtest.Cluster
	mysql    *mytest.Server
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run returns the process exit code.
func run(args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/testenv -- <command> [args...]")
		return 2
	}
	relay := newSignalRelay()
	defer relay.close()
	srv, err := startServers(relay.ctx)
	defer stopServers(srv)
	if relay.ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "testenv: interrupted while starting servers")
		return 130
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		return 1
	}
	return runChild(args, srv, relay)
}

// signalRelay handles SIGINT/SIGTERM: before the child runs they cancel
// ctx (aborting cluster startup); afterwards they are forwarded to it.
type signalRelay struct {
	ctx    context.Context
	cancel context.CancelFunc
	sigs   chan os.Signal
	mu     sync.Mutex
	child  *os.Process
}

func newSignalRelay() *signalRelay {
	r := &signalRelay{sigs: make(chan os.Signal, 4)}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	signal.Notify(r.sigs, os.Interrupt, syscall.SIGTERM)
	go r.loop()
	return r
}

func (r *signalRelay) loop() {
	for sig := range r.sigs {
		r.mu.Lock()
		if r.child != nil {
			_ = r.child.Signal(sig)
		} else {
			r.cancel()
		}
		r.mu.Unlock()
	}
}

func (r *signalRelay) setChild(p *os.Process) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.child = p
}

func (r *signalRelay) close() {
	signal.Stop(r.sigs)
	close(r.sigs)
	r.cancel()
}

// startServers starts one PostgreSQL cluster per role and the MariaDB
// server concurrently. On error it returns the servers that did start so
// the caller can stop them.
func startServers(ctx context.Context) (*servers, error) {
	var (
		wg       sync.WaitGroup
		clusters = make([]*pgtest.Cluster, len(roles))
		errs     = make([]error, len(roles)+1)
		my       *mytest.Server
	)
	for i, role := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clusters[i], errs[i] = pgtest.StartContext(ctx, pgtest.Options{Name: role})
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		my, errs[len(roles)] = mytest.StartContext(ctx, mytest.Options{Name: mysqlRole})
	}()
	wg.Wait()
	srv := &servers{mysql: my}
	for i, c := range clusters {
		if c != nil {
			srv.clusters = append(srv.clusters, c)
			fmt.Fprintf(os.Stderr, "testenv: %s PostgreSQL on %s\n", roles[i], c.Addr())
		}
	}
	if my != nil {
		fmt.Fprintf(os.Stderr, "testenv: %s MariaDB on %s\n", mysqlRole, my.Addr())
	}
	return srv, errors.Join(errs...)
}

// stopServers stops every started server concurrently.
func stopServers(srv *servers) {
	stops := make([]func() error, 0, len(srv.clusters)+1)
	for _, c := range srv.clusters {
		stops = append(stops, c.Stop)
	}
	if srv.mysql != nil {
		stops = append(stops, srv.mysql.Stop)
	}
	var wg sync.WaitGroup
	for _, stop := range stops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := stop(); err != nil {
				fmt.Fprintln(os.Stderr, "testenv:", err)
			}
		}()
	}
	wg.Wait()
}

// runChild runs the command with the server addresses in its environment,
// relaying SIGINT/SIGTERM to it, and returns its exit code.
func runChild(args []string, srv *servers, relay *signalRelay) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	for _, c := range srv.clusters {
		hostVar, portVar := pgtest.EnvVars(c.Name())
		cmd.Env = append(cmd.Env, hostVar+"="+c.Host, portVar+"="+strconv.Itoa(c.Port))
	}
	if srv.mysql != nil {
		hostVar, portVar := mytest.EnvVars(srv.mysql.Name())
		cmd.Env = append(cmd.Env, hostVar+"="+srv.mysql.Host, portVar+"="+strconv.Itoa(srv.mysql.Port))
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: start %s: %v\n", args[0], err)
		return 127
	}
	relay.setChild(cmd.Process)
	defer relay.setChild(nil)
	return exitCode(cmd.Wait())
}

// exitCode maps a Wait error to a shell-style exit code.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		return 1
	}
	if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return exitErr.ExitCode()
}
