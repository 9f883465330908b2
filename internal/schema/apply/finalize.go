package apply

import (
	"context"
	"log/slog"

	"golang.org/x/sync/errgroup"

	"github.com/yugabyte/yb-voyager-go/internal/progress"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// FinalizeOptions configures finalize-schema-post-data-import.
type FinalizeOptions struct {
	SchemaDir   string
	DB          Execer // must allow Jobs concurrent calls (a pool)
	Jobs        int
	IgnoreExist bool
	Progress    progress.Reporter
	Log         *slog.Logger
}

// FinalizeResult counts what finalize did.
type FinalizeResult struct {
	Created, Skipped, Refreshed int
}

// Finalize builds indexes and unique/exclusion constraints in parallel,
// attaches partition indexes, adds foreign keys, then refreshes
// materialized views. Each statement is its own transaction, so a crash
// leaves nothing half-built and a rerun with IgnoreExist skips what is done.
func Finalize(ctx context.Context, o FinalizeOptions) (FinalizeResult, error) {
	var res FinalizeResult
	all, err := schema.LoadDir(o.SchemaDir)
	if err != nil {
		return res, err
	}
	stages := map[schema.Stage][]schema.Statement{}
	var refresh []string
	for _, st := range all {
		if s := schema.StageOf(st); s != schema.StageSchema {
			stages[s] = append(stages[s], st)
		}
		if q := refreshSQL(st); q != "" {
			refresh = append(refresh, q)
		}
	}
	total := len(stages[schema.StageIndexes]) + len(stages[schema.StageAttach]) + len(stages[schema.StageForeignKeys])
	o.Progress.Table("indexes and constraints", int64(total), 0)
	for _, s := range []schema.Stage{schema.StageIndexes, schema.StageAttach, schema.StageForeignKeys} {
		jobs := o.Jobs
		if s == schema.StageAttach {
			jobs = 1 // attach order follows the dump
		}
		if err := o.runStage(ctx, stages[s], jobs, &res); err != nil {
			return res, err
		}
	}
	o.Progress.Finish("indexes and constraints")
	for _, q := range refresh {
		if err := o.DB.Exec(ctx, q); err != nil {
			return res, err
		}
		res.Refreshed++
	}
	return res, nil
}

func (o FinalizeOptions) runStage(ctx context.Context, sts []schema.Statement, jobs int, res *FinalizeResult) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(jobs, 1))
	results := make([]int, len(sts)) // 1 created, 2 skipped
	for i, st := range sts {
		g.Go(func() error {
			err := o.DB.Exec(gctx, st.Text)
			switch {
			case err == nil:
				results[i] = 1
			case IsAlreadyExists(err): // finalize is meant to be rerun: done is done
				results[i] = 2
			default:
				return StatementError(st, err, o.IgnoreExist)
			}
			o.Progress.Add("indexes and constraints", 1)
			o.Log.Info("post-data statement done", "location", st.Location(), "skipped", results[i] == 2)
			return nil
		})
	}
	err := g.Wait()
	for _, r := range results {
		switch r {
		case 1:
			res.Created++
		case 2:
			res.Skipped++
		}
	}
	return err
}

// refreshSQL is the REFRESH for a materialized view created WITH NO DATA.
func refreshSQL(st schema.Statement) string {
	if st.Node == nil || st.Type != schema.MView {
		return ""
	}
	ct := st.Node.GetCreateTableAsStmt()
	if ct == nil || ct.Into == nil || ct.Into.Rel == nil {
		return ""
	}
	rel := ct.Into.Rel
	t := sqlname.Table{Schema: rel.Schemaname, Name: rel.Relname}
	if t.Schema == "" {
		return "REFRESH MATERIALIZED VIEW " + sqlname.Quote(t.Name)
	}
	return "REFRESH MATERIALIZED VIEW " + t.Quoted()
}
