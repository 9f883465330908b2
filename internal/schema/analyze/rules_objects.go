package analyze

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// objectRules check other object kinds: unlogged tables, tablespaces,
// foreign tables and servers, triggers and extensions.
var objectRules = []rule{
	{
		ID: "UNLOGGED_TABLE", Category: MigrationCaveat,
		Reason:     "YugabyteDB has no unlogged tables: older versions reject UNLOGGED, 2024.2 and later silently create a regular (logged) table.",
		Suggestion: "Remove UNLOGGED; expect the write cost of a normal table.",
		Doc:        "unlogged-table-is-not-supported",
		Check:      checkUnlogged,
	},
	{
		ID: "TABLESPACE_CLAUSE", Category: MigrationCaveat,
		Reason:     "The object is placed in a tablespace; YugabyteDB tablespaces describe replica placement, not directories, and this one must exist on the target.",
		Suggestion: "Remove the TABLESPACE clause, or create a YugabyteDB tablespace of that name (CREATE TABLESPACE ... WITH (replica_placement = '...')) first.",
		Doc:        "tablespaces",
		Check:      checkTablespaceClause,
	},
	{
		ID: "CREATE_TABLESPACE", Category: UnsupportedFeature,
		Reason:     "CREATE TABLESPACE ... LOCATION is not supported: YugabyteDB tablespaces only define replica placement.",
		Suggestion: "Remove the statement, or rewrite it as CREATE TABLESPACE name WITH (replica_placement = '{...}').",
		Doc:        "tablespaces",
		Check:      checkCreateTablespace,
	},
	{
		ID: "FOREIGN_TABLE", Category: MigrationCaveat,
		Reason:     "Foreign tables need their server and user mapping on the target; Voyager does not migrate servers or user mappings.",
		Suggestion: "Create the foreign server and user mappings on YugabyteDB (postgres_fdw and file_fdw are available) before importing the schema.",
		Doc:        "foreign-table-in-the-source-database-requires-server-and-user-mapping",
		Check:      checkForeignTable,
	},
	{
		ID: "FOREIGN_SERVER", Category: MigrationCaveat,
		Reason:     "Foreign servers, user mappings and foreign-data wrappers are not migrated (user mappings may hold passwords).",
		Suggestion: "Create them by hand on YugabyteDB with the target's connection details and credentials, or remove the statement.",
		Doc:        "foreign-table-in-the-source-database-requires-server-and-user-mapping",
		Check:      checkForeignServer,
	},
	{
		ID: "CONSTRAINT_TRIGGER", Category: UnsupportedFeature,
		Reason:     "CREATE CONSTRAINT TRIGGER is not supported.",
		Suggestion: "Use a regular AFTER trigger (not deferrable), or enforce the rule in the application.",
		Doc:        "constraint-trigger-is-not-supported",
		Check:      triggerCheck(func(_ *checkCtx, t *pg_query.CreateTrigStmt) bool { return t.Isconstraint }),
	},
	{
		ID: "REFERENCING_CLAUSE_IN_TRIGGER", Category: UnsupportedFeature,
		Reason:     "Triggers with a REFERENCING clause (transition tables) are not supported.",
		Suggestion: "Rewrite as a FOR EACH ROW trigger using NEW/OLD, or move the logic into the application.",
		Doc:        "referencing-clause-for-triggers",
		Check:      triggerCheck(func(_ *checkCtx, t *pg_query.CreateTrigStmt) bool { return len(t.TransitionRels) > 0 }),
	},
	{
		ID: "BEFORE_ROW_TRIGGER_ON_PARTITIONED_TABLE", Category: UnsupportedFeature,
		Reason:     "BEFORE ... FOR EACH ROW triggers on partitioned tables are not supported before YugabyteDB 2.25.",
		Suggestion: "Create the trigger on each partition instead of on the partitioned table.",
		Doc:        "before-row-triggers-on-partitioned-tables",
		Check: triggerCheck(func(c *checkCtx, t *pg_query.CreateTrigStmt) bool {
			return t.Row && t.Timing&triggerBefore != 0 && c.partitioned(tableKey(t.Relation))
		}),
	},
	{
		ID: "UNSUPPORTED_EXTENSION", Category: UnsupportedFeature,
		Reason:     "The extension is not shipped with YugabyteDB.",
		Suggestion: "Remove CREATE EXTENSION and the objects that depend on it, or find a supported replacement.",
		Doc:        "unsupported-extensions",
		Check:      checkExtension,
	},
}

const triggerBefore = 1 << 1 // TRIGGER_TYPE_BEFORE in PostgreSQL's pg_trigger.h

func checkUnlogged(_ *checkCtx, st schema.Statement) []finding {
	if cs := st.Node.GetCreateStmt(); cs != nil {
		return once(cs.Relation.GetRelpersistence() == "u")
	}
	if ct := st.Node.GetCreateTableAsStmt(); ct != nil {
		return once(ct.Into.GetRel().GetRelpersistence() == "u")
	}
	return once(hasAlterCmd(st, pg_query.AlterTableType_AT_SetUnLogged))
}

// checkTablespaceClause finds TABLESPACE clauses of tables, indexes and
// index-backed constraints, one finding per tablespace.
func checkTablespaceClause(_ *checkCtx, st schema.Statement) []finding {
	var names []string
	if cs := st.Node.GetCreateStmt(); cs != nil {
		names = append(names, cs.Tablespacename)
	}
	if ix := st.Node.GetIndexStmt(); ix != nil {
		names = append(names, ix.TableSpace)
	}
	if ct := st.Node.GetCreateTableAsStmt(); ct != nil {
		names = append(names, ct.Into.GetTableSpaceName())
	}
	_, cons := constraintsOf(st)
	for _, k := range cons {
		names = append(names, k.con.Indexspace)
	}
	for _, cmd := range alterCmds(alterTable(st)) {
		if cmd.Subtype == pg_query.AlterTableType_AT_SetTableSpace {
			names = append(names, cmd.Name)
		}
	}
	var out []finding
	for _, n := range names {
		if n != "" && n != "pg_default" {
			out = append(out, finding{Key: n, Detail: fmt.Sprintf("Tablespace: %s.", n)})
		}
	}
	return out
}

func checkCreateTablespace(_ *checkCtx, st schema.Statement) []finding {
	ts := st.Node.GetCreateTableSpaceStmt()
	if ts == nil {
		return nil
	}
	for _, o := range ts.Options {
		if o.GetDefElem().GetDefname() == "replica_placement" {
			return nil
		}
	}
	return once(true)
}

func checkForeignTable(_ *checkCtx, st schema.Statement) []finding {
	ft := st.Node.GetCreateForeignTableStmt()
	if ft == nil {
		return nil
	}
	return []finding{{Detail: fmt.Sprintf("Server: %s.", ft.Servername)}}
}

func checkForeignServer(_ *checkCtx, st schema.Statement) []finding {
	n := st.Node
	return once(n.GetCreateForeignServerStmt() != nil || n.GetCreateUserMappingStmt() != nil || n.GetCreateFdwStmt() != nil)
}

func triggerCheck(match func(*checkCtx, *pg_query.CreateTrigStmt) bool) func(*checkCtx, schema.Statement) []finding {
	return func(c *checkCtx, st schema.Statement) []finding {
		t := st.Node.GetCreateTrigStmt()
		return once(t != nil && match(c, t))
	}
}

// supportedExtensions are the extensions YugabyteDB ships (pre-bundled
// PostgreSQL modules and third-party extensions). The list follows the one
// upstream Voyager checks against, plus vector (pgvector) and pg_partman,
// which the YugabyteDB extension docs list as pre-bundled.
var supportedExtensions = setOf(
	"adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube",
	"dblink", "dict_int", "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch", "hll", "hstore",
	"hypopg", "insert_username", "intagg", "intarray", "isn", "lo", "ltree", "moddatetime",
	"orafce", "pageinspect", "pg_buffercache", "pg_cron", "pg_freespacemap", "pg_hint_plan", "pg_prewarm",
	"pg_stat_monitor", "pg_stat_statements", "pg_trgm", "pg_visibility", "pgaudit", "pgcrypto", "pgrowlocks",
	"pgstattuple", "plpgsql", "postgres_fdw", "refint", "seg", "sslinfo", "tablefunc", "tcn", "timetravel",
	"tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp", "yb_pg_metrics",
	"vector", "pg_partman",
)

func checkExtension(_ *checkCtx, st schema.Statement) []finding {
	e := st.Node.GetCreateExtensionStmt()
	return once(e != nil && !supportedExtensions[strings.ToLower(e.Extname)])
}
