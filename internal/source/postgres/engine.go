package postgres

import (
	"context"
	"errors"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/target"
	"github.com/yugabyte/yb-voyager-go/internal/verify"
)

// Engine is PostgreSQL as a source engine.
type Engine struct{}

var _ engine.Engine = Engine{}

// Name is "postgresql".
func (Engine) Name() string { return "postgresql" }

// Configure defaults the port to 5432; --source-db-schema takes a list.
func (Engine) Configure(cfg *dbconn.Config) error {
	if cfg.Port == 0 {
		cfg.Port = 5432
	}
	if cfg.DBName == "" && !cfg.Offline {
		return errors.New("--source-db-name is required")
	}
	return nil
}

// Open connects to the source.
func (Engine) Open(ctx context.Context, cfg dbconn.Config) (engine.Source, error) {
	return Open(ctx, cfg)
}

// OpenCompare opens compare data's source side: the same SQL as the target's.
func (Engine) OpenCompare(ctx context.Context, cfg dbconn.Config, workers int) (verify.Source, error) {
	return verify.OpenPostgres(ctx, cfg, workers)
}

// ExplainLoadError knows no cause: PostgreSQL values load as they were.
func (Engine) ExplainLoadError(target.LoadError) (string, string, bool) { return "", "", false }

// ExportSchema dumps the selected schemas with pg_dump and splits the dump
// into statements with the PostgreSQL parser.
func (s *Source) ExportSchema(ctx context.Context, _ engine.SchemaOptions, f schema.Filter) ([]schema.Statement, []schema.Note, error) {
	dump, err := s.DumpSchema(ctx)
	if err != nil {
		return nil, nil, err
	}
	stmts, err := schema.Split(dump, f)
	return stmts, nil, err
}

// Warnings: a PostgreSQL source's values are written as they are.
func (s *Source) Warnings() []string { return nil }
