package exporter

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// Checkpoint is the exporter's record of a direction's live export
// (exportdir.RoleExporter). Its one writer is export data. It is saved in
// the same store transaction as the queue's Mark, so Resume and the queue's
// durable end always describe the same events: every transaction that ends
// at or before Resume is in the queue before Mark.Position, fsync'd.
type Checkpoint struct {
	Engine string `json:"engine"`
	// Stream names what the source keeps for this stream (a PostgreSQL
	// slot and publication); Holds says the source keeps something.
	Stream string `json:"stream,omitempty"`
	Holds  bool   `json:"holds_server_state,omitempty"`
	// Start is the position the snapshot was read at.
	Start        json.RawMessage `json:"start,omitempty"`
	SnapshotDone bool            `json:"snapshot_done"`
	// Resume is where streaming resumes.
	Resume json.RawMessage `json:"resume,omitempty"`
}

// LoadCheckpoint reads the direction's checkpoint; ok is false before the
// first live export.
func LoadCheckpoint(ctx context.Context, st *exportdir.Store, dir exportdir.Direction) (Checkpoint, bool, error) {
	return exportdir.Load[Checkpoint](ctx, st, dir, exportdir.RoleExporter)
}

// StreamName is the name of a migration's change stream on the source
// (slot and publication on PostgreSQL): stable for the migration.
func StreamName(migrationUUID string) string {
	return "ybvoyager_" + strings.ReplaceAll(migrationUUID, "-", "")[:16]
}

// save records cp and mark together.
func save(ctx context.Context, st *exportdir.Store, dir exportdir.Direction, cp Checkpoint, mark queue.Mark) error {
	return st.SaveState(ctx, dir, exportdir.Record{Role: exportdir.RoleExporter, Value: cp}, queue.MarkRecord(mark))
}

// position marshals p for the checkpoint.
func position(p capture.Position) (json.RawMessage, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("record source position %s: %w", p, err)
	}
	return b, nil
}
