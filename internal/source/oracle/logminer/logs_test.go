package logminer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Log lists shaped like V$ARCHIVED_LOG / V$LOG on a two-thread (RAC)
// database after a RESETLOGS at SCN 500 (synthetic).
func TestSelectLogs(t *testing.T) {
	logs := []LogFile{
		{Name: "old_1_9.arc", Thread: 1, Sequence: 9, FirstSCN: 100, NextSCN: 500, Archived: true, Resetlogs: 1},
		{Name: "t1_1.arc", Thread: 1, Sequence: 1, FirstSCN: 500, NextSCN: 800, Archived: true, Resetlogs: 500},
		{Name: "redo01.log", Thread: 1, Sequence: 1, FirstSCN: 500, NextSCN: 800, Resetlogs: 500},
		{Name: "redo02.log", Thread: 1, Sequence: 2, FirstSCN: 800, NextSCN: 1 << 62, Resetlogs: 500},
		{Name: "t2_1.arc", Thread: 2, Sequence: 1, FirstSCN: 500, NextSCN: 650, Archived: true, Resetlogs: 500},
		{Name: "t2_3.arc", Thread: 2, Sequence: 3, FirstSCN: 700, NextSCN: 900, Archived: true, Resetlogs: 500},
		{Name: "redo03.log", Thread: 2, Sequence: 4, FirstSCN: 900, NextSCN: 1 << 62, Resetlogs: 500},
	}
	got, err := SelectLogs(logs, 500, []int{1}, 600, 850)
	if err != nil || names(got) != "t1_1.arc redo02.log" {
		t.Errorf("thread 1, 600..850: %v %v (the archived copy is preferred; the online log goes on)", names(got), err)
	}
	if _, err := SelectLogs(logs, 500, []int{1, 2}, 600, 850); err == nil || !strings.Contains(err.Error(), "redo thread 2 has no log file for SCNs 650..699") {
		t.Errorf("a missing archive log of thread 2: %v", err)
	}
	got, err = SelectLogs(logs, 500, []int{1, 2}, 720, 950)
	if err != nil || names(got) != "t1_1.arc redo02.log t2_3.arc redo03.log" {
		t.Errorf("both threads, 720..950: %v %v", names(got), err)
	}
	if _, err := SelectLogs(logs, 500, []int{1}, 200, 300); err == nil {
		t.Error("SCNs of the old incarnation were covered by its logs")
	}
}

func names(ls []LogFile) string {
	var s []string
	for _, l := range ls {
		s = append(s, l.Name)
	}
	return strings.Join(s, " ")
}

func TestWindowGrowsAndShrinks(t *testing.T) {
	w := NewWindow(1000)
	s, e, ok := w.Next(1_000_000)
	if !ok || s != 1000 || e != 1000+w.Size-1 {
		t.Fatalf("first window %d..%d", s, e)
	}
	size := w.Size
	w.Done(e, 10, time.Millisecond) // quiet: grow
	if w.Size != 2*size {
		t.Errorf("size %d after a quiet window, want %d", w.Size, 2*size)
	}
	s2, _, _ := w.Next(1_000_000)
	if s2 != e+1 {
		t.Errorf("next window starts at %d, want %d", s2, e+1)
	}
	for i := 0; i < 20; i++ {
		_, e, _ = w.Next(1 << 40)
		w.Done(e, 1_000_000, time.Second) // heavy: shrink to the floor
	}
	if w.Size != w.Min {
		t.Errorf("size %d after heavy windows, want the minimum %d", w.Size, w.Min)
	}
	if _, end, _ := w.Next(w.From() + 5); end != w.From()+5 {
		t.Errorf("a window goes past the current SCN: ends %d", end)
	}
	if _, _, ok := w.Next(w.From() - 1); ok {
		t.Error("a window before anything new")
	}
}

func TestBufferMemoryBounded(t *testing.T) {
	b := NewBuffer(t.TempDir(), 64<<10)
	row := strings.Repeat("x", 1000)
	for i := 0; i < 5000; i++ { // 5 MB in one transaction, 64 KB of memory
		if err := b.Add("big", 1, Change{SCN: uint64(i), RowID: "r", Data: []byte(row)}); err != nil {
			t.Fatal(err)
		}
		if b.InMemory() > 64<<10 {
			t.Fatalf("%d bytes in memory past the limit", b.InMemory())
		}
	}
	n := 0
	if err := b.Commit("big", func(c Change) error {
		if c.SCN != uint64(n) || string(c.Data) != row {
			t.Fatalf("change %d read back as SCN %d", n, c.SCN)
		}
		n++
		return nil
	}); err != nil || n != 5000 {
		t.Fatalf("%d changes read back, %v", n, err)
	}
	if files := SpillFiles(b.Dir); len(files) != 0 {
		t.Errorf("spill files left after the commit: %v", files)
	}
}

func TestPositionJSON(t *testing.T) {
	p := Position{RestartSCN: 90, CommitSCN: 120, XID: "0005.01a.00000abc"}
	data, _ := json.Marshal(p)
	q, err := ParsePosition(data)
	if err != nil || q != p || p.Compare(q) != 0 {
		t.Fatalf("%s read back as %v (%v)", data, q, err)
	}
	if _, err := ParsePosition([]byte(`{"restart_scn":5,"commit_scn":4}`)); err == nil {
		t.Error("a restart SCN after the commit SCN was accepted")
	}
	if (Position{CommitSCN: 7}).Compare(Position{CommitSCN: 7, XID: "z"}) <= 0 {
		t.Error("all of SCN 7 does not come after one of its transactions")
	}
}
