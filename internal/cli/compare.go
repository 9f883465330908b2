package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/verify"
)

// CompareOptions are the inputs of compare data.
type CompareOptions struct {
	commonFlags
	Source       dbconn.Config
	Schemas      string
	Target       dbconn.Config
	TableList    string
	ParallelJobs int
	OutputFormat string
}

func newCompareCmd(io *IO, deps *Deps, runF func(*CompareOptions) error) *cobra.Command {
	sp := spec{use: "data", short: "Compare row counts and checksums of every migrated table on source and target", store: true}
	c := command(io, deps, sp, &CompareOptions{}, func(c *cobra.Command, o *CompareOptions) {
		bindSource(c, &o.Source, &o.Schemas)
		bindTarget(c, &o.Target)
		fl := c.Flags()
		fl.StringVar(&o.TableList, "table-list", "", "compare only these tables (globs allowed; default every exported table)")
		fl.IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "parallel checksum queries per database")
		fl.StringVar(&o.OutputFormat, "output-format", "table", "table or json")
	}, func(o *CompareOptions) error {
		if o.OutputFormat != "table" && o.OutputFormat != "json" {
			return usagef("--output-format %q is not valid: use table or json", o.OutputFormat)
		}
		return nil
	}, runCompare, runF)
	return group("compare", "Compare source and target", c)
}

// errMismatch makes compare data exit non-zero after printing its table.
var errMismatch = errors.New("source and target differ: see the table above")

// runCompare runs compare data.
func runCompare(ctx context.Context, e *env, o *CompareOptions) error {
	m, ok, err := e.migration(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("nothing has been exported to %s yet: compare data compares the exported tables; run export data first", e.dir.Root)
	}
	srcCfg, err := recordedConfig(o.Source, o.Source.Type != "", m.SourceSettings, "source")
	if err != nil {
		return err
	}
	if o.Source.Type != "" {
		if err := finishSource(e.deps, &srcCfg, o.Schemas); err != nil {
			return err
		}
	}
	tgtCfg, err := recordedConfig(o.Target, o.Target.User != "", m.TargetSettings, "target")
	if err != nil {
		return err
	}
	specs, err := compareSpecs(ctx, e.store, o.TableList)
	if err != nil {
		return err
	}
	eng, err := e.deps.Engine(srcCfg.Type)
	if err != nil {
		return err
	}
	src, err := eng.OpenCompare(ctx, srcCfg, o.ParallelJobs)
	if err != nil {
		return err
	}
	defer src.Close()
	rs, err := verify.Compare(ctx, verify.Options{Source: src, Target: tgtCfg, Tables: specs, Workers: o.ParallelJobs})
	if err != nil {
		return err
	}
	if o.OutputFormat == "json" {
		if err := verify.PrintJSON(e.io.Out, rs); err != nil {
			return err
		}
	} else {
		verify.Print(e.io.Out, rs)
	}
	if !verify.AllMatch(rs) {
		return errMismatch
	}
	return nil
}

func compareSpecs(ctx context.Context, store *exportdir.Store, list string) ([]verify.TableSpec, error) {
	tables, err := store.Tables(ctx)
	if err != nil {
		return nil, err
	}
	pats := sqlname.ParseList(list)
	var specs []verify.TableSpec
	for _, t := range tables {
		if len(pats) > 0 && !source.MatchesAny(t.Table, pats) {
			continue
		}
		specs = append(specs, verify.TableSpec{Table: t.Table, Columns: t.Columns, PrimaryKey: t.PrimaryKey})
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("no exported table matches --table-list %q", list)
	}
	return specs, nil
}
