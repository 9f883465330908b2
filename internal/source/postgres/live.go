package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// CheckLive verifies, before anything is created, that the source can feed
// a live migration of tables; each failure names the fix.
func (s *Source) CheckLive(ctx context.Context, tables []source.Table) error {
	var walLevel string
	if err := s.conn.QueryRow(ctx, "SHOW wal_level").Scan(&walLevel); err != nil {
		return fmt.Errorf("read wal_level: %w", err)
	}
	if walLevel != "logical" {
		return fmt.Errorf("wal_level is %q on the source: live migration needs logical decoding; run ALTER SYSTEM SET wal_level = logical and restart PostgreSQL", walLevel)
	}
	var canReplicate bool
	var user string
	if err := s.conn.QueryRow(ctx, `SELECT rolreplication OR rolsuper, rolname FROM pg_roles WHERE rolname = current_user`).Scan(&canReplicate, &user); err != nil {
		return fmt.Errorf("read role attributes: %w", err)
	}
	if !canReplicate {
		return fmt.Errorf("source user %q lacks the REPLICATION attribute: run ALTER USER %s REPLICATION", user, sqlname.Quote(user))
	}
	if err := s.checkCapacity(ctx); err != nil {
		return err
	}
	return s.checkTables(ctx, tables, user)
}

func (s *Source) checkCapacity(ctx context.Context) error {
	var freeSlots, freeSenders, maxSlots, maxSenders int
	err := s.conn.QueryRow(ctx, `SELECT current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots),
		current_setting('max_wal_senders')::int - (SELECT count(*) FROM pg_stat_replication),
		current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int`).Scan(&freeSlots, &freeSenders, &maxSlots, &maxSenders)
	if err != nil {
		return fmt.Errorf("read replication capacity: %w", err)
	}
	if freeSlots < 1 {
		return fmt.Errorf("no free replication slot on the source (max_replication_slots = %d, all in use): drop an unused slot (pg_drop_replication_slot) or raise max_replication_slots and restart", maxSlots)
	}
	if freeSenders < 1 {
		return fmt.Errorf("no free WAL sender on the source (max_wal_senders = %d, all in use): raise max_wal_senders and restart, or stop another replication client", maxSenders)
	}
	return nil
}

func (s *Source) checkTables(ctx context.Context, tables []source.Table, user string) error {
	var noSelect, noIdentity []string
	for _, t := range tables {
		var canSelect bool
		if err := s.conn.QueryRow(ctx, `SELECT has_table_privilege($1::regclass, 'SELECT')`, t.Name.Quoted()).Scan(&canSelect); err != nil {
			return fmt.Errorf("check privileges on %s: %w", t.Name, err)
		}
		if !canSelect {
			noSelect = append(noSelect, t.Name.Quoted())
		}
		for _, rel := range t.Relations {
			var ident string
			var hasPK bool
			err := s.conn.QueryRow(ctx, `SELECT c.relreplident::text, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
				FROM pg_class c WHERE c.oid = $1::regclass`, rel.Quoted()).Scan(&ident, &hasPK)
			if err != nil {
				return fmt.Errorf("check replica identity of %s: %w", rel, err)
			}
			if ident == "n" || ident == "d" && !hasPK {
				noIdentity = append(noIdentity, rel.Quoted())
			}
		}
	}
	if len(noSelect) > 0 {
		return fmt.Errorf("source user %q cannot read %s: run GRANT SELECT ON %s TO %s", user, strings.Join(noSelect, ", "),
			strings.Join(noSelect, ", "), sqlname.Quote(user))
	}
	if len(noIdentity) > 0 {
		var alters []string
		for _, t := range noIdentity {
			alters = append(alters, "ALTER TABLE "+t+" REPLICA IDENTITY FULL;")
		}
		return fmt.Errorf("table(s) %s have no primary key and no REPLICA IDENTITY FULL, so their updates and deletes cannot be captured: add a primary key or run %s",
			strings.Join(noIdentity, ", "), strings.Join(alters, " "))
	}
	return nil
}

// Slot is what a live export created on the source.
type Slot struct {
	Name            string
	Publication     string
	ConsistentPoint pglogrepl.LSN
}

// CreateSlot creates the publication and a logical replication slot that
// exports a snapshot, and returns the slot, its snapshot's name and the
// replication connection, which must stay open (and idle) until the
// snapshot has been joined by the export workers.
func (s *Source) CreateSlot(ctx context.Context, slot, publication string, tables []source.Table) (Slot, string, *pgconn.PgConn, error) {
	var names []string
	for _, t := range tables {
		names = append(names, t.Name.Quoted())
	}
	_, err := s.conn.Exec(ctx, "CREATE PUBLICATION "+sqlname.Quote(publication)+" FOR TABLE "+strings.Join(names, ", ")+
		" WITH (publish_via_partition_root = true)")
	if err != nil {
		return Slot{}, "", nil, fmt.Errorf("create publication %s on the source (the source user must own the tables or be superuser): %w", publication, err)
	}
	repl, err := s.replicationConn(ctx)
	if err != nil {
		return Slot{}, "", nil, err
	}
	stopWatch := s.reportBlockers(ctx)
	res, err := pglogrepl.CreateReplicationSlot(ctx, repl, sqlname.Quote(slot), "pgoutput",
		pglogrepl.CreateReplicationSlotOptions{Mode: pglogrepl.LogicalReplication, SnapshotAction: "EXPORT_SNAPSHOT"})
	stopWatch()
	if err != nil {
		repl.Close(ctx)
		return Slot{}, "", nil, fmt.Errorf("create replication slot %s: %w", slot, err)
	}
	lsn, err := pglogrepl.ParseLSN(res.ConsistentPoint)
	if err != nil {
		repl.Close(ctx)
		return Slot{}, "", nil, fmt.Errorf("slot consistent point %q: %w", res.ConsistentPoint, err)
	}
	return Slot{Name: slot, Publication: publication, ConsistentPoint: lsn}, res.SnapshotName, repl, nil
}

// DropSlot removes the slot and the publication; missing ones are fine.
func (s *Source) DropSlot(ctx context.Context, slot, publication string) error {
	if slot != "" {
		if err := s.dropSlot(ctx, slot); err != nil {
			return err
		}
	}
	if publication != "" {
		if _, err := s.conn.Exec(ctx, "DROP PUBLICATION IF EXISTS "+sqlname.Quote(publication)); err != nil {
			return fmt.Errorf("drop publication %s: %w", publication, err)
		}
	}
	return nil
}

// SequenceValues reads every sequence's current value in the selected
// schemas (sequences never used are left out), keyed by quoted name.
func (s *Source) SequenceValues(ctx context.Context) (map[string]int64, error) {
	rows, err := s.conn.Query(ctx, `SELECT schemaname, sequencename, last_value FROM pg_sequences
		WHERE schemaname = ANY($1) AND last_value IS NOT NULL`, s.cfg.Schemas)
	if err != nil {
		return nil, fmt.Errorf("read source sequences: %w", err)
	}
	out := map[string]int64{}
	for rows.Next() {
		var sc, name string
		var v int64
		if err := rows.Scan(&sc, &name, &v); err != nil {
			return nil, err
		}
		out[sqlname.Table{Schema: sc, Name: name}.Quoted()] = v
	}
	return out, rows.Err()
}

// EmitMarker writes a transactional logical decoding message; when the
// stream delivers it, every transaction committed before it was delivered.
func (s *Source) EmitMarker(ctx context.Context, prefix, content string) error {
	_, err := s.conn.Exec(ctx, `SELECT pg_logical_emit_message(true, $1, $2)`, prefix, content)
	if err != nil {
		return fmt.Errorf("write cutover marker into the source WAL: %w", err)
	}
	return nil
}

// CurrentLSN is the source's current WAL insert position.
func (s *Source) CurrentLSN(ctx context.Context) (pglogrepl.LSN, error) {
	var lsn pglogrepl.LSN
	err := s.conn.QueryRow(ctx, `SELECT pg_current_wal_lsn()`).Scan(&lsn)
	return lsn, err
}

// BlockerReport receives, while the slot waits for older transactions,
// a line naming them (set by the caller; default: nothing).
var BlockerReport = func(string) {}

// reportBlockers tells the user, every few seconds, which open transactions
// the new slot is waiting for: PostgreSQL builds a logical slot's snapshot
// only after every transaction running when it was asked for has ended.
func (s *Source) reportBlockers(ctx context.Context) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(3 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rows, err := s.conn.Query(ctx, `SELECT pid, coalesce(usename, ''), now() - xact_start FROM pg_stat_activity
				WHERE backend_xid IS NOT NULL AND backend_type = 'client backend' ORDER BY xact_start LIMIT 5`)
			if err != nil {
				continue
			}
			var parts []string
			for rows.Next() {
				var pid int
				var user string
				var age time.Duration
				if rows.Scan(&pid, &user, &age) == nil {
					parts = append(parts, fmt.Sprintf("pid %d (%s, open %s)", pid, user, age.Round(time.Second)))
				}
			}
			rows.Close()
			if len(parts) > 0 {
				BlockerReport("waiting for transactions open on the source to finish before the snapshot: " + strings.Join(parts, ", "))
			}
		}
	}()
	return func() { close(done) }
}

// dropSlot drops the slot once its walsender has gone: after the stream
// closes, the server process serving it can take a moment to exit.
func (s *Source) dropSlot(ctx context.Context, slot string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := s.conn.Exec(ctx, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, slot)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("drop replication slot %s: %w", slot, err)
			}
			return nil
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
