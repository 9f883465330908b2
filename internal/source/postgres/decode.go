package postgres

import (
	"fmt"

	"github.com/jackc/pglogrepl"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// decode turns one pgoutput message into sink calls. Transactions already
// in the queue (commit at or before skipThrough) are skipped whole.
func (d *decoder) decode(xld pglogrepl.XLogData) error {
	msg, err := pglogrepl.Parse(xld.WALData)
	if err != nil {
		return fmt.Errorf("parse pgoutput message at %s: %w", xld.WALStart, err)
	}
	switch m := msg.(type) {
	case *pglogrepl.RelationMessage:
		d.rels[m.RelationID] = m
	case *pglogrepl.BeginMessage:
		d.inTx = true
		d.commitTime = m.CommitTime.UnixMicro()
		d.skipping = m.FinalLSN <= d.skipThrough
	case *pglogrepl.CommitMessage:
		d.inTx = false
		if d.skipping {
			d.skipping = false
			return nil
		}
		return d.sink.Commit(m.TransactionEndLSN, m.CommitTime)
	case *pglogrepl.InsertMessage:
		return d.row(m.RelationID, queue.OpInsert, nil, m.Tuple)
	case *pglogrepl.UpdateMessage:
		return d.row(m.RelationID, queue.OpUpdate, m.OldTuple, m.NewTuple)
	case *pglogrepl.DeleteMessage:
		return d.row(m.RelationID, queue.OpDelete, m.OldTuple, nil)
	case *pglogrepl.TruncateMessage:
		if d.skipping {
			return nil
		}
		for _, id := range m.RelationIDs {
			rel, ok := d.rels[id]
			if !ok {
				return errUnknownRelation
			}
			if err := d.sink.Change(&queue.Event{Op: queue.OpTruncate, Schema: rel.Namespace, Table: rel.RelationName}); err != nil {
				return err
			}
		}
	case *pglogrepl.LogicalDecodingMessage:
		if d.skipping {
			return nil
		}
		return d.sink.Marker(m.Prefix, m.Content)
	}
	return nil
}

// row builds one change event. The row's identity (Key) comes from the old
// key or old tuple when the server sends one (key changed, REPLICA IDENTITY
// FULL), else from the new tuple's key columns. Columns pgoutput marks
// "unchanged TOAST" are left out of New, so the apply never overwrites them.
func (d *decoder) row(relID uint32, op string, old, new *pglogrepl.TupleData) error {
	if d.skipping {
		return nil
	}
	rel, ok := d.rels[relID]
	if !ok {
		return errUnknownRelation
	}
	e := &queue.Event{Op: op, Schema: rel.Namespace, Table: rel.RelationName, TxTime: d.commitTime}
	if new != nil {
		e.New = tupleValues(rel, new, false)
	}
	switch {
	case old != nil:
		e.Key = tupleValues(rel, old, rel.ReplicaIdentity != 'f')
	case new != nil && op != queue.OpInsert:
		e.Key = keyOf(rel, e.New)
	}
	return d.sink.Change(e)
}

func tupleValues(rel *pglogrepl.RelationMessage, t *pglogrepl.TupleData, keyOnly bool) map[string]*string {
	out := make(map[string]*string, len(t.Columns))
	for i, c := range t.Columns {
		if i >= len(rel.Columns) {
			break
		}
		col := rel.Columns[i]
		if keyOnly && col.Flags&1 == 0 {
			continue
		}
		switch c.DataType {
		case pglogrepl.TupleDataTypeText:
			v := string(c.Data)
			out[col.Name] = &v
		case pglogrepl.TupleDataTypeNull:
			out[col.Name] = nil
		}
	}
	return out
}

func keyOf(rel *pglogrepl.RelationMessage, vals map[string]*string) map[string]*string {
	out := map[string]*string{}
	for _, col := range rel.Columns {
		if col.Flags&1 != 0 {
			out[col.Name] = vals[col.Name]
		}
	}
	return out
}
