package postgres

import (
	"context"
	"fmt"
	"strings"

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
