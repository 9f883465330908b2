// Package apply creates an exported (and possibly hand-edited) schema on the
// target: import schema runs the statements that must exist before the data,
// in dependency order; finalize runs what was deferred until after it
// (indexes, unique and exclusion constraints, foreign keys, materialized view
// refreshes), in parallel. Both are safe to rerun with IgnoreExist.
package apply

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Execer runs one SQL statement (simple protocol, autocommit).
type Execer interface {
	Exec(ctx context.Context, sql string) error
}

// ImportOptions configures import schema.
type ImportOptions struct {
	SchemaDir       string
	DB              Execer
	Filter          schema.Filter
	IgnoreExist     bool
	ContinueOnError bool
	Log             *slog.Logger
}

// ImportResult counts what import schema did.
type ImportResult struct {
	Created, Skipped, Failed, Deferred int
}

// Import creates every pre-data object. Statements run in object-type order;
// one that fails because something it needs does not exist yet is retried
// after the others, until a pass makes no progress.
func Import(ctx context.Context, o ImportOptions) (ImportResult, error) {
	var res ImportResult
	all, err := schema.LoadDir(o.SchemaDir)
	if err != nil {
		return res, err
	}
	var pending []schema.Statement
	for _, st := range all {
		switch {
		case !o.Filter.Allows(st.Type) || st.Type == schema.Session:
		case schema.StageOf(st) != schema.StageSchema:
			res.Deferred++
		default:
			pending = append(pending, st)
		}
	}
	sortByType(pending)
	failed := newFailedFile(o.SchemaDir)
	for len(pending) > 0 {
		var retry []schema.Statement
		lastErr := map[int]error{}
		for _, st := range pending {
			err := o.DB.Exec(ctx, st.Text)
			switch {
			case err == nil:
				res.Created++
			case o.IgnoreExist && IsAlreadyExists(err):
				res.Skipped++
			case isMissingDependency(err):
				lastErr[len(retry)] = err
				retry = append(retry, st)
			case ctx.Err() != nil:
				return res, ctx.Err()
			default:
				if err := o.fail(failed, &res, st, err); err != nil {
					return res, err
				}
			}
		}
		if len(retry) == len(pending) { // no progress: these will never succeed
			for i, st := range retry {
				if err := o.fail(failed, &res, st, lastErr[i]); err != nil {
					return res, err
				}
			}
			break
		}
		pending = retry
	}
	return res, failed.close()
}

func (o ImportOptions) fail(f *failedFile, res *ImportResult, st schema.Statement, err error) error {
	res.Failed++
	o.Log.Error("schema statement failed", "location", st.Location(), "err", err)
	if !o.ContinueOnError {
		return StatementError(st, err, o.IgnoreExist)
	}
	return f.add(st, err)
}

// StatementError is the one line a user sees for a failed DDL statement.
func StatementError(st schema.Statement, err error, ignoreExist bool) error {
	hint := "fix the statement in " + filepath.Join("schema", st.File) + " and rerun with --ignore-exist (objects already created are kept)"
	switch {
	case IsAlreadyExists(err) && !ignoreExist:
		hint = "rerun with --ignore-exist to skip objects that already exist, or --start-clean to start over"
	case sqlState(err) == "23505":
		hint = "duplicate values on the target: during a live migration they can exist until all changes are applied, so rerun with --ignore-exist (cutover builds them too); otherwise fix the data"
	}
	return fmt.Errorf("%s (%s %s): %s: %s", st.Location(), st.Type, st.Name, pgMessage(err), hint)
}

func sortByType(sts []schema.Statement) {
	rank := map[schema.ObjectType]int{}
	for i, t := range schema.Order {
		rank[t] = i
	}
	sort.SliceStable(sts, func(i, j int) bool { return rank[sts[i].Type] < rank[sts[j].Type] })
}

// IsAlreadyExists reports the duplicate-object family of errors.
// A rerun meets them for every object the first run created.
func IsAlreadyExists(err error) bool {
	switch sqlState(err) {
	case "42P07", "42710", "42P06", "42723", "42P04", "42701":
		return true
	case "":
		return false
	}
	msg := pgMessage(err)
	for _, s := range []string{"already exists", "multiple primary keys", "is already a partition", "is already an identity column", "already attached"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func isMissingDependency(err error) bool {
	switch sqlState(err) {
	case "42704", "42883", "42P01", "3F000", "42703":
		return true
	}
	return false
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

func pgMessage(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Sprintf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	}
	return err.Error()
}

// failedFile collects statements import schema could not run, each with its
// error, in schema/failed.sql, so the user can fix and apply them.
type failedFile struct {
	path string
	b    strings.Builder
}

func newFailedFile(dir string) *failedFile {
	return &failedFile{path: filepath.Join(dir, "failed.sql")}
}

func (f *failedFile) add(st schema.Statement, err error) error {
	fmt.Fprintf(&f.b, "/*\n * %s: %s\n */\n%s;\n\n", st.Location(), strings.ReplaceAll(pgMessage(err), "*/", "* /"), st.Text)
	return nil
}

func (f *failedFile) close() error {
	if f.b.Len() == 0 {
		_ = os.Remove(f.path)
		return nil
	}
	if err := os.WriteFile(f.path, []byte(f.b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// DropSchemas drops the schemas with everything in them (import schema
// --start-clean); public is recreated, empty.
func DropSchemas(ctx context.Context, db Execer, names []string) error {
	for _, n := range names {
		if err := db.Exec(ctx, "DROP SCHEMA IF EXISTS "+sqlname.Quote(n)+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s on the target: %w", n, err)
		}
	}
	return db.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS public")
}
