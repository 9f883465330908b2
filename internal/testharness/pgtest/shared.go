package pgtest

import (
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

// Roles accepted by Shared.
const (
	RoleSource = "source"
	RoleTarget = "target"
)

// shared holds the cluster of each role for this test binary.
var shared = proc.Shared[*Cluster]{
	Pkg: "pgtest", What: "cluster",
	Roles:     []string{RoleSource, RoleTarget},
	EnvPrefix: "YBV_TEST_PG",
	External: func(role, host string, port int) *Cluster {
		return &Cluster{Host: host, Port: port, User: SuperUser, Password: SuperPassword, name: role}
	},
	Start: func(role string) (*Cluster, error) { return Start(Options{Name: role}) },
}

// EnvVars returns the names of the environment variables that point Shared
// at an already running server for role: YBV_TEST_PG_<ROLE>_HOST and
// YBV_TEST_PG_<ROLE>_PORT.
func EnvVars(role string) (hostVar, portVar string) {
	return proc.EnvVars(shared.EnvPrefix, role)
}

// Shared returns the cluster for role ("source" or "target") shared by all
// tests of this test binary. If YBV_TEST_PG_<ROLE>_HOST/_PORT are set it
// points at that server (user and password "postgres"); otherwise it starts
// a cluster on first use. Any failure is fatal for the test, never a skip.
// Packages using Shared should call StopAll from TestMain.
func Shared(t testing.TB, role string) *Cluster {
	t.Helper()
	return shared.Get(t, role)
}

// StopAll stops the shared clusters this process started (external ones are
// left alone) and forgets them, so a later Shared call starts afresh.
func StopAll() error {
	return shared.StopAll()
}

// Harness is StopAll for proc.RunAndStop.
var Harness = proc.Harness{Name: "pgtest", Stop: StopAll}
