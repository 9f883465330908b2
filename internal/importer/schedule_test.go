package importer

import (
	"context"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

func batches(table string, n int) []target.Batch {
	out := make([]target.Batch, n)
	for i := range out {
		out[i] = target.Batch{Table: sqlname.Table{Schema: "public", Name: table}, Start: int64(i)}
	}
	return out
}

func take(t *testing.T, s *scheduler, prev string) target.Batch {
	t.Helper()
	b, _, ok := s.next(context.Background(), prev)
	if !ok {
		t.Fatal("no batch")
	}
	return b
}

func TestWorkersKeepToTheirOwnTablesWhileOthersWait(t *testing.T) {
	s := newScheduler(2)
	s.add("public.a", batches("a", 3))
	s.add("public.b", batches("b", 3))
	w1, w2 := take(t, s, ""), take(t, s, "")
	if w1.Table.Name == w2.Table.Name {
		t.Fatalf("both workers on %s while another table waits", w1.Table.Name)
	}
	for i := 0; i < 2; i++ {
		n1, n2 := take(t, s, w1.Table.String()), take(t, s, w2.Table.String())
		if n1.Table != w1.Table || n2.Table != w2.Table {
			t.Fatalf("a worker left its table: %s -> %s, %s -> %s", w1.Table, n1.Table, w2.Table, n2.Table)
		}
		if n1.Start != int64(i+1) {
			t.Fatalf("batches out of file order: got start %d, want %d", n1.Start, i+1)
		}
	}
}

func TestWorkersShareTheLastTable(t *testing.T) {
	s := newScheduler(2)
	s.add("public.a", batches("a", 4))
	w1, w2 := take(t, s, ""), take(t, s, "")
	if w1.Table.Name != "a" || w2.Table.Name != "a" {
		t.Fatal("a worker idled while the only table had batches")
	}
	// A new table frees one of them from sharing.
	s.add("public.b", batches("b", 2))
	if n := take(t, s, w1.Table.String()); n.Table.Name != "b" {
		t.Errorf("worker stayed on the shared table instead of taking the unloaded one")
	}
	if n := take(t, s, w2.Table.String()); n.Table.Name != "a" {
		t.Errorf("the other worker left its now unshared table")
	}
}

func TestReadAheadIsBounded(t *testing.T) {
	s := newScheduler(2)
	if !s.wants("public.a") {
		t.Fatal("an idle scheduler refuses work")
	}
	s.add("public.a", batches("a", 10))
	if s.wants("public.a") {
		t.Error("a table with a full queue asks for another chunk")
	}
	for _, n := range []string{"b", "c", "d"} {
		s.add("public."+n, batches(n, 1))
	}
	if s.wants("public.e") {
		t.Error("a fifth table queued with two workers")
	}
	if !s.wants("public.b") {
		t.Error("a table whose queue runs low gets no more")
	}
}

func TestCloseAndCancelReleaseWorkers(t *testing.T) {
	s := newScheduler(1)
	s.add("public.a", batches("a", 1))
	s.close()
	take(t, s, "")
	if _, _, ok := s.next(context.Background(), "public.a"); ok {
		t.Fatal("a batch from a closed, empty scheduler")
	}

	s = newScheduler(1)
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan bool)
	go func() { _, _, ok := s.next(ctx, ""); got <- ok }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case ok := <-got:
		if ok {
			t.Fatal("a batch after cancel")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiting worker was not released by cancel")
	}
}

func TestFinishedTablesAreForgotten(t *testing.T) {
	s := newScheduler(1)
	for _, n := range []string{"a", "b", "c"} {
		s.add("public."+n, batches(n, 1))
	}
	prev := ""
	for range 3 {
		_, prev, _ = s.next(context.Background(), prev)
	}
	s.close()
	if _, _, ok := s.next(context.Background(), prev); ok {
		t.Fatal("a batch from a closed, empty scheduler")
	}
	if len(s.tables) != 0 || len(s.byName) != 0 {
		t.Errorf("%d tables, %d names still held after every batch was loaded", len(s.tables), len(s.byName))
	}
	if !s.wants("public.z") {
		t.Error("finished tables still count against the read-ahead")
	}
}
