package mysql

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// recSink records the non-empty transactions it receives; with stopAfter
// > 0 its Commit fails with errStop after that many.
type recSink struct {
	mu        sync.Mutex
	cur       []string
	txs       [][]string
	events    []*queue.Event
	nexts     []BinlogPosition
	ticks     int
	stopAfter int
}

var errStop = errors.New("stop")

func (r *recSink) Change(e *queue.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cur = append(r.cur, fmtEvent(e))
	r.events = append(r.events, e)
	return nil
}

func (r *recSink) Commit(end capture.Position, at time.Time) error {
	next := end.(BinlogPosition)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.cur) == 0 { // other databases' or ignored tables' transactions
		return nil
	}
	r.txs = append(r.txs, r.cur)
	r.nexts = append(r.nexts, next)
	r.cur = nil
	if r.stopAfter > 0 && len(r.txs) >= r.stopAfter {
		return errStop
	}
	return nil
}

func (r *recSink) Tick(capture.Tick) error {
	r.mu.Lock()
	r.ticks++
	r.mu.Unlock()
	return nil
}

func (r *recSink) Marker(string) error       { return nil }
func (r *recSink) Durable() capture.Position { return nil }

func (r *recSink) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.txs)
}

func fmtMap(m map[string]*string) string {
	if m == nil {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if m[k] == nil {
			fmt.Fprintf(&b, "%s=NULL", k)
		} else {
			fmt.Fprintf(&b, "%s=%q", k, *m[k])
		}
	}
	return b.String()
}

func fmtEvent(e *queue.Event) string {
	return fmt.Sprintf("%s %s.%s key[%s] new[%s]", e.Op, e.Schema, e.Table, fmtMap(e.Key.Map()), fmtMap(e.New.Map()))
}

// stream runs StreamBinlog in the background until the sink has want
// transactions (or StreamBinlog ends), then stops it and returns its error
// (nil when stopped by the test).
func stream(t *testing.T, s *Source, from BinlogPosition, tables []source.Table, sink *recSink, want int) error {
	t.Helper()
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.StreamBinlog(ctx, from, tables, 10000+rand.Uint32N(1<<20), sink) }()
	deadline := time.After(30 * time.Second)
	for sink.count() < want {
		select {
		case err := <-done:
			return err
		case <-deadline:
			cancel()
			<-done
			t.Fatalf("timed out waiting for %d transactions, got %d: %v", want, sink.count(), sink.txs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	time.Sleep(300 * time.Millisecond) // anything extra would show up now
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func TestCheckLive(t *testing.T) {
	srv, db, s := openTest(t, "CREATE TABLE t (id int primary key)")
	ctx := ctxT(t)
	if err := s.CheckLive(ctx, nil); err != nil {
		t.Fatalf("CheckLive on the harness server: %v", err)
	}
	user := "norepl_" + strings.TrimPrefix(db, "src_")
	var create, drop []string
	for _, h := range []string{"%", "localhost", "127.0.0.1"} {
		u := fmt.Sprintf("'%s'@'%s'", user, h)
		create = append(create, "CREATE USER "+u+" IDENTIFIED BY 'pw'", "GRANT SELECT ON `"+db+"`.* TO "+u)
		drop = append(drop, "DROP USER IF EXISTS "+u)
	}
	srv.Exec(t, "", strings.Join(create, ";\n"))
	t.Cleanup(func() { srv.Exec(t, "", strings.Join(drop, ";\n")) })
	s2, err := Open(ctx, dbconn.Config{Type: "mysql", Host: srv.Host, Port: srv.Port, User: user, Password: "pw", DBName: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	err = s2.CheckLive(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "GRANT RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO") ||
		!strings.Contains(err.Error(), "REPLICATION SLAVE") {
		t.Fatalf("CheckLive without replication grants = %v", err)
	}

	pos, err := s.MasterPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckPosition(ctx, pos); err != nil {
		t.Fatalf("CheckPosition(current) = %v", err)
	}
	gone := BinlogPosition{File: "gone-bin.000001", Pos: 4}
	if err := s.CheckPosition(ctx, gone); err == nil || !strings.Contains(err.Error(), "binlog gone-bin.000001 was purged") ||
		!strings.Contains(err.Error(), "--start-clean") {
		t.Fatalf("CheckPosition(purged) = %v", err)
	}
}

func TestBinlogPositionLess(t *testing.T) {
	a := BinlogPosition{File: "mysql-bin.000009", Pos: 500}
	b := BinlogPosition{File: "mysql-bin.000010", Pos: 4}
	c := BinlogPosition{File: "mysql-bin.000010", Pos: 5}
	if !a.Less(b) || b.Less(a) || !b.Less(c) || c.Less(b) || a.Less(a) {
		t.Fatal("Less order wrong")
	}
}

const streamSetup = `
CREATE TABLE items (id int primary key, v varchar(20));
CREATE TABLE nopk (x int, y varchar(20));
CREATE TABLE other (id int primary key, v varchar(20));
`

func TestStreamBinlogChanges(t *testing.T) {
	srv, db, s := openTest(t, streamSetup)
	ctx := ctxT(t)
	tables := []source.Table{table(t, s, "items"), table(t, s, "nopk")}
	from, err := s.MasterPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO items VALUES (1, 'one')",
		"UPDATE items SET v = 'uno' WHERE id = 1",
		"UPDATE items SET id = 2 WHERE id = 1",
		"DELETE FROM items WHERE id = 2",
		"INSERT INTO other VALUES (1, 'ignored')",
		"BEGIN; INSERT INTO items VALUES (10, 'ten'); INSERT INTO items VALUES (11, NULL); INSERT INTO other VALUES (2, 'x'); UPDATE items SET v = 'TEN' WHERE id = 10; COMMIT",
		"INSERT INTO nopk VALUES (1, 'x')",
		"UPDATE nopk SET y = 'z' WHERE x = 1",
		"DELETE FROM nopk",
	} {
		srv.Exec(t, db, q)
	}
	want := [][]string{
		{`I public.items key[-] new[id="1",v="one"]`},
		{`U public.items key[id="1"] new[id="1",v="uno"]`},
		{`U public.items key[id="1"] new[id="2",v="uno"]`},
		{`D public.items key[id="2"] new[-]`},
		{`I public.items key[-] new[id="10",v="ten"]`, `I public.items key[-] new[id="11",v=NULL]`, `U public.items key[id="10"] new[id="10",v="TEN"]`},
		{`I public.nopk key[-] new[x="1",y="x"]`},
		{`U public.nopk key[x="1",y="x"] new[x="1",y="z"]`},
		{`D public.nopk key[x="1",y="z"] new[-]`},
	}
	full := &recSink{}
	if err := stream(t, s, from, tables, full, len(want)); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(full.txs); got != fmt.Sprint(want) {
		t.Fatalf("streamed transactions:\n%s\nwant:\n%s", strings.Join(flatten(full.txs), "\n"), strings.Join(flatten(want), "\n"))
	}
	for i := 1; i < len(full.nexts); i++ {
		if !full.nexts[i-1].Less(full.nexts[i]) {
			t.Errorf("commit positions not increasing: %v then %v", full.nexts[i-1], full.nexts[i])
		}
	}
	if full.nexts[0].GTID == "" {
		t.Errorf("commit position has no GTID: %v", full.nexts[0])
	}

	// Stop after the third transaction, resume from its next position.
	part := &recSink{stopAfter: 3}
	if err := stream(t, s, from, tables, part, 1000); !errors.Is(err, errStop) {
		t.Fatalf("stream with stopping sink = %v", err)
	}
	rest := &recSink{}
	if err := stream(t, s, part.nexts[2], tables, rest, len(want)-3); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(append(part.txs, rest.txs...)); got != fmt.Sprint(want) {
		t.Fatalf("stopped + resumed:\n%v\n%v\nwant %v", part.txs, rest.txs, want)
	}
}

func flatten(txs [][]string) []string {
	var out []string
	for i, tx := range txs {
		for _, e := range tx {
			out = append(out, fmt.Sprintf("tx%d: %s", i, e))
		}
	}
	return out
}

func TestStreamBinlogDDL(t *testing.T) {
	srv, db, s := openTest(t, streamSetup)
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	tables := []source.Table{table(t, s, "items")}
	from, err := s.MasterPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sink := &recSink{}
	done := make(chan error, 1)
	go func() { done <- s.StreamBinlog(ctx, from, tables, 10000+rand.Uint32N(1<<20), sink) }()
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) { // streaming has started (and ticks while idle)
		sink.mu.Lock()
		ticks := sink.ticks
		sink.mu.Unlock()
		if ticks > 0 {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("no Tick within 10s")
		}
	}
	srv.Exec(t, db, "ALTER TABLE other ADD COLUMN extra int")
	srv.Exec(t, db, "INSERT INTO items VALUES (1, 'one')")
	srv.Exec(t, db, "ALTER TABLE items ADD COLUMN extra int")
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("StreamBinlog did not stop at the DDL")
	}
	if err == nil || !strings.Contains(err.Error(), "DDL on migrated table items during live migration (ALTER TABLE items ADD COLUMN extra int)") ||
		!strings.Contains(err.Error(), "--start-clean") {
		t.Fatalf("stream over DDL = %v", err)
	}
	if len(sink.txs) != 1 {
		t.Fatalf("transactions before the DDL: %v", sink.txs)
	}
}

const typesSetup = `
CREATE TABLE types (
  id int primary key,
  ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned,
  mi mediumint, miu mediumint unsigned, i int, iu int unsigned, bi bigint, biu bigint unsigned,
  dec1 decimal(10,2), dec2 decimal(30,10), dec0 decimal(5,0),
  f float, f2 float, d double, d2 double, d3 double,
  b1 bit(1), b8 bit(8), b12 bit(12),
  e enum('a','b c','d'), e0 enum('p',''), st set('x','y','z'), st0 set('x','y'),
  dt date, dtm datetime(6), dt0 datetime, ts timestamp(3) NULL DEFAULT NULL, ts0 timestamp NULL DEFAULT NULL,
  tm time, tm6 time(6), y year, zd date, zdt datetime, zts timestamp NULL DEFAULT NULL,
  vc varchar(100), ch char(5), tx text, bl blob, bin binary(4), vb varbinary(10),
  js json, lat varchar(20) CHARACTER SET latin1,
  gen int AS (i + 1) VIRTUAL, gens varchar(120) AS (concat(vc, 'x')) PERSISTENT
);
`

const typesRow = `SET SESSION sql_mode = '';
SET SESSION time_zone = '+02:00';
INSERT INTO types (id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, dec1, dec2, dec0, f, f2, d, d2, d3,
  b1, b8, b12, e, e0, st, st0, dt, dtm, dt0, ts, ts0, tm, tm6, y, zd, zdt, zts, vc, ch, tx, bl, bin, vb, js, lat) VALUES
 (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
  -12345678.91, 12345678901234567890.0123456789, 7, 1.2345678, 1e20, 1.2345678901234567e-10, 0.1, 123456789012345678,
  b'1', b'10100101', b'100000000001', 'b c', 'bogus', 'x,z', '', '2024-02-29', '2024-01-02 03:04:05.123456', '1999-12-31 23:59:59',
  '2024-01-02 03:04:05.120', '2024-06-01 00:00:00',
  '-12:34:56', '12:34:56.789012', 2024, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',
  'tab\there\nnl\\bs \'q\' ☃', 'ab', 'long text ☃', X'00FF000102', X'0102', X'00', '{"b": [1, 2.5], "a": null, "s": "x\\"y"}', 'café'),
 (2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5, 3e-20, -1e300, 1e15, 100,
  b'0', b'0', b'0', 'a', '', '', 'x,y', '1000-01-01', '9999-12-31 23:59:59.999999', '2024-00-10 00:00:00', '1970-01-01 00:00:01', '2038-01-19 03:14:07',
  '838:59:59', '-838:59:59.000000', 1901, '2020-00-10', '2020-01-00 10:00:00', NULL,
  '', 'abcde', '', '', X'FFFFFFFF', '', '[]', ''),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`

// copyFields splits one COPY text line into values (nil for \N), unescaped.
func copyFields(line string) []*string {
	var out []*string
	for _, f := range strings.Split(line, "\t") {
		if f == `\N` {
			out = append(out, nil)
			continue
		}
		var b strings.Builder
		for i := 0; i < len(f); i++ {
			if f[i] == '\\' && i+1 < len(f) {
				i++
				switch f[i] {
				case 't':
					b.WriteByte('\t')
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				default:
					b.WriteByte(f[i])
				}
				continue
			}
			b.WriteByte(f[i])
		}
		v := b.String()
		out = append(out, &v)
	}
	return out
}

func showVal(p *string) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *p)
}

// TestBinlogValuesMatchSnapshot: the values streamed from the binlog are
// exactly the text the snapshot export writes for the same rows.
func TestBinlogValuesMatchSnapshot(t *testing.T) {
	srv, db, s := openTest(t, typesSetup)
	ctx := ctxT(t)
	tbl := table(t, s, "types")
	from, err := s.MasterPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.Exec(t, db, typesRow)
	sink := &recSink{}
	if err := stream(t, s, from, []source.Table{tbl}, sink, 1); err != nil {
		t.Fatal(err)
	}
	if len(sink.events) != 3 {
		t.Fatalf("streamed %d events, want 3: %v", len(sink.events), sink.txs)
	}
	// The ENUM error value (index 0) is NULL, a declared '' label stays ''.
	if e0 := sink.events[0].New.Value("e0"); e0 != nil {
		t.Errorf("binlog: ENUM error value = %q, want NULL", *e0)
	}
	if e0 := sink.events[1].New.Value("e0"); e0 == nil || *e0 != "" {
		t.Errorf("binlog: ENUM label '' = %s, want ''", showVal(e0))
	}
	if n := s.EnumErrors(); n != 1 {
		t.Errorf("binlog: EnumErrors = %d, want 1", n)
	}
	zeroBefore := s.ZeroDates()
	snap, err := s.BeginSnapshot(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	var buf bytes.Buffer
	chunk := source.Chunk{Table: tbl.Name, Relation: tbl.Name}
	if _, err := snap.ExportChunk(ctx, 0, chunk, tbl.Columns, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("snapshot rows: %q", lines)
	}
	if s.ZeroDates() == zeroBefore {
		t.Errorf("snapshot counted no zero dates")
	}
	if n := s.EnumErrors(); n != 2 {
		t.Errorf("binlog and snapshot: EnumErrors = %d, want 2", n)
	}
	// TIME durations, counted by both paths: tm '-12:34:56', '838:59:59';
	// tm6 '-838:59:59.000000'.
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "types.tm (4 values") || !strings.Contains(w, "types.tm6 (2 values") {
		t.Errorf("Warnings() = %s", w)
	}
	for r, line := range lines {
		want := copyFields(line)
		got := sink.events[r].New.Map()
		if len(want) != len(tbl.Columns) || len(got) != len(tbl.Columns) {
			t.Fatalf("row %d: %d snapshot values, %d streamed, %d columns", r+1, len(want), len(got), len(tbl.Columns))
		}
		for i, c := range tbl.Columns {
			g, ok := got[c]
			if !ok {
				t.Errorf("row %d: column %s missing from the streamed row", r+1, c)
				continue
			}
			if showVal(g) != showVal(want[i]) {
				t.Errorf("row %d column %s: binlog %s, snapshot %s", r+1, c, showVal(g), showVal(want[i]))
			}
		}
		for _, gen := range []string{"gen", "gens"} {
			if _, ok := got[gen]; ok {
				t.Errorf("row %d: generated column %s streamed", r+1, gen)
			}
		}
	}
}
