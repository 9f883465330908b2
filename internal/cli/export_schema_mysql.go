package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	srcmy "github.com/yugabyte/yb-voyager-go/internal/source/mysql"
)

// openMySQL connects to a MySQL/MariaDB source; the password is set on the
// driver config, never formatted into a string.
func openMySQL(ctx context.Context, cfg dbconn.Config) (*sql.DB, error) {
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
		return nil, explainMySQL(cfg, err)
	}
	return db, nil
}

func explainMySQL(cfg dbconn.Config, err error) error {
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

// mysqlIdentity names the server and database stably.
func mysqlIdentity(ctx context.Context, db *sql.DB, cfg dbconn.Config) string {
	var host string
	var port int
	if err := db.QueryRowContext(ctx, `SELECT @@hostname, @@port`).Scan(&host, &port); err != nil {
		return fmt.Sprintf("mysql://%s:%d/%s", cfg.Host, cfg.Port, cfg.DBName)
	}
	return fmt.Sprintf("mysql:%s:%d/%s", host, port, cfg.DBName)
}

// exportMySQLSchema reads the source catalog and writes PostgreSQL DDL in
// the same layout as for a PostgreSQL source; what needs manual work is
// listed in reports/schema_conversion_notes.txt.
func exportMySQLSchema(ctx context.Context, o *ExportSchemaOptions, s *session, schemaDir string, filter schema.Filter) error {
	db, err := openMySQL(ctx, o.Source)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := recordSourceIdentity(ctx, s, o.Source, mysqlIdentity(ctx, db, o.Source)); err != nil {
		return err
	}
	cat, err := srcmy.ReadCatalog(ctx, db, o.Source.DBName)
	if err != nil {
		return err
	}
	all, notes := srcmy.Convert(cat, "public")
	var stmts []schema.Statement
	for _, st := range all {
		if filter.Allows(st.Type) {
			stmts = append(stmts, st)
		}
	}
	if err := schema.Clear(schemaDir); err != nil {
		return err
	}
	counts, err := schema.Write(schemaDir, stmts)
	if err != nil {
		return err
	}
	printSchemaCounts(o.IO, counts)
	if len(notes) > 0 {
		p := s.dir.Path(exportdir.ReportsDir, "schema_conversion_notes.txt")
		var b strings.Builder
		for _, n := range notes {
			fmt.Fprintf(&b, "%s: %s\n", n.Object, n.Reason)
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("write conversion notes: %w", err)
		}
		fmt.Fprintf(o.IO.Out, "%d objects need a manual look after conversion: see %s\n", len(notes), p)
	}
	fmt.Fprintf(o.IO.Out, "Exported schema files are under %s. Next: yb-voyager analyze-schema --export-dir %s\n", schemaDir, s.dir.Root)
	return nil
}
