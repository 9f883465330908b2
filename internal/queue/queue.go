// Package queue is the durable change-event queue of one direction, between
// its change capture and its importer: append-only segment files under
// EXPORT_DIR/data/<direction's folder> (data/queue for source → target),
// one JSON event per line, each event carrying a sequence number that only
// grows; and its Mark, the record of how far it is durable.
//
// The rules callers rely on:
//   - The writer appends whole transactions and calls Sync at a transaction
//     boundary; only synced bytes count. The caller records the synced
//     position in the Mark durably, and only then lets the source forget the
//     changes (e.g. moves a replication slot's confirmed LSN).
//   - After a crash, Open truncates the segment back to the recorded
//     position: a partly written transaction disappears and is received again.
//   - Readers never read past the position the writer recorded as synced.
package queue

import "fmt"

// Ops.
const (
	OpInsert   = "I"
	OpUpdate   = "U"
	OpDelete   = "D"
	OpTruncate = "T"
	OpEnd      = "E" // cutover: nothing follows
)

// Event is one change.
type Event struct {
	Seq    int64  `json:"seq"`
	Op     string `json:"op"`
	Schema string `json:"schema,omitempty"`
	Table  string `json:"table,omitempty"`
	Key    Row    `json:"key,omitzero"`    // identity of the row before the change (U, D)
	New    Row    `json:"new,omitzero"`    // values after it (I, U); unchanged TOASTed columns are absent
	TxTime int64  `json:"tx_us,omitempty"` // commit time, µs since the epoch, for lag
	// At is, on the end marker, the source position the stream ended at.
	At string `json:"at,omitempty"`
	// Values holds, on the end marker, what the target's sequences and
	// identity columns must reach at cutover.
	Values []CutoverValue `json:"cutover_values,omitempty"`
}

// CutoverValue is a value the target must not be behind after cutover:
// the last value of a sequence both sides know by name (PostgreSQL), or of
// an identity column whose sequence only the target knows (MySQL
// AUTO_INCREMENT). Exactly one of Sequence and Table is set.
type CutoverValue struct {
	Sequence string `json:"sequence,omitempty"` // quoted schema.name
	Table    string `json:"table,omitempty"`    // quoted schema.table on the target
	Column   string `json:"column,omitempty"`
	Value    int64  `json:"value"`
}

// Name is the value's sequence, or table.column.
func (v CutoverValue) Name() string {
	if v.Sequence != "" {
		return v.Sequence
	}
	return v.Table + "." + v.Column
}

// Position is a durable point of the queue: the next event's sequence
// number, and where the next byte goes.
type Position struct {
	Segment int   `json:"segment"`
	Offset  int64 `json:"offset"`
	NextSeq int64 `json:"next_seq"`
}

func (p Position) String() string {
	return fmt.Sprintf("segment %d offset %d (next seq %d)", p.Segment, p.Offset, p.NextSeq)
}

// TableOps are one table's counts in a run of events: inserts, updates,
// deletes and truncates.
type TableOps struct {
	Schema, Table string
	I, U, D, T    int64
}

// Name is "schema.table", the key the per-table figures use.
func (t *TableOps) Name() string { return t.Schema + "." + t.Table }

// CountByTable counts events per table, tables in order of first
// appearance (end markers are not counted). A batch runs long on one
// table, so only a change of table costs a lookup: no string is built or
// hashed per event.
func CountByTable(events []*Event) []TableOps {
	var out []TableOps
	var at map[[2]string]int // only once a batch has touched several tables
	cur := -1
	for _, e := range events {
		if e.Op == OpEnd {
			continue
		}
		if cur < 0 || out[cur].Table != e.Table || out[cur].Schema != e.Schema {
			cur = tableIndex(&out, &at, e)
		}
		c := &out[cur]
		switch e.Op {
		case OpInsert:
			c.I++
		case OpUpdate:
			c.U++
		case OpDelete:
			c.D++
		case OpTruncate:
			c.T++
		}
	}
	return out
}

// tableIndex finds e's table in out, adding it when new.
func tableIndex(out *[]TableOps, at *map[[2]string]int, e *Event) int {
	k := [2]string{e.Schema, e.Table}
	if *at == nil && len(*out) > 0 {
		*at = make(map[[2]string]int, 4)
		for i, t := range *out {
			(*at)[[2]string{t.Schema, t.Table}] = i
		}
	}
	if i, ok := (*at)[k]; ok {
		return i
	}
	*out = append(*out, TableOps{Schema: e.Schema, Table: e.Table})
	if *at != nil {
		(*at)[k] = len(*out) - 1
	}
	return len(*out) - 1
}

// Tally counts e in byOp and in byTable["schema.table"] as [inserts,
// updates, deletes] (other operations list the table with no count): the
// per-table figures export data status, import data status and the
// migration report show.
func Tally(byOp map[string]int64, byTable map[string]*[3]int64, e *Event) {
	byOp[e.Op]++
	name := e.Schema + "." + e.Table
	c := byTable[name]
	if c == nil {
		c = &[3]int64{}
		byTable[name] = c
	}
	switch e.Op {
	case OpInsert:
		c[0]++
	case OpUpdate:
		c[1]++
	case OpDelete:
		c[2]++
	}
}
