package oracle

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The converted DDL and notes of the real scripts, kept as golden files so
// that any change to the conversion shows up in review:
//
//	go test ./internal/source/oracle -run Golden -update
func TestGolden(t *testing.T) {
	for file, owner := range map[string]string{"hr_create.sql": "HR", "Chinook_Oracle.sql": "CHINOOK"} {
		stmts, _, _ := ddl.Split(file, corpus(t, file))
		out, notes := Convert(stmts, ConvertOptions{Schema: owner})
		var b strings.Builder
		for _, st := range out {
			b.WriteString("-- " + string(st.Type) + " " + st.Name + "\n" + st.Text + ";\n\n")
		}
		b.WriteString("-- notes\n")
		for _, n := range notes {
			b.WriteString("-- " + n.Object + ": " + n.Reason + "\n")
		}
		golden := filepath.Join("testdata", strings.TrimSuffix(file, ".sql")+".golden.sql")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(want) != b.String() {
			t.Errorf("%s differs from %s: run go test ./internal/source/oracle -run Golden -update and review the diff", file, golden)
		}
	}
}
