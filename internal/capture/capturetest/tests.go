package capturetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// testSnapshotUnderWrites: the snapshot at the stream's start plus every
// change streamed from it is exactly the table, while transactions ran all
// along: before, during and after the snapshot was taken and read.
func testSnapshotUnderWrites(t *testing.T, s Server) {
	src, w := s.Open(t, 3000)
	var wrote atomic.Int64
	stop, done := make(chan struct{}), make(chan error, 1)
	go func() {
		for k := 1; ; k++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			script := fmt.Sprintf("BEGIN; UPDATE t SET v = 'u%d', n = n + 1 WHERE id = %d; INSERT INTO t (id, v, n) VALUES (%d, 'w', %d);",
				k, k*7%3000+1, 10000+k, k)
			if k%3 == 0 {
				script += fmt.Sprintf(" DELETE FROM t WHERE id = %d;", 10000+k-1)
			}
			if err := w(context.Background(), script+" COMMIT;"); err != nil {
				done <- err
				return
			}
			wrote.Add(1)
		}
	}()
	waitFor(t, "writes before the snapshot", func() bool { return wrote.Load() > 20 })
	st := beginLive(t, src, w)
	m, _ := exportAll(t, st.live.Snapshot, st.table, 16<<10, false)
	if err := st.live.Snapshot.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := wrote.Load()
	waitFor(t, "writes after the snapshot", func() bool { return wrote.Load() > after+20 })
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st.write(t, "INSERT INTO t (id, v, n) VALUES (-1, 'end', 0)")
	r := &recorder{}
	if err := st.run(t, r, func(r *recorder) bool { return r.hasRow("-1") }); err != nil {
		t.Fatal(err)
	}
	for _, x := range r.committed() {
		for _, e := range x.events {
			if err := m.apply(e); err != nil {
				t.Fatalf("change %s after the snapshot: %v", e.Op, err)
			}
		}
	}
	if d := m.diff(current(t, src, st.table)); d != "" {
		t.Fatalf("snapshot + changes differ from the table (%d transactions written): %s", wrote.Load(), d)
	}
}

// testChunksIndependent: the chunks of one snapshot, read in any order by
// any worker, hold every row exactly once.
func testChunksIndependent(t *testing.T, s Server) {
	const rows = 2000
	src, _ := s.Open(t, rows)
	tables, err := src.ListTables(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := src.BeginSnapshot(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(context.Background())
	split, n := exportAll(t, snap, tables[0], 8<<10, true)
	whole, _ := exportAll(t, snap, tables[0], 1<<30, false)
	if n < 2 {
		t.Errorf("the table was cut into %d chunk(s); want several to test their independence", n)
	}
	if d := split.diff(whole); d != "" || len(whole) != rows {
		t.Fatalf("chunks read in reverse differ from one read (%d rows): %s", len(whole), d)
	}
	for i := 1; i <= rows; i++ {
		if id := strconv.Itoa(i); whole[id] != "r"+id+"|"+id {
			t.Fatalf("row %s is %q", id, whole[id])
		}
	}
}

// testOrderedStream: transactions arrive whole, in commit order, at
// increasing positions, and the stream ticks while idle.
func testOrderedStream(t *testing.T, s Server) {
	src, w := s.Open(t, 10)
	st := beginLive(t, src, w)
	closeSnapshot(t, st)
	const txs = 20
	for i := 1; i <= txs; i++ {
		st.write(t, fmt.Sprintf("BEGIN; INSERT INTO t (id, v, n) VALUES (%d, 'tx%d', %d); UPDATE t SET n = n + 1 WHERE id = %d; COMMIT;",
			100+i, i, i, 1+i%10))
	}
	r := &recorder{}
	var caughtUp time.Time
	err := st.run(t, r, func(r *recorder) bool {
		if caughtUp.IsZero() && r.hasRow(strconv.Itoa(100+txs)) {
			caughtUp = time.Now()
		}
		return !caughtUp.IsZero() && time.Since(caughtUp) > 2500*time.Millisecond
	})
	if err != nil {
		t.Fatal(err)
	}
	got := r.committed()
	if len(got) != txs {
		t.Fatalf("%d transactions, want %d", len(got), txs)
	}
	for i, x := range got {
		want := []string{"I " + strconv.Itoa(101+i), "U " + strconv.Itoa(1+(i+1)%10)}
		if len(x.events) != 2 || describe(x.events[0]) != want[0] || describe(x.events[1]) != want[1] {
			t.Fatalf("transaction %d: %v, want %v", i+1, describeAll(x.events), want)
		}
	}
	if r.ticks < 2 {
		t.Errorf("%d ticks in 2.5 s idle: the stream must tick at least once a second", r.ticks)
	}
}

var errCrash = errors.New("simulated crash")

// testResume: a stream abandoned in the middle of a transaction (nothing
// acknowledged past the last durable commit, as kill -9 leaves it), or
// seconds after the sink stopped reporting what it received as durable,
// restarted from the durable position read back from its JSON, delivers
// every transaction exactly once, in order: the source acknowledges only
// what the sink reports durable.
func testResume(t *testing.T, s Server) {
	src, w := s.Open(t, 10)
	st := beginLive(t, src, w)
	closeSnapshot(t, st)
	const txs = 30
	for i := 0; i < txs; i++ {
		st.write(t, fmt.Sprintf("BEGIN; INSERT INTO t (id, v, n) VALUES (%d, 'x', 0); UPDATE t SET n = n + 1 WHERE id = %d; COMMIT;",
			200+i, 1+i%10))
	}
	last := strconv.Itoa(200 + txs - 1)
	var all []tx
	for run := 1; run <= 4; run++ {
		r := &recorder{}
		seen, quiet := 0, time.Time{}
		switch run {
		case 1, 3: // inside a transaction (2 changes each)
			r.onChange = func(*queue.Event) error {
				if seen++; seen == run*3 {
					return errCrash
				}
				return nil
			}
		case 2: // everything received, two of them durable, acknowledgements had time to go out
			r.holdAfter = 2
			r.onTick = func(capture.Tick) error {
				if !r.hasRow(last) {
					return nil
				}
				if quiet.IsZero() {
					quiet = time.Now()
				}
				if time.Since(quiet) > 2500*time.Millisecond {
					return errCrash
				}
				return nil
			}
		}
		started := time.Now()
		err := st.runRetrying(t, r, func(r *recorder) bool {
			// A run also ends once nothing more came for 5 s: the source
			// lost what the rest of the test waits for.
			return run == 4 && r.hasRow(last) || time.Since(started) > 5*time.Second && r.sinceCommit() > 5*time.Second
		})
		if err == nil && (run < 4 || !r.hasRow(last)) {
			t.Fatalf("run %d: the stream went quiet with %d of %d transactions delivered so far: transactions were lost",
				run, len(all)+len(r.committed()), txs)
		}
		if run < 4 && !errors.Is(err, errCrash) || run == 4 && err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		all = append(all, r.durableTxs()...)
		b, err := json.Marshal(r.Durable())
		if err != nil {
			t.Fatal(err)
		}
		if st.opts.From, err = src.ParsePosition(b); err != nil {
			t.Fatalf("position %s does not read back: %v", b, err)
		}
	}
	if len(all) != txs {
		t.Fatalf("%d transactions over the restarts, want %d exactly once", len(all), txs)
	}
	for i, x := range all {
		if got, want := describe(x.events[0]), "I "+strconv.Itoa(200+i); got != want || len(x.events) != 2 {
			t.Fatalf("transaction %d over the restarts: %v, want %s first", i, describeAll(x.events), want)
		}
	}
}

// testCutoverStop: asked to stop, the source says where, and every
// transaction committed before the request is delivered before that
// point; with a marker, nothing committed after it is.
func testCutoverStop(t *testing.T, s Server) {
	src, w := s.Open(t, 10)
	st := beginLive(t, src, w)
	closeSnapshot(t, st)
	for i := 0; i < 10; i++ {
		st.write(t, fmt.Sprintf("INSERT INTO t (id, v, n) VALUES (%d, 'before', 0)", 300+i))
	}
	r := &recorder{}
	var stop *capture.Stop
	stopAt := -1
	stopped := func() { stopAt = len(r.committed()) }
	r.onTick = func(tk capture.Tick) error {
		switch {
		case stop == nil && tk.Idle:
			s, err := src.RequestStop(context.Background(), st.opts)
			if err != nil {
				return err
			}
			stop = &s
			return w(context.Background(), "INSERT INTO t (id, v, n) VALUES (400, 'after', 0)")
		case stop != nil && stopAt < 0 && stop.At != nil && tk.Idle && tk.At != nil && tk.At.Compare(stop.At) >= 0:
			stopped()
		}
		return nil
	}
	r.onCommit = func(end capture.Position) error {
		switch {
		case stop == nil || stopAt >= 0:
		case stop.Marker != "" && len(r.markers) > 0 && r.markers[len(r.markers)-1] == stop.Marker:
			stopped()
		case stop.At != nil && end.Compare(stop.At) >= 0:
			stopped()
		}
		return nil
	}
	if err := st.run(t, r, func(*recorder) bool { return stopAt >= 0 }); err != nil {
		t.Fatal(err)
	}
	if stop.Marker == "" && stop.At == nil {
		t.Fatal("RequestStop named neither a marker nor a position")
	}
	before := &recorder{txs: r.committed()[:stopAt]}
	for i := 0; i < 10; i++ {
		if !before.hasRow(strconv.Itoa(300 + i)) {
			t.Fatalf("row %d, committed before the stop was asked for, came after the stop", 300+i)
		}
	}
	if stop.Marker != "" && before.hasRow("400") {
		t.Fatal("a transaction committed after the marker came before it")
	}
}

// testCutoverValues: the cutover values include the fixture's generator,
// at least at the last value it handed out.
func testCutoverValues(t *testing.T, s Server) {
	src, w := s.Open(t, 5)
	for i := 0; i < 3; i++ {
		if err := w(context.Background(), "INSERT INTO t (v, n) VALUES ('auto', 0)"); err != nil {
			t.Fatal(err)
		}
	}
	vals, err := src.CutoverValues(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if v.Name() == s.Generator() {
			if v.Value < 1_000_002 {
				t.Fatalf("%s is %d, below the last value handed out (1000002)", v.Name(), v.Value)
			}
			return
		}
	}
	t.Fatalf("no cutover value for %s in %+v", s.Generator(), vals)
}

// runRetrying is run, restarted while the stream fails before delivering
// anything (a server still holding the abandoned stream for a moment, as
// the exporter's reconnect loop would wait it out).
func (s *stream) runRetrying(t *testing.T, r *recorder, done func(*recorder) bool) error {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := s.run(t, r, done)
		if err == nil || errors.Is(err, errCrash) || r.ticks > 0 || len(r.committed()) > 0 || time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func closeSnapshot(t *testing.T, st *stream) {
	t.Helper()
	if err := st.live.Snapshot.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func describe(e *queue.Event) string {
	if e.Op == queue.OpInsert {
		return "I " + value(e.New, "id")
	}
	return e.Op + " " + value(e.Key, "id")
}

func describeAll(es []*queue.Event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = describe(e)
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
