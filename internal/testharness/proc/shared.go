package proc

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Stopper is a server the Shared registry can stop.
type Stopper interface{ Stop() error }

// Shared holds one server per role for the whole test binary, found
// through the environment (see EnvVars) or else started on first use. Set
// the exported fields before the first Get and do not change them.
type Shared[S Stopper] struct {
	// Pkg and What name the registry in test failures: "<Pkg>: <role>
	// <What> unavailable".
	Pkg, What string
	// Roles lists the roles Get accepts.
	Roles []string
	// EnvPrefix starts the names of the variables of EnvVars.
	EnvPrefix string
	// External describes the already running server the environment
	// names for role; Stop must do nothing for it.
	External func(role, host string, port int) S
	// Start starts a server for role.
	Start func(role string) (S, error)

	mu      sync.Mutex
	entries map[string]*sharedEntry[S]
}

// sharedEntry is the lazily opened server for one role.
type sharedEntry[S Stopper] struct {
	once   sync.Once
	server S
	ok     bool // server is set: open succeeded
	err    error
}

// Get returns the server for role, opening it on first use. Any failure is
// fatal for the test, never a skip; a failed open is remembered, so every
// later Get for role fails the same way.
func (r *Shared[S]) Get(t testing.TB, role string) S {
	t.Helper()
	if !slices.Contains(r.Roles, role) {
		t.Fatalf("%s: unknown %s role %q (want one of %q)", r.Pkg, r.What, role, r.Roles)
	}
	r.mu.Lock()
	if r.entries == nil {
		r.entries = map[string]*sharedEntry[S]{}
	}
	e := r.entries[role]
	if e == nil {
		e = &sharedEntry[S]{}
		r.entries[role] = e
	}
	r.mu.Unlock()
	e.once.Do(func() {
		e.server, e.err = r.open(role)
		e.ok = e.err == nil
	})
	if e.err != nil {
		t.Fatalf("%s: %s %s unavailable: %v", r.Pkg, role, r.What, e.err)
	}
	return e.server
}

// open uses the server named by the environment, or starts one.
func (r *Shared[S]) open(role string) (S, error) {
	host, port, err := EnvAddr(r.EnvPrefix, role)
	switch {
	case err != nil:
		var none S
		return none, err
	case host != "":
		return r.External(role, host, port), nil
	default:
		return r.Start(role)
	}
}

// StopAll stops the servers opened so far and forgets them, so a later Get
// opens afresh.
func (r *Shared[S]) StopAll() error {
	r.mu.Lock()
	entries := r.entries
	r.entries = nil
	r.mu.Unlock()
	var errs []error
	for _, e := range entries {
		e.once.Do(func() {}) // wait for (or pre-empt) a concurrent open
		if e.ok {
			errs = append(errs, e.server.Stop())
		}
	}
	return errors.Join(errs...)
}

// EnvVars returns the names of the environment variables that point a
// Shared registry at an already running server for role:
// <prefix>_<ROLE>_HOST and <prefix>_<ROLE>_PORT. tools/testenv sets them.
func EnvVars(prefix, role string) (hostVar, portVar string) {
	p := prefix + "_" + strings.ToUpper(role)
	return p + "_HOST", p + "_PORT"
}

// EnvAddr reads the variables named by EnvVars. An empty host means they
// are not set; setting only one of them, or a bad port, is an error.
func EnvAddr(prefix, role string) (host string, port int, err error) {
	hostVar, portVar := EnvVars(prefix, role)
	host, portStr := os.Getenv(hostVar), os.Getenv(portVar)
	if host == "" && portStr == "" {
		return "", 0, nil
	}
	if host == "" || portStr == "" {
		return "", 0, fmt.Errorf("both %s and %s must be set (got %q, %q)", hostVar, portVar, host, portStr)
	}
	port, err = strconv.Atoi(portStr)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, fmt.Errorf("%s=%q is not a valid port", portVar, portStr)
	}
	return host, port, nil
}
