package dbconn

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestExplainNamesTheFixAndKeepsTheCause(t *testing.T) {
	c := Config{Type: "postgresql", Host: "db1", Port: 5432, User: "u", DBName: "d", Password: "s3cret"}
	for _, tc := range []struct {
		code, msg, fix string
		transient      bool
	}{
		{"28P01", "password authentication failed", "check the user and password (flag, SOURCE_DB_PASSWORD", false},
		{"3D000", "database does not exist", `database "d" does not exist`, false},
		{"57P03", "the database system is starting up", "starting up: rerun once the server accepts connections again", true},
		{"53300", "sorry, too many clients already", "lower --parallel-jobs, or raise max_connections", true},
	} {
		cause := &pgconn.PgError{Code: tc.code, Message: tc.msg}
		err := Explain(c, cause)
		if !strings.Contains(err.Error(), tc.fix) || strings.Contains(err.Error(), c.Password) {
			t.Errorf("%s: %q does not name the fix %q (or shows the password)", tc.code, err, tc.fix)
		}
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != tc.code {
			t.Errorf("%s: the driver's error is lost", tc.code)
		}
		if IsTransient(err) != tc.transient {
			t.Errorf("%s: IsTransient = %v", tc.code, !tc.transient)
		}
	}
}
