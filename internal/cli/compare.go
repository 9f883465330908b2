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
	IO           *IO
	Common       commonFlags
	Source       dbconn.Config
	Schemas      string
	Target       dbconn.Config
	TableList    string
	ParallelJobs int
	OutputFormat string
}

func newCompareCmd(io *IO) *cobra.Command {
	o := &CompareOptions{IO: io}
	c := &cobra.Command{
		Use:   "data",
		Short: "Compare row counts and checksums of every migrated table on source and target",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunCompare(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	bindSource(c, &o.Source, &o.Schemas)
	bindTarget(c, &o.Target)
	fl := c.Flags()
	fl.StringVar(&o.TableList, "table-list", "", "compare only these tables (globs allowed; default every exported table)")
	fl.IntVar(&o.ParallelJobs, "parallel-jobs", defaultJobs(), "parallel checksum queries per database")
	fl.StringVar(&o.OutputFormat, "output-format", "table", "table or json")
	return group("compare", "Compare source and target", c)
}

// errMismatch makes compare data exit non-zero after printing its table.
var errMismatch = errors.New("source and target differ: see the table above")

// RunCompare runs compare data.
func RunCompare(ctx context.Context, c *cobra.Command, o *CompareOptions) error {
	if o.OutputFormat != "table" && o.OutputFormat != "json" {
		return usagef("--output-format %q is not valid: use table or json", o.OutputFormat)
	}
	s, err := openSessionStore(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	store := s.store
	m, err := store.Migration(ctx)
	if err != nil {
		return fmt.Errorf("nothing has been exported to %s yet: compare data compares the exported tables; run export data first", s.dir.Root)
	}
	src, err := recordedConfig(o.Source, o.Source.Type != "", m.SourceSettings, "source")
	if err != nil {
		return err
	}
	if o.Source.Type != "" {
		if err := finishSource(&src, o.Schemas); err != nil {
			return err
		}
	}
	tgt, err := recordedConfig(o.Target, o.Target.User != "", m.TargetSettings, "target")
	if err != nil {
		return err
	}
	specs, err := compareSpecs(ctx, store, o.TableList)
	if err != nil {
		return err
	}
	rs, err := verify.Compare(ctx, verify.Options{Source: src, Target: tgt, Tables: specs, Workers: o.ParallelJobs})
	if err != nil {
		return err
	}
	if o.OutputFormat == "json" {
		if err := verify.PrintJSON(o.IO.Out, rs); err != nil {
			return err
		}
	} else {
		verify.Print(o.IO.Out, rs)
	}
	if !verify.AllMatch(rs) {
		s.log.Error("compare data found differences")
		return errMismatch
	}
	return nil
}

type storeTables interface {
	Tables(ctx context.Context) ([]exportdir.TableRecord, error)
}

func compareSpecs(ctx context.Context, store storeTables, list string) ([]verify.TableSpec, error) {
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
