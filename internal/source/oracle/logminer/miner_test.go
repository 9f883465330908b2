package logminer

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Synthetic V$LOGMNR_CONTENTS streams: state machines, not Oracle.

type applied struct {
	xid     string
	changes []string
}

// run feeds rows to an assembler from pos and collects what it hands on,
// with the position after each transaction; Flush is called every window
// rows, as the mining loop does at the end of each window.
func run(t *testing.T, rows []Row, pos Position, limit int64, window int) ([]applied, []Position, []int) {
	t.Helper()
	var out []applied
	var positions []Position
	var counts []int // after each commit, how many transactions with changes were handed on
	a := NewAssembler(NewBuffer(t.TempDir(), limit), pos, func(c Committed) error {
		var ch []string
		if err := c.Each(func(x Change) error { ch = append(ch, string(x.Data)); return nil }); err != nil {
			return err
		}
		if len(ch) > 0 {
			out = append(out, applied{c.XID, ch})
		}
		positions = append(positions, c.Position)
		counts = append(counts, len(out))
		return nil
	})
	for i, r := range rows {
		if r.SCN < pos.RestartSCN {
			continue
		}
		if err := a.Row(r); err != nil {
			t.Fatal(err)
		}
		if window > 0 && i%window == window-1 && (i+1 == len(rows) || rows[i+1].SCN > r.SCN) {
			if err := a.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	return out, positions, counts
}

func TestAssemblerOrderRollbackPartialRollback(t *testing.T) {
	rows := []Row{
		{SCN: 10, XID: "A", Op: "START"},
		{SCN: 11, XID: "A", Op: "INSERT", RowID: "r1", Redo: "a1"},
		{SCN: 12, XID: "B", Op: "START"},
		{SCN: 13, XID: "B", Op: "INSERT", RowID: "r2", Redo: "b1"},
		{SCN: 14, XID: "A", Op: "UPDATE", RowID: "r1", Redo: "a2"},
		{SCN: 15, XID: "A", Op: "UPDATE", RowID: "r1", Rollback: true, Redo: "undo a2"}, // ROLLBACK TO SAVEPOINT
		{SCN: 16, XID: "C", Op: "INSERT", RowID: "r3", Redo: "c1"},
		{SCN: 17, XID: "B", Op: "COMMIT"},
		{SCN: 18, XID: "C", Op: "ROLLBACK"},
		{SCN: 19, XID: "A", Op: "INSERT", RowID: "r4", Redo: "a3"},
		{SCN: 20, XID: "A", Op: "COMMIT"},
	}
	for _, limit := range []int64{1 << 20, 1} { // in memory, and everything spilled
		out, pos, _ := run(t, rows, Position{}, limit, 0)
		want := []applied{{"B", []string{"b1"}}, {"A", []string{"a1", "a3"}}}
		if fmt.Sprint(out) != fmt.Sprint(want) {
			t.Errorf("limit %d: %v, want %v", limit, out, want)
		}
		// After B commits, A is still open: a restart must go back to its start.
		if pos[0] != (Position{RestartSCN: 10, CommitSCN: 17, XID: "B"}) || pos[1] != (Position{RestartSCN: 20, CommitSCN: 20, XID: "A"}) {
			t.Errorf("limit %d: positions %v", limit, pos)
		}
	}
}

// The snapshot is AS OF SCN 100; transaction L started at 95 and commits
// after it: all of L is needed, and E (committed at 98) is in the snapshot.
func TestAssemblerSnapshotHandOff(t *testing.T) {
	rows := []Row{
		{SCN: 95, XID: "L", Op: "START"},
		{SCN: 96, XID: "L", Op: "INSERT", Redo: "l1"},
		{SCN: 97, XID: "E", Op: "INSERT", Redo: "e1"},
		{SCN: 98, XID: "E", Op: "COMMIT"},
		{SCN: 100, XID: "S", Op: "INSERT", Redo: "s1"},
		{SCN: 100, XID: "S", Op: "COMMIT"}, // committed at the snapshot SCN: in the snapshot
		{SCN: 101, XID: "L", Op: "INSERT", Redo: "l2"},
		{SCN: 102, XID: "L", Op: "COMMIT"},
	}
	out, _, _ := run(t, rows, AtSnapshot(100, 95), 1<<20, 0)
	if want := []applied{{"L", []string{"l1", "l2"}}}; fmt.Sprint(out) != fmt.Sprint(want) {
		t.Errorf("%v, want %v", out, want)
	}
}

// Commits at one SCN (RAC) are handed on in XID order whatever order the
// log lists them in, so that a restart at (SCN, XID) skips exactly them.
func TestAssemblerSameSCNCommits(t *testing.T) {
	rows := []Row{
		{SCN: 5, XID: "Y", Op: "INSERT", Redo: "y"},
		{SCN: 6, XID: "X", Op: "INSERT", Redo: "x"},
		{SCN: 7, XID: "Y", Op: "COMMIT"},
		{SCN: 7, XID: "X", Op: "COMMIT"},
	}
	out, pos, _ := run(t, rows, Position{}, 1<<20, 0)
	if fmt.Sprint(out) != fmt.Sprint([]applied{{"X", []string{"x"}}, {"Y", []string{"y"}}}) {
		t.Errorf("%v", out)
	}
	again, _, _ := run(t, rows, pos[0], 1<<20, 0)
	if fmt.Sprint(again) != fmt.Sprint([]applied{{"Y", []string{"y"}}}) {
		t.Errorf("after a restart at %v: %v", pos[0], again)
	}
}

// randomStream interleaves n transactions over a shared SCN clock: some
// roll back, some roll back to a savepoint, some commit at the same SCN.
func randomStream(rng *rand.Rand, n int) []Row {
	type open struct {
		xid  string
		left int
		rows []string
	}
	var rows []Row
	var live []*open
	scn := uint64(1000)
	started := 0
	for started < n || len(live) > 0 {
		if started < n && (len(live) == 0 || rng.Intn(3) == 0) {
			o := &open{xid: fmt.Sprintf("%04d.%03d", rng.Intn(50), started), left: 1 + rng.Intn(6)}
			started++
			live = append(live, o)
			rows = append(rows, Row{SCN: scn, XID: o.xid, Op: "START"})
			scn++
			continue
		}
		i := rng.Intn(len(live))
		if rng.Intn(2) == 0 { // often several are ready to commit at once
			for j, l := range live {
				if l.left == 0 {
					i = j
				}
			}
		}
		o := live[i]
		if o.left > 0 {
			rid := fmt.Sprintf("row%d", rng.Intn(4))
			rows = append(rows, Row{SCN: scn, XID: o.xid, Op: "INSERT", RowID: rid, Redo: fmt.Sprintf("%s/%d/%s", o.xid, o.left, strings.Repeat("v", rng.Intn(200)))})
			if rng.Intn(5) == 0 {
				rows = append(rows, Row{SCN: scn, XID: o.xid, Op: "DELETE", RowID: rid, Rollback: true})
			}
			o.left--
			if rng.Intn(4) != 0 {
				scn++
			}
			continue
		}
		op := "COMMIT"
		if rng.Intn(6) == 0 {
			op = "ROLLBACK"
		}
		rows = append(rows, Row{SCN: scn, XID: o.xid, Op: op})
		if rng.Intn(3) != 0 { // sometimes the next commit shares the SCN
			scn++
		}
		live = slices.Delete(live, i, i+1)
	}
	return rows
}

// Kill the capture after any transaction was made durable on the target,
// restart from that durable position with fresh memory: what the target
// holds is exactly what one uninterrupted run hands on, with no
// transaction lost or repeated; with a tiny memory limit every
// transaction goes through disk.
func TestAssemblerRestartExactlyOnce(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		rows := randomStream(rng, 40)
		limit := int64(1 << 20)
		if seed%2 == 0 {
			limit = 300
		}
		full, positions, counts := run(t, rows, Position{}, limit, 7)
		if want := expected(rows); fmt.Sprint(full) != fmt.Sprint(want) {
			t.Fatalf("seed %d: handed on\n %v\nwant\n %v", seed, full, want)
		}
		for k := range positions {
			// The target holds what was handed on up to the k-th commit
			// (durable with its position), then the process dies.
			target := full[:counts[k]]
			rest, _, _ := run(t, rows, positions[k], limit, 5)
			got := append(append([]applied(nil), target...), rest...)
			if fmt.Sprint(got) != fmt.Sprint(full) {
				t.Fatalf("seed %d, killed after position %d (%v):\n got %v\nwant %v", seed, k, positions[k], got, full)
			}
		}
	}
}

// expected is what the stream commits, worked out directly: each
// committed transaction's changes less those its partial rollbacks undo,
// in (commit SCN, XID) order.
func expected(rows []Row) []applied {
	type change struct{ rowID, data string }
	open := map[string][]change{}
	type done struct {
		scn uint64
		a   applied
	}
	var out []done
	for _, r := range rows {
		switch {
		case r.Op == "COMMIT":
			var ch []string
			for _, c := range open[r.XID] {
				ch = append(ch, c.data)
			}
			if len(ch) > 0 {
				out = append(out, done{r.SCN, applied{r.XID, ch}})
			}
			delete(open, r.XID)
		case r.Op == "ROLLBACK":
			delete(open, r.XID)
		case r.Rollback:
			cs := open[r.XID]
			for i := len(cs) - 1; i >= 0; i-- {
				if cs[i].rowID == r.RowID {
					open[r.XID] = slices.Delete(cs, i, i+1)
					break
				}
			}
		case r.Op == "INSERT" || r.Op == "UPDATE" || r.Op == "DELETE":
			open[r.XID] = append(open[r.XID], change{r.RowID, r.Redo})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].scn < out[j].scn || out[i].scn == out[j].scn && out[i].a.xid < out[j].a.xid
	})
	res := make([]applied, len(out))
	for i, d := range out {
		res[i] = d.a
	}
	return res
}

// A quiet stream moves its position to the end of each mined window, so a
// cutover asked while nothing commits is reached.
func TestAssemblerAdvanceWhenQuiet(t *testing.T) {
	a := NewAssembler(NewBuffer(t.TempDir(), 1<<20), Position{RestartSCN: 10, CommitSCN: 10}, func(c Committed) error { return c.Each(func(Change) error { return nil }) })
	for _, r := range []Row{{SCN: 11, XID: "A", Op: "START"}, {SCN: 12, XID: "A", Op: "INSERT", Redo: "a"}} {
		if err := a.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if a.Advance(20) {
		t.Error("advanced past an open transaction")
	}
	if err := a.Row(Row{SCN: 21, XID: "A", Op: "COMMIT"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	if !a.Advance(21) || a.Position() != (Position{RestartSCN: 21, CommitSCN: 21}) {
		t.Errorf("a window ending at the last commit leaves %v, want all of SCN 21 done", a.Position())
	}
	if a.Advance(21) {
		t.Error("advanced twice to one SCN")
	}
	if !a.Advance(30) || a.Position() != (Position{RestartSCN: 30, CommitSCN: 30}) {
		t.Errorf("after the commit, a quiet window to 30 leaves %v", a.Position())
	}
	if !a.Position().Done(30, "B") || a.Position().Done(31, "B") {
		t.Error("the advanced position skips the wrong commits")
	}
}
