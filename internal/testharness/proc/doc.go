// Package proc owns what the throwaway-server packages pgtest and mytest do
// alike with the server processes they start: running the binaries (as an
// unprivileged OS user through runuser when the test process is root),
// watching a started server until it is ready or exits, shutting it down
// through its pid file, choosing a free port, and keeping one shared server
// per role for a test binary. It knows nothing about PostgreSQL or MariaDB:
// what differs between them (the OS user, which binaries, how to probe for
// readiness, which signals stop the server) is given by the caller.
//
// Invariants a caller relies on:
//   - A server started with Runner.Start is in its own process group and is
//     signalled by the kernel if the test process dies without stopping it.
//   - Shutdown always returns with the process reaped, killing the process
//     group as a last resort.
//   - Shared servers are started at most once per role until StopAll.
package proc
