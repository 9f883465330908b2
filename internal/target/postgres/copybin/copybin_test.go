package copybin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

// edgeRows are SQL literals for every supported type, chosen at the edges
// of each text format; the server writes them as COPY text with the
// exporters' session settings, and the converted binary must load the very
// same values.
var edgeRows = []string{
	`(1, true, '\x'::bytea, 0, 0, 0, '', '{}', 0, 0, '', '', '2000-01-01', '00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', 0, '00000000-0000-0000-0000-000000000000', '{}')`,
	`(2, false, '\x00ff0a5c09'::bytea, -9223372036854775808, -32768, -2147483648, E'tab\there\nnew\\back \\N é 日本', '{"a": [1, "x\ty"]}', 'NaN', 'NaN',
	  'pad', E'v\r\b\f\v', '0001-01-01', '24:00:00', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', 'NaN', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": null, "n": 1.50}')`,
	`(3, NULL, NULL, 9223372036854775807, 32767, 2147483647, '\N', 'null', 'Infinity', 'Infinity', NULL, NULL, '9999-12-31', '23:59:59.999999',
	  '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00', -0.0000000000000000000001, NULL, NULL)`,
	`(4, NULL, NULL, -1, -1, -1, NULL, NULL, '-Infinity', '-Infinity', NULL, NULL, 'infinity', '12:34:56.7', 'infinity', 'infinity', 123456789012345678901234567890.123456789012345678901234567890, NULL, NULL)`,
	`(5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-0', '1e-45', NULL, NULL, '-infinity', NULL, '-infinity', '-infinity', 1.2300, NULL, NULL)`,
	`(6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '3.4028235e38', '4.9e-324', NULL, NULL, '2024-02-29', NULL, '1999-12-31 23:59:59.999999', '1999-12-31 23:59:59.5+00', -5, NULL, NULL)`,
	`(7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '0.1', '0.1', NULL, NULL, '1900-03-01', NULL, '1900-02-28 12:00:00.000001', '1969-12-31 23:59:59.000001+00', 10000, NULL, NULL)`,
	`(8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '1.7976931348623157e308', NULL, NULL, NULL, NULL, NULL, '2262-04-11 23:47:16.854775+00', 0.0001, NULL, NULL)`,
	`(9, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 99999999.99990000, NULL, NULL)`,
	`(10, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1234.5, NULL, NULL)`,
}

const edgeTable = `(id int8, b bool, by bytea, i8 int8, i2 int2, i4 int4, tx text, js json, f4 float4, f8 float8,
	bp char(5), vc varchar(20), d date, tm time, ts timestamp, tz timestamptz, n numeric, u uuid, jb jsonb)`

func TestBinaryLoadsTheSameValuesAsText(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "copybin")
	c.Exec(t, db, "CREATE TABLE src "+edgeTable+"; CREATE TABLE dst "+edgeTable+";"+
		"INSERT INTO src VALUES "+strings.Join(edgeRows, ",\n"))
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exporterSettings(ctx, t, conn)
	plan, ok := NewPlan(pgtest.TypeOIDs(ctx, t, conn, "dst"))
	if !ok {
		t.Fatal("no plan for the supported types")
	}
	// Our exporters write UTC; other zones check the offset arithmetic (rows
	// 2 and 3 leave years 1..9999 there, and are outside the fast path).
	for _, zone := range []string{"Asia/Kathmandu", "America/St_Johns", "UTC"} {
		copyOut, want := "COPY src TO STDOUT", int64(len(edgeRows))
		if zone != "UTC" {
			copyOut, want = "COPY (SELECT * FROM src WHERE id NOT IN (2, 3)) TO STDOUT", want-2
		}
		if _, err := conn.Exec(ctx, "TRUNCATE dst; SET TimeZone = '"+zone+"'"); err != nil {
			t.Fatal(err)
		}
		var text bytes.Buffer
		if _, err := conn.PgConn().CopyTo(ctx, &text, copyOut); err != nil {
			t.Fatal(err)
		}
		tag, err := conn.PgConn().CopyFrom(ctx, plan.Reader(bytes.NewReader(text.Bytes())), "COPY dst FROM STDIN (FORMAT binary)")
		if err != nil {
			t.Fatalf("binary COPY of the converted rows (%s): %v\n%s", zone, err, text.String())
		}
		if tag.RowsAffected() != want {
			t.Fatalf("%s: loaded %d rows, want %d", zone, tag.RowsAffected(), want)
		}
		expectSameRows(ctx, t, conn, zone)
	}
}

// exporterSettings gives conn the session settings our exporters use, so
// its text output is what the converters see in practice.
func exporterSettings(ctx context.Context, t *testing.T, conn *pgx.Conn) {
	t.Helper()
	for _, q := range datafile.TextSettingsSQL() {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

func expectSameRows(ctx context.Context, t *testing.T, conn *pgx.Conn, zone string) {
	t.Helper()
	rows, err := conn.Query(ctx, `SELECT s.id, row(s.*)::text, row(d.*)::text FROM dst d LEFT JOIN src s USING (id)
		WHERE row(s.*)::text IS DISTINCT FROM row(d.*)::text ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s, d *string
		if err := rows.Scan(&id, &s, &d); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s: row %d differs:\n text   %v\n binary %v", zone, id, deref(s), deref(d))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<missing>"
	}
	return *s
}

// TestOutsideTheFastPath: text the converter does not recognise exactly is
// refused, never guessed at.
func TestOutsideTheFastPath(t *testing.T) {
	for name, c := range map[string]struct {
		oid  uint32
		text string
	}{
		"BC timestamp":         {pgoid.Timestamp, "0044-03-15 00:00:00 BC"},
		"BC timestamptz":       {pgoid.Timestamptz, "0044-03-15 00:00:00+00 BC"},
		"five-digit year":      {pgoid.Date, "10000-01-01"},
		"February 30":          {pgoid.Date, "2023-02-30"},
		"7 fraction digits":    {pgoid.Time, "12:00:00.1234567"},
		"timestamptz no zone":  {pgoid.Timestamptz, "2020-01-01 00:00:00"},
		"numeric infinity":     {pgoid.Numeric, "Infinity"},
		"numeric exponent":     {pgoid.Numeric, "1e5"},
		"int4 overflow":        {pgoid.Int4, "2147483648"},
		"int2 overflow":        {pgoid.Int2, "-32769"},
		"int8 overflow":        {pgoid.Int8, "9223372036854775808"},
		"int with space":       {pgoid.Int4, " 1"},
		"bool word":            {pgoid.Bool, "true"},
		"escape-format bytea":  {pgoid.Bytea, `\\001`},
		"odd hex bytea":        {pgoid.Bytea, `\\x0`},
		"uuid with braces":     {pgoid.UUID, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"},
		"empty float":          {pgoid.Float8, ""},
		"timestamp 24:00":      {pgoid.Timestamp, "2020-01-01 24:00:00"},
		"offset with bad sep":  {pgoid.Timestamptz, "2020-01-01 00:00:00+05-30"},
		"date with time":       {pgoid.Date, "2020-01-01 00:00:00"},
		"CRLF line end":        {pgoid.Text, "a\r"},
		"end-of-data marker":   {pgoid.Text, `\.`},
		"trailing backslash":   {pgoid.Text, `abc\`},
		"too many columns tab": {pgoid.Text, "a\tb"},
	} {
		p, _ := NewPlan([]uint32{c.oid})
		_, err := io.ReadAll(p.Reader(strings.NewReader(c.text + "\n")))
		if !errors.Is(err, ErrUnconvertible) {
			t.Errorf("%s (%q): got %v, want ErrUnconvertible", name, c.text, err)
		}
	}
}

func TestUnsupportedTypeHasNoPlan(t *testing.T) {
	if _, ok := NewPlan([]uint32{pgoid.Int4, pgoid.Interval}); ok {
		t.Fatal("interval has no fast path: the table must load as text")
	}
}

func TestUnescape(t *testing.T) {
	got, err := unescape(nil, []byte(`a\tb\\c\101\x41\x4g\q\0`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\tb\\cAA\x04gq\x00"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLongLinesCrossTheBuffer(t *testing.T) {
	long := strings.Repeat("x", 600<<10)
	p, _ := NewPlan([]uint32{pgoid.Int4, pgoid.Text})
	out, err := io.ReadAll(p.Reader(strings.NewReader("1\t" + long + "\n2\tshort\n")))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(long)) || !bytes.HasSuffix(out, []byte("short\xff\xff")) {
		t.Fatal("a line longer than the read buffer was not carried whole")
	}
}

// TestReleasedReaderLeavesNothingBehind: a reader made from released
// buffers (after a long line, a failure, or a plain batch) converts its own
// input exactly as a fresh one.
func TestReleasedReaderLeavesNothingBehind(t *testing.T) {
	p, _ := NewPlan([]uint32{pgoid.Int4, pgoid.Text})
	inputs := []string{"1\t" + strings.Repeat("x", 600<<10) + "\n2\tshort\n", "x\tnot a number\n", "3\tc\n4\t\\N\n"}
	var want [][]byte
	for _, in := range inputs {
		out, _ := io.ReadAll(p.Reader(strings.NewReader(in)))
		want = append(want, out)
	}
	for round := 0; round < 3; round++ {
		for i, in := range inputs {
			rd := p.Reader(strings.NewReader(in))
			got, _ := io.ReadAll(rd)
			Release(rd)
			if !bytes.Equal(got, want[i]) {
				t.Fatalf("round %d, input %d: a reader from released buffers gave %d bytes, a fresh one %d", round, i, len(got), len(want[i]))
			}
		}
	}
}

func BenchmarkConvert(b *testing.B) {
	row := "4999999\t-123456789\t7c4a8d09ca3762af61e59520943dc26494f8941b\t2021-07-14 11:22:33.123456+00\t-12345.678\n"
	in := []byte(strings.Repeat(row, 10000))
	p, _ := NewPlan([]uint32{pgoid.Int8, pgoid.Int4, pgoid.Text, pgoid.Timestamptz, pgoid.Numeric})
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := io.Copy(io.Discard, p.Reader(bytes.NewReader(in))); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEncodeMatchesTheReader: rows in memory encode to the same stream as
// their COPY text read through the plan.
func TestEncodeMatchesTheReader(t *testing.T) {
	p, _ := NewPlan([]uint32{pgoid.Int8, pgoid.Text, pgoid.Timestamptz, pgoid.Numeric})
	str := func(s string) *string { return &s }
	rows := [][]*string{
		{str("1"), str("tab\there \\N back\\slash"), str("2020-01-01 00:00:00.5+00"), str("-12.340")},
		{str("2"), nil, nil, str("NaN")},
	}
	text := "1\ttab\\there \\\\N back\\\\slash\t2020-01-01 00:00:00.5+00\t-12.340\n2\t\\N\t\\N\tNaN\n"
	want, err := io.ReadAll(p.Reader(strings.NewReader(text)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Encode(rows)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Encode and Reader differ:\n%q\n%q", got, want)
	}
	if _, err := p.Encode([][]*string{{str("x"), nil, nil, nil}}); !errors.Is(err, ErrUnconvertible) {
		t.Fatalf("a non-integer id: got %v, want ErrUnconvertible", err)
	}
}

// TestArraysReceiveTheSameValues: each edge column, encoded by AppendArray
// from the exporters' text and received as a typed array parameter, holds
// exactly the source column's values.
func TestArraysReceiveTheSameValues(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "copybin_arrays")
	c.Exec(t, db, "CREATE TABLE src "+edgeTable+"; INSERT INTO src VALUES "+strings.Join(edgeRows, ",\n"))
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exporterSettings(ctx, t, conn)
	oids := pgtest.TypeOIDs(ctx, t, conn, "src")
	plan, ok := NewPlan(oids)
	if !ok {
		t.Fatal("no plan for the supported types")
	}
	rows, err := conn.Query(ctx, `SELECT attname FROM pg_attribute WHERE attrelid = 'src'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for i, col := range cols {
		var vals []*string
		// format() uses the output function, as COPY and pgoutput do (bool is t, not true).
		if err := conn.QueryRow(ctx, `SELECT array_agg(CASE WHEN `+col+` IS NOT NULL THEN format('%s', `+col+`) END ORDER BY id) FROM src`).Scan(&vals); err != nil {
			t.Fatal(err)
		}
		arr, err := plan.AppendArray(nil, i, vals)
		if err != nil {
			t.Fatalf("column %s: %v", col, err)
		}
		res := conn.PgConn().ExecParams(ctx, `SELECT count(*) FROM src JOIN unnest($1) WITH ORDINALITY AS v(x, ord) ON v.ord = src.id
			WHERE src.`+col+`::text IS DISTINCT FROM x::text`, [][]byte{arr}, []uint32{plan.ArrayOID(i)}, []int16{1}, nil).Read()
		if res.Err != nil {
			t.Fatalf("column %s: the server refused the array: %v", col, res.Err)
		}
		if got := string(res.Rows[0][0]); got != "0" {
			t.Errorf("column %s: %s values differ after the round trip", col, got)
		}
	}
}
