package target

import (
	"context"
	"errors"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// ChangeApplier applies change events exactly once. Each call commits its
// events together with the channel's position row (the channel's last
// applied sequence number, moved only from below the batch's first: a
// batch whose commit reply was lost is skipped when sent again), so the
// target alone says, after any crash, which events are in. What to apply
// and in which order (routing, folding, conflicts) is the importer's; an
// applier only turns it into its database's statements.
type ChangeApplier interface {
	// CDCState loads (creating on first use with `channels`) the channel
	// count and each channel's last applied sequence number.
	CDCState(ctx context.Context, migrationUUID string, channels int) (CDCState, error)
	// ApplyFolded applies a batch folded to one net change per row, set
	// based, in one transaction. ErrNotSetBased (nothing committed) sends
	// the batch to ApplyEach.
	ApplyFolded(ctx context.Context, b ChannelBatch, changes []*NetChange) error
	// ApplyEach applies a batch one statement per event, in one
	// transaction. On a *Conflict nothing is committed.
	ApplyEach(ctx context.Context, b ChannelBatch, tables TableInfo) error
	// ApplyBarrier applies one event that must not overlap any other (a
	// truncate, a key change, the end marker) and marks every channel as
	// applied through it, in one transaction.
	ApplyBarrier(ctx context.Context, migrationUUID string, channels int, e *queue.Event, tables TableInfo) error
	// SaveProgress records how far the whole queue is applied (a lower bound).
	SaveProgress(ctx context.Context, migrationUUID string, appliedThrough int64, pos queue.Position) error
	// SetCutoverValues moves each sequence (or identity column's sequence)
	// to at least its value, never back, and returns the names of those
	// the target does not have.
	SetCutoverValues(ctx context.Context, vals []queue.CutoverValue) ([]string, error)
	// ChangeCounts sums applied inserts, updates and deletes per table.
	ChangeCounts(ctx context.Context, migrationUUID string) (map[string][3]int64, error)
	// MarkCutoverComplete records on the target that the migration is cut over.
	MarkCutoverComplete(ctx context.Context, migrationUUID string) error
}

// CDCState is the importer side of a live migration, as the target records it.
type CDCState struct {
	Channels       int
	LastSeq        []int64
	AppliedThrough int64
	Position       queue.Position
	CutoverDone    bool
}

// ChannelBatch is the events (in order, all of one channel) that commit
// together with the channel's position row.
type ChannelBatch struct {
	MigrationUUID string
	Channel       int
	Events        []*queue.Event
}

// NetChange is one row's net effect in a batch: I (insert), U (update),
// D (delete) or DI (delete, then insert).
type NetChange struct {
	Table  string        // schema.table
	Rel    sqlname.Table //
	Key    queue.Row     // the primary key columns, in the table's key order
	Op     string
	Values queue.Row // never written: events' rows are shared, merges make new ones
	// IKey is a one-column key in canonical integer form (IntKey): folding
	// and sorting then use the number, not the text behind two pointers.
	IKey   int64
	IntKey bool
}

// ErrNotSetBased means a folded batch must go one event at a time.
var ErrNotSetBased = errors.New("batch needs the per-event path")

// TableInfo gives, per "schema.table", its primary-key columns (none: rows
// are found by all their old values, REPLICA IDENTITY FULL).
type TableInfo map[string][]string

// Conflict means event At of a batch could not apply in this order: a
// unique key held by a row another channel has not yet moved, or an update
// or delete that found no row. Events before At applied cleanly.
type Conflict struct {
	At  int
	Err error
}

func (c *Conflict) Error() string { return fmt.Sprintf("event %d of the batch: %v", c.At, c.Err) }
func (c *Conflict) Unwrap() error { return c.Err }

// ErrNoRow is the Conflict cause when an update or delete matched no row.
var ErrNoRow = errors.New("no row matched")
