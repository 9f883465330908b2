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
		if old, ok := d.rels[m.RelationID]; ok {
			delete(d.names, old)
		}
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
		return d.sink.Commit(LSN(m.TransactionEndLSN), m.CommitTime)
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
		if d.skipping || m.Prefix != markerPrefix {
			return nil
		}
		return d.sink.Marker(string(m.Content))
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
		e.New = d.tupleValues(rel, new, false)
	}
	switch {
	case old != nil:
		e.Key = d.tupleValues(rel, old, rel.ReplicaIdentity != 'f')
	case new != nil && op != queue.OpInsert:
		e.Key = d.keyOf(rel, e.New)
	}
	return d.sink.Change(e)
}

// tupleValues are a tuple's values in the relation's column order; with
// keyOnly, only the key columns. Names are shared per relation when the
// tuple has every column (the usual case), so the queue's rows are cheap.
func (d *decoder) tupleValues(rel *pglogrepl.RelationMessage, t *pglogrepl.TupleData, keyOnly bool) queue.Row {
	r := queue.Row{Names: make([]string, 0, len(t.Columns)), Vals: make([]*string, 0, len(t.Columns))}
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
			r.Names, r.Vals = append(r.Names, col.Name), append(r.Vals, &v)
		case pglogrepl.TupleDataTypeNull:
			r.Names, r.Vals = append(r.Names, col.Name), append(r.Vals, nil)
		}
	}
	return d.shareNames(rel, r, keyOnly)
}

// shareNames swaps r.Names for the relation's cached list of all (or all
// key) columns when they are equal.
func (d *decoder) shareNames(rel *pglogrepl.RelationMessage, r queue.Row, keyOnly bool) queue.Row {
	if d.names == nil {
		d.names = map[*pglogrepl.RelationMessage][2][]string{}
	}
	lists, ok := d.names[rel]
	if !ok {
		for _, col := range rel.Columns {
			lists[0] = append(lists[0], col.Name)
			if col.Flags&1 != 0 {
				lists[1] = append(lists[1], col.Name)
			}
		}
		d.names[rel] = lists
	}
	l := lists[0]
	if keyOnly {
		l = lists[1]
	}
	if len(l) == len(r.Names) {
		for i := range l {
			if l[i] != r.Names[i] {
				return r
			}
		}
		r.Names = l
	}
	return r
}

// keyOf is the key columns of a row.
func (d *decoder) keyOf(rel *pglogrepl.RelationMessage, vals queue.Row) queue.Row {
	r := queue.Row{}
	for _, col := range rel.Columns {
		if col.Flags&1 != 0 {
			r.Names, r.Vals = append(r.Names, col.Name), append(r.Vals, vals.Value(col.Name))
		}
	}
	return d.shareNames(rel, r, true)
}
