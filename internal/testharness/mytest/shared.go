package mytest

import (
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

// RoleSource is the role accepted by Shared: the MariaDB source database.
const RoleSource = "source"

// shared holds the server of each role for this test binary.
var shared = proc.Shared[*Server]{
	Pkg: "mytest", What: "MariaDB server",
	Roles:     []string{RoleSource},
	EnvPrefix: "YBV_TEST_MYSQL",
	External: func(role, host string, port int) *Server {
		return &Server{Host: host, Port: port, User: RootUser, Password: RootPassword, name: role}
	},
	Start: func(role string) (*Server, error) { return Start(Options{Name: role}) },
}

// EnvVars returns the names of the environment variables that point Shared
// at an already running server for role: YBV_TEST_MYSQL_<ROLE>_HOST and
// YBV_TEST_MYSQL_<ROLE>_PORT.
func EnvVars(role string) (hostVar, portVar string) {
	return proc.EnvVars(shared.EnvPrefix, role)
}

// Shared returns the server for role ("source") shared by all tests of this
// test binary. If YBV_TEST_MYSQL_<ROLE>_HOST/_PORT are set it points at that
// server (user root, password "mysql"); otherwise it starts a server on
// first use. Any failure is fatal for the test, never a skip. Packages
// using Shared should call StopAll from TestMain.
func Shared(t testing.TB, role string) *Server {
	t.Helper()
	return shared.Get(t, role)
}

// StopAll stops the shared servers this process started (external ones are
// left alone) and forgets them, so a later Shared call starts afresh.
func StopAll() error {
	return shared.StopAll()
}

// Harness is StopAll for proc.RunAndStop.
var Harness = proc.Harness{Name: "mytest", Stop: StopAll}
