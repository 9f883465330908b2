package analyze

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var goldenFiles = map[string]string{
	"tables/table.sql": `CREATE TABLE public.events (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    payload jsonb,
    doc xml
) PARTITION BY RANGE (created_at);

CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

ALTER TABLE public.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.events_id_seq
    START WITH 1
    INCREMENT BY 1
    CACHE 1
);

ALTER TABLE ONLY public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, created_at);

CREATE TABLE public.tags (event_id bigint, tag text, CONSTRAINT tag_ok EXCLUDE USING gist (tag WITH =));

ALTER TABLE ONLY public.tags ADD CONSTRAINT tags_event_fk FOREIGN KEY (event_id) REFERENCES public.customers(id);
`,
	"tables/INDEXES_table.sql": `CREATE INDEX CONCURRENTLY events_payload ON public.events USING btree (payload);

CREATE INDEX tags_tag ON public.tags USING btree (tag);

CREATE INDEX tags_tag_event ON public.tags USING btree (tag, event_id);
`,
	"functions/function.sql": `CREATE FUNCTION public.bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(42); -- serialise
  PERFORM pg_notify('events', NEW.id::text);
  RETURN NEW;
END $$;
`,
}

func goldenReport(t *testing.T) Report {
	t.Helper()
	var stmts []schema.Statement
	for _, f := range []string{"functions/function.sql", "tables/table.sql", "tables/INDEXES_table.sql"} {
		sts, err := schema.ParseSQL(goldenFiles[f], f)
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, sts...)
	}
	r := Analyze(stmts)
	r.GeneratedAt = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	r.ExportDir = "/export"
	r.SourceDBType = "postgresql"
	return r
}

func TestGoldenJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, goldenReport(t), "json"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "report.json.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("JSON report differs from %s (run go test -update after checking):\n%s", path, buf.String())
	}
}

func emptyReport() Report {
	return Report{GeneratedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), ExportDir: "/export", SourceDBType: "postgresql"}
}

func TestEveryFormatRenders(t *testing.T) {
	for _, r := range []Report{goldenReport(t), emptyReport()} {
		for _, f := range Formats {
			var buf bytes.Buffer
			if err := Write(&buf, r, f); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out := buf.String()
			if len(r.Issues) == 0 && !strings.Contains(out, "No issues found") {
				t.Errorf("%s: empty report does not say No issues found:\n%s", f, out)
			}
			for _, is := range r.Issues {
				if !strings.Contains(out, is.RuleID) {
					t.Errorf("%s: issue %s missing", f, is.RuleID)
				}
			}
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, emptyReport(), "pdf"); err == nil {
		t.Fatal("want an error for format pdf")
	}
}

func TestEmptyJSONHasArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, emptyReport(), "json"); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"issues", "object_counts", "issue_counts"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s is %v, want an array", k, m[k])
		}
	}
	if m["summary"] != "No issues found" {
		t.Errorf("summary = %v", m["summary"])
	}
}

func TestXMLRoundTrip(t *testing.T) {
	r := goldenReport(t)
	var buf bytes.Buffer
	if err := Write(&buf, r, "xml"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<SchemaAnalysisReport>") {
		t.Fatalf("root element missing:\n%s", buf.String())
	}
	var back document
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Issues) != len(r.Issues) || back.Issues[0] != r.Issues[0] {
		t.Errorf("issues do not round-trip: %+v", back.Issues)
	}
}

var urlRe = regexp.MustCompile(`(?i)(?:https?:)?//[^\s"'<>)]+`)

func TestHTMLSelfContained(t *testing.T) {
	r := goldenReport(t)
	r.Issues[0].SQL = "SELECT '<script>alert(1)</script>' -- " + r.Issues[0].SQL
	var buf bytes.Buffer
	if err := Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "<link", "@import", "src="} {
		if strings.Contains(strings.ToLower(out), bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Error("SQL is not HTML-escaped")
	}
	docs := map[string]bool{}
	for _, is := range r.Issues {
		docs[is.DocLink] = true
	}
	for _, u := range urlRe.FindAllString(out, -1) {
		if !docs[u] {
			t.Errorf("HTML refers to %q, which is not a doc link", u)
		}
	}
	for _, want := range []string{"/export", "postgresql", "<details>", "<pre>", `<a href="` + r.Issues[0].DocLink} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}
