package postgres

import (
	"errors"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

func s(v string) *string { return &v }

func ev(op string, key, new map[string]*string) *queue.Event {
	return &queue.Event{Op: op, Schema: "public", Table: "t", Key: queue.RowOf(key), New: queue.RowOf(new)}
}

func TestFoldNetChangePerRow(t *testing.T) {
	pk := map[string][]string{"public.t": {"id"}}
	one, two, three, four := map[string]*string{"id": s("1")}, map[string]*string{"id": s("2")}, map[string]*string{"id": s("3")}, map[string]*string{"id": s("4")}
	events := []*queue.Event{
		ev(queue.OpInsert, nil, map[string]*string{"id": s("1"), "v": s("a")}),
		ev(queue.OpUpdate, one, map[string]*string{"id": s("1"), "v": s("b")}), // I+U = I(b)
		ev(queue.OpInsert, nil, map[string]*string{"id": s("2"), "v": s("x")}),
		ev(queue.OpDelete, two, nil), // I+D = nothing
		ev(queue.OpDelete, three, nil),
		ev(queue.OpInsert, nil, map[string]*string{"id": s("3"), "v": s("again")}), // D+I = DI
		ev(queue.OpUpdate, four, map[string]*string{"id": s("4"), "v": s("u1")}),
		ev(queue.OpUpdate, four, map[string]*string{"id": s("4"), "w": s("u2")}), // U+U merged
	}
	got, err := fold(events, pk)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"1": "I", "3": "DI", "4": "U"}
	if len(got) != len(want) {
		t.Fatalf("net changes %d, want %d", len(got), len(want))
	}
	for _, n := range got {
		id := *n.key.Value("id")
		if want[id] != n.op {
			t.Errorf("row %s: %s, want %s", id, n.op, want[id])
		}
	}
	if *got[0].values.Value("v") != "b" || *got[2].values.Value("v") != "u1" || *got[2].values.Value("w") != "u2" {
		t.Errorf("merged values wrong: %v %v", got[0].values, got[2].values)
	}
	if _, ok := events[6].New.Get("w"); ok {
		t.Fatal("folding modified an event: the per-event fallback would see it")
	}
}

func TestFoldRefusesImpossibleSequences(t *testing.T) {
	pk := map[string][]string{"public.t": {"id"}}
	k := map[string]*string{"id": s("1")}
	for name, events := range map[string][]*queue.Event{
		"insert twice":        {ev(queue.OpInsert, nil, k), ev(queue.OpInsert, nil, k)},
		"update after delete": {ev(queue.OpDelete, k, nil), ev(queue.OpUpdate, k, k)},
		"no primary key":      {{Op: queue.OpInsert, Schema: "public", Table: "nopk", New: queue.RowOf(k)}},
	} {
		if _, err := fold(events, pk); !errors.Is(err, errSetMismatch) {
			t.Errorf("%s: got %v, want the per-event path", name, err)
		}
	}
}

func TestUpdateSetsNoUnchangedKeyAndVisitsRowsInKeyOrder(t *testing.T) {
	n := func(id, v string) *netChange {
		return &netChange{op: "U", key: queue.RowOf(map[string]*string{"id": s(id)}),
			values: queue.RowOf(map[string]*string{"id": s(id), "v": s(v)})}
	}
	g := []*netChange{n("10", "a"), n("9", "b"), n("100", "c"), n("11", "d")}
	sortByKey(g)
	var order []string
	for _, c := range g {
		order = append(order, *c.key.Value("id"))
	}
	if got := strings.Join(order, ","); got != "9,10,11,100" {
		t.Errorf("key order %s, want numbers in numeric order", got)
	}
	if cols, at, nmatch, _ := setColumns(g, nil); strings.Join(cols, ",") != "v" || at[0] != 1 || nmatch != 0 {
		t.Errorf("SET columns %v at %v, want only v (the key is unchanged)", cols, at)
	}
	keyOnly := []*netChange{{op: "U", key: queue.RowOf(map[string]*string{"id": s("1")}), values: queue.RowOf(map[string]*string{"id": s("1")})}}
	if cols, _, _, _ := setColumns(keyOnly, nil); strings.Join(cols, ",") != "id" {
		t.Errorf("a key-only row sets %v, want id (the UPDATE must still find the row)", cols)
	}
}

func TestIdentityAlwaysColumnsAreMatchedNotSet(t *testing.T) {
	always := map[string]bool{"n": true}
	g := []*netChange{{op: "U", key: queue.RowOf(map[string]*string{"k": s("a")}),
		values: queue.Row{Names: []string{"k", "n", "v"}, Vals: []*string{s("a"), s("7"), s("x")}}}}
	cols, at, nmatch, ok := setColumns(g, always)
	if !ok || strings.Join(cols, ",") != "n,v" || at[0] != 1 || at[1] != 2 || nmatch != 1 {
		t.Errorf("got cols %v at %v nmatch %d ok %v; want n matched, v set", cols, at, nmatch, ok)
	}
	if _, _, _, ok := setColumns([]*netChange{{op: "U", key: queue.RowOf(map[string]*string{"id": s("1")}),
		values: queue.RowOf(map[string]*string{"id": s("1")})}}, map[string]bool{"id": true}); ok {
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

func TestIntegerKeysFoldAndSortAsNumbersOnlyWhenCanonical(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "7": true, "-12": true, "9223372036854775807": true,
		"007": false, "-0": false, "+7": false, "": false, "1e3": false, "9223372036854775808": false, " 7": false} {
		if _, ok := canonicalInt(s); ok != want {
			t.Errorf("canonicalInt(%q) = %v, want %v", s, ok, want)
		}
	}
	// A text key: "7" and "007" are two rows, whichever map holds each.
	pk := map[string][]string{"public.t": {"id"}}
	ins := func(id string) *queue.Event { return ev(queue.OpInsert, nil, map[string]*string{"id": s(id)}) }
	got, err := fold([]*queue.Event{ins("7"), ins("007"), ev(queue.OpDelete, map[string]*string{"id": s("7")}, nil), ins("-3"), ins("10")}, pk)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, n := range got {
		keys = append(keys, *n.key.Vals[0]+":"+n.op)
	}
	if strings.Join(keys, ",") != "007:I,-3:I,10:I" {
		t.Errorf("net changes %v, want 007 inserted, 7 born and gone, -3 and 10 inserted", keys)
	}
	// All keys numbers: sorted as numbers.
	nums, err := fold([]*queue.Event{ins("10"), ins("-3"), ins("9"), ins("100")}, pk)
	if err != nil {
		t.Fatal(err)
	}
	sortByKey(nums)
	keys = keys[:0]
	for _, n := range nums {
		keys = append(keys, *n.key.Vals[0])
	}
	if strings.Join(keys, ",") != "-3,9,10,100" {
		t.Errorf("sorted %v, want numeric order", keys)
	}
}
