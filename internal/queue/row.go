package queue

import (
	"fmt"
	"slices"
	"sort"
)

// Row is the values of some of a table's columns: Vals[i] is column
// Names[i] (nil is SQL NULL). Rows are slices, not maps, because the apply
// path handles millions of them: a map per row cost more CPU than the
// database work. Names is shared by every row decoded with the same columns
// in the same order, so two rows have the same columns in one pointer
// compare; never write to it.
type Row struct {
	Names []string
	Vals  []*string
}

// Len is the number of columns.
func (r Row) Len() int { return len(r.Names) }

// Get returns column name's value and whether the row has that column.
func (r Row) Get(name string) (*string, bool) {
	for i, n := range r.Names {
		if n == name {
			return r.Vals[i], true
		}
	}
	return nil, false
}

// Value is column name's value, nil when it is NULL or absent.
func (r Row) Value(name string) *string {
	v, _ := r.Get(name)
	return v
}

// SameColumns reports whether a and b have the same columns in the same
// order.
func SameColumns(a, b Row) bool {
	if len(a.Names) != len(b.Names) {
		return false
	}
	if len(a.Names) == 0 || &a.Names[0] == &b.Names[0] {
		return true
	}
	return slices.Equal(a.Names, b.Names)
}

// Merge is base with the values of upd laid over it: upd's columns win,
// base's other columns stay (an update that left TOASTed columns out).
// Neither input is modified; when upd has every column of base, upd itself
// is the result.
func Merge(base, upd Row) Row {
	if SameColumns(base, upd) {
		return upd
	}
	missing := 0
	for _, n := range base.Names {
		if _, ok := upd.Get(n); !ok {
			missing++
		}
	}
	if missing == 0 {
		return upd
	}
	out := Row{Names: make([]string, 0, len(upd.Names)+missing), Vals: make([]*string, 0, len(upd.Names)+missing)}
	for i, n := range base.Names {
		v, ok := upd.Get(n)
		if !ok {
			v = base.Vals[i]
		}
		out.Names, out.Vals = append(out.Names, n), append(out.Vals, v)
	}
	for i, n := range upd.Names {
		if _, ok := base.Get(n); !ok {
			out.Names, out.Vals = append(out.Names, n), append(out.Vals, upd.Vals[i])
		}
	}
	return out
}

// RowOf builds a row from a map, columns sorted by name (tests, and
// callers that collect values by name).
func RowOf(m map[string]*string) Row {
	r := Row{Names: make([]string, 0, len(m)), Vals: make([]*string, 0, len(m))}
	for n := range m {
		r.Names = append(r.Names, n)
	}
	sort.Strings(r.Names)
	for _, n := range r.Names {
		r.Vals = append(r.Vals, m[n])
	}
	return r
}

// Map returns the row as a map (for tests and messages); nil for a row
// without columns.
func (r Row) Map() map[string]*string {
	if r.Names == nil {
		return nil
	}
	m := make(map[string]*string, len(r.Names))
	for i, n := range r.Names {
		m[n] = r.Vals[i]
	}
	return m
}

// MarshalJSON writes the row as a JSON object, as the queue does.
func (r Row) MarshalJSON() ([]byte, error) { return appendRow(nil, r), nil }

// UnmarshalJSON reads a JSON object of column values (strings or null).
func (r *Row) UnmarshalJSON(b []byte) error {
	d := decoder{s: string(b)}
	row, err := d.row(new([]string))
	if err != nil {
		return fmt.Errorf("decode row: %w", err)
	}
	*r = row
	return nil
}
