package oracle

// live_snapshot.go is the live part of the Oracle snapshot: the catalog
// queries that list tables, columns and extents, and the AS OF SCN reads.
// Everything it hands on is converted by pure code (packages snapshot and
// values). It has never run against a live Oracle; TestLiveOracle is its
// only test.

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"

	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/snapshot"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// liveTableInfo is what the snapshot keeps of a table: its catalog name
// and its exported columns' types.
type liveTableInfo struct {
	name    string
	columns []string
	types   []ddl.Type
}

// readColumns lists a table's stored columns (virtual and hidden ones are
// computed or internal) with their types as ALL_TAB_COLS describes them.
func (s *Source) readColumns(ctx context.Context, table string) (liveTableInfo, error) {
	t := liveTableInfo{name: table}
	rows, err := s.db.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, DATA_PRECISION, DATA_SCALE, CHAR_LENGTH, CHAR_USED
		FROM ALL_TAB_COLS WHERE OWNER = :1 AND TABLE_NAME = :2 AND HIDDEN_COLUMN = 'NO' AND VIRTUAL_COLUMN = 'NO' ORDER BY COLUMN_ID`, s.owner, table)
	if err != nil {
		return t, Explain(err, s.catalogCtx())
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ string
		var prec, scale, clen sql.NullInt64
		var cused sql.NullString
		if err := rows.Scan(&name, &typ, &prec, &scale, &clen, &cused); err != nil {
			return t, fmt.Errorf("columns of %s: %w", table, err)
		}
		ty, err := ddl.ParseType(typeText(typ, prec, scale, clen, cused))
		if err != nil {
			ty = ddl.Type{Name: typ, Text: typ, Precision: -1, Fraction: -1, Leading: -1}
		}
		t.columns = append(t.columns, name)
		t.types = append(t.types, ty)
	}
	return t, rows.Err()
}

// typeText rebuilds a column's declared type from ALL_TAB_COLS, so that
// the converter's type reader gives it the same kind as export schema.
func typeText(typ string, prec, scale, clen sql.NullInt64, cused sql.NullString) string {
	switch typ {
	case "NUMBER", "FLOAT":
		if !prec.Valid {
			return typ
		}
		if typ == "NUMBER" && scale.Valid {
			return fmt.Sprintf("NUMBER(%d,%d)", prec.Int64, scale.Int64)
		}
		return fmt.Sprintf("%s(%d)", typ, prec.Int64)
	case "VARCHAR2", "NVARCHAR2", "CHAR", "NCHAR":
		if clen.Valid && clen.Int64 > 0 {
			unit := ""
			if cused.String == "C" {
				unit = " CHAR"
			}
			return fmt.Sprintf("%s(%d%s)", typ, clen.Int64, unit)
		}
	}
	return typ
}

// liveSnapshot reads every chunk AS OF one SCN.
type liveSnapshot struct {
	s   *Source
	scn uint64
}

// BeginSnapshot takes the database's current SCN: every chunk is read as
// of it, and the change stream (later) starts at the oldest transaction
// open at it.
func (s *Source) BeginSnapshot(ctx context.Context, _ int) (source.Snapshot, error) {
	var scn uint64
	if err := s.db.QueryRowContext(ctx, `SELECT CURRENT_SCN FROM V$DATABASE`).Scan(&scn); err != nil {
		return nil, Explain(err, s.catalogCtx())
	}
	return &liveSnapshot{s: s, scn: scn}, nil
}

func (l *liveSnapshot) Close(context.Context) error { return nil }

// chunkBlocks is the blocks per chunk for a chunk size in bytes, with
// Oracle's usual 8 KiB blocks.
func chunkBlocks(chunkBytes int64) int64 { return max(1, chunkBytes/8192) }

// PlanChunks cuts each table into ROWID ranges from its extents; a table
// with no extents yet (deferred segment creation) is one chunk.
func (l *liveSnapshot) PlanChunks(ctx context.Context, tables []source.Table, chunkBytes int64) ([]source.Chunk, error) {
	return source.ChunksOf(tables, func(t source.Table, _ sqlname.Table) ([]string, error) {
		info := l.s.info[t.Name.Name]
		ex, err := l.s.extents(ctx, info.name)
		if err != nil {
			return nil, err
		}
		ranges := snapshot.Plan(ex, chunkBlocks(chunkBytes))
		if len(ranges) == 0 {
			return []string{""}, nil
		}
		out := make([]string, len(ranges))
		for i, r := range ranges {
			out[i] = r.Filter()
		}
		return out, nil
	})
}

func (s *Source) extents(ctx context.Context, table string) ([]snapshot.Extent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.DATA_OBJECT_ID, e.RELATIVE_FNO, e.BLOCK_ID, e.BLOCKS
		FROM DBA_EXTENTS e JOIN DBA_OBJECTS o ON o.OWNER = e.OWNER AND o.OBJECT_NAME = e.SEGMENT_NAME
			AND NVL(o.SUBOBJECT_NAME, '-') = NVL(e.PARTITION_NAME, '-') AND o.DATA_OBJECT_ID IS NOT NULL
		WHERE e.OWNER = :1 AND e.SEGMENT_NAME = :2 AND e.SEGMENT_TYPE IN ('TABLE', 'TABLE PARTITION', 'TABLE SUBPARTITION')`, s.owner, table)
	if err != nil {
		return nil, Explain(err, s.catalogCtx())
	}
	defer rows.Close()
	var out []snapshot.Extent
	for rows.Next() {
		var e snapshot.Extent
		if err := rows.Scan(&e.DataObjectID, &e.File, &e.Block, &e.Blocks); err != nil {
			return nil, fmt.Errorf("extents of %s: %w", table, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ExportChunk reads one chunk AS OF the snapshot SCN on a session with
// the pinned NLS settings and writes it as COPY text, a row at a time.
func (l *liveSnapshot) ExportChunk(ctx context.Context, _ int, c source.Chunk, _ []string, w io.Writer) (int64, error) {
	info := l.s.info[c.Table.Name]
	conn, err := l.s.db.Conn(ctx)
	if err != nil {
		return 0, Explain(err, l.s.ctx)
	}
	defer conn.Close()
	for _, q := range values.SessionSettings() {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return 0, Explain(err, l.s.ctx)
		}
	}
	kinds := make([]values.Kind, len(info.columns))
	list := make([]string, len(info.columns))
	for i, col := range info.columns {
		kinds[i] = values.KindOf(info.types[i])
		list[i] = values.SelectExpr(info.types[i], sqlname.Quote(col))
	}
	flashback := l.s.ctx
	flashback.Doing = "flashback"
	rows, err := conn.QueryContext(ctx, snapshot.Query(l.s.owner, info.name, list, c.Filter), strconv.FormatUint(l.scn, 10))
	if err != nil {
		return 0, Explain(err, flashback)
	}
	defer rows.Close()
	vals := make([]any, len(list))
	ptrs := make([]any, len(list))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("read %s: %w", info.name, err)
		}
		if buf, err = snapshot.AppendRow(buf[:0], kinds, vals); err != nil {
			return n, fmt.Errorf("%s: %w", info.name, err)
		}
		if _, err := w.Write(buf); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, Explain(err, flashback)
	}
	return n, nil
}

// ListTables lists the schema's tables (as export schema does), with
// their stored columns and primary keys, named as they are on the target.
func (s *Source) ListTables(ctx context.Context, include, exclude []sqlname.Pattern) ([]source.Table, error) {
	var names []string
	rows, err := s.db.QueryContext(ctx, tablesQuery, s.owner)
	if err != nil {
		return nil, Explain(err, s.catalogCtx())
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	selected, byPG, err := selectTables(names, s.target, include, exclude)
	if err != nil {
		return nil, err
	}
	var out []source.Table
	for _, t := range selected {
		info, err := s.readColumns(ctx, byPG[t.Name])
		if err != nil {
			return nil, err
		}
		s.info[t.Name] = info
		st := source.Table{Name: t, Relations: []sqlname.Table{t}}
		for _, c := range info.columns {
			st.Columns = append(st.Columns, PGName(c))
		}
		if st.PrimaryKey, err = s.primaryKey(ctx, info.name); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *Source) primaryKey(ctx context.Context, table string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT cc.COLUMN_NAME FROM ALL_CONSTRAINTS c
		JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME
		WHERE c.OWNER = :1 AND c.TABLE_NAME = :2 AND c.CONSTRAINT_TYPE = 'P' ORDER BY cc.POSITION`, s.owner, table)
	if err != nil {
		return nil, Explain(err, s.catalogCtx())
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, PGName(c))
	}
	return out, rows.Err()
}

// selectTables names the schema's tables (catalog names) in the target
// schema and keeps those the patterns select; byPG gives each one's
// catalog name back.
func selectTables(names []string, target string, include, exclude []sqlname.Pattern) ([]sqlname.Table, map[string]string, error) {
	byPG := map[string]string{}
	var all []sqlname.Table
	for _, n := range names {
		t := sqlname.Table{Schema: target, Name: PGName(n)}
		byPG[t.Name] = n
		all = append(all, t)
	}
	selected, err := source.Select(all, include, exclude, []string{target})
	return selected, byPG, err
}
