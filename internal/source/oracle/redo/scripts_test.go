package redo

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// corpus reads a script from ../shared/reference/oracle (real Oracle text
// written by others; see its README).
func corpus(t testing.TB, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "..", "shared", "reference", "oracle", name))
	if err != nil {
		t.Fatalf("the Oracle corpus is missing (%v): it lives in ../shared/reference/oracle beside the project", err)
	}
	return string(src)
}

// script is one INSERT of a script and its line.
type script struct {
	line int
	sql  string
}

// inserts cuts a script's INSERTs: from an INSERT that begins a line to
// the semicolon that ends it outside quotes. (ddl.Split would keep HR's
// BEGIN ... END blocks whole.)
func inserts(src string) []script {
	var out []script
	line, first, start, quoted := 1, 0, -1, false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			line++
		case c == '\'' && start >= 0:
			quoted = !quoted
		case c == ';' && start >= 0 && !quoted:
			out = append(out, script{first, src[start : i+1]})
			start = -1
		case start < 0 && (c == 'I' || c == 'i') && len(src) > i+6 && strings.EqualFold(src[i:i+6], "insert") && firstOnLine(src, i):
			start, first = i, line
		}
	}
	return out
}

func firstOnLine(src string, i int) bool {
	for j := i - 1; j >= 0 && src[j] != '\n'; j-- {
		if src[j] != ' ' && src[j] != '\t' {
			return false
		}
	}
	return true
}

// hrColumns is HR's column names per table, from hr_create.sql.
func hrColumns(t testing.TB) map[string][]string {
	t.Helper()
	st, _, _ := ddl.Split("hr_create.sql", []byte(corpus(t, "hr_create.sql")))
	out := map[string][]string{}
	for _, s := range st {
		if s.Kind != ddl.CreateTable {
			continue
		}
		tb, err := ddl.ParseTable(s.Text)
		if err != nil {
			t.Fatalf("hr_create.sql line %d: %v", s.Line, err)
		}
		for _, c := range tb.Columns {
			out[tb.Object.Name] = append(out[tb.Object.Name], c.Name)
		}
	}
	return out
}

func TestParse_hrPopulate(t *testing.T) {
	cols := hrColumns(t)
	want := map[string]int{"REGIONS": 5, "COUNTRIES": 25, "LOCATIONS": 23, "DEPARTMENTS": 27, "JOBS": 19, "EMPLOYEES": 107, "JOB_HISTORY": 10}
	got := map[string]int{}
	byKey := map[string]Redo{}
	for _, s := range inserts(corpus(t, "hr_populate.sql")) {
		r, err := Parse(s.sql)
		if err != nil {
			t.Errorf("hr_populate.sql line %d: %v", s.line, err)
			continue
		}
		if r.Op != Insert || r.Owner != "" || len(r.Set) != len(cols[r.Table]) {
			t.Errorf("hr_populate.sql line %d: %s %s.%s with %d values, want %d", s.line, r.Op, r.Owner, r.Table, len(r.Set), len(cols[r.Table]))
		}
		got[r.Table]++
		byKey[r.Table+" "+r.Set[0].Value.Text] = r
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("inserts per table: got %v, want %v", got, want)
	}
	king := byKey["EMPLOYEES 100"]
	if len(king.Set) != 11 || king.Set[1].Value != str("Steven") || king.Set[5].Value != fn("TO_DATE", "17-06-2013", "dd-MM-yyyy") ||
		king.Set[7].Value != str("24000") || king.Set[8].Value != null || king.Set[9].Value != null {
		t.Errorf("employee 100: %+v", king.Set)
	}
	if r := byKey["LOCATIONS 1000"]; len(r.Set) != 6 || r.Set[2].Value != str("00989") || r.Set[4].Value != null {
		t.Errorf("location 1000: %+v", r.Set)
	}
}

func TestParseRows_chinook(t *testing.T) {
	want := map[string]int{"GENRE": 25, "MEDIATYPE": 5, "ARTIST": 275, "ALBUM": 347, "TRACK": 3503, "EMPLOYEE": 8,
		"CUSTOMER": 59, "INVOICE": 412, "INVOICELINE": 2240, "PLAYLIST": 18, "PLAYLISTTRACK": 8715}
	got := map[string]int{}
	byKey := map[string]Redo{}
	stmts := inserts(corpus(t, "Chinook_Oracle.sql"))
	if len(stmts) != 24 {
		t.Fatalf("%d INSERT statements, want 24", len(stmts))
	}
	for _, s := range stmts {
		head := s.sql[:strings.Index(s.sql, ")")]
		rs, err := ParseRows(s.sql)
		if err != nil {
			t.Errorf("Chinook_Oracle.sql line %d: %v", s.line, err)
			continue
		}
		for _, r := range rs {
			if len(r.Set) != strings.Count(head, ",")+1 || r.Set[0].Name == "" {
				t.Errorf("Chinook_Oracle.sql line %d: %s row with %d values", s.line, r.Table, len(r.Set))
			}
			got[r.Table]++
			byKey[r.Table+" "+r.Set[0].Value.Text] = r
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows per table: got %v, want %v", got, want)
	}
	spot := []struct {
		key, column string
		want        Value
	}{
		{"GENRE 14", "NAME", str("R&B/Soul")},
		{"TRACK 29", "NAME", str("Cryin'")},
		{"TRACK 602", "NAME", str("'Round Midnight")},
		{"TRACK 29", "UNITPRICE", str("0.99")},
		{"CUSTOMER 1", "LASTNAME", str("Gonçalves")},
		{"CUSTOMER 2", "COMPANY", null},
		{"EMPLOYEE 1", "HIREDATE", fn("TO_DATE", "2002-8-14 00:00:00", "yyyy-mm-dd hh24:mi:ss")},
		{"INVOICE 1", "BILLINGADDRESS", str("Theodor-Heuss-Straße 34")},
	}
	for _, sp := range spot {
		if v := valueOf(byKey[sp.key], sp.column); v != sp.want {
			t.Errorf("%s %s: got %+v, want %+v", sp.key, sp.column, v, sp.want)
		}
	}
}

func valueOf(r Redo, column string) Value {
	for _, c := range r.Set {
		if c.Name == column {
			return c.Value
		}
	}
	return Value{Text: "<no column " + column + ">"}
}

// logMinerForm writes a parsed HR insert the way LogMiner reconstructs it:
// names quoted and qualified, numbers quoted, no spaces after commas.
func logMinerForm(r Redo, names []string) string {
	var b strings.Builder
	b.WriteString(`insert into "HR"."` + r.Table + `"(`)
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + n + `"`)
	}
	b.WriteString(") values (")
	for i, c := range r.Set {
		if i > 0 {
			b.WriteByte(',')
		}
		v := c.Value
		switch {
		case v.Null:
			b.WriteString("NULL")
		case v.Func != "":
			b.WriteString(v.Func + "('" + v.Text + "', '" + v.Format + "')")
		default:
			b.WriteString("'" + strings.ReplaceAll(v.Text, "'", "''") + "'")
		}
	}
	b.WriteString(");")
	return b.String()
}

// hrLogMiner is every HR insert in LogMiner's form, with what it holds.
func hrLogMiner(t testing.TB) ([]string, []Redo) {
	cols := hrColumns(t)
	var sqls []string
	var want []Redo
	for _, s := range inserts(corpus(t, "hr_populate.sql")) {
		r, err := Parse(s.sql)
		if err != nil {
			t.Fatalf("hr_populate.sql line %d: %v", s.line, err)
		}
		r.Owner = "HR"
		for i := range r.Set {
			r.Set[i].Name = cols[r.Table][i]
		}
		sqls = append(sqls, logMinerForm(r, cols[r.Table]))
		want = append(want, r)
	}
	return sqls, want
}

func TestParse_hrInLogMinerForm(t *testing.T) {
	sqls, want := hrLogMiner(t)
	for i, sql := range sqls {
		got, err := Parse(sql)
		if err != nil || !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%.60s...: %v\n got %+v\nwant %+v", sql, err, got, want[i])
		}
	}
}

// BenchmarkParse parses HR's 216 inserts in LogMiner's form; rows/s is the
// figure to watch (the aim is over 200k on one core).
//
//	go test ./internal/source/oracle/redo -run XXX -bench Parse -benchmem
func BenchmarkParse(b *testing.B) {
	sqls, _ := hrLogMiner(b)
	rows := 0
	b.ReportAllocs()
	for b.Loop() {
		for _, sql := range sqls {
			if _, err := Parse(sql); err != nil {
				b.Fatal(err)
			}
		}
		rows += len(sqls)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
