package importer

import (
	"context"
	"log/slog"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// ArchiveOptions configure archive changes: what to do with the segments
// of a direction's queue the importer will never read again.
type ArchiveOptions struct {
	Dir       *exportdir.Dir
	Store     *exportdir.Store
	Direction exportdir.Direction
	Dest      string // "": delete them; else move them there
	Once      bool   // one pass, else passes every Interval until cutover completes
	Interval  time.Duration
	Log       *slog.Logger
	// Done is told after each pass that removed segments.
	Done func(segments []int, through int64)
}

// Archive removes or moves applied segments; it never touches a segment
// at or after the importer's recorded position.
func Archive(ctx context.Context, o ArchiveOptions) error {
	for {
		p, ok, err := LoadProgress(ctx, o.Store, o.Direction)
		if err != nil {
			return err
		}
		if ok {
			done, err := queue.Archive(o.Dir.QueueDir(o.Direction), p.Position.Segment, o.Dest)
			if err != nil {
				return err
			}
			if len(done) > 0 {
				o.Log.Info("archived change segments", "dest", o.Dest, "segments", done)
				if o.Done != nil {
					o.Done(done, p.Through)
				}
			}
		}
		cut, err := o.Store.Cutover(ctx, o.Direction)
		if err != nil {
			return err
		}
		if o.Once || !cut.Applied.IsZero() {
			return nil
		}
		if err := sleep(ctx, o.Interval); err != nil {
			return err
		}
	}
}
