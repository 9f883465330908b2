package queue

import (
	"os"
	"testing"
)

func str(s string) *string { return &s }

func TestWriteCrashReopenRead(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, Position{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := w.Append(&Event{Op: OpInsert, Schema: "public", Table: "t", New: RowOf(map[string]*string{"id": str("1"), "v": nil})}); err != nil {
			t.Fatal(err)
		}
	}
	durable, err := w.Sync()
	if err != nil {
		t.Fatal(err)
	}
	// A transaction half written when the process dies.
	w.Append(&Event{Op: OpDelete, Schema: "public", Table: "t", Key: RowOf(map[string]*string{"id": str("1")})})
	w.buf.Flush()
	w.Close()

	w, err = OpenWriter(dir, durable)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(&Event{Op: OpUpdate, Schema: "public", Table: "t"}); err != nil {
		t.Fatal(err)
	}
	end, _ := w.Sync()
	w.Close()
	r := OpenReader(dir, Position{})
	var seqs []int64
	var ops string
	for {
		e, err := r.Next(end)
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		seqs = append(seqs, e.Seq)
		ops += e.Op
	}
	if len(seqs) != 4 || seqs[3] != 4 || ops != "IIIU" {
		t.Fatalf("read %v %q, want seqs 1..4 and IIIU (the unsynced delete dropped)", seqs, ops)
	}
}

func TestRollsSegmentsAndReadsAcross(t *testing.T) {
	dir := t.TempDir()
	w, _ := OpenWriter(dir, Position{})
	big := string(make([]byte, 1000))
	var last Position
	for i := 0; i < 3; i++ {
		w.Append(&Event{Op: OpInsert, Table: "t", New: RowOf(map[string]*string{"v": &big})})
		w.pos.Offset += SegmentBytes // pretend the segment is full
		p, err := w.Sync()
		if err != nil {
			t.Fatal(err)
		}
		last = p
	}
	if last.Segment != 4 {
		t.Fatalf("segment = %d, want 4", last.Segment)
	}
	if _, err := os.Stat(SegmentPath(dir, 3)); err != nil {
		t.Fatal(err)
	}
}

func TestCountByTableKeepsTablesApartAcrossRuns(t *testing.T) {
	ev := func(op, schema, table string) *Event { return &Event{Op: op, Schema: schema, Table: table} }
	events := []*Event{
		ev(OpInsert, "public", "a"), ev(OpInsert, "public", "a"), ev(OpUpdate, "s", "a"),
		ev(OpDelete, "public", "a"), ev(OpTruncate, "public", "b"), ev(OpUpdate, "s", "a"),
		ev(OpInsert, "public", "b"), ev(OpEnd, "", ""),
	}
	got := CountByTable(events)
	want := []TableOps{
		{Schema: "public", Table: "a", I: 2, D: 1},
		{Schema: "s", Table: "a", U: 2},
		{Schema: "public", Table: "b", I: 1, T: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("table %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// A reader that read ahead past the durable limit while the writer died
// mid-line must not use those bytes once the next writer has truncated
// the segment and written other events in their place.
func TestReaderDropsReadAheadOfKilledWriter(t *testing.T) {
	dir := t.TempDir()
	w, err := OpenWriter(dir, Position{})
	if err != nil {
		t.Fatal(err)
	}
	w.Append(&Event{Op: OpInsert, Schema: "public", Table: "t", New: RowOf(map[string]*string{"id": str("1")})})
	durable, _ := w.Sync()
	// The killed writer's unsynced, half-written line.
	w.Append(&Event{Op: OpDelete, Schema: "public", Table: "t", Key: RowOf(map[string]*string{"id": str("1"), "pad": str("xxxxxxxxxxxxxxxxxxxx")})})
	w.buf.Flush()
	w.Close()
	f, _ := os.OpenFile(SegmentPath(dir, 1), os.O_RDWR, 0)
	st, _ := f.Stat()
	f.Truncate(st.Size() - 10)
	f.Close()

	r := OpenReader(dir, Position{})
	defer r.Close()
	if e, err := r.Next(durable); err != nil || e == nil || e.Op != OpInsert {
		t.Fatalf("first event: %v %v", e, err)
	}
	if e, err := r.Next(durable); err != nil || e != nil {
		t.Fatalf("at the limit: %v %v", e, err)
	}
	w, err = OpenWriter(dir, durable) // the next writer
	if err != nil {
		t.Fatal(err)
	}
	w.Append(&Event{Op: OpUpdate, Schema: "public", Table: "t", New: RowOf(map[string]*string{"id": str("2")})})
	end, _ := w.Sync()
	w.Close()
	e, err := r.Next(end)
	if err != nil || e == nil || e.Op != OpUpdate {
		t.Fatalf("after the restart: %v %v", e, err)
	}
}
