// Command testenv starts a throwaway "source" and "target" PostgreSQL
// cluster, runs a command with YBV_TEST_PG_{SOURCE,TARGET}_{HOST,PORT} set
// so that pgtest.Shared uses them, then stops both clusters and exits with
// the command's exit code:
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

	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

var roles = []string{pgtest.RoleSource, pgtest.RoleTarget}

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
	clusters, err := startClusters(relay.ctx)
	defer stopClusters(clusters)
	if relay.ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "testenv: interrupted while starting clusters")
		return 130
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		return 1
	}
	return runChild(args, clusters, relay)
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

// startClusters starts one cluster per role concurrently. On error it
// returns the clusters that did start so the caller can stop them.
func startClusters(ctx context.Context) ([]*pgtest.Cluster, error) {
	var (
		wg       sync.WaitGroup
		clusters = make([]*pgtest.Cluster, len(roles))
		errs     = make([]error, len(roles))
	)
	for i, role := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clusters[i], errs[i] = pgtest.StartContext(ctx, pgtest.Options{Name: role})
		}()
	}
	wg.Wait()
	started := clusters[:0]
	for i, c := range clusters {
		if c != nil {
			started = append(started, c)
			fmt.Fprintf(os.Stderr, "testenv: %s PostgreSQL on %s\n", roles[i], c.Addr())
		}
	}
	return started, errors.Join(errs...)
}

func stopClusters(clusters []*pgtest.Cluster) {
	var wg sync.WaitGroup
	for _, c := range clusters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, "testenv:", err)
			}
		}()
	}
	wg.Wait()
}

// runChild runs the command with the cluster addresses in its environment,
// relaying SIGINT/SIGTERM to it, and returns its exit code.
func runChild(args []string, clusters []*pgtest.Cluster, relay *signalRelay) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	for _, c := range clusters {
		hostVar, portVar := pgtest.EnvVars(c.Name())
		cmd.Env = append(cmd.Env, hostVar+"="+c.Host, portVar+"="+strconv.Itoa(c.Port))
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
