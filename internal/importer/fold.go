package importer

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

// Folding is engine-neutral: a channel's batch becomes one net change per
// row (insert, update, delete, or delete-and-insert), which an applier
// can apply set-based. Per-row order is kept by the folding; rows of one
// channel never depend on each other except through unique keys, and the
// applier rolls back on any surprise (a unique violation, a row count that
// does not match) so that the batch goes per event, which resolves
// ordering conflicts.

// minFold is the smallest batch worth folding: below it, the set-based
// statements cost more than one statement per event.
const minFold = 16

// errNotFoldable sends a batch to the per-event path.
var errNotFoldable = errors.New("batch does not fold")

// rowsOf finds a batch's rows of one table: by number for a one-column
// key written as a canonical integer (one text for each number, so the two
// maps never hold the same row), else by the key's text. Each map is made
// when first needed.
type rowsOf struct {
	byInt map[int64]*target.NetChange
	byKey map[string]*target.NetChange
}

// fold computes the net change per row, or errNotFoldable when the
// sequence is not one a consistent target can produce, or has a barrier or
// a table without a primary key (it goes per event).
func fold(events []*queue.Event, pk map[string][]string) ([]*target.NetChange, error) {
	byTable := map[string]*rowsOf{}
	var rows *rowsOf
	order := make([]*target.NetChange, 0, len(events))
	slab := make([]target.NetChange, 0, len(events)) // never grows: pointers into it stay valid
	var kb []byte
	var lastSchema, lastTable, table string // batches run long on one table: look it up once
	var cols []string
	var rel sqlname.Table
	for _, e := range events {
		if e.Op == queue.OpTruncate || e.Op == queue.OpEnd {
			return nil, errNotFoldable
		}
		if e.Schema != lastSchema || e.Table != lastTable || table == "" {
			lastSchema, lastTable, table = e.Schema, e.Table, e.Schema+"."+e.Table
			cols, rel = pk[table], sqlname.Table{Schema: e.Schema, Name: e.Table}
			if rows = byTable[table]; rows == nil {
				rows = &rowsOf{}
				byTable[table] = rows
			}
		}
		if len(cols) == 0 {
			return nil, errNotFoldable
		}
		src := e.Key
		if e.Op == queue.OpInsert {
			src = e.New
		}
		key := queue.Row{Names: cols}
		var k string
		var ik int64
		intKey := false
		if len(cols) == 1 {
			i := slices.Index(src.Names, cols[0])
			if i < 0 || src.Vals[i] == nil {
				return nil, errNotFoldable
			}
			k, key.Vals = *src.Vals[i], src.Vals[i:i+1:i+1] // rows are never written: share it
			ik, intKey = canonicalInt(k)
		} else {
			kb, key.Vals = kb[:0], make([]*string, len(cols))
			for i, c := range cols {
				v, ok := src.Get(c)
				if !ok || v == nil {
					return nil, errNotFoldable
				}
				kb, key.Vals[i] = append(append(kb, 0), *v...), v
			}
			k = string(kb)
		}
		if intKey && rows.byInt == nil {
			rows.byInt = make(map[int64]*target.NetChange, len(events))
		} else if !intKey && rows.byKey == nil {
			rows.byKey = make(map[string]*target.NetChange, len(events))
		}
		var n *target.NetChange
		if intKey {
			n = rows.byInt[ik]
		} else {
			n = rows.byKey[k]
		}
		if n == nil {
			slab = append(slab, target.NetChange{Table: table, Rel: rel, Key: key, IKey: ik, IntKey: intKey})
			n = &slab[len(slab)-1]
			if intKey {
				rows.byInt[ik] = n
			} else {
				rows.byKey[k] = n
			}
			order = append(order, n)
		}
		if err := merge(n, e); err != nil {
			return nil, err
		}
	}
	out := order[:0]
	for _, n := range order {
		if n.Op != "" {
			out = append(out, n)
		}
	}
	return out, nil
}

// canonicalInt is s as an int64 when s is exactly how that number is
// written (no sign but a leading minus, no leading zero, no "-0"), so that
// no two texts of one table share a number.
func canonicalInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s[0] == '+' || s[0] == '0' && len(s) > 1 || strings.HasPrefix(s, "-0") {
		return 0, false
	}
	return n, true
}

func merge(n *target.NetChange, e *queue.Event) error {
	switch e.Op {
	case queue.OpInsert:
		switch n.Op {
		case "":
			n.Op = "I"
		case "D":
			n.Op = "DI"
		default:
			return errNotFoldable
		}
		n.Values = e.New
	case queue.OpUpdate:
		switch n.Op {
		case "":
			n.Op, n.Values = "U", e.New
		case "I", "DI", "U":
			n.Values = queue.Merge(n.Values, e.New)
		default:
			return errNotFoldable
		}
	case queue.OpDelete:
		switch n.Op {
		case "":
			n.Op = "D"
		case "I":
			n.Op, n.Values = "", queue.Row{} // born and gone inside the batch
		case "U", "DI":
			n.Op, n.Values = "D", queue.Row{}
		default:
			return errNotFoldable
		}
	}
	return nil
}
