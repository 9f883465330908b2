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

// createSlot creates the publication and a logical replication slot that
// exports a snapshot, and returns the slot's consistent point, its
// snapshot's name and the replication connection, which must stay open (and
// idle) until the snapshot has been joined by the export workers.
func (s *Source) createSlot(ctx context.Context, name string, tables []source.Table, notice func(string)) (pglogrepl.LSN, string, *pgconn.PgConn, error) {
	var names []string
	for _, t := range tables {
		names = append(names, t.Name.Quoted())
	}
	_, err := s.conn.Exec(ctx, "CREATE PUBLICATION "+sqlname.Quote(name)+" FOR TABLE "+strings.Join(names, ", ")+
		" WITH (publish_via_partition_root = true)")
	if err != nil {
		return 0, "", nil, fmt.Errorf("create publication %s on the source (the source user must own the tables or be superuser): %w", name, err)
	}
	repl, err := s.replicationConn(ctx)
	if err != nil {
		return 0, "", nil, err
	}
	stopWatch := s.reportBlockers(ctx, notice)
	res, err := pglogrepl.CreateReplicationSlot(ctx, repl, sqlname.Quote(name), "pgoutput",
		pglogrepl.CreateReplicationSlotOptions{Mode: pglogrepl.LogicalReplication, SnapshotAction: "EXPORT_SNAPSHOT"})
	stopWatch()
	if err != nil {
		repl.Close(ctx)
		return 0, "", nil, fmt.Errorf("create replication slot %s: %w", name, err)
	}
	lsn, err := pglogrepl.ParseLSN(res.ConsistentPoint)
	if err != nil {
		repl.Close(ctx)
		return 0, "", nil, fmt.Errorf("slot consistent point %q: %w", res.ConsistentPoint, err)
	}
	return lsn, res.SnapshotName, repl, nil
}

// dropSlotAndPublication removes the stream's slot and publication;
// missing ones are fine.
func (s *Source) dropSlotAndPublication(ctx context.Context, name string) error {
	if err := s.dropSlot(ctx, name); err != nil {
		return err
	}
	if _, err := s.conn.Exec(ctx, "DROP PUBLICATION IF EXISTS "+sqlname.Quote(name)); err != nil {
		return fmt.Errorf("drop publication %s: %w", name, err)
	}
	return nil
}

// reportBlockers tells the user, every few seconds, which open transactions
// the new slot is waiting for: PostgreSQL builds a logical slot's snapshot
// only after every transaction running when it was asked for has ended.
func (s *Source) reportBlockers(ctx context.Context, notice func(string)) func() {
	if notice == nil {
		return func() {}
	}
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
			if parts := s.blockers(ctx); len(parts) > 0 {
				notice("waiting for transactions open on the source to finish before the snapshot: " + strings.Join(parts, ", "))
			}
		}
	}()
	return func() { close(done) }
}

// blockers names the oldest open write transactions (at most five); a
// failed query names none (the report is a courtesy).
func (s *Source) blockers(ctx context.Context) []string {
	rows, err := s.conn.Query(ctx, `SELECT pid, coalesce(usename, ''), now() - xact_start FROM pg_stat_activity
		WHERE backend_xid IS NOT NULL AND backend_type = 'client backend' ORDER BY xact_start LIMIT 5`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var pid int
		var user string
		var age time.Duration
		if rows.Scan(&pid, &user, &age) == nil {
			parts = append(parts, fmt.Sprintf("pid %d (%s, open %s)", pid, user, age.Round(time.Second)))
		}
	}
	return parts
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
