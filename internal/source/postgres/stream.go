package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/datafile"
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

// Stream decodes the stream's slot with pgoutput into sink until ctx ends
// or an error occurs. Transactions that end at or before o.From are
// skipped (the slot may be behind what the sink has stored), and only what
// the sink reports durable is acknowledged.
func (s *Source) Stream(ctx context.Context, o capture.StreamOptions, sink capture.Sink) error {
	conn, err := s.replicationConn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	from := lsnOf(o.From)
	args := []string{"proto_version '1'", "publication_names '" + o.Stream + "'", "messages 'true'"}
	err = pglogrepl.StartReplication(ctx, conn, o.Stream, from, pglogrepl.StartReplicationOptions{PluginArgs: args})
	if err != nil {
		return fmt.Errorf("start streaming from slot %s: %w", o.Stream, err)
	}
	d := &decoder{rels: map[uint32]*pglogrepl.RelationMessage{}, sink: sink, skipThrough: from}
	return d.loop(ctx, conn)
}

type decoder struct {
	rels        map[uint32]*pglogrepl.RelationMessage
	sink        capture.Sink
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
			if err := d.tick(); err != nil {
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
			if err := d.tick(); err != nil {
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

// tick tells the sink where the stream is: sent is what the walsender
// reports it has decoded and sent (keepalives), so between transactions
// every change before it has been delivered.
func (d *decoder) tick() error {
	t := capture.Tick{Idle: !d.inTx}
	if d.sent > 0 {
		t.At = LSN(d.sent)
	}
	if d.walEnd > 0 {
		t.End = LSN(d.walEnd)
	}
	return d.sink.Tick(t)
}

// ack sends a standby status update with the durable position: at most
// every second unless forced.
func (d *decoder) ack(ctx context.Context, conn *pgconn.PgConn, force bool) error {
	durable := lsnOf(d.sink.Durable())
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
