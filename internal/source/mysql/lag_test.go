package mysql

import (
	"strings"
	"testing"
)

// TestSource_BinlogLagBytes: the lag is the binlog written after a position,
// within one file and across a rotation, and 0 at the end. The server is
// shared with tests that write concurrently, so every check is against the
// end position BinlogLagBytes itself measured.
func TestSource_BinlogLagBytes(t *testing.T) {
	srv, db, s := openTest(t, "CREATE TABLE t (id int primary key, v text)")
	ctx := ctxT(t)
	from, err := s.MasterPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.Exec(t, db, "INSERT INTO t VALUES (1, REPEAT('x', 5000))")
	lag, end, err := s.BinlogLagBytes(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	if lag < 5000 || end.File == from.File && lag != int64(end.Pos-from.Pos) {
		t.Fatalf("lag from %v = %d bytes (end %v), want %d and at least the 5000-byte row", from, lag, end, end.Pos-from.Pos)
	}

	// Caught up: 0, unless another test wrote meanwhile, which moved the end.
	for i := 0; ; i++ {
		n, now, err := s.BinlogLagBytes(ctx, end)
		if err != nil {
			t.Fatal(err)
		}
		if now == end {
			if n != 0 {
				t.Fatalf("lag at the end %v = %d, want 0", end, n)
			}
			break
		}
		if now.File == end.File && n != int64(now.Pos-end.Pos) || i == 20 {
			t.Fatalf("lag from %v = %d (end %v)", end, n, now)
		}
		end = now
	}
	if n, _, err := s.BinlogLagBytes(ctx, BinlogPosition{File: end.File, Pos: end.Pos + 1<<20}); err != nil || n != 0 {
		t.Fatalf("lag from past the end = %d, %v; want 0", n, err)
	}

	// Across files: the rest of from's file, every file between, and the
	// current file up to its end.
	srv.Exec(t, "", "FLUSH BINARY LOGS")
	srv.Exec(t, db, "INSERT INTO t VALUES (2, REPEAT('y', 3000))")
	lag, end, err = s.BinlogLagBytes(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	if end.File == from.File {
		t.Fatalf("end %v still in %s after FLUSH BINARY LOGS", end, from.File)
	}
	sizes, err := s.binaryLogs(ctx) // closed files' sizes no longer change
	if err != nil {
		t.Fatal(err)
	}
	want, in := int64(0), false
	for _, f := range sizes {
		switch {
		case f.name == from.File:
			in, want = true, f.size-int64(from.Pos)
		case f.name == end.File:
			want += int64(end.Pos)
			in = false
		case in:
			want += f.size
		}
	}
	if lag != want || lag < 8000 {
		t.Fatalf("lag from %v to %v = %d, want %d (files %v)", from, end, lag, want, sizes)
	}

	if _, _, err := s.BinlogLagBytes(ctx, BinlogPosition{File: "gone-bin.000001", Pos: 4}); err == nil || !strings.Contains(err.Error(), "gone-bin.000001") {
		t.Fatalf("lag from a purged binlog = %v, want an error naming it", err)
	}
}
