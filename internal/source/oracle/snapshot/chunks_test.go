package snapshot

import (
	"fmt"
	"testing"
)

// Extents shaped like DBA_EXTENTS rows (synthetic): a table of two
// partitions, one spread over two files.
func TestPlanEvenChunks(t *testing.T) {
	ex := []Extent{
		{DataObjectID: 7301, File: 4, Block: 128, Blocks: 8},
		{DataObjectID: 7300, File: 5, Block: 16, Blocks: 128},
		{DataObjectID: 7300, File: 4, Block: 1024, Blocks: 8},
		{DataObjectID: 7300, File: 4, Block: 1032, Blocks: 56},
		{DataObjectID: 7301, File: 4, Block: 256, Blocks: 0},
	}
	got := Plan(ex, 64)
	want := []Range{
		{7300, 4, 1024, 4, 1087, 64},
		{7300, 5, 16, 5, 79, 64},
		{7300, 5, 80, 5, 143, 64},
		{7301, 4, 128, 4, 135, 8},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ranges\n %v\nwant\n %v", got, want)
	}
	var blocks int64
	for _, r := range got {
		blocks += r.Blocks
	}
	if blocks != 200 {
		t.Errorf("%d blocks covered, want all 200", blocks)
	}
}

func TestQuery(t *testing.T) {
	r := Range{DataObjectID: 7300, FromFile: 4, FromBlk: 1024, ToFile: 4, ToBlk: 1087}
	q := Query("HR", "EMPLOYEES", []string{`TO_CHAR("SALARY", 'TM9')`, `"LAST_NAME"`}, r.Filter())
	want := `SELECT TO_CHAR("SALARY", 'TM9'), "LAST_NAME" FROM "HR"."EMPLOYEES" AS OF SCN :1 WHERE ROWID BETWEEN DBMS_ROWID.ROWID_CREATE(1, 7300, 4, 1024, 0) AND DBMS_ROWID.ROWID_CREATE(1, 7300, 4, 1087, 32767)`
	if q != want {
		t.Errorf("%s\nwant\n%s", q, want)
	}
	if q := Query("HR", `Odd"Name`, []string{"1"}, ""); q != `SELECT 1 FROM "HR"."Odd""Name" AS OF SCN :1` {
		t.Errorf("quoting: %s", q)
	}
}
