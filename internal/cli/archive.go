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
	commonFlags
	Policy     string
	ArchiveDir string
	Once       bool
	Interval   time.Duration
}

func newArchiveCmd(io *IO, deps *Deps, runF func(*ArchiveOptions) error) *cobra.Command {
	sp := spec{use: "changes", short: "Delete or archive change segments import data has applied, so disk stays bounded during a live migration",
		store: true, locks: []string{"archive-changes"}}
	c := command(io, deps, sp, &ArchiveOptions{}, func(c *cobra.Command, o *ArchiveOptions) {
		fl := c.Flags()
		fl.StringVar(&o.Policy, "policy", "", "delete: remove applied segments; archive: move them to --archive-dir (required)")
		fl.StringVar(&o.ArchiveDir, "archive-dir", "", "where --policy archive moves applied segments")
		fl.BoolVar(&o.Once, "once", false, "make one pass and exit (default: keep going until cutover completes)")
		fl.DurationVar(&o.Interval, "interval", 10*time.Second, "time between passes")
	}, func(o *ArchiveOptions) error {
		switch o.Policy {
		case "delete":
		case "archive":
			if o.ArchiveDir == "" {
				return usagef("--policy archive needs --archive-dir")
			}
		default:
			return usagef("--policy is required: delete or archive")
		}
		return nil
	}, runArchive, runF)
	return group("archive", "Archive commands", c)
}

// runArchive removes or moves applied segments until cutover (or once).
func runArchive(ctx context.Context, e *env, o *ArchiveOptions) error {
	dest := ""
	if o.Policy == "archive" {
		if err := os.MkdirAll(o.ArchiveDir, 0o755); err != nil {
			return fmt.Errorf("create --archive-dir: %w", err)
		}
		dest = o.ArchiveDir
	}
	verb := map[string]string{"delete": "Deleted", "archive": "Archived"}[o.Policy]
	return importer.Archive(ctx, importer.ArchiveOptions{Dir: e.dir, Store: e.store, Direction: exportdir.SourceToTarget,
		Dest: dest, Once: o.Once, Interval: o.Interval, Log: e.log,
		Done: func(segs []int, through int64) {
			fmt.Fprintf(e.io.Out, "%s %d applied segment(s) (through event %d).\n", verb, len(segs), through)
		}})
}
