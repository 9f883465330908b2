package oracle

// change_values.go turns a parsed SQL_REDO statement's values into the
// values the queue carries, through the same converter as the snapshot
// (package values), so that a row read by the snapshot and the same row
// changed later arrive in one form.

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/redo"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
)

// changeTable is a migrated table as the change path reads it: its
// columns' kinds and PostgreSQL names by catalog name.
type changeTable struct {
	name  string
	kinds map[string]values.Kind
	pg    map[string]string
	key   []string // primary key columns, catalog names
}

// newChangeTable reads a table's definition as DDL text gives it.
func newChangeTable(t *ddl.Table) changeTable {
	info := liveTableInfo{name: t.Object.Name}
	for _, c := range t.Columns {
		info.columns = append(info.columns, c.Name)
		info.types = append(info.types, c.Type)
	}
	var pk []string
	for _, k := range t.Constraints {
		if k.Kind == "PRIMARY KEY" {
			for _, c := range k.Columns {
				pk = append(pk, PGName(c))
			}
		}
	}
	return changeTableOf(info, pk)
}

// pgKey is the primary key's PostgreSQL names.
func (ct changeTable) pgKey() []string {
	out := make([]string, len(ct.key))
	for i, k := range ct.key {
		out[i] = ct.pg[k]
	}
	return out
}

// event is the queue event of one parsed change. An UPDATE's or DELETE's
// WHERE holds the row's old values (every column with supplemental
// logging of all columns, at least the key with primary-key logging); the
// key identifies the row on the target, the SET list is what changed.
func (ct changeTable) event(r redo.Redo, schema string) (*queue.Event, error) {
	e := &queue.Event{Schema: schema, Table: PGName(ct.name)}
	var err error
	switch r.Op {
	case redo.Insert:
		e.Op = queue.OpInsert
		for _, c := range r.Set {
			if c.Name == "" {
				return nil, fmt.Errorf("table %s: an INSERT without its column list", ct.name)
			}
		}
		e.New, err = ct.row(r.Set)
		return e, err
	case redo.Update:
		e.Op = queue.OpUpdate
		if e.New, err = ct.row(r.Set); err != nil {
			return nil, err
		}
	case redo.Delete:
		e.Op = queue.OpDelete
	default:
		return nil, fmt.Errorf("table %s: operation %v", ct.name, r.Op)
	}
	e.Key, err = ct.keyOf(r.Where)
	return e, err
}

// keyOf is the primary key's old values from a WHERE list.
func (ct changeTable) keyOf(where []redo.Column) (queue.Row, error) {
	var cols []redo.Column
	for _, k := range ct.key {
		found := false
		for _, c := range where {
			if c.Name == k {
				cols, found = append(cols, c), true
				break
			}
		}
		if !found {
			return queue.Row{}, fmt.Errorf("table %s: the change does not carry primary key column %s: enable supplemental logging (ALTER TABLE %s ADD SUPPLEMENTAL LOG DATA (PRIMARY KEY) COLUMNS;)", ct.name, k, ct.name)
		}
	}
	if len(cols) == 0 {
		return queue.Row{}, fmt.Errorf("table %s has no primary key: live migration needs one", ct.name)
	}
	return ct.row(cols)
}

// row converts columns (a redo statement's SET or WHERE list) into a
// queue row of PostgreSQL values.
func (ct changeTable) row(cols []redo.Column) (queue.Row, error) {
	m := make(map[string]*string, len(cols))
	for _, c := range cols {
		k, ok := ct.kinds[c.Name]
		if !ok {
			return queue.Row{}, fmt.Errorf("table %s has no column %s (its definition changed after the export started?): restart the export with --start-clean", ct.name, c.Name)
		}
		v, err := redoValue(k, c.Value)
		if err != nil {
			return queue.Row{}, fmt.Errorf("table %s column %s: %w", ct.name, c.Name, err)
		}
		m[ct.pg[c.Name]] = v
	}
	return queue.RowOf(m), nil
}

// redoValue is one value as PostgreSQL reads it, nil for NULL. The mining
// session has the same NLS settings as the snapshot's, so a TO_DATE /
// TO_TIMESTAMP argument is in the pinned form; one in another form means
// the session was not pinned, and is refused rather than guessed.
func redoValue(k values.Kind, v redo.Value) (*string, error) {
	switch {
	case v.Null:
		return nil, nil
	case v.Unsupported:
		return nil, fmt.Errorf("LogMiner cannot render this column's type (Unsupported Type): live migration does not support it; exclude the table or migrate it offline")
	case v.EmptyLOB:
		s := ""
		if k == values.Bytes {
			s = `\x`
		}
		return &s, nil
	}
	var want string
	switch v.Func {
	case "TO_DATE":
		want = values.DateFormat
	case "TO_TIMESTAMP":
		want = values.TimestampFormat
	case "TO_TIMESTAMP_TZ":
		want = values.TimestampTZFormat
	}
	if want != "" && v.Format != "" && !strings.EqualFold(v.Format, want) {
		return nil, fmt.Errorf("%s with format %q, not the session's %q: the mining session's NLS settings were not pinned", v.Func, v.Format, want)
	}
	if v.Func == "HEXTORAW" {
		k = values.Bytes
	}
	s, err := values.FromOracle(k, v.Text)
	if err != nil {
		return nil, err
	}
	return &s, nil
}
