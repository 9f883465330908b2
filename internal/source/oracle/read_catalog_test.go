package oracle

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// recordedCatalog serves DDL text recorded beforehand in place of a live
// DBMS_METADATA: what is tested is everything above the Catalog interface
// (the live one is TestLiveOracle's).
type recordedCatalog struct {
	objs  []CatalogObject
	text  map[CatalogObject]string
	fail  map[CatalogObject]error
	asked []CatalogObject
}

func (c *recordedCatalog) Objects(context.Context, string) ([]CatalogObject, error) {
	return c.objs, nil
}

func (c *recordedCatalog) DDL(_ context.Context, _ string, o CatalogObject) (string, error) {
	c.asked = append(c.asked, o)
	if err := c.fail[o]; err != nil {
		return "", err
	}
	return c.text[o], nil
}

// hrCatalog is Oracle's HR script served object by object: each CREATE is
// an object, and an ALTER TABLE goes with its table's text (as
// DBMS_METADATA writes constraints with CONSTRAINTS_AS_ALTER).
func hrCatalog(t *testing.T) *recordedCatalog {
	stmts, _, _ := ddl.Split("hr_create.sql", corpus(t, "hr_create.sql"))
	c := &recordedCatalog{text: map[CatalogObject]string{}, fail: map[CatalogObject]error{}}
	tables := map[string]CatalogObject{}
	for _, st := range stmts {
		words := ddl.Tokens(st.Text)
		var obj CatalogObject
		switch st.Kind {
		case ddl.CreateTable:
			obj = CatalogObject{"TABLE", words[2].Text}
			tables[strings.ToUpper(obj.Name)] = obj
		case ddl.CreateSequence:
			obj = CatalogObject{"SEQUENCE", words[2].Text}
		case ddl.CreateIndex:
			obj = CatalogObject{"INDEX", words[len(words)-1].Text}
			for i, w := range words {
				if w.Is("INDEX") {
					obj.Name = words[i+1].Text
					break
				}
			}
		case ddl.CreateView:
			obj = CatalogObject{"VIEW", "EMP_DETAILS_VIEW"}
		case ddl.AlterTable:
			tbl := tables[strings.ToUpper(words[2].Text)]
			c.text[tbl] += "\n" + st.Text + ";"
			continue
		default:
			continue
		}
		c.objs = append(c.objs, obj)
		c.text[obj] = st.Text + ";"
	}
	return c
}

func TestCatalogExportIsTheFileExport(t *testing.T) {
	cat := hrCatalog(t)
	live, notes, err := schemaFromCatalog(context.Background(), cat, "HR", engine.SchemaOptions{}, schema.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	stmts, _, _ := ddl.Split("hr_create.sql", corpus(t, "hr_create.sql"))
	files, _ := convertFiltered(stmts, "HR", engine.SchemaOptions{}, schema.Filter{})
	if len(live) != len(files) || len(live) < 20 {
		t.Fatalf("%d statements from the catalog, %d from the file", len(live), len(files))
	}
	seen := map[string]bool{}
	for _, st := range files {
		seen[st.Text] = true
	}
	for _, st := range live {
		if !seen[st.Text] {
			t.Errorf("the catalog export wrote what the file export does not:\n%s", st.Text)
		}
	}
	for _, n := range notes {
		if strings.Contains(n.Reason, "could not be read") {
			t.Errorf("unexpected note %v", n)
		}
	}
}

func TestCatalogObjectThatFailsIsANote(t *testing.T) {
	cat := hrCatalog(t)
	bad := CatalogObject{"VIEW", "EMP_DETAILS_VIEW"}
	cat.fail[bad] = errors.New("ORA-31603: object \"EMP_DETAILS_VIEW\" of type VIEW not found in schema \"HR\"")
	out, notes, err := schemaFromCatalog(context.Background(), cat, "HR", engine.SchemaOptions{CommentsOnObjects: true}, schema.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range notes {
		found = found || n.Object == "VIEW EMP_DETAILS_VIEW" && strings.Contains(n.Reason, "ORA-31603") && strings.Contains(n.Reason, "skipped")
	}
	if !found {
		t.Errorf("no note on the view that failed: %v", notes)
	}
	tables := 0
	for _, st := range out {
		if strings.Contains(st.Text, "CREATE TABLE ") {
			tables++
		}
	}
	if tables != 7 {
		t.Errorf("%d tables exported, want HR's 7 while one view failed", tables)
	}
	comments := 0
	for _, o := range cat.asked {
		if o.Type == "COMMENT" {
			comments++
		}
	}
	if comments != 8 { // 7 tables and the view that failed to read still has its comments asked for
		t.Errorf("comments asked for %d objects, want 8", comments)
	}
}

func TestCatalogNothingReadableIsAnError(t *testing.T) {
	cat := hrCatalog(t)
	grant := &ExplainedError{Line: "Oracle user YBV cannot read the catalog of schema HR (ORA-31603): GRANT SELECT_CATALOG_ROLE TO HR_reader_role; ..."}
	for _, o := range cat.objs {
		cat.fail[o] = grant
	}
	_, _, err := schemaFromCatalog(context.Background(), cat, "HR", engine.SchemaOptions{}, schema.Filter{})
	if err == nil || !strings.Contains(err.Error(), "GRANT SELECT_CATALOG_ROLE") {
		t.Fatalf("err = %v, want the explained grant", err)
	}
}
