// Package mytest owns the throwaway MariaDB servers used by tests.
//
// It starts real MariaDB servers (never mocks) from the locally installed
// binaries: mariadb-install-db (or mysql_install_db) into a fresh temporary
// directory, then mariadbd bound to 127.0.0.1 on a free port, listening on
// a unix socket inside that directory, with the binary log enabled in the
// form change data capture needs (binlog_format=ROW, binlog_row_image=FULL,
// server_id=1) and tuned for speed (innodb_flush_log_at_trx_commit=2). Both
// mariadb-install-db and mariadbd are run with --no-defaults, so no my.cnf
// of the machine is read. Root connects over TCP with user "root" and
// password "mysql" (accounts 'root'@'127.0.0.1' and 'root'@'localhost').
//
// Binaries are looked up in $YBV_TEST_MYSQL_BINDIR, then $PATH, /usr/sbin,
// /usr/bin, /usr/local/mysql/bin, /usr/local/mysql/scripts. If they are
// missing, Start fails with an error naming `apt-get install mariadb-server`;
// tests never skip silently. When the process runs as root, the binaries are
// run through `runuser -u mysql --` and the server directory is chowned to
// the mysql OS user.
//
// Test packages normally use Shared, which returns one "source" server per
// test binary, and call StopAll from TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		if err := mytest.StopAll(); err != nil && code == 0 {
//			code = 1
//		}
//		os.Exit(code)
//	}
//
// When YBV_TEST_MYSQL_SOURCE_HOST and YBV_TEST_MYSQL_SOURCE_PORT are set (as
// done by `go run ./tools/testenv -- go test ./...`), Shared connects to that
// server (user root, password "mysql") instead of starting its own, so many
// test binaries share one server.
//
// Each test isolates itself with CreateDatabase, which creates a uniquely
// named database and drops it when the test ends.
//
// Stop asks the server for a normal shutdown (SIGTERM) and kills it after
// 30 seconds. As a safety net, a server started by this package is sent
// SIGTERM when the process that started it dies, even if Stop was never
// called.
package mytest
