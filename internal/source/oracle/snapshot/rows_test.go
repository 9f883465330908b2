package snapshot

import (
	"bytes"
	"context"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

// Rows as the chunk query returns them (values rendered by SelectExpr in
// the pinned session: the forms of Oracle's TO_CHAR documentation; LOBs as
// the driver gives them), written as COPY text and loaded by COPY into a
// real PostgreSQL with the converted types.
func TestRowsIntoPostgres(t *testing.T) {
	kinds := []values.Kind{values.Number, values.Text, values.Date, values.TimestampTZ, values.IntervalDS, values.Bytes, values.Bytes, values.Float, values.Text}
	rows := [][]any{
		{"1", "tab\there, back\\slash\nnewline", " 2026-12-07 10:11:12", " 2026-12-07 10:11:12.000000000 -08:00", "+00 00:00:01.250000", "CAFE", []byte{0, 1, 2}, "-Inf", "a CLOB"},
		{"-.5", nil, "-0044-03-15 12:00:00", nil, "-01 00:00:00.000000", nil, []byte{}, "Nan", ""},
	}
	var buf []byte
	var err error
	for _, r := range rows {
		if buf, err = AppendRow(buf, kinds, r); err != nil {
			t.Fatal(err)
		}
	}
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_snapshot_rows")
	c.Exec(t, db, `CREATE TABLE t (n numeric, s text, d timestamp(0), z timestamptz, i interval day to second(6), r bytea, b bytea, f double precision, c text)`)
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(buf), "COPY t FROM STDIN"); err != nil {
		t.Fatalf("%v\n%q", err, buf)
	}
	var got string
	if err := conn.QueryRow(ctx, `SELECT string_agg(concat_ws('|', n, s, d, z AT TIME ZONE 'UTC', i, encode(r, 'hex'), encode(b, 'hex'), f, c IS NULL, c), E'\n' ORDER BY n DESC) FROM t`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	want := "1|tab\there, back\\slash\nnewline|2026-12-07 10:11:12|2026-12-07 18:11:12|00:00:01.25|cafe|000102|-Infinity|f|a CLOB\n" +
		"-0.5|0044-03-15 12:00:00 BC|-1 days||NaN|f|"
	if got != want {
		t.Errorf("read back\n%q\nwant\n%q", got, want)
	}
	if _, err := AppendRow(nil, kinds[:1], []any{"12x"}); err == nil {
		t.Error("a malformed number was written")
	}
}
