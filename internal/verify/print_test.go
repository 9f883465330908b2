package verify

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

func sampleResults() []Result {
	return []Result{
		{Table: sqlname.Table{Schema: "public", Name: "a"}, SourceRows: 10, TargetRows: 10,
			SourceChecksum: "1:2", TargetChecksum: "1:2", Match: true},
		{Table: sqlname.Table{Schema: "sales", Name: "orders_long_name"}, SourceRows: 1000, TargetRows: 1000,
			SourceChecksum: "1:2", TargetChecksum: "3:4", MismatchedChunks: []string{`"id" < 101`}},
		{Table: sqlname.Table{Schema: "public", Name: "gone"}, Err: "table public.gone does not exist\non the target"},
	}
}

func TestPrintAlignsColumnsAndSummarises(t *testing.T) {
	var buf bytes.Buffer
	Print(&buf, sampleResults())
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("want header, 3 rows, 1 range line, summary; got:\n%s", buf.String())
	}
	col := strings.Index(lines[0], "SOURCE ROWS")
	for i, want := range []string{"10", "1000", "-"} {
		if got := strings.Fields(lines[i+1][col:])[0]; got != want {
			t.Errorf("row %d SOURCE ROWS column = %q, want %q\n%s", i, got, want, buf.String())
		}
	}
	for i, want := range []string{"match", "MISMATCH", "-"} {
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("row %d lacks checksum %q: %q", i, want, lines[i+1])
		}
	}
	for i, want := range []string{"OK", "MISMATCH: 1 key range(s) differ", "ERROR: table public.gone does not exist on the target"} {
		if !strings.HasSuffix(lines[i+1], want) {
			t.Errorf("row %d status: %q, want suffix %q", i, lines[i+1], want)
		}
	}
	if want := `sales.orders_long_name: rows differ where "id" < 101`; lines[4] != want {
		t.Errorf("range line %q, want %q", lines[4], want)
	}
	if lines[5] != "1 of 3 tables match" {
		t.Errorf("summary %q", lines[5])
	}
}

func TestPrintJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := PrintJSON(&buf, sampleResults()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tables []struct {
			Table            map[string]string `json:"table"`
			Match            bool              `json:"match"`
			Error            string            `json:"error"`
			MismatchedChunks []string          `json:"mismatched_chunks"`
		} `json:"tables"`
		Matched  int  `json:"tables_matched"`
		Total    int  `json:"tables_total"`
		AllMatch bool `json:"all_match"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.String())
	}
	if doc.Matched != 1 || doc.Total != 3 || doc.AllMatch || len(doc.Tables) != 3 {
		t.Errorf("summary fields wrong: %+v", doc)
	}
	if doc.Tables[1].Table["name"] != "orders_long_name" || len(doc.Tables[1].MismatchedChunks) != 1 || doc.Tables[2].Error == "" {
		t.Errorf("table entries wrong: %+v", doc.Tables)
	}
	buf.Reset()
	if err := PrintJSON(&buf, nil); err != nil || !strings.Contains(buf.String(), `"tables": []`) {
		t.Errorf("empty report: %v %s", err, buf.String())
	}
}

func TestAllMatch(t *testing.T) {
	rs := sampleResults()
	if AllMatch(rs) || !AllMatch(rs[:1]) || !AllMatch(nil) {
		t.Error("AllMatch wrong")
	}
}

func TestSplitPoints(t *testing.T) {
	cases := []struct {
		lo, hi, n int64
		want      []int64
	}{
		{1, 1000, 10, []int64{101, 201, 301, 401, 501, 601, 701, 801, 901}},
		{1, 1000, 1, nil},
		{5, 5, 10, nil},
		{1, 3, 10, []int64{2, 3}},
		{-10, 9, 2, []int64{0}},
		{1, 10, 4, []int64{4, 7, 10}},
		{math.MinInt64, math.MaxInt64, 2, []int64{0}},
		{math.MinInt64, math.MaxInt64, 4, []int64{math.MinInt64 / 2, 0, math.MaxInt64/2 + 1}},
	}
	for _, c := range cases {
		if got := SplitPoints(c.lo, c.hi, c.n); !slices.Equal(got, c.want) {
			t.Errorf("SplitPoints(%d, %d, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

func TestRangeConds(t *testing.T) {
	got := RangeConds(`"k"`, []int64{-5, 10})
	want := []string{`"k" < -5`, `"k" >= -5 AND "k" < 10`, `"k" >= 10`}
	if !slices.Equal(got, want) {
		t.Errorf("rangeConds = %q, want %q", got, want)
	}
	if got := RangeConds(`"k"`, nil); !slices.Equal(got, []string{""}) {
		t.Errorf("no points: %q", got)
	}
}

func TestChecksumSQLQuotesEverything(t *testing.T) {
	q := checksumSQL(`ONLY "s"."t"`, []string{`we"ird`, "b"}, `"id" < 5`)
	for _, want := range []string{`ROW("we""ird", "b")::text`, `FROM ONLY "s"."t" WHERE "id" < 5`, "hashtextextended(v.r, 1)"} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %q:\n%s", want, q)
		}
	}
}
