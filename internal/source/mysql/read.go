package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// ReadCatalog reads the tables, views, routines and triggers of database
// from information_schema. It works on MySQL 5.7/8 and MariaDB 10.2+; what a
// version lacks (CHECK_CONSTRAINTS, functional index parts) is left out.
// It uses one connection of db for all queries.
func ReadCatalog(ctx context.Context, db *sql.DB, database string) (Catalog, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return Catalog{}, fmt.Errorf("connect to MySQL: %w", err)
	}
	defer conn.Close()
	r := &reader{conn: conn, db: database, tables: map[string]int{}}
	var version string
	if err := conn.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return Catalog{}, fmt.Errorf("read MySQL version: %w", err)
	}
	r.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	if !r.mariadb {
		// MySQL 8 caches TABLES.AUTO_INCREMENT for a day by default; ask for
		// the current value. MySQL 5.7 has no such variable: ignore the error.
		if _, err := conn.ExecContext(ctx, "SET SESSION information_schema_stats_expiry = 0"); err == nil {
			defer conn.ExecContext(context.WithoutCancel(ctx), "SET SESSION information_schema_stats_expiry = DEFAULT") //nolint:errcheck
		}
	}
	r.cat.Database = database
	for _, step := range []struct {
		what string
		fn   func(context.Context) error
	}{
		{"tables", r.readTables}, {"columns", r.readColumns}, {"indexes", r.readIndexes},
		{"foreign keys", r.readForeignKeys}, {"check constraints", r.readChecks}, {"views", r.readViews},
		{"routines", r.readRoutines}, {"triggers", r.readTriggers},
	} {
		if err := step.fn(ctx); err != nil {
			return Catalog{}, fmt.Errorf("read %s of MySQL database %q: %w", step.what, database, err)
		}
	}
	return r.cat, nil
}

type reader struct {
	conn    *sql.Conn
	db      string
	mariadb bool
	cat     Catalog
	tables  map[string]int // table name -> index in cat.Tables
}

// each runs q on the reader's connection and calls fn for every row.
func (r *reader) each(ctx context.Context, q string, fn func(*sql.Rows) error, args ...any) error {
	return each(ctx, r.conn, q, fn, args...)
}

// has reports whether information_schema.<table> has column col.
func (r *reader) has(ctx context.Context, table, col string) bool {
	return hasColumn(ctx, r.conn, table, col)
}

func (r *reader) table(name string) *Table {
	if i, ok := r.tables[name]; ok {
		return &r.cat.Tables[i]
	}
	return nil
}

func (r *reader) readTables(ctx context.Context) error {
	return r.each(ctx, `SELECT TABLE_NAME, COALESCE(AUTO_INCREMENT, 0), COALESCE(TABLE_COMMENT, '')
		FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
		ORDER BY TABLE_NAME`, func(rows *sql.Rows) error {
		var t Table
		if err := rows.Scan(&t.Name, &t.AutoIncrement, &t.Comment); err != nil {
			return err
		}
		r.tables[t.Name] = len(r.cat.Tables)
		r.cat.Tables = append(r.cat.Tables, t)
		return nil
	}, r.db)
}

func (r *reader) readColumns(ctx context.Context) error {
	all, err := readColumns(ctx, r.conn, r.db, r.mariadb, "")
	if err != nil {
		return err
	}
	for i := range r.cat.Tables {
		t := &r.cat.Tables[i] // a view's columns have no table here: left out
		t.Columns = all[t.Name]
	}
	return nil
}

var (
	numericLiteral = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)
	bitLiteral     = regexp.MustCompile(`^[bB]'[01]*'$`)
	currentTSExpr  = regexp.MustCompile(`(?i)^(current_timestamp|now|localtime|localtimestamp)\s*(\(\s*\d*\s*\))?$`)
)

// normalizeDefault turns COLUMNS.COLUMN_DEFAULT into a Column default.
// MariaDB 10.2.7+ quotes string literals ('abc'), spells DEFAULT NULL as
// NULL and shows expressions bare; MySQL shows literals unquoted, DEFAULT
// NULL as SQL NULL and marks expressions DEFAULT_GENERATED in EXTRA (8.0.13+;
// 5.7 only has CURRENT_TIMESTAMP).
func normalizeDefault(raw sql.NullString, extra, dataType string, mariadb bool) (*string, bool) {
	if !raw.Valid {
		return nil, false
	}
	v := raw.String
	if mariadb {
		switch {
		case v == "NULL":
			return nil, false
		case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
			s := unquoteMySQL(v[1 : len(v)-1])
			return &s, false
		case numericLiteral.MatchString(v), bitLiteral.MatchString(v):
			return &v, false
		}
		return &v, true
	}
	if strings.Contains(strings.ToUpper(extra), "DEFAULT_GENERATED") {
		return &v, true
	}
	if isTemporal(dataType) && currentTSExpr.MatchString(strings.TrimSpace(v)) {
		return &v, true
	}
	return &v, false
}

func isTemporal(dataType string) bool {
	switch dataType {
	case "datetime", "timestamp", "date", "time":
		return true
	}
	return false
}

// unquoteMySQL decodes the inside of a MySQL string literal: doubled quotes and the
// backslash escapes.
func unquoteMySQL(s string) string {
	if !strings.ContainsAny(s, `'\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'Z':
				b.WriteByte(26)
			case '0':
				// NUL cannot be stored in PostgreSQL text; drop it.
			case '%', '_':
				b.WriteByte('\\')
				b.WriteByte(s[i])
			default:
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (r *reader) readIndexes(ctx context.Context) error {
	expr, coll, visible := "''", "''", ""
	if r.has(ctx, "STATISTICS", "EXPRESSION") {
		expr = "COALESCE(EXPRESSION, '')"
	}
	if r.has(ctx, "STATISTICS", "COLLATION") {
		coll = "COALESCE(COLLATION, '')"
	}
	if r.has(ctx, "STATISTICS", "IS_VISIBLE") {
		visible = " AND IS_VISIBLE = 'YES'" // MySQL 8 invisible indexes are not used; leave them out
	}
	return r.each(ctx, `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COALESCE(COLUMN_NAME, ''), SUB_PART,
			COALESCE(INDEX_TYPE, ''), `+coll+`, `+expr+`
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`+visible+`
		ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, func(rows *sql.Rows) error {
		var tname, iname, typ, collation string
		var nonUnique int
		var sub sql.NullInt64
		var ic IndexColumn
		if err := rows.Scan(&tname, &iname, &nonUnique, &ic.Name, &sub, &typ, &collation, &ic.Expression); err != nil {
			return err
		}
		t := r.table(tname)
		if t == nil {
			return nil
		}
		if iname == "PRIMARY" {
			t.PrimaryKey = append(t.PrimaryKey, ic.Name)
			return nil
		}
		if sub.Valid {
			n := int(sub.Int64)
			ic.SubPart = &n
		}
		ic.Desc = collation == "D"
		if n := len(t.Indexes); n == 0 || t.Indexes[n-1].Name != iname {
			t.Indexes = append(t.Indexes, Index{Name: iname, Unique: nonUnique == 0, Type: strings.ToUpper(typ)})
		}
		idx := &t.Indexes[len(t.Indexes)-1]
		idx.Columns = append(idx.Columns, ic)
		return nil
	}, r.db)
}

func (r *reader) readForeignKeys(ctx context.Context) error {
	return r.each(ctx, `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
			k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, rc.DELETE_RULE, rc.UPDATE_RULE
		FROM information_schema.KEY_COLUMN_USAGE k
		JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
			AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND rc.TABLE_NAME = k.TABLE_NAME
		WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
		ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`, func(rows *sql.Rows) error {
		var tname, name, col, refSchema, refTable, refCol, onDel, onUpd string
		if err := rows.Scan(&tname, &name, &col, &refSchema, &refTable, &refCol, &onDel, &onUpd); err != nil {
			return err
		}
		t := r.table(tname)
		if t == nil {
			return nil
		}
		if n := len(t.ForeignKeys); n == 0 || t.ForeignKeys[n-1].Name != name {
			fk := ForeignKey{Name: name, RefTable: refTable, OnDelete: onDel, OnUpdate: onUpd}
			if refSchema != r.db {
				fk.RefSchema = refSchema
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		fk := &t.ForeignKeys[len(t.ForeignKeys)-1]
		fk.Columns = append(fk.Columns, col)
		fk.RefColumns = append(fk.RefColumns, refCol)
		return nil
	}, r.db)
}

// readChecks reads CHECK constraints: MariaDB 10.2+ has TABLE_NAME in
// CHECK_CONSTRAINTS; MySQL 8.0.16+ needs TABLE_CONSTRAINTS for it. Older
// servers have no CHECK_CONSTRAINTS (and ignored CHECK clauses).
func (r *reader) readChecks(ctx context.Context) error {
	var q string
	switch {
	case r.has(ctx, "CHECK_CONSTRAINTS", "TABLE_NAME"):
		q = `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
			WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`
	case r.has(ctx, "CHECK_CONSTRAINTS", "CHECK_CLAUSE"):
		enforced := ""
		if r.has(ctx, "TABLE_CONSTRAINTS", "ENFORCED") {
			enforced = " AND tc.ENFORCED = 'YES'"
		}
		q = `SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
			FROM information_schema.CHECK_CONSTRAINTS cc
			JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA
				AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'` + enforced + `
			WHERE cc.CONSTRAINT_SCHEMA = ? ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME`
	default:
		return nil
	}
	return r.each(ctx, q, func(rows *sql.Rows) error {
		var tname string
		var ch Check
		if err := rows.Scan(&tname, &ch.Name, &ch.Clause); err != nil {
			return err
		}
		if t := r.table(tname); t != nil {
			t.Checks = append(t.Checks, ch)
		}
		return nil
	}, r.db)
}

func (r *reader) readViews(ctx context.Context) error {
	return r.each(ctx, `SELECT TABLE_NAME, COALESCE(VIEW_DEFINITION, '') FROM information_schema.VIEWS
		WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`, func(rows *sql.Rows) error {
		var v View
		if err := rows.Scan(&v.Name, &v.Definition); err != nil {
			return err
		}
		r.cat.Views = append(r.cat.Views, v)
		return nil
	}, r.db)
}

func (r *reader) readRoutines(ctx context.Context) error {
	err := r.each(ctx, `SELECT ROUTINE_NAME, ROUTINE_TYPE, COALESCE(ROUTINE_DEFINITION, '')
		FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
		ORDER BY ROUTINE_TYPE, ROUTINE_NAME`, func(rows *sql.Rows) error {
		var rt Routine
		if err := rows.Scan(&rt.Name, &rt.Type, &rt.Definition); err != nil {
			return err
		}
		r.cat.Routines = append(r.cat.Routines, rt)
		return nil
	}, r.db)
	if err != nil {
		return err
	}
	// ROUTINES has only the body; SHOW CREATE has the whole statement with
	// the parameters, when we may see it.
	for i := range r.cat.Routines {
		rt := &r.cat.Routines[i]
		if full := r.showCreate(ctx, rt.Type, rt.Name); full != "" {
			rt.Definition = full
		}
	}
	return nil
}

// showCreate returns the "Create Procedure"/"Create Function" column of
// SHOW CREATE, or "" when it cannot be read.
func (r *reader) showCreate(ctx context.Context, typ, name string) string {
	if typ != "PROCEDURE" && typ != "FUNCTION" {
		return ""
	}
	rows, err := r.conn.QueryContext(ctx, "SHOW CREATE "+typ+" "+backtick(r.db)+"."+backtick(name))
	if err != nil {
		return ""
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil || !rows.Next() {
		return ""
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if rows.Scan(ptrs...) != nil {
		return ""
	}
	for i, c := range cols {
		if strings.EqualFold(c, "Create "+typ) {
			return vals[i].String
		}
	}
	return ""
}

func backtick(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

func (r *reader) readTriggers(ctx context.Context) error {
	return r.each(ctx, `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT
		FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
		ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME`, func(rows *sql.Rows) error {
		var tr Trigger
		if err := rows.Scan(&tr.Name, &tr.Table, &tr.Timing, &tr.Event, &tr.Statement); err != nil {
			return err
		}
		r.cat.Triggers = append(r.cat.Triggers, tr)
		return nil
	}, r.db)
}
