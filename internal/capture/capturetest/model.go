package capturetest

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// model is the fixture table as the suite believes it is: id -> "v|n"
// (NULL as "∅"), built from a snapshot and moved by change events.
type model map[string]string

const null = "∅"

// addCopyText adds the rows of a chunk in COPY text form (columns in
// order) and returns how many lines it had. The fixture's values hold no
// character COPY escapes.
func (m model) addCopyText(t *testing.T, cols []string, text string) int64 {
	t.Helper()
	var n int64
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != len(cols) {
			t.Fatalf("COPY line %q has %d fields, want %d", line, len(f), len(cols))
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = f[i]
			if f[i] == `\N` {
				row[c] = null
			}
		}
		if _, dup := m[row["id"]]; dup {
			t.Fatalf("row %s exported twice", row["id"])
		}
		m[row["id"]] = row["v"] + "|" + row["n"]
		n++
	}
	return n
}

// apply moves the model by one event; an event that does not fit (an
// insert of a row that is there, an update or delete of one that is not)
// is an error: the snapshot and the stream disagree.
func (m model) apply(e *queue.Event) error {
	switch e.Op {
	case queue.OpInsert:
		id := value(e.New, "id")
		if _, ok := m[id]; ok {
			return fmt.Errorf("insert of row %s, which the snapshot or an earlier change already has", id)
		}
		m[id] = value(e.New, "v") + "|" + value(e.New, "n")
	case queue.OpUpdate:
		old := value(e.Key, "id")
		cur, ok := m[old]
		if !ok {
			return fmt.Errorf("update of row %s, which is not there", old)
		}
		v, n, _ := strings.Cut(cur, "|")
		if x, ok := e.New.Get("v"); ok {
			v = text(x)
		}
		if x, ok := e.New.Get("n"); ok {
			n = text(x)
		}
		delete(m, old)
		id := old
		if x, ok := e.New.Get("id"); ok {
			id = text(x)
		}
		m[id] = v + "|" + n
	case queue.OpDelete:
		id := value(e.Key, "id")
		if _, ok := m[id]; !ok {
			return fmt.Errorf("delete of row %s, which is not there", id)
		}
		delete(m, id)
	case queue.OpTruncate:
		clear(m)
	}
	return nil
}

// diff describes how two models differ (at most five rows), "" if equal.
func (m model) diff(want model) string {
	var out []string
	for id, v := range want {
		if m[id] != v {
			out = append(out, fmt.Sprintf("row %s: %q, want %q", id, m[id], v))
		}
	}
	for id := range m {
		if _, ok := want[id]; !ok {
			out = append(out, fmt.Sprintf("row %s: present, want absent", id))
		}
	}
	sort.Strings(out)
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("... %d more", len(out)-5))
	}
	return strings.Join(out, "; ")
}

func value(r queue.Row, col string) string { return text(r.Value(col)) }

func text(v *string) string {
	if v == nil {
		return null
	}
	return *v
}
