package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// replicationConn opens a walsender connection whose output functions use
// the same settings as the snapshot's COPY, so both write identical text.
func (s *Source) replicationConn(ctx context.Context) (*pgconn.PgConn, error) {
	cfg, err := s.cfg.PgxConfig()
	if err != nil {
		return nil, err
	}
	pc := cfg.Config.Copy()
	pc.RuntimeParams["replication"] = "database"
	for k, v := range datafile.TextSettings {
		pc.RuntimeParams[k] = v
	}
	conn, err := pgconn.ConnectConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("open replication connection to the source: %w", err)
	}
	return conn, nil
}

// Sink receives decoded changes. Changes of one transaction arrive between
// two Commit calls; Durable tells the stream how far it may acknowledge.
type Sink interface {
	Change(e *queue.Event) error
	Commit(end pglogrepl.LSN, at time.Time) error
	Marker(prefix string, content []byte) error
	// Tick is called at least once a second. walEnd is the server's WAL end
	// (for lag); sent is what the walsender reports it has decoded and sent
	// (keepalives). When idle (between transactions), every change before
	// sent has been delivered, so sent may be acknowledged once the changes
	// before it are durable.
	Tick(walEnd, sent pglogrepl.LSN, idle bool) error
	Durable() pglogrepl.LSN
}

// StreamOptions say where to stream from.
type StreamOptions struct {
	Slot        string
	Publication string
	// SkipThrough: transactions whose commit ends at or before it are
	// already in the queue (the slot may be behind our durable position).
	SkipThrough pglogrepl.LSN
	Conn        *pgconn.PgConn // reuse the connection that created the slot, if any
}

// Stream decodes the slot with pgoutput into sink until ctx ends or an
// error occurs. It acknowledges only what sink reports durable.
func (s *Source) Stream(ctx context.Context, o StreamOptions, sink Sink) error {
	conn := o.Conn
	if conn == nil {
		var err error
		if conn, err = s.replicationConn(ctx); err != nil {
			return err
		}
	}
	defer conn.Close(context.WithoutCancel(ctx))
	args := []string{"proto_version '1'", "publication_names '" + o.Publication + "'", "messages 'true'"}
	err := pglogrepl.StartReplication(ctx, conn, o.Slot, o.SkipThrough, pglogrepl.StartReplicationOptions{PluginArgs: args})
	if err != nil {
		return fmt.Errorf("start streaming from slot %s: %w", o.Slot, err)
	}
	d := &decoder{rels: map[uint32]*pglogrepl.RelationMessage{}, sink: sink, skipThrough: o.SkipThrough}
	return d.loop(ctx, conn)
}

type decoder struct {
	rels        map[uint32]*pglogrepl.RelationMessage
	sink        Sink
	skipThrough pglogrepl.LSN
	skipping    bool
	inTx        bool
	acked       pglogrepl.LSN
	lastAck     time.Time
	walEnd      pglogrepl.LSN
	sent        pglogrepl.LSN
	commitTime  int64 // of the transaction being decoded, µs since the epoch
	// names caches each relation's column names (all, key) for queue rows;
	// a new RelationMessage is a new key, so a changed table gets new lists.
	names map[*pglogrepl.RelationMessage][2][]string
}

func (d *decoder) loop(ctx context.Context, conn *pgconn.PgConn) error {
	for {
		if err := d.ack(ctx, conn, false); err != nil {
			return err
		}
		rctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		msg, err := conn.ReceiveMessage(rctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if pgconn.Timeout(err) {
			if err := d.sink.Tick(d.walEnd, d.sent, !d.inTx); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("receive from replication slot: %w", err)
		}
		if err := d.handle(ctx, conn, msg); err != nil {
			return err
		}
	}
}

func (d *decoder) handle(ctx context.Context, conn *pgconn.PgConn, msg pgproto3.BackendMessage) error {
	switch m := msg.(type) {
	case *pgproto3.ErrorResponse:
		return fmt.Errorf("replication stream: %w", pgconn.ErrorResponseToPgError(m))
	case *pgproto3.CopyData:
		switch m.Data[0] {
		case pglogrepl.PrimaryKeepaliveMessageByteID:
			ka, err := pglogrepl.ParsePrimaryKeepaliveMessage(m.Data[1:])
			if err != nil {
				return fmt.Errorf("parse keepalive: %w", err)
			}
			d.walEnd = max(d.walEnd, ka.ServerWALEnd)
			d.sent = max(d.sent, ka.ServerWALEnd)
			if err := d.sink.Tick(d.walEnd, d.sent, !d.inTx); err != nil {
				return err
			}
			// Idle source: nothing in flight, so everything up to WAL end is
			// handled; acknowledging it lets the server recycle WAL.
			return d.ack(ctx, conn, ka.ReplyRequested)
		case pglogrepl.XLogDataByteID:
			xld, err := pglogrepl.ParseXLogData(m.Data[1:])
			if err != nil {
				return fmt.Errorf("parse XLogData: %w", err)
			}
			d.walEnd = max(d.walEnd, xld.ServerWALEnd)
			return d.decode(xld)
		}
	}
	return nil
}

// ack sends a standby status update with the durable position: at most
// every second unless forced.
func (d *decoder) ack(ctx context.Context, conn *pgconn.PgConn, force bool) error {
	durable := d.sink.Durable()
	if !force && time.Since(d.lastAck) < time.Second {
		return nil
	}
	if durable > d.acked || force || time.Since(d.lastAck) > 10*time.Second {
		err := pglogrepl.SendStandbyStatusUpdate(ctx, conn, pglogrepl.StandbyStatusUpdate{
			WALWritePosition: durable, WALFlushPosition: durable, WALApplyPosition: durable})
		if err != nil {
			return fmt.Errorf("acknowledge %s to the source: %w", durable, err)
		}
		d.acked = max(d.acked, durable)
		d.lastAck = time.Now()
	}
	return nil
}

var errUnknownRelation = errors.New("change for a relation the stream has not described")
