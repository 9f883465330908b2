package exporter

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
)

// sink is the one capture.Sink of every live export. It appends changes to
// the queue and makes them durable at transaction boundaries in this order:
// fsync the segment, then record the source position and the queue's mark
// in one store transaction, and only then report the position as durable,
// which is all the source may acknowledge. A crash anywhere loses only
// what was not recorded, and the source sends it again.
type sink struct {
	ctx  context.Context
	o    Options
	src  capture.ChangeSource
	dir  exportdir.Direction
	w    *queue.Writer
	cp   Checkpoint
	mark queue.Mark // Counts move with every event; Position at every sync

	durable  capture.Position // recorded, or idle past it: what may be acknowledged
	pending  capture.Position // end of the last transaction appended and not synced (nil: none)
	lastSync time.Time

	stop         *capture.Stop // where this run stops, once cutover is requested
	stopSeen     bool          // the marker was read: its transaction is the last
	lastCutCheck time.Time
	progressed   bool // something was made durable in this run

	metrics metrics
}

// errEnded ends the stream once the end marker is durable.
var errEnded = errors.New("cutover: end marker written")

// newSink starts from the checkpoint: its counts are exactly the events
// in the queue, and events after it will be received again.
func newSink(ctx context.Context, o Options, src capture.ChangeSource, dir exportdir.Direction, cp Checkpoint, mark queue.Mark) (*sink, error) {
	from, err := src.ParsePosition(cp.Resume)
	if err != nil {
		return nil, fmt.Errorf("resume the live export: %w", err)
	}
	mark.Counts = mark.Counts.Clone()
	s := &sink{ctx: ctx, o: o, src: src, dir: dir, cp: cp, mark: mark, durable: from, lastSync: time.Now()}
	s.metrics.start(mark.Counts.Events)
	return s, nil
}

func (s *sink) Change(e *queue.Event) error {
	s.mark.Counts.Add(e)
	return s.w.Append(e)
}

func (s *sink) Commit(end capture.Position, at time.Time) error {
	s.pending, s.metrics.lastTx = end, at
	if s.stopSeen || s.stop != nil && s.stop.At != nil && end.Compare(s.stop.At) >= 0 {
		return s.writeEnd(end)
	}
	if time.Since(s.lastSync) >= 20*time.Millisecond {
		return s.sync()
	}
	return nil
}

// Marker notices our cutover marker: every transaction before it has been
// delivered, and the end marker follows at its commit. A marker written
// by an earlier run (which died before its end marker) counts too.
func (s *sink) Marker(id string) error {
	if id == s.cp.Stream {
		s.stopSeen = true
	}
	return nil
}

func (s *sink) Tick(t capture.Tick) error {
	if capture.After(t.End, s.metrics.end) {
		s.metrics.end = t.End
	}
	if !t.Idle {
		s.report()
		return nil // mid-transaction: only a commit is a boundary
	}
	if s.pending != nil {
		if err := s.sync(); err != nil {
			return err
		}
	}
	if capture.After(t.At, s.durable) {
		// Between transactions and all of ours synced: what the source has
		// sent is in the queue or not ours, so it may be acknowledged (and
		// lag counts from it). The checkpoint keeps the last commit: a
		// restart reads the rest again and finds nothing of ours in it.
		s.durable = t.At
	}
	s.report()
	if err := s.checkCutover(); err != nil {
		return err
	}
	if s.stop != nil && s.stop.At != nil && t.At != nil && t.At.Compare(s.stop.At) >= 0 {
		return s.writeEnd(t.At)
	}
	return nil
}

func (s *sink) Durable() capture.Position { return s.durable }

// sync makes the appended transactions durable and records where they end.
func (s *sink) sync() error {
	pos, err := s.w.Sync()
	if err != nil {
		return err
	}
	resume := s.durable
	if s.pending != nil {
		resume = s.pending
	}
	if s.cp.Resume, err = position(resume); err != nil {
		return err
	}
	s.mark.Position = pos
	if err := save(s.ctx, s.o.Store, s.dir, s.cp, s.mark); err != nil {
		return err
	}
	s.durable, s.pending, s.lastSync, s.progressed = resume, nil, time.Now(), true
	return nil
}

// checkCutover asks the source where to stop, once cutover is requested.
func (s *sink) checkCutover() error {
	if s.stop != nil || time.Since(s.lastCutCheck) < time.Second {
		return nil
	}
	s.lastCutCheck = time.Now()
	cut, err := s.o.Store.Cutover(s.ctx, s.dir)
	if err != nil || cut.Requested.IsZero() {
		return err
	}
	stop, err := s.src.RequestStop(s.ctx, capture.StreamOptions{Stream: s.cp.Stream})
	if err != nil {
		return err
	}
	s.stop = &stop
	s.o.Log.Info("cutover requested: exporting the last changes", "marker", stop.Marker, "stop_at", fmt.Sprint(stop.At))
	fmt.Fprintln(s.o.Out, "Cutover requested: exporting the last changes.")
	return nil
}

// writeEnd appends the end marker, with the values the target's sequences
// and identity columns must reach, and makes it durable.
func (s *sink) writeEnd(at capture.Position) error {
	vals, err := s.src.CutoverValues(s.ctx)
	if err != nil {
		return err
	}
	if err := s.w.Append(&queue.Event{Op: queue.OpEnd, At: at.String(), Values: vals}); err != nil {
		return err
	}
	s.pending, s.mark.Ended = at, true // recorded with the position that includes the marker
	if err := s.sync(); err != nil {
		return err
	}
	return errEnded
}

// finish releases what the source keeps for the stream and records that
// this direction's export is over.
func (s *sink) finish(ctx context.Context) error {
	s.metrics.idle(s.mark.Counts.Events) // nothing more will come: rate 0
	s.publish(ctx)
	if s.cp.Holds {
		if err := s.src.Release(ctx, s.cp.Stream); err != nil {
			return err
		}
	}
	if err := s.o.Store.MarkCutoverExported(ctx, s.dir); err != nil {
		return err
	}
	released := ""
	if s.cp.Holds {
		released = "; " + s.src.Label(s.cp.Stream) + " dropped"
	}
	fmt.Fprintf(s.o.Out, "Cutover: all changes exported (%d events)%s.\n", s.mark.Counts.Events, released)
	return nil
}
