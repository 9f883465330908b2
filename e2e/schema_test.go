package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (e *env) schemaFlags() []string {
	return append(e.sourceFlags(), "--source-db-schema", "public,billing,Reporting")
}

// normalizedDump is pg_dump --schema-only of a database with the lines that
// legitimately differ between two databases removed, sorted so that object
// order does not matter.
func normalizedDump(t *testing.T, dsn string) []string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "--no-privileges",
		"--exclude-schema", "ybvoyager_metadata", "-d", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" || strings.HasPrefix(l, "--") || strings.HasPrefix(l, `\restrict`) || strings.HasPrefix(l, `\unrestrict`) {
			continue
		}
		lines = append(lines, l)
	}
	sort.Strings(lines)
	return lines
}

func TestSchemaRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.srcExec(readFixture(t, "realistic_schema.sql"))
	e.mustRun(append([]string{"export", "schema"}, e.schemaFlags()...)...)
	checkGoldenSchema(t, filepath.Join(e.exportDir, "schema"), filepath.Join("testdata", "golden", "schema"))

	r := e.mustRun(append([]string{"import", "schema"}, e.targetFlags()...)...)
	if !strings.Contains(r.stdout, "0 failed") || !strings.Contains(r.stdout, "deferred until after the data") {
		t.Fatalf("import schema: %s", r)
	}
	if n := e.tgtInt(`SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_customer_idx'`); n != 0 {
		t.Fatal("secondary index created before the data: it must wait for finalize")
	}
	e.exportData("--source-db-schema", "public,billing,Reporting")
	e.importData()
	e.mustRun(append([]string{"finalize-schema-post-data-import", "--disable-pb"}, e.targetFlags()...)...)
	e.expectCompareClean()
	if n := e.tgtInt(`SELECT count(*) FROM "Reporting".customer_totals`); n != 50 {
		t.Fatalf("materialized view not refreshed: %d rows", n)
	}
	src, tgt := normalizedDump(t, e.src.DSN(e.srcDB)), normalizedDump(t, e.tgt.DSN(e.tgtDB))
	if strings.Join(src, "\n") != strings.Join(tgt, "\n") {
		t.Fatalf("target schema differs from source:\n%s", lineDiff(src, tgt))
	}
	// Reruns are safe with --ignore-exist, and refused clearly without it.
	r = e.run(append([]string{"import", "schema"}, e.targetFlags()...)...)
	expectOneLineError(t, r, 1, "already exists", "--ignore-exist")
	e.mustRun(append([]string{"import", "schema", "--ignore-exist"}, e.targetFlags()...)...)
	e.mustRun(append([]string{"finalize-schema-post-data-import", "--disable-pb", "--ignore-exist"}, e.targetFlags()...)...)
	e.expectCompareClean()
}

func lineDiff(a, b []string) string {
	in := func(xs []string) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			m[x]++
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for k, n := range ma {
		if mb[k] < n {
			out = append(out, "- "+k)
		}
	}
	for k, n := range mb {
		if ma[k] < n {
			out = append(out, "+ "+k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// checkGoldenSchema compares every exported file with its golden copy.
func checkGoldenSchema(t *testing.T, got, golden string) {
	t.Helper()
	if *update {
		_ = os.RemoveAll(golden)
		_ = os.MkdirAll(filepath.Dir(golden), 0o755)
		if out, err := exec.Command("cp", "-r", got, golden).CombinedOutput(); err != nil {
			t.Fatalf("update golden: %v %s", err, out)
		}
	}
	want := listFiles(t, golden)
	have := listFiles(t, got)
	if strings.Join(want, ",") != strings.Join(have, ",") {
		t.Fatalf("schema files differ:\nwant %v\nhave %v", want, have)
	}
	for _, f := range want {
		a, _ := os.ReadFile(filepath.Join(golden, f))
		b, _ := os.ReadFile(filepath.Join(got, f))
		if string(a) != string(b) {
			t.Errorf("%s differs from golden (go test ./e2e -run %s -update to accept):\n%s", f, t.Name(),
				lineDiff(strings.Split(string(a), "\n"), strings.Split(string(b), "\n")))
		}
	}
}

func listFiles(t *testing.T, dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestExportSchemaObjectTypesAndErrors(t *testing.T) {
	e := newEnv(t)
	e.srcExec(readFixture(t, "realistic_schema.sql"))
	e.mustRun(append([]string{"export", "schema", "--object-type-list", "TABLE,INDEX"}, e.schemaFlags()...)...)
	files := listFiles(t, filepath.Join(e.exportDir, "schema"))
	if strings.Join(files, ",") != "tables/INDEXES_table.sql,tables/table.sql" {
		t.Fatalf("--object-type-list TABLE,INDEX exported %v", files)
	}
	r := e.run(append([]string{"export", "schema"}, e.schemaFlags()...)...)
	expectOneLineError(t, r, 1, "already exported", "--start-clean")
	e.mustRun(append([]string{"export", "schema", "--start-clean", "--exclude-object-type-list", "comment,policy"}, e.schemaFlags()...)...)
	files = listFiles(t, filepath.Join(e.exportDir, "schema"))
	if strings.Contains(strings.Join(files, ","), "comments/") || strings.Contains(strings.Join(files, ","), "policies/") {
		t.Fatalf("--exclude-object-type-list ignored: %v", files)
	}
	r = e.run(append([]string{"export", "schema", "--start-clean", "--object-type-list", "TABLES"}, e.schemaFlags()...)...)
	expectOneLineError(t, r, 2, "TABLES", "TABLE")
}

func TestImportSchemaContinueOnError(t *testing.T) {
	e := newEnv(t)
	e.srcExec(`CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); CREATE VIEW v AS SELECT * FROM a;`)
	e.mustRun(append([]string{"export", "schema"}, e.sourceFlags()...)...)
	// A user edit that the target rejects.
	p := filepath.Join(e.exportDir, "schema", "tables", "table.sql")
	b, _ := os.ReadFile(p)
	edited := strings.Replace(string(b), "CREATE TABLE public.b (", "CREATE TABLE public.b (bad_col no_such_type, ", 1)
	if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.run(append([]string{"import", "schema"}, e.targetFlags()...)...)
	expectOneLineError(t, r, 1, "tables/table.sql:", "no_such_type", "fix the statement")
	r = e.mustRun(append([]string{"import", "schema", "--continue-on-error", "--ignore-exist"}, e.targetFlags()...)...)
	failed, err := os.ReadFile(filepath.Join(e.exportDir, "schema", "failed.sql"))
	if err != nil || !strings.Contains(string(failed), "no_such_type") || !strings.Contains(string(failed), "CREATE TABLE public.b") {
		t.Fatalf("failed.sql missing the failed statement: %v\n%s", err, failed)
	}
	if n := e.tgtInt(`SELECT count(*) FROM pg_views WHERE viewname = 'v'`); n != 1 {
		t.Fatal("statements after the failure were not applied")
	}
}

type analysisReport struct {
	Issues []struct {
		RuleID     string `json:"rule_id"`
		ObjectName string `json:"object_name"`
		File       string `json:"file"`
		Line       int    `json:"line"`
	} `json:"issues"`
}

func (e *env) analyze(t *testing.T) analysisReport {
	t.Helper()
	e.mustRun("analyze-schema", "--export-dir", e.exportDir, "--output-format", "json,html")
	b, err := os.ReadFile(filepath.Join(e.exportDir, "reports", "schema_analysis_report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r analysisReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.exportDir, "reports", "schema_analysis_report.html")); err != nil {
		t.Fatal("no HTML report")
	}
	return r
}

func (r analysisReport) has(rule, object string) bool {
	for _, i := range r.Issues {
		if i.RuleID == rule && i.ObjectName == object {
			return true
		}
	}
	return false
}

func TestAnalyzeSchemaReportAndEditLoop(t *testing.T) {
	e := newEnv(t)
	e.srcExec(readFixture(t, "realistic_schema.sql"))
	e.mustRun(append([]string{"export", "schema"}, e.schemaFlags()...)...)
	r := e.analyze(t)

	// Golden list of findings on the realistic schema.
	var lines []string
	for _, i := range r.Issues {
		lines = append(lines, fmt.Sprintf("%s %s %s:%d", i.RuleID, i.ObjectName, i.File, i.Line))
	}
	golden := filepath.Join("testdata", "golden", "analyze_realistic.txt")
	got := strings.Join(lines, "\n") + "\n"
	if *update {
		_ = os.WriteFile(golden, []byte(got), 0o644)
	}
	want, _ := os.ReadFile(golden)
	if got != string(want) {
		t.Errorf("analyze-schema findings differ from %s (-update to accept):\n%s", golden,
			lineDiff(strings.Split(string(want), "\n"), strings.Split(got, "\n")))
	}

	// The seed's loop: a user edit adds a problem, the report shows it; the
	// user fixes the files, the report no longer does.
	idx := filepath.Join(e.exportDir, "schema", "tables", "INDEXES_table.sql")
	b, _ := os.ReadFile(idx)
	edited := strings.Replace(string(b), "CREATE INDEX orders_customer_idx ON", "CREATE INDEX CONCURRENTLY orders_customer_idx ON", 1)
	os.WriteFile(idx, []byte(edited), 0o644)
	if r := e.analyze(t); !r.has("CONCURRENT_INDEX", "public.orders_customer_idx") || !r.has("UNSUPPORTED_INDEX_METHOD", "public.bookings_during_idx") {
		t.Fatalf("edited schema: expected CONCURRENT_INDEX and the GiST issue, got %+v", r.Issues)
	}
	fixed := strings.Replace(edited, "CONCURRENTLY ", "", 1)
	fixed = strings.Replace(fixed, "USING gist (during)", "USING btree (during)", 1)
	os.WriteFile(idx, []byte(fixed), 0o644)
	if r := e.analyze(t); r.has("CONCURRENT_INDEX", "public.orders_customer_idx") || r.has("UNSUPPORTED_INDEX_METHOD", "public.bookings_during_idx") {
		t.Fatalf("fixed schema still reports the issues: %+v", r.Issues)
	}
}
