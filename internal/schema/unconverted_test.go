package schema

import (
	"os"
	"path/filepath"
	"testing"
)

func TestUnconvertedBlocksReadBack(t *testing.T) {
	dir := t.TempDir()
	a := CommentOut("hr_code.sql line 66", "PL/SQL, not translated", "CREATE OR REPLACE PROCEDURE secure_dml\nIS\nBEGIN\n  NULL; -- x\nEND secure_dml;")
	b := CommentOut("v.sql line 3", "not translated: ROWNUM has no PostgreSQL counterpart", "CREATE VIEW top10 AS SELECT * FROM t WHERE ROWNUM <= 10")
	file := "CREATE TABLE t (a int);\n\n" + a + ";\n\n" + b + ";\n\n"
	if err := os.MkdirAll(filepath.Join(dir, "procedures"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "procedures", "procedure.sql"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := FindUnconverted(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Line != 3 || got[0].Origin != "hr_code.sql line 66" || got[0].Why != "PL/SQL, not translated" ||
		got[0].Text != "CREATE OR REPLACE PROCEDURE secure_dml\nIS\nBEGIN\n  NULL; -- x\nEND secure_dml;" || got[1].File != filepath.Join("procedures", "procedure.sql") {
		t.Fatalf("%+v", got)
	}
	// The file still parses as PostgreSQL: the blocks are comments, each ";" an empty statement.
	sts, err := ParseSQL(file, "procedures/procedure.sql")
	if err != nil || len(sts) != 1 {
		t.Fatalf("%d statements, %v", len(sts), err)
	}
}
