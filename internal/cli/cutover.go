package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
)

// Cutover states, as cutover status prints them.
const (
	CutoverNotInitiated = "NOT INITIATED"
	CutoverInitiated    = "INITIATED"
	CutoverCompleted    = "COMPLETED"
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
	store := s.store
	state, ok, err := exporter.LoadLiveState(ctx, store)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no live migration in %s: cutover applies to export data --export-type snapshot-and-changes", s.dir.Root)
	}
	if st, _ := cutoverState(ctx, store); st != CutoverNotInitiated {
		fmt.Fprintf(o.IO.Out, "Cutover is already %s.\n", st)
		return nil
	}
	if !state.SnapshotDone {
		return errors.New("the snapshot is still being exported: initiate cutover once export data is streaming changes")
	}
	if err := store.SetKV(ctx, exporter.CutoverKey, exporter.CutoverRequested); err != nil {
		return err
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
	store := s.store
	st, err := cutoverState(ctx, store)
	if err != nil {
		return err
	}
	if o.OutputFormat == "json" {
		return json.NewEncoder(o.IO.Out).Encode(map[string]string{"cutover_status": st})
	}
	fmt.Fprintf(o.IO.Out, "cutover to target status: %s\n", st)
	return nil
}

func cutoverState(ctx context.Context, store *exportdir.Store) (string, error) {
	if v, ok, err := store.KV(ctx, importer.CutoverCompletedKey); err != nil {
		return "", err
	} else if ok && v != "" {
		return CutoverCompleted, nil
	}
	if v, _, err := store.KV(ctx, exporter.CutoverKey); err != nil {
		return "", err
	} else if v == exporter.CutoverRequested {
		return CutoverInitiated, nil
	}
	return CutoverNotInitiated, nil
}
