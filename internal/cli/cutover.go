package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
)

// CutoverOptions are the inputs of initiate cutover to target and cutover status.
type CutoverOptions struct {
	IO           *IO
	Common       commonFlags
	OutputFormat string
}

func newInitiateCmd(io *IO) *cobra.Command {
	o := &CutoverOptions{IO: io}
	c := &cobra.Command{
		Use:   "target",
		Short: "Ask the live migration to cut over: export the last changes, apply them, then stop",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunInitiateCutover(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	return group("initiate", "Initiate a step of a live migration",
		group("cutover", "Initiate cutover", group("to", "Initiate cutover to a database", c)))
}

func newCutoverCmd(io *IO) *cobra.Command {
	o := &CutoverOptions{IO: io}
	c := &cobra.Command{
		Use:   "status",
		Short: "Show the cutover status: NOT INITIATED, INITIATED or COMPLETED",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunCutoverStatus(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	c.Flags().StringVar(&o.OutputFormat, "output-format", "table", "table or json")
	return group("cutover", "Cutover commands", c)
}

// RunInitiateCutover records the cutover request; export data acts on it.
func RunInitiateCutover(ctx context.Context, c *cobra.Command, o *CutoverOptions) error {
	s, err := openSessionStore(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	was, err := exporter.RequestCutover(ctx, s.store, exportdir.SourceToTarget, s.dir.Root)
	if err != nil {
		return err
	}
	if was != exportdir.CutoverNotInitiated {
		fmt.Fprintf(o.IO.Out, "Cutover is already %s.\n", was)
		return nil
	}
	s.log.Info("cutover initiated")
	fmt.Fprintln(o.IO.Out, "Cutover initiated: export data will export the remaining changes and stop; import data will apply them, "+
		"set sequences and stop. Watch `yb-voyager cutover status`; when it says COMPLETED, point your applications at the target.")
	return nil
}

// RunCutoverStatus prints the cutover state.
func RunCutoverStatus(ctx context.Context, c *cobra.Command, o *CutoverOptions) error {
	s, err := openSessionStore(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	cut, err := s.store.Cutover(ctx, exportdir.SourceToTarget)
	if err != nil {
		return err
	}
	st := cut.Status()
	if o.OutputFormat == "json" {
		return json.NewEncoder(o.IO.Out).Encode(map[string]string{"cutover_status": st})
	}
	fmt.Fprintf(o.IO.Out, "cutover to target status: %s\n", st)
	return nil
}
