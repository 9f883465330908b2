package queue

import (
	"context"

	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
)

// Mark is how far a direction's queue is durable: every event before
// Position is fsync'd, and Counts counts exactly those events. Its one
// writer is the direction's exporter, which saves it in the same store
// transaction as the source position the same events end at (so the two
// never disagree); readers never read past it.
type Mark struct {
	Position Position `json:"position"`
	// Ended: the end marker is before Position; nothing follows it.
	Ended  bool   `json:"ended"`
	Counts Counts `json:"counts"`
}

// Counts are the events of a queue by operation and by table.
type Counts struct {
	Events  int64                `json:"events"`
	ByOp    map[string]int64     `json:"by_op,omitempty"`
	ByTable map[string]*[3]int64 `json:"by_table,omitempty"` // inserts, updates, deletes per schema.table
}

// Add counts e (see Tally).
func (c *Counts) Add(e *Event) {
	if c.ByOp == nil {
		c.ByOp, c.ByTable = map[string]int64{}, map[string]*[3]int64{}
	}
	c.Events++
	Tally(c.ByOp, c.ByTable, e)
}

// Clone is a deep copy (the writer keeps counting into its own).
func (c Counts) Clone() Counts {
	out := Counts{Events: c.Events, ByOp: make(map[string]int64, len(c.ByOp)), ByTable: make(map[string]*[3]int64, len(c.ByTable))}
	for k, v := range c.ByOp {
		out.ByOp[k] = v
	}
	for k, v := range c.ByTable {
		n := *v
		out.ByTable[k] = &n
	}
	return out
}

// LoadMark reads the direction's durable mark; ok is false before the
// exporter has recorded one.
func LoadMark(ctx context.Context, st *exportdir.Store, dir exportdir.Direction) (Mark, bool, error) {
	return exportdir.Load[Mark](ctx, st, dir, exportdir.RoleQueue)
}

// MarkRecord is the mark as a record for Store.SaveState, which its writer
// saves together with its own.
func MarkRecord(m Mark) exportdir.Record {
	return exportdir.Record{Role: exportdir.RoleQueue, Value: m}
}
