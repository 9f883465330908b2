package exportdir

import (
	"strings"
	"testing"
)

func TestLockRefusesSecondHolderAndReleases(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l, err := d.LockCommand("export-data")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.LockCommand("export-data"); err == nil || !strings.Contains(err.Error(), "already running \"export data\"") {
		t.Fatalf("second lock: %v", err)
	}
	other, err := d.LockCommand("import-data")
	if err != nil {
		t.Fatalf("import data must not be blocked by export data: %v", err)
	}
	other.Unlock()
	l.Unlock()
	l2, err := d.LockCommand("export-data")
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	l2.Unlock()
}
