package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// ArchiveOptions are the inputs of archive changes.
type ArchiveOptions struct {
	IO         *IO
	Common     commonFlags
	Policy     string
	ArchiveDir string
	Once       bool
	Interval   time.Duration
}

func newArchiveCmd(io *IO) *cobra.Command {
	o := &ArchiveOptions{IO: io}
	c := &cobra.Command{
		Use:   "changes",
		Short: "Delete or archive change segments import data has applied, so disk stays bounded during a live migration",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunArchive(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	fl := c.Flags()
	fl.StringVar(&o.Policy, "policy", "", "delete: remove applied segments; archive: move them to --archive-dir (required)")
	fl.StringVar(&o.ArchiveDir, "archive-dir", "", "where --policy archive moves applied segments")
	fl.BoolVar(&o.Once, "once", false, "make one pass and exit (default: keep going until cutover completes)")
	fl.DurationVar(&o.Interval, "interval", 10*time.Second, "time between passes")
	return group("archive", "Archive commands", c)
}

// RunArchive removes or moves applied segments until cutover (or once).
func RunArchive(ctx context.Context, c *cobra.Command, o *ArchiveOptions) error {
	switch o.Policy {
	case "delete":
	case "archive":
		if o.ArchiveDir == "" {
			return usagef("--policy archive needs --archive-dir")
		}
		if err := os.MkdirAll(o.ArchiveDir, 0o755); err != nil {
			return fmt.Errorf("create --archive-dir: %w", err)
		}
	default:
		return usagef("--policy is required: delete or archive")
	}
	s, err := openCommand(c, &o.Common, "archive-changes")
	if err != nil {
		return err
	}
	defer s.close()
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	dest := ""
	if o.Policy == "archive" {
		dest = o.ArchiveDir
	}
	for {
		v, ok, err := store.KV(ctx, importer.AppliedKey)
		if err != nil {
			return err
		}
		if ok {
			var mark importer.AppliedMark
			if err := json.Unmarshal([]byte(v), &mark); err != nil {
				return fmt.Errorf("read applied position: %w", err)
			}
			done, err := queue.Archive(exporter.QueueDir(s.dir), mark.Position.Segment, dest)
			if err != nil {
				return err
			}
			if len(done) > 0 {
				s.log.Info("archived change segments", "policy", o.Policy, "segments", done)
				fmt.Fprintf(o.IO.Out, "%s %d applied segment(s) (through event %d).\n", map[string]string{"delete": "Deleted", "archive": "Archived"}[o.Policy], len(done), mark.Through)
			}
		}
		completed, _, _ := store.KV(ctx, importer.CutoverCompletedKey)
		if o.Once || completed != "" {
			return nil
		}
		select {
		case <-time.After(o.Interval):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
