package postgres

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// DumpSchema returns the DDL of the selected schemas as pg_dump prints it
// (--schema-only, without owners and privileges, with extensions). pg_dump
// gets the password through its environment, never its arguments.
func (s *Source) DumpSchema(ctx context.Context) (string, error) {
	bin, err := s.pgDump(ctx)
	if err != nil {
		return "", err
	}
	args := []string{"--schema-only", "--no-owner", "--no-privileges", "--no-publications",
		"--no-subscriptions", "--no-security-labels", "--extension", "*"}
	for _, sc := range s.cfg.Schemas {
		args = append(args, "--schema", dumpPattern(sc))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), s.libpqEnv()...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pg_dump --schema-only failed: %s", firstLine(stderr.String(), err))
	}
	return stripMetaCommands(out.String()), nil
}

// stripMetaCommands drops psql meta-command lines that recent pg_dump
// releases emit (\restrict and \unrestrict around the dump): they are not
// SQL, and the schema files are applied as SQL.
func stripMetaCommands(dump string) string {
	lines := strings.SplitAfter(dump, "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.HasPrefix(l, "\\restrict ") || strings.HasPrefix(l, "\\unrestrict ") {
			continue
		}
		b.WriteString(l)
	}
	return b.String()
}

// pgDump finds pg_dump and checks it is not older than the server: an older
// pg_dump refuses to dump a newer server (or misses its features).
func (s *Source) pgDump(ctx context.Context) (string, error) {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return "", fmt.Errorf("pg_dump not found in PATH: install the PostgreSQL client of the source's version (apt-get install postgresql-client-%d)", s.version/10000)
	}
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("run %s --version: %w", bin, err)
	}
	m := regexp.MustCompile(`(\d+)(?:\.(\d+))?`).FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("cannot read the version of %s from %q", bin, strings.TrimSpace(string(out)))
	}
	major, _ := strconv.Atoi(m[1])
	if major < s.version/10000 {
		return "", fmt.Errorf("pg_dump %d is older than the source server (%d): install postgresql-client-%d or put a newer pg_dump first in PATH",
			major, s.version/10000, s.version/10000)
	}
	return bin, nil
}

// libpqEnv passes the connection settings to libpq tools.
func (s *Source) libpqEnv() []string {
	env := []string{"PGHOST=" + s.cfg.Host, "PGPORT=" + strconv.Itoa(s.cfg.Port), "PGUSER=" + s.cfg.User,
		"PGDATABASE=" + s.cfg.DBName, "PGAPPNAME=yb-voyager"}
	if s.cfg.Password != "" {
		env = append(env, "PGPASSWORD="+s.cfg.Password)
	}
	for k, v := range map[string]string{"PGSSLMODE": s.cfg.SSLMode, "PGSSLCERT": s.cfg.SSLCert,
		"PGSSLKEY": s.cfg.SSLKey, "PGSSLROOTCERT": s.cfg.SSLRootCert} {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// dumpPattern quotes a schema name for pg_dump --schema: inside double
// quotes case is kept and wildcards are literal.
func dumpPattern(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func firstLine(s string, err error) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return err.Error()
	}
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	return strings.TrimPrefix(s, "pg_dump: error: ")
}
