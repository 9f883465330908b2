package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target"
)

const (
	channelsTable = MetadataSchema + ".ybvoyager_cdc_channels"
	cdcStateTable = MetadataSchema + ".ybvoyager_cdc_state"
	cdcStatsTable = MetadataSchema + ".ybvoyager_cdc_table_stats"
)

var _ target.ChangeApplier = (*Target)(nil)

func (t *Target) ensureCDC(ctx context.Context) error {
	err := t.createIfMissing(ctx, `CREATE SCHEMA IF NOT EXISTS `+sqlname.Quote(MetadataSchema)+`;
		CREATE TABLE IF NOT EXISTS `+channelsTable+` (
			migration_uuid uuid NOT NULL, channel int NOT NULL, last_seq bigint NOT NULL DEFAULT 0,
			PRIMARY KEY (migration_uuid, channel));
		CREATE TABLE IF NOT EXISTS `+cdcStateTable+` (
			migration_uuid uuid PRIMARY KEY, channels int NOT NULL, applied_through bigint NOT NULL DEFAULT 0,
			queue_position text NOT NULL DEFAULT '{}', cutover_done boolean NOT NULL DEFAULT false);
		CREATE TABLE IF NOT EXISTS `+cdcStatsTable+` (
			migration_uuid uuid NOT NULL, table_name text NOT NULL,
			inserts bigint NOT NULL DEFAULT 0, updates bigint NOT NULL DEFAULT 0, deletes bigint NOT NULL DEFAULT 0,
			PRIMARY KEY (migration_uuid, table_name))`)
	if err != nil {
		return fmt.Errorf("create CDC metadata on target: %w", err)
	}
	return nil
}

// CDCState loads the importer's live state, creating it on first use.
func (t *Target) CDCState(ctx context.Context, uuid string, channels int) (target.CDCState, error) {
	var st target.CDCState
	if err := t.ensureCDC(ctx); err != nil {
		return st, err
	}
	_, err := t.pool.Exec(ctx, `INSERT INTO `+cdcStateTable+` (migration_uuid, channels) VALUES ($1, $2) ON CONFLICT DO NOTHING`, uuid, channels)
	if err != nil {
		return st, fmt.Errorf("record CDC state: %w", err)
	}
	var pos string
	err = t.pool.QueryRow(ctx, `SELECT channels, applied_through, queue_position, cutover_done FROM `+cdcStateTable+` WHERE migration_uuid = $1`, uuid).
		Scan(&st.Channels, &st.AppliedThrough, &pos, &st.CutoverDone)
	if err != nil {
		return st, fmt.Errorf("read CDC state: %w", err)
	}
	if err := json.Unmarshal([]byte(pos), &st.Position); err != nil {
		return st, fmt.Errorf("read CDC state: queue position %q: %w", pos, err)
	}
	st.LastSeq = make([]int64, st.Channels)
	for c := 0; c < st.Channels; c++ {
		if _, err := t.pool.Exec(ctx, `INSERT INTO `+channelsTable+` VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, uuid, c); err != nil {
			return st, fmt.Errorf("record CDC channel: %w", err)
		}
	}
	rows, err := t.pool.Query(ctx, `SELECT channel, last_seq FROM `+channelsTable+` WHERE migration_uuid = $1`, uuid)
	if err != nil {
		return st, fmt.Errorf("read CDC channels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c int
		var s int64
		if err := rows.Scan(&c, &s); err != nil {
			return st, err
		}
		if c < st.Channels {
			st.LastSeq[c] = s
		}
	}
	return st, rows.Err()
}

// ApplyFolded applies a folded batch set-based in one transaction with the
// channel's new position. Anything unexpected on the way (a unique
// violation, a row count that does not match, any error but a cancelled
// context) rolls it back and sends it to the per-event path.
func (t *Target) ApplyFolded(ctx context.Context, b target.ChannelBatch, changes []*target.NetChange) error {
	if len(b.Events) == 0 {
		return nil
	}
	stmts, err := t.planSet(ctx, changes)
	if err != nil {
		return err // errSetMismatch is ErrNotSetBased
	}
	err = skipApplied(pgx.BeginFunc(ctx, t.pool, func(tx pgx.Tx) error {
		return t.applyFolded(ctx, tx, b, stmts)
	}))
	if err == nil || ctx.Err() != nil || errors.Is(err, target.ErrNotSetBased) {
		return err
	}
	return fmt.Errorf("%w: %w", target.ErrNotSetBased, err)
}

func (t *Target) applyFolded(ctx context.Context, tx pgx.Tx, b target.ChannelBatch, stmts []setStmt) error {
	events := b.Events
	tag, err := tx.Exec(ctx, `UPDATE `+channelsTable+` SET last_seq = $3 WHERE migration_uuid = $1 AND channel = $2 AND last_seq < $4`,
		b.MigrationUUID, b.Channel, events[len(events)-1].Seq, events[0].Seq)
	if err != nil {
		return fmt.Errorf("record applied changes: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errAlreadyApplied
	}
	if err := runSet(ctx, tx, stmts); err != nil {
		return err
	}
	q := &pgx.Batch{}
	queueStats(q, b.MigrationUUID, events)
	return tx.SendBatch(ctx, q).Close()
}

// ApplyEach sends the channel's new position and one statement per event
// in one round trip inside one transaction.
func (t *Target) ApplyEach(ctx context.Context, b target.ChannelBatch, tables target.TableInfo) error {
	events := b.Events
	if len(events) == 0 {
		return nil
	}
	always, err := t.alwaysOf(ctx, events)
	if err != nil {
		return err
	}
	return skipApplied(pgx.BeginFunc(ctx, t.pool, func(tx pgx.Tx) error {
		q := &pgx.Batch{}
		// First the channel's position, guarded: if a previous attempt
		// committed (its reply lost), this moves nothing and the batch is skipped.
		q.Queue(`UPDATE `+channelsTable+` SET last_seq = $3 WHERE migration_uuid = $1 AND channel = $2 AND last_seq < $4`,
			b.MigrationUUID, b.Channel, events[len(events)-1].Seq, events[0].Seq)
		for _, e := range events {
			name := e.Schema + "." + e.Table
			sql, args := changeSQL(e, len(tables[name]) > 0, always[name])
			q.Queue(sql, args...)
		}
		queueStats(q, b.MigrationUUID, events)
		return runBatch(ctx, tx, q, events)
	}))
}

func skipApplied(err error) error {
	if errors.Is(err, errAlreadyApplied) {
		return nil
	}
	return err
}

// ApplyBarrier applies one event alone and moves every channel past it.
func (t *Target) ApplyBarrier(ctx context.Context, uuid string, channels int, e *queue.Event, tables target.TableInfo) error {
	always, err := t.alwaysOf(ctx, []*queue.Event{e})
	if err != nil {
		return err
	}
	return skipApplied(pgx.BeginFunc(ctx, t.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`UPDATE `+channelsTable+` SET last_seq = $2 WHERE migration_uuid = $1 AND last_seq < $2`, uuid, e.Seq)
		events := []*queue.Event{}
		if e.Op != queue.OpEnd {
			name := e.Schema + "." + e.Table
			q, args := changeSQL(e, len(tables[name]) > 0, always[name])
			b.Queue(q, args...)
			events = append(events, e)
		}
		queueStats(b, uuid, events)
		return runBatch(ctx, tx, b, events)
	}))
}

// alwaysOf maps each table that events update to its GENERATED ALWAYS
// identity columns, which such an update must not set. It is read before
// the batch's transaction: the lookup takes a connection of its own, and
// every one of the pool's may be holding a channel's transaction.
func (t *Target) alwaysOf(ctx context.Context, events []*queue.Event) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	for _, e := range events {
		if e.Op != queue.OpUpdate {
			continue
		}
		rel := sqlname.Table{Schema: e.Schema, Name: e.Table}
		if _, ok := out[rel.String()]; ok {
			continue
		}
		info, err := t.columnsOf(ctx, rel)
		if err != nil {
			return nil, err
		}
		out[rel.String()] = info.always
	}
	return out, nil
}

// errAlreadyApplied rolls back a batch an earlier attempt committed.
var errAlreadyApplied = errors.New("batch already applied")

// runBatch reads the results in order. The first statement is the guarded
// position update: no row moved means the batch is already in. Then a
// unique violation or a change that found no row is a Conflict, which the
// importer resolves by ordering; anything else fails.
func runBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch, events []*queue.Event) error {
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	tag, err := br.Exec()
	if err != nil {
		return fmt.Errorf("record applied changes: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errAlreadyApplied
	}
	for i, e := range events {
		tag, err := br.Exec()
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr) && pgErr.Code == "23505":
			return &target.Conflict{At: i, Err: err}
		case err != nil:
			return fmt.Errorf("apply change %d (%s on %s.%s): %w", e.Seq, e.Op, e.Schema, e.Table, err)
		case (e.Op == queue.OpUpdate || e.Op == queue.OpDelete) && tag.RowsAffected() == 0:
			return &target.Conflict{At: i, Err: fmt.Errorf("%w: %s of %s.%s key %s", target.ErrNoRow, opName(e.Op), e.Schema, e.Table, keyText(e.Key))}
		}
	}
	for i := len(events) + 1; i < b.Len(); i++ {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("record change counts: %w", err)
		}
	}
	return nil
}

func queueStats(b *pgx.Batch, uuid string, events []*queue.Event) {
	for _, c := range queue.CountByTable(events) {
		b.Queue(`INSERT INTO `+cdcStatsTable+` AS s VALUES ($1, $2, $3, $4, $5) ON CONFLICT (migration_uuid, table_name)
			DO UPDATE SET inserts = s.inserts + excluded.inserts, updates = s.updates + excluded.updates, deletes = s.deletes + excluded.deletes`,
			uuid, c.Name(), c.I, c.U, c.D)
	}
}

func opName(op string) string {
	switch op {
	case queue.OpUpdate:
		return "update"
	case queue.OpDelete:
		return "delete"
	}
	return op
}

func keyText(k queue.Row) string {
	b, _ := json.Marshal(k)
	return string(b)
}
