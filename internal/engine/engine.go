// Package engine is what yb-voyager needs of a source database engine,
// beyond the change-capture contract (capture.ChangeSource): reading its
// schema as PostgreSQL DDL, its side of compare data, the fixes for load
// errors its values can cause on the target, and the settings that apply to
// it. Each engine's package (internal/source/postgres, .../mysql,
// .../oracle) implements Engine; engines/engines.go lists them, one line
// each, and nothing else in yb-voyager names an engine.
package engine

import (
	"context"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/target"
	"github.com/yugabyte/yb-voyager-go/internal/verify"
)

// Engine is one source database engine. Its methods need no connection
// unless they say so.
type Engine interface {
	// Name is the --source-db-type that selects it ("postgresql").
	Name() string
	// Configure completes and checks connection settings for this engine
	// (default port, which flags apply); an error names the flag.
	Configure(cfg *dbconn.Config) error
	// Open connects to a source database of this engine.
	Open(ctx context.Context, cfg dbconn.Config) (Source, error)
	// OpenCompare connects compare data's source side, workers connections.
	OpenCompare(ctx context.Context, cfg dbconn.Config, workers int) (verify.Source, error)
	// ExplainLoadError names the fix for a target load error that a value
	// of this engine causes (a MySQL TIME beyond 24 h in a time column):
	// the column and the fix, or ok false.
	ExplainLoadError(e target.LoadError) (column, fix string, ok bool)
}

// Source is an open source database of an engine.
type Source interface {
	capture.ChangeSource
	// ExportSchema reads the selected schema as PostgreSQL DDL, with notes
	// on what needs a look by hand.
	ExportSchema(ctx context.Context, o SchemaOptions, f schema.Filter) ([]schema.Statement, []schema.Note, error)
	// Warnings are lines about values the export wrote in another form
	// than the source holds them (placeholders written as NULL); nil for
	// none.
	Warnings() []string
}

// Announcer is implemented by a source that has something to say on the
// terminal once connected (which of several names chose the database).
type Announcer interface {
	Announce() string
}

// FromFiles is implemented by an engine whose schema can be exported from
// DDL files instead of a live database (export schema --source-ddl-file).
type FromFiles interface {
	// SchemaFromFiles converts the DDL in paths (files, or directories of
	// *.sql files) for cfg's schema. What it cannot read is a note naming
	// the file and line; it fails only when no file can be read.
	SchemaFromFiles(paths []string, cfg dbconn.Config, o SchemaOptions, f schema.Filter) ([]schema.Statement, []schema.Note, error)
}

// SchemaOptions are export schema's conversion choices.
type SchemaOptions struct {
	CommentsOnObjects bool // --comments-on-objects
}
