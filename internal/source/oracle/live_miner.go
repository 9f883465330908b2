package oracle

// live_miner.go is the live part of change capture: the current SCN, the
// redo log list, and one DBMS_LOGMNR session per window on a pinned
// session. It has never run against a live Oracle; TestLiveOracle is its
// only test.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/logminer"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// sqlMiner mines on one session: LogMiner's state and the NLS settings
// that fix how SQL_REDO writes values are per session.
type sqlMiner struct {
	conn   *sql.Conn
	owner  string
	tables []string // catalog names
	ctx    Context
}

func openMiner(ctx context.Context, db *sql.DB, c Context, owner string, tables []string) (*sqlMiner, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, Explain(err, c)
	}
	for _, q := range values.SessionSettings() {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return nil, Explain(err, c)
		}
	}
	c.Doing = "catalog"
	return &sqlMiner{conn: conn, owner: owner, tables: tables, ctx: c}, nil
}

func (m *sqlMiner) Close() error { return m.conn.Close() }

func (m *sqlMiner) CurrentSCN(ctx context.Context) (uint64, error) {
	var scn uint64
	if err := m.conn.QueryRowContext(ctx, `SELECT CURRENT_SCN FROM V$DATABASE`).Scan(&scn); err != nil {
		return 0, Explain(err, m.ctx)
	}
	return scn, nil
}

// Logs lists online log members and archived logs still on disk.
func (m *sqlMiner) Logs(ctx context.Context) ([]logminer.LogFile, uint64, []int, error) {
	var resetlogs uint64
	if err := m.conn.QueryRowContext(ctx, `SELECT RESETLOGS_CHANGE# FROM V$DATABASE`).Scan(&resetlogs); err != nil {
		return nil, 0, nil, Explain(err, m.ctx)
	}
	var logs []logminer.LogFile
	rows, err := m.conn.QueryContext(ctx, `SELECT f.MEMBER, l.THREAD#, l.SEQUENCE#, l.FIRST_CHANGE#, l.NEXT_CHANGE#, 0, :1
		FROM V$LOG l JOIN V$LOGFILE f ON f.GROUP# = l.GROUP# WHERE l.STATUS <> 'UNUSED'
		UNION ALL
		SELECT NAME, THREAD#, SEQUENCE#, FIRST_CHANGE#, NEXT_CHANGE#, 1, RESETLOGS_CHANGE#
		FROM V$ARCHIVED_LOG WHERE NAME IS NOT NULL AND DELETED = 'NO' AND STANDBY_DEST = 'NO'`, resetlogs)
	if err != nil {
		return nil, 0, nil, Explain(err, m.ctx)
	}
	defer rows.Close()
	for rows.Next() {
		var l logminer.LogFile
		var archived int
		if err := rows.Scan(&l.Name, &l.Thread, &l.Sequence, &l.FirstSCN, &l.NextSCN, &archived, &l.Resetlogs); err != nil {
			return nil, 0, nil, fmt.Errorf("redo log list: %w", err)
		}
		l.Archived = archived == 1
		logs = append(logs, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nil, Explain(err, m.ctx)
	}
	threads, err := m.threads(ctx)
	return logs, resetlogs, threads, err
}

func (m *sqlMiner) threads(ctx context.Context) ([]int, error) {
	rows, err := m.conn.QueryContext(ctx, `SELECT THREAD# FROM V$THREAD WHERE ENABLED <> 'DISABLED' ORDER BY 1`)
	if err != nil {
		return nil, Explain(err, m.ctx)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var t int
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Mine adds the files, starts LogMiner over [start, end] with the online
// catalog as dictionary, and reads the migrated tables' changes with every
// transaction boundary.
func (m *sqlMiner) Mine(ctx context.Context, files []logminer.LogFile, start, end uint64, each func(minedRow) error) error {
	for i, f := range files {
		opt := "DBMS_LOGMNR.ADDFILE"
		if i == 0 {
			opt = "DBMS_LOGMNR.NEW"
		}
		if _, err := m.conn.ExecContext(ctx, `BEGIN DBMS_LOGMNR.ADD_LOGFILE(LOGFILENAME => :1, OPTIONS => `+opt+`); END;`, f.Name); err != nil {
			return Explain(err, m.ctx)
		}
	}
	if _, err := m.conn.ExecContext(ctx, `BEGIN DBMS_LOGMNR.START_LOGMNR(STARTSCN => :1, ENDSCN => :2, OPTIONS => DBMS_LOGMNR.DICT_FROM_ONLINE_CATALOG); END;`, start, end); err != nil {
		return Explain(err, m.ctx)
	}
	defer m.conn.ExecContext(context.WithoutCancel(ctx), `BEGIN DBMS_LOGMNR.END_LOGMNR; END;`)
	rows, err := m.conn.QueryContext(ctx, m.contentsQuery())
	if err != nil {
		return Explain(err, m.ctx)
	}
	defer rows.Close()
	for rows.Next() {
		var r minedRow
		var rowID, redo sql.NullString
		var rollback, csf int
		var at sql.NullTime
		if err := rows.Scan(&r.SCN, &r.XID, &r.Op, &rowID, &rollback, &csf, &redo, &at); err != nil {
			return fmt.Errorf("read V$LOGMNR_CONTENTS: %w", err)
		}
		r.RowID, r.Redo, r.Rollback, r.CSF, r.Time = rowID.String, redo.String, rollback == 1, csf == 1, at.Time
		if err := each(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// contentsQuery selects the rows the stream needs. Table names are
// written as literals (quoted as Oracle string literals): V$LOGMNR_CONTENTS
// filters on them before translating the redo, which binds would hinder.
func (m *sqlMiner) contentsQuery() string {
	names := make([]string, len(m.tables))
	for i, t := range m.tables {
		names[i] = sqlname.QuoteLiteral(t)
	}
	in := "NULL"
	if len(names) > 0 {
		in = strings.Join(names, ", ")
	}
	return fmt.Sprintf(`SELECT SCN, RAWTOHEX(XID), OPERATION, ROW_ID, ROLLBACK, CSF, SQL_REDO, CAST(TIMESTAMP AS TIMESTAMP) FROM V$LOGMNR_CONTENTS
		WHERE OPERATION IN ('START', 'COMMIT', 'ROLLBACK')
		   OR (SEG_OWNER = %s AND SEG_NAME IN (%s) AND OPERATION IN ('INSERT', 'UPDATE', 'DELETE', 'DDL'))`,
		sqlname.QuoteLiteral(m.owner), in)
}
