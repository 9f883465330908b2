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
	commonFlags
	OutputFormat string
}

func newInitiateCmd(io *IO, deps *Deps, runF func(*CutoverOptions) error) *cobra.Command {
	sp := spec{use: "target", short: "Ask the live migration to cut over: export the last changes, apply them, then stop", store: true}
	c := command(io, deps, sp, &CutoverOptions{}, nil, nil, runInitiateCutover, runF)
	return group("initiate", "Initiate a step of a live migration",
		group("cutover", "Initiate cutover", group("to", "Initiate cutover to a database", c)))
}

func newCutoverCmd(io *IO, deps *Deps, runF func(*CutoverOptions) error) *cobra.Command {
	sp := spec{use: "status", short: "Show the cutover status: NOT INITIATED, INITIATED or COMPLETED", store: true}
	c := command(io, deps, sp, &CutoverOptions{}, func(c *cobra.Command, o *CutoverOptions) {
		c.Flags().StringVar(&o.OutputFormat, "output-format", "table", "table or json")
	}, nil, runCutoverStatus, runF)
	return group("cutover", "Cutover commands", c)
}

// runInitiateCutover records the cutover request; export data acts on it.
func runInitiateCutover(ctx context.Context, e *env, _ *CutoverOptions) error {
	was, err := exporter.RequestCutover(ctx, e.store, exportdir.SourceToTarget, e.dir.Root)
	if err != nil {
		return err
	}
	if was != exportdir.CutoverNotInitiated {
		fmt.Fprintf(e.io.Out, "Cutover is already %s.\n", was)
		return nil
	}
	e.log.Info("cutover initiated")
	fmt.Fprintln(e.io.Out, "Cutover initiated: export data will export the remaining changes and stop; import data will apply them, "+
		"set sequences and stop. Watch `yb-voyager cutover status`; when it says COMPLETED, point your applications at the target.")
	return nil
}

// runCutoverStatus prints the cutover state.
func runCutoverStatus(ctx context.Context, e *env, o *CutoverOptions) error {
	cut, err := e.store.Cutover(ctx, exportdir.SourceToTarget)
	if err != nil {
		return err
	}
	st := cut.Status()
	if o.OutputFormat == "json" {
		return json.NewEncoder(e.io.Out).Encode(map[string]string{"cutover_status": st})
	}
	fmt.Fprintf(e.io.Out, "cutover to target status: %s\n", st)
	return nil
}
