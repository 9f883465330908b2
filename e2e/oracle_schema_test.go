package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func oracleCorpus(name string) string {
	return filepath.Join("..", "..", "shared", "reference", "oracle", name)
}

// Oracle's HR schema, offline: export schema from Oracle's own script,
// analyze-schema, import schema into PostgreSQL; every table, key, index
// and sequence lands with the mapped types. Bad input (a missing file, a
// statement the reader cannot use) is named with file and line and the
// export goes on. No Oracle server is involved.
func TestOracleSchemaFromDDLFile(t *testing.T) {
	e := newEnv(t)
	bad := filepath.Join(t.TempDir(), "extra.sql")
	if err := os.WriteFile(bad, []byte("CREATE TABLE broken (a NUMBER(x));\nFROBNICATE THE DATABASE;\nCREATE TABLE ok_extra (id NUMBER(9) PRIMARY KEY, flag CHAR(1));\n"+
		"CREATE OR REPLACE PROCEDURE purge_extra IS\nBEGIN\n  FOR r IN (SELECT id FROM ok_extra) LOOP\n    DELETE FROM ok_extra WHERE id = r.id;\n  END LOOP;\nEND;\n/\nCREATE BITMAP INDEX ok_extra_bx ON ok_extra (flag);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := []string{"--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-db-schema", "hr",
		"--source-ddl-file", oracleCorpus("hr_create.sql") + "," + oracleCorpus("hr_code.sql") + "," + bad + ",/nonexistent/x.sql"}
	r := e.mustRun(append([]string{"export", "schema"}, src...)...)
	if !strings.Contains(r.stdout, "no database connection") || !strings.Contains(r.stdout, "TABLE") {
		t.Errorf("export schema said: %s", r)
	}
	notes, _ := os.ReadFile(filepath.Join(e.exportDir, "reports", "schema_conversion_notes.txt"))
	for _, want := range []string{
		"extra.sql line 1: not converted: expected a number", // the broken table, named with its line
		"extra.sql line 2: a statement the reader does not know; skipped: FROBNICATE",
		"FILE /nonexistent/x.sql: cannot be read",
		"hr_code.sql line 66: translated to PL/pgSQL",                      // secure_dml
		"extra.sql line 4: PL/SQL not translated to PL/pgSQL (uses loops)", // purge_extra
		"SQL*Plus commands skipped",
	} {
		if !strings.Contains(string(notes), want) {
			t.Errorf("conversion notes lack %q:\n%s", want, notes)
		}
	}
	// analyze-schema lists what export schema left commented out, from the
	// files as they are: PL/SQL to rewrite, with its origin.
	e.mustRun("analyze-schema", "--export-dir", e.exportDir, "--output-format", "txt,json")
	report, _ := os.ReadFile(filepath.Join(e.exportDir, "reports", "schema_analysis_report.json"))
	for _, want := range []string{`"rule_id": "PLSQL_NOT_CONVERTED"`, `"object_name": "purge_extra"`, `(from ` + bad + ` line 4)`,
		`"rule_id": "ORACLE_TABLE"`, `"object_name": "countries"`, `"rule_id": "ORACLE_INDEX"`, `"object_name": "ok_extra_bx"`} {
		if !strings.Contains(string(report), want) {
			t.Errorf("analysis report lacks %s", want)
		}
	}
	// A caveat the DBA has dealt with (its line deleted) leaves the report.
	tables := filepath.Join(e.exportDir, "schema", "tables", "table.sql")
	text, _ := os.ReadFile(tables)
	var kept []string
	for _, line := range strings.Split(string(text), "\n") {
		if !strings.HasPrefix(line, "-- yb-voyager: caveat ORACLE_TABLE") {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(tables, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun("analyze-schema", "--export-dir", e.exportDir, "--output-format", "json")
	if report, _ = os.ReadFile(filepath.Join(e.exportDir, "reports", "schema_analysis_report.json")); strings.Contains(string(report), `"rule_id": "ORACLE_TABLE"`) || !strings.Contains(string(report), `"rule_id": "ORACLE_INDEX"`) {
		t.Error("after its caveat line was deleted, ORACLE_TABLE is still reported (or ORACLE_INDEX is gone)")
	}
	// The names are unqualified in the files; --target-db-schema places
	// them, and finalize finds them there from what import schema recorded.
	out := e.mustRun(append([]string{"import", "schema", "--target-db-schema", "hr"}, e.targetFlags()...)...)
	if !strings.Contains(out.stdout, "created in schema hr") {
		t.Errorf("import schema does not say where the objects go:\n%s", out)
	}
	e.mustRun(append([]string{"finalize-schema-post-data-import", "--disable-pb"}, e.targetFlags()...)...)
	for q, want := range map[string]int64{
		`SELECT count(*) FROM pg_tables WHERE schemaname = 'hr'`:                                                                                                                                                        8,
		`SELECT count(*) FROM pg_constraint WHERE connamespace = 'hr'::regnamespace AND contype = 'p'`:                                                                                                                  8,
		`SELECT count(*) FROM pg_constraint WHERE connamespace = 'hr'::regnamespace AND contype = 'f'`:                                                                                                                  10,
		`SELECT count(*) FROM pg_sequences WHERE schemaname = 'hr'`:                                                                                                                                                     3,
		`SELECT count(*) FROM pg_views WHERE schemaname = 'hr' AND viewname = 'emp_details_view'`:                                                                                                                       1,
		`SELECT count(*) FROM pg_proc WHERE pronamespace = 'hr'::regnamespace AND prokind = 'p'`:                                                                                                                        2,
		`SELECT count(*) FROM pg_trigger WHERE tgrelid = 'hr.employees'::regclass AND NOT tgisinternal AND tgenabled = 'O'`:                                                                                             1,
		`SELECT count(*) FROM pg_trigger WHERE tgrelid = 'hr.employees'::regclass AND NOT tgisinternal AND tgenabled = 'D'`:                                                                                             1,
		`SELECT count(*) FROM pg_indexes WHERE schemaname = 'hr'`:                                                                                                                                                       21, // HR's and ok_extra's keys and indexes, ok_extra_bx
		`SELECT count(*) FROM information_schema.columns WHERE table_schema = 'hr' AND table_name = 'employees' AND column_name = 'salary' AND data_type = 'numeric' AND numeric_precision = 8 AND numeric_scale = 2`:   1,
		`SELECT count(*) FROM information_schema.columns WHERE table_schema = 'hr' AND table_name = 'employees' AND column_name = 'hire_date' AND data_type = 'timestamp without time zone' AND datetime_precision = 0`: 1,
	} {
		if got := e.tgtInt(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}

	// One line each for what cannot work offline or at all.
	expectOneLineError(t, e.run("export", "schema", "--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-ddl-file", bad, "--start-clean"), 2, "--source-db-schema is required for Oracle")
	expectOneLineError(t, e.run("export", "schema", "--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-db-schema", "hr,sales", "--source-ddl-file", bad, "--start-clean"), 2, "takes only one")
	expectOneLineError(t, e.run("export", "schema", "--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-db-schema", "hr", "--source-ddl-file", "/nonexistent", "--start-clean"), 1, "no DDL file found")
	// Without a server here, the live path can only show that it tries:
	// the listener's absence is one line naming the flags to check.
	noListener := []string{"--source-db-type", "oracle", "--source-db-schema", "hr", "--source-db-user", "u", "--source-db-password", "p", "--oracle-db-sid", "ORCL", "--source-db-host", "127.0.0.1", "--source-db-port", "1"}
	expectOneLineError(t, e.run(append([]string{"export", "schema", "--export-dir", e.exportDir, "--start-clean"}, noListener...)...), 1, "no Oracle listener answers at 127.0.0.1:1")
	expectOneLineError(t, e.run(append([]string{"export", "data", "--export-dir", e.exportDir}, noListener...)...), 1, "no Oracle listener answers at 127.0.0.1:1")
}

// The Chinook Oracle script (a whole install script: user, grants,
// CONNECT, tables, keys, 15,000 INSERTs) through the binary: the schema
// lands in the schema --target-db-schema names, the rest is noted.
func TestOracleChinookSchema(t *testing.T) {
	e := newEnv(t)
	e.mustRun("export", "schema", "--export-dir", e.exportDir, "--source-db-type", "oracle", "--source-db-schema", "chinook",
		"--source-ddl-file", oracleCorpus("Chinook_Oracle.sql"))
	notes, _ := os.ReadFile(filepath.Join(e.exportDir, "reports", "schema_conversion_notes.txt"))
	for _, want := range []string{"Chinook_Oracle.sql line 19: not schema", "INSERT", "SQL*Plus commands skipped"} {
		if !strings.Contains(string(notes), want) {
			t.Errorf("conversion notes lack %q", want)
		}
	}
	if strings.Contains(string(notes), "chinook/chinook") {
		t.Error("the CONNECT line's password reached the notes")
	}
	e.mustRun("analyze-schema", "--export-dir", e.exportDir, "--output-format", "json")
	e.mustRun(append([]string{"import", "schema", "--target-db-schema", "chinook"}, e.targetFlags()...)...)
	e.mustRun(append([]string{"finalize-schema-post-data-import", "--disable-pb"}, e.targetFlags()...)...)
	for q, want := range map[string]int64{
		`SELECT count(*) FROM pg_tables WHERE schemaname = 'chinook'`:                                                                                                                                                        11,
		`SELECT count(*) FROM pg_constraint WHERE connamespace = 'chinook'::regnamespace AND contype = 'p'`:                                                                                                                  11,
		`SELECT count(*) FROM pg_constraint WHERE connamespace = 'chinook'::regnamespace AND contype = 'f'`:                                                                                                                  11,
		`SELECT count(*) FROM information_schema.columns WHERE table_schema = 'chinook' AND table_name = 'track' AND column_name = 'unitprice' AND data_type = 'numeric' AND numeric_precision = 10 AND numeric_scale = 2`:   1,
		`SELECT count(*) FROM information_schema.columns WHERE table_schema = 'chinook' AND table_name = 'invoice' AND column_name = 'invoicedate' AND data_type = 'timestamp without time zone' AND datetime_precision = 0`: 1,
	} {
		if got := e.tgtInt(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
}
