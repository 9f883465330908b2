package exportdir

import (
	"context"
	"strings"
	"testing"
)

// A schema read from DDL files names no database: the first database the
// directory meets becomes its source, and DDL files may be read again;
// another database is refused.
func TestRecordSourceAfterDDLFiles(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.OpenStore()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	offline := OfflineIdentity("oracle", "HR")
	for _, step := range []struct {
		ident string
		ok    bool
	}{
		{offline, true},
		{offline, true},
		{"oracle ORCL/PDB1 schema HR", true},
		{offline, true}, // export schema --source-ddl-file --start-clean later
		{"oracle ORCL/PDB1 schema HR", true},
		{"oracle OTHER/PDB2 schema HR", false},
	} {
		err := s.RecordSource(ctx, d.Root, "oracle", step.ident, "{}")
		if (err == nil) != step.ok {
			t.Fatalf("%s: %v", step.ident, err)
		}
	}
	m, _ := s.Migration(ctx)
	if m.SourceIdentity != "oracle ORCL/PDB1 schema HR" {
		t.Errorf("recorded source %q", m.SourceIdentity)
	}
	if err := s.RecordSource(ctx, d.Root, "mysql", OfflineIdentity("mysql", "x"), "{}"); err == nil || !strings.Contains(err.Error(), "another source") {
		t.Errorf("DDL files of another engine: %v", err)
	}
}
