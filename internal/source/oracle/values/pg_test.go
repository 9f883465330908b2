package values

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/proc"
)

func TestMain(m *testing.M) { proc.RunAndStop(m, pgtest.Harness) }

// pgCase is an Oracle value, the PostgreSQL type its column maps to, and
// the value PostgreSQL must hold (as value::text, TimeZone UTC, DateStyle
// ISO, IntervalStyle postgres).
type pgCase struct {
	pgType string
	kind   Kind
	oracle string
	want   string
}

var pgCases = []pgCase{
	{"numeric", Number, "-.5", "-0.5"},
	{"numeric", Number, "12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
	{"numeric", Number, "1.23456789012345678901234567890123456789E+125", "123456789012345678901234567890123456789" + strings.Repeat("0", 87)},
	{"numeric", Number, "1E-130", "0." + strings.Repeat("0", 129) + "1"},
	{"numeric(10,2)", Number, "12345678.9", "12345678.90"},
	{"numeric(10,2)", Number, "-.5", "-0.50"},
	{"smallint", Number, "-32768", "-32768"},
	{"smallint", Number, "1E+004", "10000"},
	{"bigint", Number, "999999999999999999", "999999999999999999"},
	{"bigint", Number, "-9.22337203685477E+018", "-9223372036854770000"},
	{"real", Float, "1.10000002E+000", "1.1"},
	{"real", Float, "3.40282347E+038", "3.4028235e+38"},
	{"real", Float, "1.40129846E-045", "1e-45"},
	{"real", Float, "Inf", "Infinity"},
	{"real", Float, "Nan", "NaN"},
	{"double precision", Float, "-Inf", "-Infinity"},
	{"double precision", Float, "3.3333333333333331E-001", "0.3333333333333333"},
	{"double precision", Float, "1.7976931348623157E+308", "1.7976931348623157e+308"},
	{"double precision", Float, ".1", "0.1"},
	{"timestamp(0)", Date, " 2024-02-29 23:59:59", "2024-02-29 23:59:59"},
	{"timestamp(0)", Date, "-0044-03-15 12:00:00", "0044-03-15 12:00:00 BC"},
	{"timestamp(0)", Date, "-4712-01-01 00:00:00", "4712-01-01 00:00:00 BC"},
	{"timestamp(0)", Date, " 1066-10-14 09:00:00", "1066-10-14 09:00:00"},
	{"timestamp(6)", Timestamp, " 2024-01-15 10:20:30.123456789", "2024-01-15 10:20:30.123457"},
	{"timestamp(6)", Timestamp, " 2024-01-15 10:20:30.000000500", "2024-01-15 10:20:30.000001"},
	{"timestamp(6)", Timestamp, " 1999-12-31 23:59:59.999999500", "2000-01-01 00:00:00"},
	{"timestamp(6)", Timestamp, "-0001-12-31 23:59:59.999999999", "0001-01-01 00:00:00"},
	{"timestamp(6)", Timestamp, "-0044-03-15 12:00:00.250000000", "0044-03-15 12:00:00.25 BC"},
	{"timestamp(6)", Timestamp, " 9999-12-31 23:59:59.999999999", "10000-01-01 00:00:00"},
	{"timestamptz", TimestampTZ, " 2024-01-15 10:20:30.500000000 +05:30", "2024-01-15 04:50:30.5+00"},
	{"timestamptz", TimestampTZ, " 2024-01-15 20:00:00.000000000 -08:00", "2024-01-16 04:00:00+00"},
	{"timestamptz", TimestampTZ, "-0044-03-15 12:00:00.000000000 +01:00", "0044-03-15 11:00:00+00 BC"},
	{"timestamptz", TimestampTZ, " 2024-07-01 12:00:00.000000000 America/Los_Angeles", "2024-07-01 19:00:00+00"},
	{"timestamptz", TimestampLTZ, " 2024-01-15 10:20:30.000000000 +00:00", "2024-01-15 10:20:30+00"},
	{"timestamptz", TimestampLTZ, " 2024-01-15 10:20:30.123456789", "2024-01-15 10:20:30.123457+00"},
	{"interval year to month", IntervalYM, "+01-02", "1 year 2 mons"},
	{"interval year to month", IntervalYM, "-000000001-06", "-1 years -6 mons"},
	{"interval year to month", IntervalYM, "-00-03", "-3 mons"},
	{"interval year to month", IntervalYM, "+00-00", "00:00:00"},
	{"interval year to month", IntervalYM, "+178956970-07", "178956970 years 7 mons"},
	{"interval day to second(6)", IntervalDS, "+01 02:03:04.500000", "1 day 02:03:04.5"},
	{"interval day to second(6)", IntervalDS, "-000000003 00:00:00.000000001", "-3 days"},
	{"interval day to second(6)", IntervalDS, "-01 02:03:04.5", "-1 days -02:03:04.5"},
	{"interval day to second(6)", IntervalDS, "+00 23:59:59.9999995", "1 day"},
	{"interval day to second(6)", IntervalDS, "+999999999 23:59:59.999999", "999999999 days 23:59:59.999999"},
	{"bytea", Bytes, "DEADbeef", `\xdeadbeef`},
	{"bytea", Bytes, "", `\x`},
	{"boolean", Bool, "TRUE", "true"},
	{"boolean", Bool, "0", "false"},
	{"text", Text, `O'Reilly \N back\slash`, `O'Reilly \N back\slash`},
}

// TestFromOracle_LoadsIntoPostgres stores every converted value in a
// column of its mapped type and reads it back.
func TestFromOracle_LoadsIntoPostgres(t *testing.T) {
	conn := pgSession(t)
	ctx := context.Background()
	tables := map[string]string{}
	for i, c := range pgCases {
		in, err := FromOracle(c.kind, c.oracle)
		if err != nil {
			t.Errorf("FromOracle(%s, %q): %v", c.kind, c.oracle, err)
			continue
		}
		table, ok := tables[c.pgType]
		if !ok {
			table = fmt.Sprintf("t%d", len(tables))
			tables[c.pgType] = table
			mustExec(t, conn, fmt.Sprintf("CREATE TABLE %s (id int PRIMARY KEY, v %s)", table, c.pgType))
		}
		if _, err := conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s VALUES (%d, %s)", table, i, literal(in))); err != nil {
			t.Errorf("%s %q → %q does not load into %s: %v", c.kind, c.oracle, in, c.pgType, err)
			continue
		}
		var got string
		if err := conn.QueryRow(ctx, fmt.Sprintf("SELECT v::text FROM %s WHERE id = %d", table, i)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s %q → %q is stored in %s as %q, want %q", c.kind, c.oracle, in, c.pgType, got, c.want)
		}
	}
}

// TestFromOracle_RoundsAsPostgres checks that rounding 9 fractional digits
// here stores what PostgreSQL stores when handed all 9 (away from exact
// halves, where PostgreSQL's parse through a double may go either way).
func TestFromOracle_RoundsAsPostgres(t *testing.T) {
	conn := pgSession(t)
	fracs := []string{"123456789", "999999499", "000000501", "500000001", "999999999", "000000499", "654321987"}
	for _, f := range fracs {
		ts, err := FromOracle(Timestamp, " 2024-12-31 23:59:59."+f)
		if err != nil {
			t.Fatal(err)
		}
		iv, err := FromOracle(IntervalDS, "+01 23:59:59."+f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range [][3]string{
			{"2024-12-31 23:59:59." + f, ts, "timestamp(6)"},
			{"1 day 23:59:59." + f, iv, "interval day to second(6)"},
		} {
			theirs := readBack(t, conn, p[0], p[2])
			ours := readBack(t, conn, p[1], p[2])
			// PostgreSQL keeps 24:00:00 in an interval's time field
			// where the rounded Oracle value carries into the days;
			// they compare equal, so compare as values.
			if theirs != ours && !equalAs(t, conn, p[0], p[1], p[2]) {
				t.Errorf("%s: PostgreSQL stores %q as %s, ours %q as %s", p[2], p[0], theirs, p[1], ours)
			}
		}
	}
}

func pgSession(t *testing.T) *pgx.Conn {
	t.Helper()
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_values")
	ctx := context.Background()
	conn, err := c.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	mustExec(t, conn, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'")
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL %s", version)
	return conn
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func readBack(t *testing.T, conn *pgx.Conn, v, typ string) string {
	t.Helper()
	var got string
	if err := conn.QueryRow(context.Background(), fmt.Sprintf("SELECT %s::%s::text", literal(v), typ)).Scan(&got); err != nil {
		t.Fatalf("%q as %s: %v", v, typ, err)
	}
	return got
}

func equalAs(t *testing.T, conn *pgx.Conn, a, b, typ string) bool {
	t.Helper()
	var eq bool
	q := fmt.Sprintf("SELECT %s::%s = %s::%s", literal(a), typ, literal(b), typ)
	if err := conn.QueryRow(context.Background(), q).Scan(&eq); err != nil {
		t.Fatal(err)
	}
	return eq
}

// literal quotes v as a standard-conforming SQL string literal.
func literal(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }
