package postgres

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

func s(v string) *string { return &v }

func TestUpdateSetsNoUnchangedKeyAndVisitsRowsInKeyOrder(t *testing.T) {
	n := func(id, v string) *target.NetChange {
		return &target.NetChange{Op: "U", Key: queue.RowOf(map[string]*string{"id": s(id)}),
			Values: queue.RowOf(map[string]*string{"id": s(id), "v": s(v)})}
	}
	g := []*target.NetChange{n("10", "a"), n("9", "b"), n("100", "c"), n("11", "d")}
	sortByKey(g)
	var order []string
	for _, c := range g {
		order = append(order, *c.Key.Value("id"))
	}
	if got := strings.Join(order, ","); got != "9,10,11,100" {
		t.Errorf("key order %s, want numbers in numeric order", got)
	}
	if cols, at, nmatch, _ := setColumns(g, nil); strings.Join(cols, ",") != "v" || at[0] != 1 || nmatch != 0 {
		t.Errorf("SET columns %v at %v, want only v (the key is unchanged)", cols, at)
	}
	keyOnly := []*target.NetChange{{Op: "U", Key: queue.RowOf(map[string]*string{"id": s("1")}), Values: queue.RowOf(map[string]*string{"id": s("1")})}}
	if cols, _, _, _ := setColumns(keyOnly, nil); strings.Join(cols, ",") != "id" {
		t.Errorf("a key-only row sets %v, want id (the UPDATE must still find the row)", cols)
	}
}

func TestIdentityAlwaysColumnsAreMatchedNotSet(t *testing.T) {
	always := map[string]bool{"n": true}
	g := []*target.NetChange{{Op: "U", Key: queue.RowOf(map[string]*string{"k": s("a")}),
		Values: queue.Row{Names: []string{"k", "n", "v"}, Vals: []*string{s("a"), s("7"), s("x")}}}}
	cols, at, nmatch, ok := setColumns(g, always)
	if !ok || strings.Join(cols, ",") != "n,v" || at[0] != 1 || at[1] != 2 || nmatch != 1 {
		t.Errorf("got cols %v at %v nmatch %d ok %v; want n matched, v set", cols, at, nmatch, ok)
	}
	if _, _, _, ok := setColumns([]*target.NetChange{{Op: "U", Key: queue.RowOf(map[string]*string{"id": s("1")}),
		Values: queue.RowOf(map[string]*string{"id": s("1")})}}, map[string]bool{"id": true}); ok {
		t.Error("an update with nothing it may set must go the per-event way")
	}

	e := &queue.Event{Op: queue.OpUpdate, Schema: "public", Table: "t",
		Key: queue.RowOf(map[string]*string{"k": s("a")}),
		New: queue.Row{Names: []string{"k", "n", "v"}, Vals: []*string{s("a"), s("7"), s("x")}}}
	q, args := changeSQL(e, true, always)
	if want := `UPDATE "public"."t" SET "k" = $1, "v" = $3 WHERE "k" = $4 AND "n" = $2`; q != want || len(args) != 4 {
		t.Errorf("update:\n got %s (%d args)\nwant %s", q, len(args), want)
	}
	e.Op, e.Key = queue.OpInsert, queue.Row{}
	if q, _ := changeSQL(e, true, nil); !strings.Contains(q, "OVERRIDING SYSTEM VALUE VALUES") {
		t.Errorf("insert does not override identity values: %s", q)
	}
}

func TestIntegerKeysSortAsNumbers(t *testing.T) {
	n := func(id string, ik int64) *target.NetChange {
		return &target.NetChange{Op: "I", Key: queue.RowOf(map[string]*string{"id": s(id)}), IKey: ik, IntKey: true}
	}
	g := []*target.NetChange{n("10", 10), n("-3", -3), n("9", 9), n("100", 100)}
	sortByKey(g)
	var keys []string
	for _, c := range g {
		keys = append(keys, *c.Key.Vals[0])
	}
	if strings.Join(keys, ",") != "-3,9,10,100" {
		t.Errorf("sorted %v, want numeric order", keys)
	}
}
