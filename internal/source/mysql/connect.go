package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
)

// Connect opens a pool to a MySQL/MariaDB server and checks it answers; the
// password is set on the driver config, never formatted into a string.
// Sessions run in UTC so TIMESTAMP values come out as stored.
func Connect(ctx context.Context, cfg dbconn.Config) (*sql.DB, error) {
	mc := gomysql.NewConfig()
	mc.User, mc.Passwd, mc.Net = cfg.User, cfg.Password, "tcp"
	mc.Addr = net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	mc.DBName = cfg.DBName
	mc.Params = map[string]string{"time_zone": "'+00:00'"}
	if cfg.SSLMode == "require" || cfg.SSLMode == "verify-ca" || cfg.SSLMode == "verify-full" {
		mc.TLSConfig = "true"
	}
	conn, err := gomysql.NewConnector(mc)
	if err != nil {
		return nil, fmt.Errorf("connection settings for %s: %w", cfg, err)
	}
	db := sql.OpenDB(conn)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, Explain(cfg, err)
	}
	return db, nil
}

// Explain turns a connection error into one line that names the fix.
func Explain(cfg dbconn.Config, err error) error {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045:
			return fmt.Errorf("cannot connect to %s: access denied for user %q: check the user and password (flag, SOURCE_DB_PASSWORD or config file)", cfg, cfg.User)
		case 1049:
			return fmt.Errorf("cannot connect to %s: unknown database %q: check --source-db-name", cfg, cfg.DBName)
		}
		return fmt.Errorf("cannot connect to %s: %s (MySQL error %d)", cfg, me.Message, me.Number)
	}
	if strings.Contains(err.Error(), "connection refused") {
		return fmt.Errorf("cannot connect to %s: connection refused: check that the server is running and the host and port are right", cfg)
	}
	return fmt.Errorf("cannot connect to %s: %w", cfg, err)
}
