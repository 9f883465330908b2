package config

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// cli is a small Voyager-like command tree whose root calls Apply from
// PersistentPreRunE, as the real binary does.
type cli struct {
	root *cobra.Command
	ran  *cobra.Command
}

func newCLI(path string, env map[string]string) *cli {
	c := &cli{}
	run := func(cmd *cobra.Command, _ []string) { c.ran = cmd }
	c.root = &cobra.Command{Use: "yb-voyager", SilenceUsage: true, SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return Apply(cmd, path, func(k string) string { return env[k] })
		}}
	c.root.SetOut(io.Discard)
	c.root.SetErr(io.Discard)
	pf := c.root.PersistentFlags()
	pf.String("export-dir", "", "")
	pf.String("log-level", "info", "")
	pf.Bool("send-diagnostics", true, "")

	export := &cobra.Command{Use: "export"}
	data := &cobra.Command{Use: "data", Aliases: []string{"dump"}, Run: run}
	from := &cobra.Command{Use: "from"}
	fromSource := &cobra.Command{Use: "source", Run: run}
	addExportDataFlags(data)
	addExportDataFlags(fromSource)
	from.AddCommand(fromSource)
	data.AddCommand(from)
	schema := &cobra.Command{Use: "schema", Run: run}
	schema.Flags().String("source-db-host", "", "")
	_ = schema.MarkFlagRequired("source-db-host")
	export.AddCommand(data, schema)

	imp := &cobra.Command{Use: "import"}
	impData := &cobra.Command{Use: "data", Run: run}
	impData.Flags().String("target-db-host", "", "")
	impData.Flags().String("target-db-password", "", "")
	impData.Flags().Int("parallel-jobs", 0, "")
	impData.Flags().Int("batch-size", 20000, "")
	imp.AddCommand(impData)
	c.root.AddCommand(export, imp)
	return c
}

func addExportDataFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("source-db-host", "localhost", "")
	f.String("source-db-password", "", "")
	f.Int("parallel-jobs", 0, "")
	f.String("table-list", "", "")
	f.StringSlice("exclude-table-list", nil, "")
	f.Bool("disable-pb", false, "")
}

// run executes args and returns the command that ran.
func run(t *testing.T, path string, env map[string]string, args ...string) (*cobra.Command, error) {
	t.Helper()
	c := newCLI(path, env)
	c.root.SetArgs(args)
	err := c.root.Execute()
	return c.ran, err
}

// mustRun is run for cases that must succeed.
func mustRun(t *testing.T, path string, env map[string]string, args ...string) *cobra.Command {
	t.Helper()
	cmd, err := run(t, path, env, args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return cmd
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func expectFlags(t *testing.T, cmd *cobra.Command, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if got := cmd.Flags().Lookup(name).Value.String(); got != w {
			t.Errorf("%s --%s = %q, want %q", cmd.CommandPath(), name, got, w)
		}
	}
}

func TestPrecedenceFlagEnvFileDefault(t *testing.T) {
	file := writeConfig(t, "source:\n  db-password: from-file\n")
	env := map[string]string{"SOURCE_DB_PASSWORD": "from-env"}
	cases := []struct {
		name string
		path string
		env  map[string]string
		args []string
		want string
	}{
		{"default", "", nil, nil, ""},
		{"file", file, nil, nil, "from-file"},
		{"env over file", file, env, nil, "from-env"},
		{"flag over env", file, env, []string{"--source-db-password", "from-flag"}, "from-flag"},
		{"empty env ignored", file, map[string]string{"SOURCE_DB_PASSWORD": ""}, nil, "from-file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := mustRun(t, tc.path, tc.env, append([]string{"export", "data"}, tc.args...)...)
			expectFlags(t, cmd, map[string]string{"source-db-password": tc.want})
		})
	}
}

func TestEnvOnlyListedVariablesAndExistingFlags(t *testing.T) {
	env := map[string]string{
		"SOURCE_DB_PASSWORD": "src", "TARGET_DB_PASSWORD": "tgt", "TARGET_DB_HOST": "ignored",
	}
	cmd := mustRun(t, "", env, "import", "data") // has no --source-db-password
	expectFlags(t, cmd, map[string]string{"target-db-password": "tgt", "target-db-host": ""})
	if !cmd.Flags().Changed("target-db-password") {
		t.Error("a flag set from the environment should be marked Changed")
	}
}

const layered = `
export-dir: /global
log-level: debug
send-diagnostics: off
parallel-jobs: 1
source-db-host: global-host
source:
  db-host: source-host
target:
  db-host: target-host
export-data:
  parallel-jobs: 4
  table-list: orders
import-data:
  parallel-jobs: 8
  batch-size: 500
`

func TestSectionPrecedence(t *testing.T) {
	path := writeConfig(t, layered)
	cmd := mustRun(t, path, nil, "export", "data")
	expectFlags(t, cmd, map[string]string{
		"export-dir": "/global", "log-level": "debug", "send-diagnostics": "false",
		"source-db-host": "source-host", "parallel-jobs": "4", "table-list": "orders",
	})
	cmd = mustRun(t, path, nil, "import", "data")
	expectFlags(t, cmd, map[string]string{
		"export-dir": "/global", "target-db-host": "target-host",
		"parallel-jobs": "8", "batch-size": "500",
	})
	cmd = mustRun(t, path, nil, "export", "data", "--parallel-jobs", "2", "--log-level=warn")
	expectFlags(t, cmd, map[string]string{"parallel-jobs": "2", "log-level": "warn"})
}

func TestCommandSectionOverridesDatabaseSection(t *testing.T) {
	path := writeConfig(t, "source:\n  db-host: s\nexport-data:\n  source-db-host: c\n")
	cmd := mustRun(t, path, nil, "export", "data")
	expectFlags(t, cmd, map[string]string{"source-db-host": "c"})
}

func TestAliases(t *testing.T) {
	cases := []struct {
		name, file string
		args       []string
	}{
		{"cobra alias runs export-data section", "export-data:\n  parallel-jobs: 3\n", []string{"export", "dump"}},
		{"from source uses export-data section", "export-data:\n  parallel-jobs: 3\n",
			[]string{"export", "data", "from", "source"}},
		{"export-data-from-source section for export data", "export-data-from-source:\n  parallel-jobs: 3\n",
			[]string{"export", "data"}},
		{"section spelled with the alias", "export-dump:\n  parallel-jobs: 3\n", []string{"export", "data"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := mustRun(t, writeConfig(t, tc.file), nil, tc.args...)
			expectFlags(t, cmd, map[string]string{"parallel-jobs": "3"})
		})
	}
	both := writeConfig(t, "export-data:\n  parallel-jobs: 3\nexport-data-from-source:\n  parallel-jobs: 4\n")
	if _, err := run(t, both, nil, "export", "data"); err == nil || !strings.Contains(err.Error(), "keep only one") {
		t.Errorf("two sections for one command: got %v", err)
	}
}

func TestListValues(t *testing.T) {
	path := writeConfig(t, "export-data:\n  table-list: [a, b, c]\n  exclude-table-list:\n    - x\n    - y\n")
	cmd := mustRun(t, path, nil, "export", "data")
	expectFlags(t, cmd, map[string]string{"table-list": "a,b,c", "exclude-table-list": "[x,y]"})
}

func TestTypeErrors(t *testing.T) {
	cases := []struct{ file, key, typ string }{
		{"export-data:\n  parallel-jobs: many\n", `"parallel-jobs"`, "int"},
		{"export-data:\n  disable-pb: maybe\n", `"disable-pb"`, "bool"},
		{"parallel-jobs: [1, 2]\n", `"parallel-jobs"`, "int"},
	}
	for _, tc := range cases {
		path := writeConfig(t, tc.file)
		_, err := run(t, path, nil, "export", "data")
		if err == nil {
			t.Errorf("%q: expected an error", tc.file)
			continue
		}
		for _, want := range []string{path, tc.key, tc.typ, "line"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q: error %q does not mention %s", tc.file, err, want)
			}
		}
	}
	cmd := mustRun(t, writeConfig(t, "export-data:\n  disable-pb: yes\n"), nil, "export", "data")
	expectFlags(t, cmd, map[string]string{"disable-pb": "true"})
}

func TestUnknownKeysAndSections(t *testing.T) {
	cases := []struct{ file, want string }{
		{"export-data:\n  paralel-jobs: 3\n", `unknown key "paralel-jobs" in section "export-data"`},
		{"target:\n  db-hots: x\n", `unknown key "db-hots" in section "target"`},
		{"no-such-flag: 1\n", `unknown key "no-such-flag" in section "global"`},
		{"import-data:\n  bogus: 1\n", `unknown key "bogus" in section "import-data"`},
		{"exprt-data:\n  parallel-jobs: 1\n", `unknown section "exprt-data"`},
		{"export-data: 4\n", `section "export-data" must be a mapping`},
	}
	for _, tc := range cases {
		path := writeConfig(t, tc.file)
		_, err := run(t, path, nil, "export", "data")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.file, err, tc.want)
		}
	}
	path := writeConfig(t, "export-data:\n  paralel-jobs: 3\n")
	_, err := run(t, path, nil, "export", "data")
	if want := "config file " + path + `: unknown key "paralel-jobs" in section "export-data"`; err == nil || err.Error() != want {
		t.Errorf("got %v, want exactly %q", err, want)
	}
}

func TestKeysOfOtherCommandsAreIgnored(t *testing.T) {
	path := writeConfig(t, "batch-size: 100\ntarget:\n  db-host: t\nexport-data:\n  batch-size: 7\n"+
		"import-data:\n  parallel-jobs: not-checked-when-exporting\n")
	cmd := mustRun(t, path, nil, "export", "data")
	expectFlags(t, cmd, map[string]string{"parallel-jobs": "0"})
}

func TestFileErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := run(t, missing, nil, "export", "data")
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: got %v", err)
	}
	_, err = run(t, writeConfig(t, "source:\n  db-host: a\n db-port: 5\n"), nil, "export", "data")
	if err == nil || !strings.Contains(err.Error(), "invalid YAML: yaml: line ") {
		t.Errorf("syntax error should give the line: got %v", err)
	}
	_, err = run(t, writeConfig(t, "- a\n- b\n"), nil, "export", "data")
	if err == nil || !strings.Contains(err.Error(), "top level") {
		t.Errorf("top-level list: got %v", err)
	}
}

func TestEmptyFileAndEmptyValues(t *testing.T) {
	for _, text := range []string{"", "# only a comment\n", "export-dir:\nexport-data:\nsource:\n  db-host:\n"} {
		cmd := mustRun(t, writeConfig(t, text), nil, "export", "data")
		expectFlags(t, cmd, map[string]string{"export-dir": "", "source-db-host": "localhost"})
	}
}

func TestFileSatisfiesRequiredFlag(t *testing.T) {
	if _, err := run(t, "", nil, "export", "schema"); err == nil {
		t.Fatal("expected the required-flag error without a config file")
	}
	cmd := mustRun(t, writeConfig(t, "source:\n  db-host: h\n"), nil, "export", "schema")
	expectFlags(t, cmd, map[string]string{"source-db-host": "h"})
}

func TestPasswordsNeverInErrors(t *testing.T) {
	const pw = "hunter2-do-not-print"
	files := []string{
		"source:\n  db-pasword: " + pw + "\n",
		"source:\n  db-password: " + pw + "\n  db-password: " + pw + "\n",
		"source:\n  db-password: \"" + pw + "\n",
		"source:\n  db-password: " + pw + ": x\n",
		"source:\n  db-password:\n    nested: " + pw + "\n",
		"source:\n  db-password: [" + pw + ", {a: b}]\n",
		"source:\n  db-password: *" + pw + "\n", // an alias to an unknown anchor
		"parallel-jobs: " + pw + "\n",
		"source-db-password: " + pw + "\nsource: " + pw + "\n",
	}
	for _, text := range files {
		_, err := run(t, writeConfig(t, text), nil, "export", "data")
		if err == nil {
			t.Errorf("%q: expected an error", text)
		} else if strings.Contains(err.Error(), pw) {
			t.Errorf("error reveals the password: %v", err)
		}
	}
	// A password flag whose type rejects the value, to exercise the env path.
	cmd := &cobra.Command{Use: "x"}
	cmd.Flags().Int("target-db-password", 0, "")
	err := Apply(cmd, "", func(k string) string { return map[string]string{"TARGET_DB_PASSWORD": pw}[k] })
	if err == nil || strings.Contains(err.Error(), pw) || !strings.Contains(err.Error(), "TARGET_DB_PASSWORD") {
		t.Errorf("env error: %v", err)
	}
}
