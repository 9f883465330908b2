package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/importer"
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
	verb := map[string]string{"delete": "Deleted", "archive": "Archived"}[o.Policy]
	return importer.Archive(ctx, importer.ArchiveOptions{Dir: s.dir, Store: store, Direction: exportdir.SourceToTarget,
		Dest: dest, Once: o.Once, Interval: o.Interval, Log: s.log,
		Done: func(segs []int, through int64) {
			fmt.Fprintf(o.IO.Out, "%s %d applied segment(s) (through event %d).\n", verb, len(segs), through)
		}})
}
