package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// PostgreSQL as a change source: a pgoutput slot and a publication, both
// named after the stream, whose exported snapshot the live snapshot reads;
// cutover stops at a transactional logical message the source writes into
// its own WAL.

var _ capture.ChangeSource = (*Source)(nil)

// markerPrefix is the logical message prefix of our cutover marker.
const markerPrefix = "ybvoyager_cutover"

// Engine is "postgresql".
func (s *Source) Engine() string { return "postgresql" }

// Label names the slot and publication.
func (s *Source) Label(stream string) string {
	return "replication slot " + stream + " and publication " + stream
}

// BeginLive creates the publication and the slot, and opens the snapshot
// the slot exported on o.Workers connections. The replication connection
// that created the slot stays open (idle) until the snapshot is closed:
// the exported snapshot lives only as long as it does.
func (s *Source) BeginLive(ctx context.Context, o capture.LiveOptions) (*capture.Live, error) {
	start, snapName, repl, err := s.createSlot(ctx, o.Stream, o.Tables, o.Notice)
	if err != nil {
		return nil, errors.Join(err, s.dropSlotAndPublication(context.WithoutCancel(ctx), o.Stream))
	}
	snap, err := s.JoinSnapshot(ctx, snapName, o.Workers)
	if err != nil {
		repl.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return &capture.Live{Snapshot: &slotSnapshot{Snapshot: snap, repl: repl}, Start: LSN(start), Holds: true}, nil
}

// slotSnapshot is a snapshot exported by a slot: closing it also closes the
// replication connection that keeps it alive.
type slotSnapshot struct {
	source.Snapshot
	repl *pgconn.PgConn
}

func (sn *slotSnapshot) Close(ctx context.Context) error {
	return errors.Join(sn.Snapshot.Close(ctx), sn.repl.Close(ctx))
}

// RequestStop writes the cutover marker into the WAL: when the stream
// delivers it, every transaction committed before it has been delivered.
func (s *Source) RequestStop(ctx context.Context, o capture.StreamOptions) (capture.Stop, error) {
	_, err := s.conn.Exec(ctx, `SELECT pg_logical_emit_message(true, $1, $2)`, markerPrefix, o.Stream)
	if err != nil {
		return capture.Stop{}, fmt.Errorf("write cutover marker into the source WAL: %w", err)
	}
	return capture.Stop{Marker: o.Stream}, nil
}

// CutoverValues are every sequence's current value in the selected
// schemas (sequences never used are left out).
func (s *Source) CutoverValues(ctx context.Context) ([]queue.CutoverValue, error) {
	rows, err := s.conn.Query(ctx, `SELECT schemaname, sequencename, last_value FROM pg_sequences
		WHERE schemaname = ANY($1) AND last_value IS NOT NULL ORDER BY 1, 2`, s.cfg.Schemas)
	if err != nil {
		return nil, fmt.Errorf("read source sequences: %w", err)
	}
	defer rows.Close()
	var out []queue.CutoverValue
	for rows.Next() {
		var sc, name string
		var v int64
		if err := rows.Scan(&sc, &name, &v); err != nil {
			return nil, fmt.Errorf("read source sequences: %w", err)
		}
		out = append(out, queue.CutoverValue{Sequence: sqlname.Table{Schema: sc, Name: name}.Quoted(), Value: v})
	}
	return out, rows.Err()
}

// LagBytes is the WAL the server has written past durable, from the WAL
// end its keepalives and data messages report (no query).
func (s *Source) LagBytes(_ context.Context, durable, end capture.Position) (int64, error) {
	if end == nil {
		return 0, nil
	}
	return max(int64(lsnOf(end))-int64(lsnOf(durable)), 0), nil
}

// ParsePosition reads an LSN back.
func (s *Source) ParsePosition(data []byte) (capture.Position, error) { return parseLSN(data) }

// Release drops the stream's slot and publication.
func (s *Source) Release(ctx context.Context, stream string) error {
	return s.dropSlotAndPublication(ctx, stream)
}
