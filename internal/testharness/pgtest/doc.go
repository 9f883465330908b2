// Package pgtest owns the throwaway PostgreSQL servers used by tests.
//
// It starts real PostgreSQL clusters (never mocks) from the locally installed
// server binaries: initdb into a fresh temporary directory, then a postmaster
// bound to 127.0.0.1 on a free port, configured for logical replication and
// tuned for speed (fsync off, synchronous_commit off). The superuser is
// "postgres" with password "postgres"; TCP connections use scram-sha-256 so
// authentication failures can be tested.
//
// Binaries are looked up in $YBV_TEST_PG_BINDIR, /usr/lib/postgresql/15/bin,
// `pg_config --bindir`, other /usr/lib/postgresql/*/bin directories and
// finally $PATH. When the process runs as root, initdb and postgres are run
// through `runuser -u postgres --` and the cluster directory is chowned to the
// postgres OS user.
//
// Test packages normally use Shared, which returns one "source" and one
// "target" cluster per test binary, and call StopAll from TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pgtest.StopAll()
//		os.Exit(code)
//	}
//
// When YBV_TEST_PG_<ROLE>_HOST and YBV_TEST_PG_<ROLE>_PORT are set (as done by
// `go run ./tools/testenv -- go test ./...`), Shared connects to those servers
// instead of starting its own, so many test binaries share two clusters.
//
// Each test isolates itself with CreateDatabase, which creates a uniquely
// named database and drops it when the test ends.
//
// As a safety net, a postmaster started by this package is asked to shut down
// when the process that started it dies, even if Stop was never called.
package pgtest
