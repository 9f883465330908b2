package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/source/postgres/copytext"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// snapshot holds one coordinator transaction that exported the snapshot and
// one worker connection per export job, each inside a REPEATABLE READ
// transaction that imported it. Every chunk therefore sees the same data.
type snapshot struct {
	src     *Source
	coord   *pgx.Conn
	workers []*pgx.Conn
	name    string

	mu    sync.Mutex
	plans map[string]*copytext.Plan // relation and columns -> binary-to-text plan (nil: text COPY)
}

// BeginSnapshot exports a snapshot from a coordinator transaction and opens
// `workers` connections that share it.
func (s *Source) BeginSnapshot(ctx context.Context, workers int) (source.Snapshot, error) {
	coord, err := connect(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	snap := &snapshot{src: s, coord: coord}
	if _, err := coord.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		snap.Close(ctx)
		return nil, fmt.Errorf("begin snapshot transaction: %w", err)
	}
	if err := coord.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snap.name); err != nil {
		snap.Close(ctx)
		return nil, fmt.Errorf("export snapshot: %w", err)
	}
	for i := 0; i < max(workers, 1); i++ {
		w, err := s.joinSnapshot(ctx, snap.name)
		if err != nil {
			snap.Close(ctx)
			return nil, err
		}
		snap.workers = append(snap.workers, w)
	}
	return snap, nil
}

// JoinSnapshot opens `workers` connections that import an already exported
// snapshot (a replication slot's): the live path reads its snapshot at
// exactly the slot's consistent point.
func (s *Source) JoinSnapshot(ctx context.Context, name string, workers int) (source.Snapshot, error) {
	snap := &snapshot{src: s, name: name}
	for i := 0; i < max(workers, 1); i++ {
		w, err := s.joinSnapshot(ctx, name)
		if err != nil {
			snap.Close(ctx)
			return nil, err
		}
		snap.workers = append(snap.workers, w)
	}
	return snap, nil
}

// meta is the connection for planning queries: any connection in the snapshot.
func (sn *snapshot) meta() *pgx.Conn {
	if sn.coord != nil {
		return sn.coord
	}
	return sn.workers[0]
}

func (s *Source) joinSnapshot(ctx context.Context, name string) (*pgx.Conn, error) {
	w, err := connect(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	_, err = w.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
	if err == nil {
		_, err = w.Exec(ctx, "SET TRANSACTION SNAPSHOT "+sqlname.QuoteLiteral(name))
	}
	if err != nil {
		w.Close(ctx)
		return nil, fmt.Errorf("join snapshot %s: %w", name, err)
	}
	return w, nil
}

// ExportChunk streams the chunk with COPY (SELECT ...) TO STDOUT. ONLY keeps
// inheritance children out: they are tables of their own.
func (sn *snapshot) ExportChunk(ctx context.Context, worker int, c source.Chunk, columns []string, w io.Writer) (int64, error) {
	if worker < 0 || worker >= len(sn.workers) {
		return 0, fmt.Errorf("export chunk %d of %s: no worker %d", c.ChunkNo, c.Table, worker)
	}
	q := "COPY (SELECT " + sqlname.QuoteList(columns) + " FROM ONLY " + c.Relation.Quoted()
	if c.Filter != "" {
		q += " WHERE " + c.Filter
	}
	q += ") TO STDOUT"
	conn := sn.workers[worker]
	plan := sn.textPlan(ctx, conn, c.Relation, columns)
	if plan == nil {
		tag, err := conn.PgConn().CopyTo(ctx, w, q)
		if err != nil {
			return 0, fmt.Errorf("export chunk %d of %s (%s): %w", c.ChunkNo, c.Table, c.Relation, err)
		}
		return tag.RowsAffected(), nil
	}
	cw := plan.Writer(w)
	tag, err := conn.PgConn().CopyTo(ctx, cw, q+" (FORMAT binary)")
	if err == nil {
		err = cw.Close()
	}
	if err != nil {
		return 0, fmt.Errorf("export chunk %d of %s (%s): %w", c.ChunkNo, c.Table, c.Relation, err)
	}
	return tag.RowsAffected(), nil
}

// textPlan returns the plan that formats the relation's columns from COPY
// binary, looking up their types once; nil means the server writes the text
// (a type without a formatter, YB_VOYAGER_COPY_FORMAT=text, or the lookup
// failed).
func (sn *snapshot) textPlan(ctx context.Context, conn *pgx.Conn, rel sqlname.Table, columns []string) *copytext.Plan {
	if os.Getenv("YB_VOYAGER_COPY_FORMAT") == "text" {
		return nil
	}
	key := rel.Quoted() + "\x00" + strings.Join(columns, "\x00")
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if p, ok := sn.plans[key]; ok {
		return p
	}
	rows, err := conn.Query(ctx, `SELECT a.atttypid FROM unnest($2::text[]) WITH ORDINALITY AS c(name, n)
		JOIN pg_attribute a ON a.attrelid = $1::regclass AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY c.n`, rel.Quoted(), columns)
	if err != nil {
		return nil
	}
	oids, err := pgx.CollectRows(rows, pgx.RowTo[uint32])
	if err != nil || len(oids) != len(columns) {
		return nil
	}
	p, ok := copytext.NewPlan(oids)
	if !ok {
		p = nil
	}
	if sn.plans == nil {
		sn.plans = map[string]*copytext.Plan{}
	}
	sn.plans[key] = p
	return p
}

// Close ends every transaction and connection of the snapshot.
func (sn *snapshot) Close(ctx context.Context) error {
	var errs []error
	for _, w := range append(sn.workers, sn.coord) {
		if w == nil {
			continue
		}
		if !w.IsClosed() {
			_, _ = w.Exec(ctx, "COMMIT")
		}
		errs = append(errs, w.Close(ctx))
	}
	sn.workers, sn.coord = nil, nil
	return errors.Join(errs...)
}
