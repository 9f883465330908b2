// Package capture is the contract between a database's change capture and
// the one live loop that drives every engine and every direction
// (internal/exporter): what a change source must do, and nothing about how
// an engine does it. PostgreSQL (pgoutput), MySQL/MariaDB (binlog) and,
// later, Oracle (LogMiner) implement ChangeSource in their own packages
// under internal/source; a later direction (target → source) implements it
// for the target's engine. The suite in capture/capturetest is what each of
// them must pass against a real server.
//
// The rules an implementation keeps:
//
//   - Positions are typed and ordered (Position). A source parses only its
//     own positions back (ParsePosition), and Compare is only ever called
//     between positions of one stream.
//   - BeginLive returns a snapshot consistent with its Start position: every
//     change committed before Start is in the snapshot, every change after
//     it is streamed, none is in both.
//   - Stream delivers every transaction that commits after From, and none
//     at or before it, in commit order: a transaction's changes arrive
//     between two Commit calls, and Commit's position is where streaming
//     resumes after that transaction.
//   - Stream acknowledges to the server only Sink.Durable(): a source may
//     forget changes only once the sink says they are stored for good.
//   - Stream calls Sink.Tick at least once a second, also while the source
//     is idle.
//   - A source stops at cutover by one of two rules (Stop): a marker it
//     writes into its own stream, or the position current when cutover was
//     asked.
package capture

import (
	"context"
	"encoding/json"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// Position is a point of one source's change stream: a PostgreSQL LSN, a
// binlog file and offset with its GTID set, later an Oracle SCN. Its JSON
// is what the exporter's checkpoint records, and only the source that made
// it parses it back.
type Position interface {
	// String is the position as a DBA reads it.
	String() string
	// Compare orders two positions of the same stream (negative: before).
	// Positions of two engines never meet: an implementation may panic on
	// a foreign one, as that is a programming error, not bad input.
	Compare(other Position) int
	json.Marshaler
}

// After reports whether a is after b; a nil position is before every other.
func After(a, b Position) bool {
	switch {
	case a == nil:
		return false
	case b == nil:
		return true
	}
	return a.Compare(b) > 0
}

// Sink receives one stream's changes. Nothing is buffered on the way: a
// transaction's changes arrive as the source reads them, so memory does not
// grow with transaction size.
type Sink interface {
	// Change is a row change (or a truncate) of the current transaction.
	Change(e *queue.Event) error
	// Commit ends the current transaction; end is where streaming resumes
	// after it, at is its commit time (for lag).
	Commit(end Position, at time.Time) error
	// Marker is a cutover marker with this id, read inside the current
	// transaction (for sources that stop by marker).
	Marker(id string) error
	// Tick is called at least once a second.
	Tick(t Tick) error
	// Durable is how far the source may acknowledge (forget) changes.
	Durable() Position
}

// Tick is what the stream knows between events.
type Tick struct {
	// Idle: between transactions. Every change before At (when set) has
	// been delivered, so At may be acknowledged once what came before it
	// is durable.
	Idle bool
	At   Position
	// End is the server's end of its change log, when the stream learns it
	// without a query (PostgreSQL keepalives), for lag; nil otherwise.
	End Position
}

// Stop is how a stream ends at cutover: at the commit of the transaction
// that carries Marker (a source that can write into its own stream), or at
// the first commit or idle moment at or past At.
type Stop struct {
	Marker string
	At     Position
}

// LiveOptions say what BeginLive sets up.
type LiveOptions struct {
	// Stream names what the server keeps for this migration's stream (a
	// PostgreSQL slot and publication); stable across runs.
	Stream  string
	Tables  []source.Table
	Workers int // snapshot worker connections
	// Notice shows the DBA a line while BeginLive waits on the server (the
	// open transactions a PostgreSQL slot waits for); may be nil.
	Notice func(msg string)
}

// Live is a started live export: a snapshot and the position it is at.
type Live struct {
	Snapshot source.Snapshot
	Start    Position
	// Holds reports that the server keeps state for the stream (a
	// replication slot) until Release: dropping it is part of cutover and
	// of end migration.
	Holds bool
}

// StreamOptions say what to stream.
type StreamOptions struct {
	Stream string
	Tables []source.Table
	From   Position
	// SpillDir is a directory of the export's own where a source that
	// buffers open transactions (Oracle) may spill them to disk.
	SpillDir string
}

// ChangeSource is a source database that feeds a live migration. It is also
// a snapshot source (the snapshot-only path uses that part alone).
type ChangeSource interface {
	source.Source
	// Engine is the source's engine ("postgresql", "mysql").
	Engine() string
	// CheckLive checks, before anything is created, that the server can
	// feed a live migration of tables; each failure names the fix.
	CheckLive(ctx context.Context, tables []source.Table) error
	// BeginLive creates what the stream needs on the server and opens a
	// snapshot consistent with the returned start position.
	BeginLive(ctx context.Context, o LiveOptions) (*Live, error)
	// Stream streams changes from o.From into sink until ctx ends (it then
	// returns ctx.Err()), the sink returns an error, or the source fails.
	Stream(ctx context.Context, o StreamOptions, sink Sink) error
	// Label names the stream for the terminal ("slot ybvoyager_…").
	Label(stream string) string
	// RequestStop is called once per run when cutover has been asked for,
	// between transactions; it says where the stream will stop.
	RequestStop(ctx context.Context, o StreamOptions) (Stop, error)
	// CutoverValues are the values sequences and identity columns must
	// reach on the target at cutover.
	CutoverValues(ctx context.Context) ([]queue.CutoverValue, error)
	// LagBytes is how far the server's change log is past durable; end is
	// the newest Tick.End (nil when the stream reports none).
	LagBytes(ctx context.Context, durable, end Position) (int64, error)
	// ParsePosition reads back a position this source marshalled.
	ParsePosition(data []byte) (Position, error)
	// Release drops what the server keeps for the stream; releasing a
	// stream already gone is not an error.
	Release(ctx context.Context, stream string) error
	// Reconnect replaces the source's own connections after the server
	// went away (restart, network).
	Reconnect(ctx context.Context) error
}
