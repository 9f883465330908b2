package exporter

import (
	"context"
	"errors"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
)

// RequestCutover records initiate cutover for a direction; its exporter
// acts on it (it asks the source where to stop, exports up to there,
// appends the end marker). It returns the cutover status before the call:
// a request is only recorded when it was NOT INITIATED.
func RequestCutover(ctx context.Context, st *exportdir.Store, dir exportdir.Direction, root string) (string, error) {
	cp, ok, err := LoadCheckpoint(ctx, st, dir)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("no live migration in %s: cutover applies to export data --export-type snapshot-and-changes", root)
	}
	cut, err := st.Cutover(ctx, dir)
	if err != nil {
		return "", err
	}
	if status := cut.Status(); status != exportdir.CutoverNotInitiated {
		return status, nil
	}
	if !cp.SnapshotDone {
		return "", errors.New("the snapshot is still being exported: initiate cutover once export data is streaming changes")
	}
	return exportdir.CutoverNotInitiated, st.RequestCutover(ctx, dir)
}

// ReleaseAbandoned drops what the source still keeps for a direction's
// stream when its export never finished (a migration ended without
// cutover): a forgotten PostgreSQL slot makes the source keep WAL for
// ever. open connects to the source only when there is something to drop.
// It returns the label of what it dropped ("" for nothing).
func ReleaseAbandoned(ctx context.Context, st *exportdir.Store, dir exportdir.Direction, open func() (capture.ChangeSource, error)) (string, error) {
	cp, ok, err := LoadCheckpoint(ctx, st, dir)
	if err != nil || !ok || !cp.Holds {
		return "", err
	}
	cut, err := st.Cutover(ctx, dir)
	if err != nil || !cut.Exported.IsZero() {
		return "", err // the exporter released it at cutover
	}
	src, err := open()
	if err != nil {
		return "", fmt.Errorf("%w (end migration drops the replication stream %s the source keeps; set SOURCE_DB_PASSWORD if it needs a password)", err, cp.Stream)
	}
	defer src.Close()
	if err := src.Release(ctx, cp.Stream); err != nil {
		return "", err
	}
	return src.Label(cp.Stream), nil
}

// StartOver discards every export of the directory (export data
// --start-clean): what the source keeps for a live export's stream is
// dropped first, so no slot is left holding WAL, then the plan, the data
// files and queue, and the live records. A new export run id keeps the
// batches recorded for the old files from counting for new ones.
func StartOver(ctx context.Context, st *exportdir.Store, d *exportdir.Dir, dir exportdir.Direction, src capture.ChangeSource) error {
	cp, ok, err := LoadCheckpoint(ctx, st, dir)
	if err != nil {
		return err
	}
	if ok && cp.Holds {
		cut, err := st.Cutover(ctx, dir)
		if err != nil {
			return err
		}
		if cut.Exported.IsZero() {
			if err := src.Release(ctx, cp.Stream); err != nil {
				return err
			}
		}
	}
	if err := st.ForgetLive(ctx, dir); err != nil {
		return err
	}
	if err := st.ResetExport(ctx); err != nil {
		return err
	}
	return d.ClearData()
}
