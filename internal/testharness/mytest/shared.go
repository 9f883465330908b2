package mytest

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// RoleSource is the role accepted by Shared: the MariaDB source database.
const RoleSource = "source"

// sharedEntry is the lazily started (or discovered) server for one role.
type sharedEntry struct {
	once   sync.Once
	server *Server
	err    error
}

var (
	sharedMu sync.Mutex
	shared   = map[string]*sharedEntry{}
)

// EnvVars returns the names of the environment variables that point Shared
// at an already running server for role: YBV_TEST_MYSQL_<ROLE>_HOST and
// YBV_TEST_MYSQL_<ROLE>_PORT.
func EnvVars(role string) (hostVar, portVar string) {
	prefix := "YBV_TEST_MYSQL_" + strings.ToUpper(role)
	return prefix + "_HOST", prefix + "_PORT"
}

// Shared returns the server for role ("source") shared by all tests of this
// test binary. If YBV_TEST_MYSQL_<ROLE>_HOST/_PORT are set it points at that
// server (user root, password "mysql"); otherwise it starts a server on
// first use. Any failure is fatal for the test, never a skip. Packages
// using Shared should call StopAll from TestMain.
func Shared(t testing.TB, role string) *Server {
	t.Helper()
	if role != RoleSource {
		t.Fatalf("mytest: unknown server role %q (want %q)", role, RoleSource)
	}
	sharedMu.Lock()
	e := shared[role]
	if e == nil {
		e = &sharedEntry{}
		shared[role] = e
	}
	sharedMu.Unlock()
	e.once.Do(func() { e.server, e.err = sharedServer(role) })
	if e.err != nil {
		t.Fatalf("mytest: %s MariaDB server unavailable: %v", role, e.err)
	}
	return e.server
}

// sharedServer uses the server named by the environment, or starts one.
func sharedServer(role string) (*Server, error) {
	s, found, err := serverFromEnv(role)
	if found || err != nil {
		return s, err
	}
	return Start(Options{Name: role})
}

// serverFromEnv describes the external server for role, if configured.
func serverFromEnv(role string) (*Server, bool, error) {
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
	return &Server{Host: host, Port: p, User: RootUser, Password: RootPassword, name: role}, true, nil
}

// StopAll stops the shared servers this process started (external ones are
// left alone) and forgets them, so a later Shared call starts afresh.
func StopAll() error {
	sharedMu.Lock()
	entries := shared
	shared = map[string]*sharedEntry{}
	sharedMu.Unlock()
	var errs []error
	for _, e := range entries {
		e.once.Do(func() {}) // wait for (or pre-empt) a concurrent start
		if e.server != nil {
			errs = append(errs, e.server.Stop())
		}
	}
	return errors.Join(errs...)
}
