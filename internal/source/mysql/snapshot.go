package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Snapshot is one consistent point of the source: every worker connection
// is inside a REPEATABLE READ transaction started WITH CONSISTENT SNAPSHOT
// while FLUSH TABLES WITH READ LOCK held all commits off, so all of them see
// the same data, which is exactly the data up to the binlog position
// Position reports.
type Snapshot struct {
	src     *Source
	workers []*sql.Conn

	binlogFile string
	binlogPos  uint64
	gtid       string
}

var _ source.Snapshot = (*Snapshot)(nil)

// BeginSnapshot takes the global read lock (FLUSH TABLES WITH READ LOCK,
// which needs the RELOAD privilege), opens `workers` consistent-snapshot
// transactions, records the binlog position and releases the lock. The lock
// is held only while the transactions start.
func (s *Source) BeginSnapshot(ctx context.Context, workers int) (source.Snapshot, error) {
	coord, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer coord.Close()
	if _, err := coord.ExecContext(ctx, "FLUSH TABLES WITH READ LOCK"); err != nil {
		var me *gomysql.MySQLError
		if errors.As(err, &me) && (me.Number == 1227 || me.Number == 1045 || me.Number == 1044) {
			return nil, fmt.Errorf("begin consistent snapshot: FLUSH TABLES WITH READ LOCK denied: user %q needs the RELOAD privilege (GRANT RELOAD ON *.* TO ...): %w", s.cfg.User, err)
		}
		return nil, fmt.Errorf("begin consistent snapshot: FLUSH TABLES WITH READ LOCK: %w", err)
	}
	unlocked := false
	unlock := func() error {
		if unlocked {
			return nil
		}
		unlocked = true
		_, err := coord.ExecContext(context.WithoutCancel(ctx), "UNLOCK TABLES")
		return err
	}
	defer unlock() //nolint:errcheck // on error paths only; the success path checks it

	snap := &Snapshot{src: s}
	for i := 0; i < max(workers, 1); i++ {
		w, err := s.db.Conn(ctx)
		if err == nil {
			snap.workers = append(snap.workers, w)
			for _, q := range []string{
				"SET time_zone = '+00:00'",
				"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
				"START TRANSACTION WITH CONSISTENT SNAPSHOT",
			} {
				if _, err = w.ExecContext(ctx, q); err != nil {
					err = fmt.Errorf("%s: %w", q, err)
					break
				}
			}
		}
		if err != nil {
			snap.Close(ctx)
			return nil, fmt.Errorf("begin consistent snapshot (worker %d): %w", i, err)
		}
	}
	if err := snap.readPosition(ctx, coord); err != nil {
		snap.Close(ctx)
		return nil, err
	}
	if err := unlock(); err != nil {
		snap.Close(ctx)
		return nil, fmt.Errorf("begin consistent snapshot: UNLOCK TABLES: %w", err)
	}
	return snap, nil
}

// readPosition records the binlog file/position (empty when binary logging
// is off) and the GTID position when the server has one.
func (sn *Snapshot) readPosition(ctx context.Context, coord *sql.Conn) error {
	rows, err := coord.QueryContext(ctx, "SHOW MASTER STATUS")
	if err != nil {
		// MySQL 8.4 renamed it.
		var err2 error
		if rows, err2 = coord.QueryContext(ctx, "SHOW BINARY LOG STATUS"); err2 != nil {
			return fmt.Errorf("read binlog position (SHOW MASTER STATUS needs the REPLICATION CLIENT or BINLOG MONITOR privilege): %w", err)
		}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("read binlog position: %w", err)
	}
	if rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read binlog position: %w", err)
		}
		for i, c := range cols {
			switch strings.ToLower(c) {
			case "file":
				sn.binlogFile = vals[i].String
			case "position":
				sn.binlogPos, _ = strconv.ParseUint(vals[i].String, 10, 64)
			case "executed_gtid_set":
				sn.gtid = strings.ReplaceAll(vals[i].String, "\n", "")
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read binlog position: %w", err)
	}
	rows.Close()
	v := "@@gtid_executed"
	if sn.src.mariadb {
		v = "@@gtid_current_pos"
	}
	var g sql.NullString
	if err := coord.QueryRowContext(ctx, "SELECT "+v).Scan(&g); err == nil && g.Valid {
		sn.gtid = strings.ReplaceAll(g.String, "\n", "")
	}
	return nil
}

// Position is the binlog position of the snapshot, where change data
// capture starts: file and pos are empty/0 when binary logging is off; gtid
// is the GTID position (@@gtid_current_pos on MariaDB, @@gtid_executed on
// MySQL), empty when GTIDs are not in use.
func (sn *Snapshot) Position() (file string, pos uint64, gtid string) {
	return sn.binlogFile, sn.binlogPos, sn.gtid
}

// ZeroDates is how many zero dates the exports of this snapshot's Source
// wrote as NULL (see Source.ZeroDates).
func (sn *Snapshot) ZeroDates() int64 { return sn.src.ZeroDates() }

// Close commits (ends) every worker transaction and releases the connections.
func (sn *Snapshot) Close(ctx context.Context) error {
	var errs []error
	for _, w := range sn.workers {
		if _, err := w.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
			errs = append(errs, err)
		}
		errs = append(errs, w.Close())
	}
	sn.workers = nil
	return errors.Join(errs...)
}

// PlanChunks splits a table with a single-column integer primary key into
// key ranges of about chunkBytes of data each (from information_schema
// DATA_LENGTH); the first and last ranges are open-ended, so every row
// falls into exactly one chunk whatever the statistics say. Other tables
// are one chunk each.
func (sn *Snapshot) PlanChunks(ctx context.Context, tables []source.Table, chunkBytes int64) ([]source.Chunk, error) {
	conn, err := sn.src.metaConn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return source.ChunksOf(tables, func(t source.Table, rel sqlname.Table) ([]string, error) {
		return sn.keyRanges(ctx, conn, t, rel.Name, chunkBytes)
	})
}

var intTypes = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true, "integer": true, "bigint": true}

func (sn *Snapshot) keyRanges(ctx context.Context, conn *sql.Conn, t source.Table, table string, chunkBytes int64) ([]string, error) {
	whole := []string{""}
	if len(t.PrimaryKey) != 1 || chunkBytes <= 0 {
		return whole, nil
	}
	key := t.PrimaryKey[0]
	cols, err := sn.src.columns(ctx, table)
	if err != nil {
		return nil, err
	}
	isInt := false
	for _, c := range cols {
		if c.Name == key {
			isInt = intTypes[strings.ToLower(c.DataType)]
		}
	}
	if !isInt {
		return whole, nil
	}
	var size int64
	err = conn.QueryRowContext(ctx, `SELECT COALESCE(DATA_LENGTH, 0) FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, sn.src.database, table).Scan(&size)
	if err != nil {
		return nil, fmt.Errorf("size of MySQL table %s: %w", table, err)
	}
	n := (size + chunkBytes - 1) / chunkBytes
	if n < 2 {
		return whole, nil
	}
	col := backtick(key)
	var lo, hi sql.NullString
	err = conn.QueryRowContext(ctx, "SELECT MIN("+col+"), MAX("+col+") FROM "+sn.src.qualified(table)).Scan(&lo, &hi)
	if err != nil {
		return nil, fmt.Errorf("key range of MySQL table %s: %w", table, err)
	}
	var l, h big.Int
	if !lo.Valid || !hi.Valid {
		return whole, nil
	}
	if _, ok := l.SetString(lo.String, 10); !ok {
		return whole, nil
	}
	if _, ok := h.SetString(hi.String, 10); !ok {
		return whole, nil
	}
	span := new(big.Int).Sub(&h, &l)
	span.Add(span, big.NewInt(1))
	count := big.NewInt(n)
	if span.Cmp(count) < 0 {
		count.Set(span)
	}
	if count.Cmp(big.NewInt(2)) < 0 {
		return whole, nil
	}
	// Boundaries b_i = lo + i*span/count, i = 1..count-1, strictly increasing.
	var out []string
	prev := ""
	for i := int64(1); i < count.Int64(); i++ {
		b := new(big.Int).Mul(span, big.NewInt(i))
		b.Quo(b, count)
		b.Add(b, &l)
		bs := b.String()
		if prev == "" {
			out = append(out, fmt.Sprintf("%s < %s", col, bs))
		} else {
			out = append(out, fmt.Sprintf("%s >= %s AND %s < %s", col, prev, col, bs))
		}
		prev = bs
	}
	return append(out, fmt.Sprintf("%s >= %s", col, prev)), nil
}

// qualified is `database`.`table`.
func (s *Source) qualified(table string) string {
	return backtick(s.database) + "." + backtick(table)
}
