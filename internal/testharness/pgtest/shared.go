package pgtest

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Roles accepted by Shared.
const (
	RoleSource = "source"
	RoleTarget = "target"
)

// sharedEntry is the lazily started (or discovered) cluster for one role.
type sharedEntry struct {
	once    sync.Once
	cluster *Cluster
	err     error
}

var (
	sharedMu sync.Mutex
	shared   = map[string]*sharedEntry{}
)

// EnvVars returns the names of the environment variables that point Shared
// at an already running server for role: YBV_TEST_PG_<ROLE>_HOST and
// YBV_TEST_PG_<ROLE>_PORT.
func EnvVars(role string) (hostVar, portVar string) {
	prefix := "YBV_TEST_PG_" + strings.ToUpper(role)
	return prefix + "_HOST", prefix + "_PORT"
}

// Shared returns the cluster for role ("source" or "target") shared by all
// tests of this test binary. If YBV_TEST_PG_<ROLE>_HOST/_PORT are set it
// points at that server (user and password "postgres"); otherwise it starts
// a cluster on first use. Any failure is fatal for the test, never a skip.
// Packages using Shared should call StopAll from TestMain.
func Shared(t testing.TB, role string) *Cluster {
	t.Helper()
	if role != RoleSource && role != RoleTarget {
		t.Fatalf("pgtest: unknown cluster role %q (want %q or %q)", role, RoleSource, RoleTarget)
	}
	sharedMu.Lock()
	e := shared[role]
	if e == nil {
		e = &sharedEntry{}
		shared[role] = e
	}
	sharedMu.Unlock()
	e.once.Do(func() { e.cluster, e.err = sharedCluster(role) })
	if e.err != nil {
		t.Fatalf("pgtest: %s cluster unavailable: %v", role, e.err)
	}
	return e.cluster
}

// sharedCluster uses the server named by the environment, or starts one.
func sharedCluster(role string) (*Cluster, error) {
	c, found, err := clusterFromEnv(role)
	if found || err != nil {
		return c, err
	}
	return Start(Options{Name: role})
}

// clusterFromEnv describes the external server for role, if configured.
func clusterFromEnv(role string) (*Cluster, bool, error) {
	hostVar, portVar := EnvVars(role)
	host, port := os.Getenv(hostVar), os.Getenv(portVar)
	if host == "" && port == "" {
		return nil, false, nil
	}
	if host == "" || port == "" {
		return nil, true, fmt.Errorf("both %s and %s must be set (got %q, %q)", hostVar, portVar, host, port)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 || p > 65535 {
		return nil, true, fmt.Errorf("%s=%q is not a valid port", portVar, port)
	}
	return &Cluster{Host: host, Port: p, User: SuperUser, Password: SuperPassword, name: role}, true, nil
}

// StopAll stops the shared clusters this process started (external ones are
// left alone) and forgets them, so a later Shared call starts afresh.
func StopAll() error {
	sharedMu.Lock()
	entries := shared
	shared = map[string]*sharedEntry{}
	sharedMu.Unlock()
	var errs []error
	for _, e := range entries {
		e.once.Do(func() {}) // wait for (or pre-empt) a concurrent start
		if e.cluster != nil {
			errs = append(errs, e.cluster.Stop())
		}
	}
	return errors.Join(errs...)
}
