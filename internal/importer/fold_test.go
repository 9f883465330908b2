package importer

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
		id := *n.Key.Value("id")
		if want[id] != n.Op {
			t.Errorf("row %s: %s, want %s", id, n.Op, want[id])
		}
	}
	if *got[0].Values.Value("v") != "b" || *got[2].Values.Value("v") != "u1" || *got[2].Values.Value("w") != "u2" {
		t.Errorf("merged values wrong: %v %v", got[0].Values, got[2].Values)
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
		if _, err := fold(events, pk); !errors.Is(err, errNotFoldable) {
			t.Errorf("%s: got %v, want the per-event path", name, err)
		}
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
		keys = append(keys, *n.Key.Vals[0]+":"+n.Op)
	}
	if strings.Join(keys, ",") != "007:I,-3:I,10:I" {
		t.Errorf("net changes %v, want 007 inserted, 7 born and gone, -3 and 10 inserted", keys)
	}
}
