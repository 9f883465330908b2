package oracle

import (
	"strings"
	"testing"
)

// The facts are synthetic (what the catalog queries would return): the
// judgement is tested, the queries are not.
func TestCheckLive(t *testing.T) {
	ready := liveFacts{LogMode: "ARCHIVELOG", SupplementalMin: "YES", SupplementalAll: "YES",
		Privileges: map[string]bool{"LOGMINING": true, "SELECT ANY TRANSACTION": true, "FLASHBACK ANY TABLE": true, "EXECUTE_CATALOG_ROLE": true, "SELECT_CATALOG_ROLE": true},
		Tables:     []liveTable{{Name: "EMPLOYEES", HasKey: true, Columns: []liveColumn{{"SALARY", "NUMBER"}, {"LAST_NAME", "VARCHAR2"}}}}}
	if p := checkLive(ready, "ybvoyager"); p != nil {
		t.Fatalf("a ready source: %v", p)
	}
	f := ready
	f.LogMode, f.SupplementalMin, f.SupplementalAll = "NOARCHIVELOG", "NO", "NO"
	f.TablesAllLogging = map[string]bool{"EMPLOYEES": true}
	f.Privileges = map[string]bool{"SELECT_CATALOG_ROLE": true}
	f.Tables = append(f.Tables, liveTable{Name: "DOCS", Columns: []liveColumn{{"BODY", "CLOB"}, {strings.Repeat("C", 31), "NUMBER"}}})
	got := strings.Join(checkLive(f, "ybvoyager"), "\n")
	for _, want := range []string{
		"ALTER DATABASE ARCHIVELOG;",
		"ALTER DATABASE ADD SUPPLEMENTAL LOG DATA;",
		"supplemental logging of all columns is off for DOCS:", // EMPLOYEES has its log group
		"table DOCS has no primary key",
		"column DOCS.BODY is CLOB (LOB)",
		"longer than 30 bytes",
		"GRANT LOGMINING TO YBVOYAGER;",
		"GRANT FLASHBACK ANY TABLE TO YBVOYAGER;",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("checks lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "GRANT SELECT_CATALOG_ROLE") || strings.Contains(got, "off for EMPLOYEES") {
		t.Errorf("a check that holds was reported:\n%s", got)
	}
}
