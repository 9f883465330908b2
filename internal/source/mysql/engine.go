package mysql

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
	"github.com/yugabyte/yb-voyager-go/internal/verify"
)

// Engine is MySQL and MariaDB as a source engine.
type Engine struct{}

var _ engine.Engine = Engine{}

// Name is "mysql".
func (Engine) Name() string { return "mysql" }

// Configure defaults the port to 3306; the database to migrate is
// --source-db-name, so --source-db-schema does not apply.
func (Engine) Configure(cfg *dbconn.Config) error {
	if cfg.Port == 0 {
		cfg.Port = 3306
	}
	if len(cfg.Schemas) > 0 {
		return fmt.Errorf("--source-db-schema is not applicable for MySQL: the database to migrate is --source-db-name")
	}
	if cfg.DBName == "" && !cfg.Offline {
		return fmt.Errorf("--source-db-name is required")
	}
	return nil
}

// Open connects to the source.
func (Engine) Open(ctx context.Context, cfg dbconn.Config) (engine.Source, error) {
	return Open(ctx, cfg)
}

// OpenCompare opens compare data's source side.
func (Engine) OpenCompare(ctx context.Context, cfg dbconn.Config, workers int) (verify.Source, error) {
	return OpenCompare(ctx, cfg, workers)
}

// durationValueRe matches a message about a [-]hh:mm:ss[.f] value: a MySQL
// TIME outside PostgreSQL time's range.
var durationValueRe = regexp.MustCompile(`: "-?\d{2,3}:\d{2}:\d{2}(\.\d+)?"$`)

// ExplainLoadError recognises a MySQL TIME duration (negative, or beyond
// 24:00:00) that a PostgreSQL time column rejected, and names the fix.
func (Engine) ExplainLoadError(e target.LoadError) (string, string, bool) {
	// 22008: "date/time field value out of range" (beyond 24:00:00);
	// 22007: "invalid input syntax for type time" (negative).
	timeErr := e.Code == "22008" || (e.Code == "22007" && strings.HasPrefix(e.Message, "invalid input syntax for type time:"))
	if !timeErr || !durationValueRe.MatchString(e.Message) || e.Column == "" {
		return "", "", false
	}
	return e.Column, fmt.Sprintf("the value is a duration (MySQL TIME holds -838:59:59 to 838:59:59, PostgreSQL time only 00:00:00 to 24:00:00): "+
		"change the column to interval (ALTER TABLE %s ALTER COLUMN %s TYPE interval)", e.Table.Quoted(), sqlname.Quote(e.Column)), true
}

// ExportSchema reads the database's catalog and converts it to PostgreSQL
// DDL in the target schema public; notes say what needs a look by hand.
func (s *Source) ExportSchema(ctx context.Context, _ engine.SchemaOptions, f schema.Filter) ([]schema.Statement, []schema.Note, error) {
	cat, err := ReadCatalog(ctx, s.db, s.database)
	if err != nil {
		return nil, nil, err
	}
	all, notes := Convert(cat, TargetSchema)
	var stmts []schema.Statement
	for _, st := range all {
		if f.Allows(st.Type) {
			stmts = append(stmts, st)
		}
	}
	return stmts, notes, nil
}
