package oracle

// catalog.go is the only part of export schema that talks to a live
// Oracle: which objects a schema has, and each one's DDL as DBMS_METADATA
// writes it. Everything after it (the reader, the converter) is shared with
// --source-ddl-file and tested on real Oracle text; this part is tested
// only by TestLiveOracle, against a server named by ORACLE_TEST_DSN.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Catalog is what export schema needs of a live Oracle.
type Catalog interface {
	// Objects lists owner's objects that export schema converts, in the
	// order they are to be read (sequences and types before the tables
	// that use them, tables before their indexes, views after tables).
	Objects(ctx context.Context, owner string) ([]CatalogObject, error)
	// DDL is the object's DDL, terminated as a script statement. A
	// COMMENT object is the comments on table or view Name (empty when it
	// has none).
	DDL(ctx context.Context, owner string, obj CatalogObject) (string, error)
}

// CatalogObject names one object as DBMS_METADATA does: Type is its
// object type (TABLE, INDEX, MATERIALIZED_VIEW, PACKAGE, COMMENT, ...).
type CatalogObject struct {
	Type string
	Name string
}

// objectQueries list the objects of each type, in reading order. Each
// takes the owner as :1 (and, where it repeats, :2). System-made objects
// are left out: identity sequences (ISEQ$$_), indexes Oracle made for
// LOBs and constraints it named itself (the constraints are in the table's
// DDL), materialized views' container tables, nested and overflow tables,
// and the recycle bin.
var objectQueries = []struct{ typ, sql string }{
	{"SEQUENCE", `SELECT sequence_name FROM all_sequences WHERE sequence_owner = :1 AND sequence_name NOT LIKE 'ISEQ$$%' ORDER BY 1`},
	{"TYPE", `SELECT object_name FROM all_objects WHERE owner = :1 AND object_type = 'TYPE' AND generated = 'N' ORDER BY created, object_id`},
	{"TABLE", tablesQuery},
	{"INDEX", `SELECT index_name FROM all_indexes i WHERE owner = :1 AND table_owner = :2 AND generated = 'N'
		AND index_type NOT IN ('LOB', 'IOT - TOP') AND index_name NOT LIKE 'BIN$%' ORDER BY table_name, index_name`},
	{"VIEW", `SELECT view_name FROM all_views WHERE owner = :1 ORDER BY 1`},
	{"MATERIALIZED_VIEW", `SELECT mview_name FROM all_mviews WHERE owner = :1 ORDER BY 1`},
	{"FUNCTION", `SELECT object_name FROM all_objects WHERE owner = :1 AND object_type = 'FUNCTION' ORDER BY 1`},
	{"PROCEDURE", `SELECT object_name FROM all_objects WHERE owner = :1 AND object_type = 'PROCEDURE' ORDER BY 1`},
	{"PACKAGE", `SELECT object_name FROM all_objects WHERE owner = :1 AND object_type = 'PACKAGE' ORDER BY 1`},
	{"TRIGGER", `SELECT trigger_name FROM all_triggers WHERE owner = :1 AND trigger_name NOT LIKE 'BIN$%' ORDER BY 1`},
	{"SYNONYM", `SELECT synonym_name FROM all_synonyms WHERE owner = :1 ORDER BY 1`},
}

// tablesQuery lists the schema's own tables: not materialized views'
// containers, nested or overflow tables, or the recycle bin.
const tablesQuery = `SELECT table_name FROM all_tables t WHERE owner = :1 AND nested = 'NO' AND secondary = 'N' AND dropped = 'NO'
		AND (iot_type IS NULL OR iot_type = 'IOT')
		AND NOT EXISTS (SELECT 1 FROM all_mviews m WHERE m.owner = t.owner AND m.mview_name = t.table_name) ORDER BY 1`

// sessionTransforms make DBMS_METADATA write what the reader expects: one
// terminated statement per object, constraints inside the table, and no
// storage, tablespace or segment clauses.
const sessionTransforms = `BEGIN
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'PRETTY', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SQLTERMINATOR', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SEGMENT_ATTRIBUTES', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'STORAGE', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'TABLESPACE', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'CONSTRAINTS', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'REF_CONSTRAINTS', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'CONSTRAINTS_AS_ALTER', FALSE);
END;`

// sqlCatalog reads the catalog over one session: DBMS_METADATA's
// transforms are per session.
type sqlCatalog struct {
	conn *sql.Conn
	ctx  Context
}

// openCatalog pins a session of db and sets its transforms.
func openCatalog(ctx context.Context, db *sql.DB, c Context) (*sqlCatalog, error) {
	c.Doing = "catalog"
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, Explain(err, c)
	}
	if _, err := conn.ExecContext(ctx, sessionTransforms); err != nil {
		conn.Close()
		return nil, Explain(err, c)
	}
	return &sqlCatalog{conn: conn, ctx: c}, nil
}

func (s *sqlCatalog) Close() error { return s.conn.Close() }

func (s *sqlCatalog) Objects(ctx context.Context, owner string) ([]CatalogObject, error) {
	var out []CatalogObject
	for _, q := range objectQueries {
		args := []any{owner}
		if strings.Contains(q.sql, ":2") {
			args = append(args, owner)
		}
		rows, err := s.conn.QueryContext(ctx, q.sql, args...)
		if err != nil {
			return nil, Explain(err, s.ctx)
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("list %s objects of %s: %w", q.typ, owner, err)
			}
			out = append(out, CatalogObject{Type: q.typ, Name: name})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, Explain(err, s.ctx)
		}
	}
	return out, nil
}

// noComments is ORA-31608: the object has no dependent object of the type
// asked for (a table without comments).
const noComments = 31608

func (s *sqlCatalog) DDL(ctx context.Context, owner string, obj CatalogObject) (string, error) {
	q := `SELECT DBMS_METADATA.GET_DDL(:1, :2, :3) FROM DUAL`
	if obj.Type == "COMMENT" {
		q = `SELECT DBMS_METADATA.GET_DEPENDENT_DDL(:1, :2, :3) FROM DUAL`
	}
	var text string
	err := s.conn.QueryRowContext(ctx, q, obj.Type, obj.Name, owner).Scan(&text)
	if err != nil {
		if obj.Type == "COMMENT" && Code(err) == noComments {
			return "", nil
		}
		return "", Explain(err, s.ctx)
	}
	return text, nil
}
