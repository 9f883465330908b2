package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	srcmy "github.com/yugabyte/yb-voyager-go/internal/source/mysql"
)

// openMySQL connects to a MySQL/MariaDB source.
func openMySQL(ctx context.Context, cfg dbconn.Config) (*sql.DB, error) {
	return srcmy.Connect(ctx, cfg)
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
	if err := writeSchema(o.IO, schemaDir, stmts); err != nil {
		return err
	}
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
