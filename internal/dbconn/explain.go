package dbconn

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Explain turns a connection failure into one line that names the problem
// and the fix. It never includes the password.
func Explain(c Config, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01", "28000":
			return explainf(err, "cannot connect to %s: authentication failed for user %q: check the user and password (flag, %s or config file)",
				c, c.User, passwordEnv(c))
		case "3D000":
			return explainf(err, "cannot connect to %s: database %q does not exist: check the database name", c, c.DBName)
		case "57P03": // starting up, shutting down, in recovery
			return explainf(err, "cannot connect to %s: %s: rerun once the server accepts connections again", c, pgErr.Message)
		case "53300":
			return explainf(err, "cannot connect to %s: %s: lower --parallel-jobs, or raise max_connections on the server", c, pgErr.Message)
		}
		return explainf(err, "cannot connect to %s: %s (SQLSTATE %s)", c, pgErr.Message, pgErr.Code)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return explainf(err, "cannot connect to %s: connection refused: check that the server is running and the host and port are right", c)
	case strings.Contains(msg, "no such host"):
		return explainf(err, "cannot connect to %s: unknown host %q: check the host name", c, c.Host)
	case strings.Contains(msg, "timeout"), strings.Contains(msg, "i/o timeout"):
		return explainf(err, "cannot connect to %s: timed out: check the host, port and any firewall in between", c)
	}
	return fmt.Errorf("cannot connect to %s: %w", c, err)
}

// explained is a connection failure in words that still carries the
// driver's error, so that callers can tell a server starting up (worth a
// retry) from a wrong password.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

func explainf(err error, format string, args ...any) error {
	return &explained{msg: fmt.Sprintf(format, args...), err: err}
}

func passwordEnv(c Config) string {
	if c.Type == "" || c.Type == "yugabytedb" {
		return "TARGET_DB_PASSWORD"
	}
	return "SOURCE_DB_PASSWORD"
}
