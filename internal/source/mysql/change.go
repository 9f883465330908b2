package mysql

import (
	"context"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// MySQL and MariaDB as a change source: the snapshot is taken at a binlog
// position under a brief global read lock, changes are read as a replica
// from exactly that position, and cutover stops at the binlog position
// current when it was asked for. The server keeps nothing for the stream.

var _ capture.ChangeSource = (*Source)(nil)

// Engine is "mysql" (MariaDB too).
func (s *Source) Engine() string { return "mysql" }

// Label names the binary log.
func (s *Source) Label(string) string { return "binlog" }

// BeginLive checks nothing further and takes the snapshot: its binlog
// position is where the stream starts.
func (s *Source) BeginLive(ctx context.Context, o capture.LiveOptions) (*capture.Live, error) {
	snap, err := s.BeginSnapshot(ctx, o.Workers)
	if err != nil {
		return nil, err
	}
	sn := snap.(*Snapshot)
	if sn.binlogFile == "" {
		snap.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("the source has no binary log position: enable binary logging (log_bin) and restart MySQL")
	}
	return &capture.Live{Snapshot: snap, Start: BinlogPosition{File: sn.binlogFile, Pos: uint32(sn.binlogPos), GTID: sn.gtid}}, nil
}

// Stream reads the binlog from o.From (which must still be on the server)
// as a replica whose server id is derived from the stream's name.
func (s *Source) Stream(ctx context.Context, o capture.StreamOptions, sink capture.Sink) error {
	from, ok := o.From.(BinlogPosition)
	if !ok {
		return fmt.Errorf("stream binlog: no start position")
	}
	if err := s.CheckPosition(ctx, from); err != nil {
		return err
	}
	return s.StreamBinlog(ctx, from, o.Tables, serverID(o.Stream), sink)
}

// serverID derives a stable replica server id from the stream's name.
func serverID(name string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return 1000 + h%1000000000
}

// RequestStop stops at the binlog position current now.
func (s *Source) RequestStop(ctx context.Context, _ capture.StreamOptions) (capture.Stop, error) {
	p, err := s.MasterPosition(ctx)
	if err != nil {
		return capture.Stop{}, err
	}
	return capture.Stop{At: p}, nil
}

// CutoverValues are the AUTO_INCREMENT values, for the target's identity
// columns.
func (s *Source) CutoverValues(ctx context.Context) ([]queue.CutoverValue, error) {
	return s.Identities(ctx)
}

// LagBytes is how much binlog the server has written after durable: one
// SHOW BINARY LOGS on the SQL pool (end is unused).
func (s *Source) LagBytes(ctx context.Context, durable, _ capture.Position) (int64, error) {
	from, ok := durable.(BinlogPosition)
	if !ok {
		return 0, nil
	}
	n, _, err := s.BinlogLagBytes(ctx, from)
	return n, err
}

// ParsePosition reads a binlog position back.
func (s *Source) ParsePosition(data []byte) (capture.Position, error) { return parsePosition(data) }

// Release has nothing to drop: the server keeps no state for a replica.
func (s *Source) Release(context.Context, string) error { return nil }

// Reconnect has nothing to do: every query takes a pool connection, which
// database/sql replaces once the server is back.
func (s *Source) Reconnect(context.Context) error { return nil }

// CheckLive is checkServer: the checks do not depend on the tables.
func (s *Source) CheckLive(ctx context.Context, _ []source.Table) error { return s.checkServer(ctx) }
