package oracle

import (
	"fmt"
	"sort"
	"strings"
)

// liveFacts is what the live-migration checks read from the source, each
// by one catalog query (the live part); checkLive judges them without a
// server.
type liveFacts struct {
	LogMode          string          // V$DATABASE.LOG_MODE
	SupplementalMin  string          // V$DATABASE.SUPPLEMENTAL_LOG_DATA_MIN: YES, IMPLICIT, NO
	SupplementalAll  string          // V$DATABASE.SUPPLEMENTAL_LOG_DATA_ALL
	TablesAllLogging map[string]bool // tables with an ALL COLUMN LOGGING log group (DBA_LOG_GROUPS)
	Privileges       map[string]bool // SESSION_PRIVS and SESSION_ROLES of the export user
	Tables           []liveTable
}

type liveTable struct {
	Name    string
	HasKey  bool
	Columns []liveColumn
}

type liveColumn struct {
	Name, Type string // DATA_TYPE as ALL_TAB_COLUMNS writes it
}

// livePrivileges are what LogMiner-based capture needs beyond the
// snapshot's, as Voyager's source preparation grants them.
var livePrivileges = []string{"LOGMINING", "SELECT ANY TRANSACTION", "FLASHBACK ANY TABLE", "EXECUTE_CATALOG_ROLE", "SELECT_CATALOG_ROLE"}

// liveUnsupported are the column types whose changes LogMiner does not
// render as values in SQL_REDO (LOBs arrive as PL/SQL LOB writes, objects
// as Unsupported Type), with why.
var liveUnsupported = map[string]string{
	"CLOB": "LOB", "NCLOB": "LOB", "BLOB": "LOB", "BFILE": "external file", "LONG": "LONG", "LONG RAW": "LONG",
	"XMLTYPE": "XMLTYPE", "SDO_GEOMETRY": "spatial object", "UROWID": "UROWID", "ANYDATA": "ANYDATA",
}

// checkLive lists what stops a live migration, each problem one line
// naming the fix; nil when the source is ready.
func checkLive(f liveFacts, user string) []string {
	var out []string
	if !strings.EqualFold(f.LogMode, "ARCHIVELOG") {
		out = append(out, fmt.Sprintf("the database is in %s mode; LogMiner needs ARCHIVELOG: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN;", orUnknown(f.LogMode)))
	}
	if !strings.EqualFold(f.SupplementalMin, "YES") && !strings.EqualFold(f.SupplementalMin, "IMPLICIT") {
		out = append(out, "minimal supplemental logging is off: ALTER DATABASE ADD SUPPLEMENTAL LOG DATA;")
	}
	allDB := strings.EqualFold(f.SupplementalAll, "YES")
	var missing []string
	for _, t := range f.Tables {
		if !allDB && !f.TablesAllLogging[t.Name] {
			missing = append(missing, t.Name)
		}
		if !t.HasKey {
			out = append(out, fmt.Sprintf("table %s has no primary key: live migration needs one to apply changes to the right row; add one, or migrate the table with --export-type snapshot-only", t.Name))
		}
		out = append(out, columnProblems(t)...)
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("supplemental logging of all columns is off for %s: ALTER DATABASE ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS; (or, per table, ALTER TABLE <table> ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;)", listOf(missing)))
	}
	for _, p := range livePrivileges {
		if !f.Privileges[p] {
			out = append(out, fmt.Sprintf("user %s lacks %s: GRANT %s TO %s; (docs/oracle.md, source preparation)", strings.ToUpper(user), p, p, strings.ToUpper(user)))
		}
	}
	return out
}

func columnProblems(t liveTable) []string {
	var out []string
	if len(t.Name) > 30 {
		out = append(out, fmt.Sprintf("table %s has a name longer than 30 bytes, which LogMiner does not mine: rename it, or migrate it with --export-type snapshot-only", t.Name))
	}
	for _, c := range t.Columns {
		if why, bad := liveUnsupported[strings.ToUpper(c.Type)]; bad {
			out = append(out, fmt.Sprintf("column %s.%s is %s (%s): LogMiner does not give its changes as values, so live migration does not support it; exclude the table (--exclude-table-list) and migrate it with --export-type snapshot-only", t.Name, c.Name, c.Type, why))
		}
		if len(c.Name) > 30 {
			out = append(out, fmt.Sprintf("column %s.%s has a name longer than 30 bytes, which LogMiner does not mine: rename it", t.Name, c.Name))
		}
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown"
	}
	return s
}

func listOf(names []string) string {
	sort.Strings(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more tables", len(names)-5)
	}
	return strings.Join(names, ", ")
}
