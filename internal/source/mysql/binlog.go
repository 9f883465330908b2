package mysql

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	gmysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// MasterPosition is the server's current binlog position (SHOW MASTER
// STATUS) and GTID position.
func (s *Source) MasterPosition(ctx context.Context) (BinlogPosition, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return BinlogPosition{}, fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer conn.Close()
	sn := &Snapshot{src: s}
	if err := sn.readPosition(ctx, conn); err != nil {
		return BinlogPosition{}, err
	}
	if sn.binlogFile == "" {
		return BinlogPosition{}, errors.New("read binlog position: binary logging is off on the MySQL source: enable binary logging: log_bin ... and restart the server")
	}
	return BinlogPosition{File: sn.binlogFile, Pos: uint32(sn.binlogPos), GTID: sn.gtid}, nil
}

// binlogTable is a migrated table as the binlog shows it.
type binlogTable struct {
	t     source.Table
	cols  []Column // every column, generated ones included, in ordinal order
	convs []valueConv
	keep  []bool // column exported (not generated)
	isKey []bool // column identifies the row (primary key, or every kept column)
	// names and keyNames are the kept and the key columns' names, shared by
	// every queue row of the table.
	names, keyNames []string
}

// ddlError is the error for a DDL statement on a migrated table.
func ddlError(table, query string) error {
	return fmt.Errorf("DDL on migrated table %s during live migration (%s): the target schema would no longer match; apply it to the target by hand and restart with --start-clean", table, query)
}

// StreamBinlog reads the binary log from `from` and passes the row changes
// of tables (tables of the Source's database; others are ignored) to sink,
// until ctx ends (it then returns ctx.Err()) or an error. It connects as a
// replica with serverID, which must differ from every other replica's.
// TRUNCATE of a migrated table is a truncate event in a transaction of its
// own; any other DDL statement that mentions a migrated table is an error.
// Values are converted to the same PostgreSQL text the snapshot export writes.
func (s *Source) StreamBinlog(ctx context.Context, from BinlogPosition, tables []source.Table, serverID uint32, sink capture.Sink) error {
	if from.File == "" {
		return errors.New("stream binlog: no start position")
	}
	byName, err := s.binlogTables(ctx, tables)
	if err != nil {
		return err
	}
	flavor := gmysql.MySQLFlavor
	if s.mariadb {
		flavor = gmysql.MariaDBFlavor
	}
	cfg := replication.BinlogSyncerConfig{
		ServerID:                serverID,
		Flavor:                  flavor,
		Host:                    s.cfg.Host,
		Port:                    uint16(s.cfg.Port),
		User:                    s.cfg.User,
		Password:                s.cfg.Password,
		Charset:                 "utf8mb4",
		UseDecimal:              true,
		ParseTime:               false,
		TimestampStringLocation: time.UTC,
		RenderJSONAsMySQLText:   true,
		DisableRetrySync:        true, // a retry could resume inside a transaction; the caller restarts from a Commit instead
		HeartbeatPeriod:         10 * time.Second,
		ReadTimeout:             60 * time.Second,
		Logger:                  slog.New(slog.DiscardHandler),
	}
	switch s.cfg.SSLMode {
	case "require":
		cfg.TLSConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // sslmode=require does not verify, as for the SQL connection
	case "verify-ca", "verify-full":
		cfg.TLSConfig = &tls.Config{ServerName: s.cfg.Host}
	}
	syncer := replication.NewBinlogSyncer(cfg)
	defer syncer.Close()
	streamer, err := syncer.StartSync(gmysql.Position{Name: from.File, Pos: from.Pos})
	if err != nil {
		return fmt.Errorf("start reading the binlog at %s: %w", from, err)
	}
	st := &binlogStream{
		src: s, sink: sink, tables: byName, cur: from, flavor: flavor,
		tableIDs: map[uint64]*binlogTable{},
	}
	if from.GTID != "" {
		if g, err := gmysql.ParseGTIDSet(flavor, from.GTID); err == nil {
			st.gset = g
		}
	}
	lastTick := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		wait := time.Second - time.Since(lastTick)
		if wait <= 0 {
			if err := sink.Tick(capture.Tick{Idle: !st.inTx, At: st.position()}); err != nil {
				return err
			}
			lastTick = time.Now()
			continue
		}
		ectx, cancel := context.WithTimeout(ctx, wait)
		ev, err := streamer.GetEvent(ectx)
		cancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				continue // tick at the top of the loop
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("read binlog after %s: %w", st.position(), err)
		}
		if err := st.handle(ev, ev.Header.LogPos); err != nil {
			return err
		}
	}
}

// binlogTables reads the columns (generated ones included) of every table.
func (s *Source) binlogTables(ctx context.Context, tables []source.Table) (map[string]*binlogTable, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer conn.Close()
	all, err := s.readColumns(ctx, conn, "")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*binlogTable, len(tables))
	for _, t := range tables {
		name := t.Name.Name
		cols, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("stream binlog: table %q not found in MySQL database %q", name, s.database)
		}
		bt := &binlogTable{t: t, cols: cols}
		pk := map[string]bool{}
		for _, k := range t.PrimaryKey {
			pk[k] = true
		}
		for _, c := range cols {
			keep := !isGenerated(c)
			bt.keep = append(bt.keep, keep)
			bt.isKey = append(bt.isKey, keep && (len(pk) == 0 || pk[c.Name]))
			vc, err := newValueConv(c, s.mariadb)
			if err != nil && keep {
				return nil, fmt.Errorf("stream binlog: table %s: %w", name, err)
			}
			bt.convs = append(bt.convs, vc)
			if keep {
				bt.names = append(bt.names, c.Name)
			}
			if bt.isKey[len(bt.isKey)-1] {
				bt.keyNames = append(bt.keyNames, c.Name)
			}
		}
		out[name] = bt
	}
	return out, nil
}

// binlogStream is the state of one StreamBinlog.
type binlogStream struct {
	src      *Source
	sink     capture.Sink
	tables   map[string]*binlogTable
	tableIDs map[uint64]*binlogTable // table map id -> migrated table (nil: ignored)
	flavor   string

	cur     BinlogPosition // after the last event read
	gset    gmysql.GTIDSet // GTIDs up to the last commit
	pending string         // GTID of the transaction being read
	inTx    bool
	begun   bool // inside BEGIN ... COMMIT (not a single statement's transaction)
}

func (st *binlogStream) position() BinlogPosition {
	p := st.cur
	if st.gset != nil {
		p.GTID = st.gset.String()
	}
	return p
}

// handle processes one event; end is the position after it (for events
// inside a MySQL compressed transaction payload: after the payload).
func (st *binlogStream) handle(ev *replication.BinlogEvent, end uint32) error {
	h := ev.Header
	switch e := ev.Event.(type) {
	case *replication.RotateEvent:
		st.cur.File = string(e.NextLogName)
		st.cur.Pos = uint32(e.Position)
		return nil
	case *replication.TableMapEvent:
		var bt *binlogTable
		if string(e.Schema) == st.src.database {
			bt = st.tables[string(e.Table)]
		}
		if bt != nil && int(e.ColumnCount) != len(bt.cols) {
			return fmt.Errorf("binlog row of table %s has %d columns, the table had %d when streaming started: its definition changed; apply the change to the target by hand and restart with --start-clean",
				bt.t.Name.Name, e.ColumnCount, len(bt.cols))
		}
		st.tableIDs[e.TableID] = bt
	case *replication.RowsEvent:
		st.inTx = true
		if err := st.rows(h, e); err != nil {
			return err
		}
	case *replication.XIDEvent:
		if err := st.commit(h, end); err != nil {
			return err
		}
		return nil
	case *replication.QueryEvent:
		q := strings.TrimSpace(string(e.Query))
		switch strings.ToUpper(q) {
		case "BEGIN", "START TRANSACTION":
			st.inTx, st.begun = true, true
		case "COMMIT", "ROLLBACK":
			// ROLLBACK ends a transaction whose non-transactional changes stayed.
			return st.commit(h, end)
		default:
			return st.statement(h, e, q, end)
		}
	case *replication.MariadbGTIDEvent:
		st.pending = e.GTID.String()
		st.inTx = true
	case *replication.GTIDEvent:
		if g, err := e.GTIDNext(); err == nil {
			st.pending = g.String()
		}
		st.inTx = true
	case *replication.TransactionPayloadEvent:
		for _, inner := range e.Events {
			if err := st.handle(inner, end); err != nil {
				return err
			}
		}
	}
	if end != 0 {
		st.cur.Pos = end
	}
	return nil
}

func (st *binlogStream) commit(h *replication.EventHeader, end uint32) error {
	if end != 0 {
		st.cur.Pos = end
	}
	if st.pending != "" {
		if st.gset == nil {
			st.gset, _ = gmysql.ParseGTIDSet(st.flavor, "")
		}
		if st.gset != nil {
			_ = st.gset.Update(st.pending)
		}
		st.pending = ""
	}
	st.inTx, st.begun = false, false
	return st.sink.Commit(st.position(), time.Unix(int64(h.Timestamp), 0))
}

// statement handles a query event other than BEGIN/COMMIT: with row-based
// logging that is DDL (or GRANT and the like). TRUNCATE of a migrated
// table becomes a truncate event; other DDL on a migrated table stops the
// export. Outside BEGIN ... COMMIT a statement is its own transaction
// (there is no XID after it), so it ends with a commit: otherwise the
// position and GTID would not move past it until the next transaction, and
// the stream would not look idle (cutover, lag) after DDL on other tables.
func (st *binlogStream) statement(h *replication.EventHeader, e *replication.QueryEvent, q string, end uint32) error {
	if schema, name, ok := parseTruncate(q, string(e.Schema)); ok {
		if bt := st.tables[name]; bt != nil && schema == st.src.database {
			ev := &queue.Event{Op: queue.OpTruncate, Schema: bt.t.Name.Schema, Table: bt.t.Name.Name, TxTime: int64(h.Timestamp) * 1_000_000}
			if err := st.sink.Change(ev); err != nil {
				return err
			}
			return st.commit(h, end) // TRUNCATE commits implicitly: it is a transaction of its own
		}
		// Names differing only in case may be the same table (lower_case_table_names).
		for t := range st.tables {
			if strings.EqualFold(t, name) && strings.EqualFold(schema, st.src.database) {
				return ddlError(t, q)
			}
		}
	} else if t := st.mentionedTable(string(e.Schema), q); t != "" {
		return ddlError(t, q)
	}
	if !st.begun {
		return st.commit(h, end)
	}
	if end != 0 {
		st.cur.Pos = end
	}
	return nil
}

// mentionedTable is the first migrated table a statement mentions as a
// whole word ("" when none); schema is the statement's default database.
// Statements run in another database must name this database too.
func (st *binlogStream) mentionedTable(schema, q string) string {
	lq := strings.ToLower(q)
	if schema != st.src.database && !mentions(lq, strings.ToLower(st.src.database)) {
		return ""
	}
	for name := range st.tables {
		if mentions(lq, strings.ToLower(name)) {
			return name
		}
	}
	return ""
}

// mentions reports whether word occurs in s not as part of a longer identifier.
func mentions(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		j += i
		k := j + len(word)
		before := j == 0 || !isIdentByte(s[j-1])
		after := k >= len(s) || !isIdentByte(s[k])
		if before && after {
			return true
		}
		i = j + 1
	}
}

// parseTruncate recognises `TRUNCATE [TABLE] [db.]name` (keywords in any
// case, names bare, `backquoted` or, under ANSI_QUOTES, "double-quoted";
// comments and a final semicolon allowed) and returns the database
// (defaultSchema when unqualified) and table as the server stores them.
// Anything else is not a truncate: the caller then treats it as DDL, which
// stops the export rather than guess.
func parseTruncate(q, defaultSchema string) (schema, table string, ok bool) {
	rest, ok := keyword(q, "truncate")
	if !ok {
		return "", "", false
	}
	if r, ok := keyword(rest, "table"); ok {
		rest = r
	}
	first, rest, ok := identifier(rest)
	if !ok {
		return "", "", false
	}
	schema, table = defaultSchema, first
	if r := skipSpace(rest); strings.HasPrefix(r, ".") {
		if table, rest, ok = identifier(r[1:]); !ok {
			return "", "", false
		}
		schema = first
	}
	return schema, table, skipSpace(strings.TrimPrefix(skipSpace(rest), ";")) == ""
}

// skipSpace drops leading white space and /* comments */ (not /*! ... */,
// which holds code the server runs).
func skipSpace(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		end := strings.Index(s, "*/")
		if !strings.HasPrefix(s, "/*") || strings.HasPrefix(s, "/*!") || end < 2 {
			return s
		}
		s = s[end+2:]
	}
}

// isIdentByte: bytes of a bare MySQL identifier (any non-ASCII byte is
// part of a UTF-8 letter).
func isIdentByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || c >= 0x80
}

// keyword consumes word after white space, in any case, unless it is the
// start of a longer identifier.
func keyword(s, word string) (string, bool) {
	s = skipSpace(s)
	if len(s) < len(word) || !strings.EqualFold(s[:len(word)], word) || len(s) > len(word) && isIdentByte(s[len(word)]) {
		return s, false
	}
	return s[len(word):], true
}

// identifier reads one identifier after white space: quoted with ` or "
// (a doubled quote inside stands for one), or bare.
func identifier(s string) (name, rest string, ok bool) {
	s = skipSpace(s)
	if s != "" && (s[0] == '`' || s[0] == '"') {
		q := s[0]
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch {
			case s[i] != q:
				b.WriteByte(s[i])
			case i+1 < len(s) && s[i+1] == q:
				b.WriteByte(q)
				i++
			default:
				return b.String(), s[i+1:], b.Len() > 0
			}
		}
		return "", s, false // unterminated
	}
	i := 0
	for i < len(s) && isIdentByte(s[i]) {
		i++
	}
	return s[:i], s[i:], i > 0
}

// rows turns one rows event into queue events, one per row.
func (st *binlogStream) rows(h *replication.EventHeader, e *replication.RowsEvent) error {
	bt := st.tableIDs[e.TableID]
	if bt == nil {
		return nil
	}
	var op string
	step := 1
	switch h.EventType {
	case replication.WRITE_ROWS_EVENTv0, replication.WRITE_ROWS_EVENTv1, replication.WRITE_ROWS_EVENTv2,
		replication.MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
		op = queue.OpInsert
	case replication.UPDATE_ROWS_EVENTv0, replication.UPDATE_ROWS_EVENTv1, replication.UPDATE_ROWS_EVENTv2,
		replication.MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1, replication.PARTIAL_UPDATE_ROWS_EVENT:
		op, step = queue.OpUpdate, 2
	case replication.DELETE_ROWS_EVENTv0, replication.DELETE_ROWS_EVENTv1, replication.DELETE_ROWS_EVENTv2,
		replication.MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
		op = queue.OpDelete
	default:
		return fmt.Errorf("binlog: unexpected rows event type %s for table %s", h.EventType, bt.t.Name.Name)
	}
	if len(e.SkippedColumns) > 0 {
		for _, sk := range e.SkippedColumns {
			if len(sk) > 0 {
				return fmt.Errorf("binlog rows event for table %s lacks columns: binlog_row_image must be FULL (SET GLOBAL binlog_row_image = FULL)", bt.t.Name.Name)
			}
		}
	}
	txUS := int64(h.Timestamp) * 1_000_000
	for i := 0; i+step <= len(e.Rows); i += step {
		ev := &queue.Event{Op: op, Schema: bt.t.Name.Schema, Table: bt.t.Name.Name, TxTime: txUS}
		var err error
		switch op {
		case queue.OpInsert:
			ev.New, err = st.values(bt, e.Rows[i], false)
		case queue.OpUpdate:
			if ev.Key, err = st.values(bt, e.Rows[i], true); err == nil {
				ev.New, err = st.values(bt, e.Rows[i+1], false)
			}
		case queue.OpDelete:
			ev.Key, err = st.values(bt, e.Rows[i], true)
		}
		if err != nil {
			return err
		}
		if err := st.sink.Change(ev); err != nil {
			return err
		}
	}
	return nil
}

// values converts one row image: the key columns (keyOnly) or every
// exported column.
func (st *binlogStream) values(bt *binlogTable, row []any, keyOnly bool) (queue.Row, error) {
	if len(row) != len(bt.cols) {
		return queue.Row{}, fmt.Errorf("binlog row of table %s has %d values, want %d", bt.t.Name.Name, len(row), len(bt.cols))
	}
	out := queue.Row{Names: bt.names}
	if keyOnly {
		out.Names = bt.keyNames
	}
	out.Vals = make([]*string, 0, len(out.Names))
	for i, v := range row {
		if !bt.keep[i] || (keyOnly && !bt.isKey[i]) {
			continue
		}
		s, sp, err := bt.convs[i].text(v)
		if err != nil {
			return queue.Row{}, fmt.Errorf("binlog value of %s.%s: %w", bt.t.Name.Name, bt.cols[i].Name, err)
		}
		if sp != spPlain && !keyOnly {
			st.src.stats.add(sp, bt.t.Name.Name, bt.cols[i].Name, s)
		}
		out.Vals = append(out.Vals, s)
	}
	return out, nil
}
