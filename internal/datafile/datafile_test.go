package datafile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeRows(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "t.tsv")
	w, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		w.Write([]byte("row\t" + strings.Repeat("x", i%3) + "\n"))
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if w.Rows != int64(n) {
		t.Fatalf("rows = %d, want %d", w.Rows, n)
	}
	return p
}

func totalRows(bs []Batch) (n int64) {
	for _, b := range bs {
		n += b.Rows
	}
	return n
}

func TestSplitCoversFileOnce(t *testing.T) {
	p := writeRows(t, 10)
	st, _ := os.Stat(p)
	bs, err := Split(p, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 4 || totalRows(bs) != 10 || bs[0].Start != 0 || bs[3].End != st.Size() || bs[3].FirstLine != 10 {
		t.Fatalf("unexpected batches %+v", bs)
	}
	for i := 1; i < len(bs); i++ {
		if bs[i].Start != bs[i-1].End {
			t.Fatalf("gap or overlap at %d: %+v", i, bs)
		}
	}
}

func TestSplitSkipsDoneRangesWithOtherBatchSize(t *testing.T) {
	p := writeRows(t, 10)
	first, _ := Split(p, 4, nil) // an earlier run: batches of 4, the second one done
	done := map[int64]int64{first[1].Start: first[1].End}
	bs, err := Split(p, 3, done)
	if err != nil {
		t.Fatal(err)
	}
	if totalRows(bs) != 6 {
		t.Fatalf("want 6 rows left, got %d: %+v", totalRows(bs), bs)
	}
	for _, b := range bs {
		if b.Start < first[1].End && b.End > first[1].Start {
			t.Fatalf("batch %+v overlaps done range %+v", b, first[1])
		}
	}
}

func TestSplitEmptyFile(t *testing.T) {
	p := writeRows(t, 0)
	bs, err := Split(p, 3, nil)
	if err != nil || len(bs) != 0 {
		t.Fatalf("got %v %v", bs, err)
	}
}
