package copytext

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

const edgeTable = `(id int8, b bool, by bytea, i2 int2, i4 int4, tx text, js json, f4 float4, f8 float8,
	bp char(5), vc varchar(20), d date, tm time, ts timestamp, tz timestamptz, n numeric, n2 numeric(12,4), u uuid, jb jsonb)`

// edgeRows sit at the edges of every supported type's text form.
var edgeRows = []string{
	`(1, true, '\x'::bytea, 0, 0, '', '{}', 0, 0, '', '', '2000-01-01', '00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', 0, 0, '00000000-0000-0000-0000-000000000000', '{}')`,
	`(2, false, '\x00ff0a5c095c4e'::bytea, -32768, -2147483648, E'tab\there\nnew\\back \\N é 日本 \x01\x7f\b\f\x0b\r', '{"a": [1, "x\ty"]}', 'NaN', 'NaN',
	  'pad', 'v', '0001-01-01', '24:00:00', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', 'NaN', -0.5, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": null, "n": 1.50, "s": "q\"\\\\"}')`,
	`(3, NULL, NULL, 32767, 2147483647, '\N', 'null', 'Infinity', 'Infinity', NULL, NULL, '9999-12-31', '23:59:59.999999',
	  '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00', -0.0000000000000000000001, 12345678.1234, NULL, NULL)`,
	`(-9223372036854775808, NULL, NULL, -1, -1, NULL, NULL, '-Infinity', '-Infinity', NULL, NULL, 'infinity', '12:34:56.7', 'infinity', 'infinity',
	  123456789012345678901234567890.123456789012345678901234567890, 0.0001, NULL, NULL)`,
	`(9223372036854775807, NULL, NULL, NULL, NULL, NULL, NULL, '-0', '1e-45', NULL, NULL, '-infinity', NULL, '-infinity', '-infinity', 1.2300, 0, NULL, NULL)`,
	`(6, NULL, NULL, NULL, NULL, NULL, NULL, '3.4028235e38', '4.9e-324', NULL, NULL, '0044-03-15 BC', '00:00:00.000001', '0044-03-15 12:00:00.25 BC', '4713-01-01 00:00:00+00 BC', 'Infinity', NULL, NULL, NULL)`,
	`(7, NULL, NULL, NULL, NULL, NULL, NULL, '0.1', '0.1', NULL, NULL, '12345-06-07', NULL, '1900-02-28 12:00:00.000001', '1969-12-31 23:59:59.000001+00', '-Infinity', NULL, NULL, NULL)`,
	`(8, NULL, NULL, NULL, NULL, NULL, NULL, '123456789', '1.7976931348623157e308', NULL, NULL, '2024-02-29', NULL, '294276-12-31 23:59:59.999999', '1970-01-01 00:00:00+00', 10000, NULL, NULL, NULL)`,
	`(9, NULL, NULL, NULL, NULL, NULL, NULL, '1e20', '123456789012345680', NULL, NULL, '0001-12-31 BC', NULL, '0001-12-31 23:59:59 BC', '1999-12-31 23:59:59.5+00', 99999999.99990000, NULL, NULL, NULL)`,
	`(10, NULL, NULL, NULL, NULL, NULL, NULL, '-1.5e-7', '0.000123', NULL, NULL, NULL, NULL, NULL, NULL, -1234.5, NULL, NULL, NULL)`,
	`(11, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0.000, NULL, NULL, NULL)`,
}

// floatCols are the columns whose digits may be laid out differently from
// the server's (same value): compared by value.
var floatCols = map[int]bool{7: true, 8: true}

func TestTextMatchesTheServers(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Shared(t, pgtest.RoleSource)
	db := c.CreateDatabase(t, "copytext")
	c.Exec(t, db, "CREATE TABLE src "+edgeTable+"; INSERT INTO src VALUES "+strings.Join(edgeRows, ",\n"))
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range datafile.TextSettingsSQL() {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var want, bin bytes.Buffer
	if _, err := conn.PgConn().CopyTo(ctx, &want, "COPY (SELECT * FROM src ORDER BY id) TO STDOUT"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.PgConn().CopyTo(ctx, &bin, "COPY (SELECT * FROM src ORDER BY id) TO STDOUT (FORMAT binary)"); err != nil {
		t.Fatal(err)
	}
	plan, ok := NewPlan(pgtest.TypeOIDs(ctx, t, conn, "src"))
	if !ok {
		t.Fatal("no plan for the supported types")
	}
	// Feed the stream in awkward pieces: tuples and headers split anywhere.
	var got bytes.Buffer
	w := plan.Writer(&got)
	for b := bin.Bytes(); len(b) > 0; {
		n := min(len(b), 1+len(b)%7)
		if _, err := w.Write(b[:n]); err != nil {
			t.Fatal(err)
		}
		b = b[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	wantLines, gotLines := strings.Split(want.String(), "\n"), strings.Split(got.String(), "\n")
	if len(wantLines) != len(gotLines) {
		t.Fatalf("%d lines, want %d:\n%s", len(gotLines), len(wantLines), got.String())
	}
	for i := range wantLines {
		wf, gf := strings.Split(wantLines[i], "\t"), strings.Split(gotLines[i], "\t")
		if len(wf) != len(gf) {
			t.Fatalf("line %d: %d fields, want %d", i+1, len(gf), len(wf))
		}
		for j := range wf {
			if wf[j] == gf[j] {
				continue
			}
			if floatCols[j] && sameFloat(wf[j], gf[j], j) {
				continue
			}
			t.Errorf("line %d column %d: got %q, want %q", i+1, j+1, gf[j], wf[j])
		}
	}
}

func sameFloat(a, b string, col int) bool {
	bits := 64
	if col == 7 {
		bits = 32
	}
	x, err1 := strconv.ParseFloat(strings.ReplaceAll(a, "Infinity", "Inf"), bits)
	y, err2 := strconv.ParseFloat(strings.ReplaceAll(b, "Infinity", "Inf"), bits)
	return err1 == nil && err2 == nil && (x == y || x != x && y != y)
}

func TestUnsupportedTypeHasNoPlan(t *testing.T) {
	if _, ok := NewPlan([]uint32{pgoid.Int4, pgoid.Interval}); ok {
		t.Fatal("interval has no formatter: the table must be exported as text")
	}
}

func TestTruncatedStreamFailsOnClose(t *testing.T) {
	p, _ := NewPlan([]uint32{pgoid.Int4})
	var out bytes.Buffer
	w := p.Writer(&out)
	stream := append(append([]byte{}, signature...), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7)
	if _, err := w.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("a stream without its trailer must fail")
	}
	if out.String() != "7\n" {
		t.Fatalf("rows before the cut: %q", out.String())
	}
}

func BenchmarkFormat(b *testing.B) {
	row := func(buf []byte) []byte {
		buf = binary16(buf, 5)
		buf = field(buf, []byte{0, 0, 0, 0, 0, 0x4c, 0x4b, 0x3f})
		buf = field(buf, []byte{0xf8, 0xa4, 0x32, 0xeb})
		buf = field(buf, []byte("7c4a8d09ca3762af61e59520943dc26494f8941b"))
		buf = field(buf, []byte{0, 2, 0x5a, 0x0f, 0x1d, 0x3e, 0x81, 0x40})
		return field(buf, []byte{0, 3, 0, 1, 0x40, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x90})
	}
	stream := append(append([]byte{}, signature...), 0, 0, 0, 0, 0, 0, 0, 0)
	for range 10000 {
		stream = row(stream)
	}
	stream = append(stream, 0xff, 0xff)
	p, _ := NewPlan([]uint32{pgoid.Int8, pgoid.Int4, pgoid.Text, pgoid.Timestamptz, pgoid.Numeric})
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		w := p.Writer(io.Discard)
		if _, err := w.Write(stream); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func binary16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

func field(b, v []byte) []byte {
	n := len(v)
	return append(append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n)), v...)
}
