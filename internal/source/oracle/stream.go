package oracle

// stream.go is the LogMiner change stream above the one part that needs a
// server (miner: the current SCN, the redo log list, and one LogMiner
// session per window): windows, log selection, continuation rows, parsing,
// transaction assembly and the exact position, delivered to the capture
// sink as every engine's are.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/logminer"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/redo"
)

// minedRow is one V$LOGMNR_CONTENTS row as the live part reads it.
type minedRow struct {
	logminer.Row
	CSF bool // SQL_REDO continues in the next row
}

// miner is the live part of change capture.
type miner interface {
	CurrentSCN(ctx context.Context) (uint64, error)
	// Logs lists the online and archived redo logs, the current
	// incarnation's RESETLOGS SCN and the open redo threads.
	Logs(ctx context.Context) (logs []logminer.LogFile, resetlogs uint64, threads []int, err error)
	// Mine runs one LogMiner session over files for [start, end] and calls
	// each with its rows (the migrated tables' changes, and every START,
	// COMMIT and ROLLBACK) in SCN order.
	Mine(ctx context.Context, files []logminer.LogFile, start, end uint64, each func(minedRow) error) error
}

// scnPosition is an Oracle stream position for the capture contract.
type scnPosition struct{ logminer.Position }

func (p scnPosition) Compare(other capture.Position) int {
	return p.Position.Compare(other.(scnPosition).Position)
}

func (p scnPosition) MarshalJSON() ([]byte, error) { return json.Marshal(p.Position) }

// streamer turns windows of mined rows into the sink's transactions.
type streamer struct {
	m       miner
	tables  map[string]changeTable // migrated tables by catalog name
	owner   string
	target  string // the target schema events name
	buf     *logminer.Buffer
	sink    capture.Sink
	idle    time.Duration
	pending strings.Builder // a statement continued over rows (CSF)
	asm     *logminer.Assembler
}

// run streams from from until ctx ends or something fails.
func (s *streamer) run(ctx context.Context, from logminer.Position) error {
	s.asm = logminer.NewAssembler(s.buf, from, s.emit)
	w := logminer.NewWindow(from.RestartSCN)
	for {
		cur, err := s.m.CurrentSCN(ctx)
		if err != nil {
			return err
		}
		start, end, ok := w.Next(cur)
		if !ok {
			if err := s.sink.Tick(capture.Tick{Idle: true, At: scnPosition{s.asm.Position()}}); err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(s.idle):
			}
			continue
		}
		rows, took, err := s.window(ctx, start, end)
		if err != nil {
			return err
		}
		w.Done(end, rows, took)
		idle := s.asm.Advance(end) || s.buf.Open() == 0
		if err := s.sink.Tick(capture.Tick{Idle: idle, At: scnPosition{s.asm.Position()}}); err != nil {
			return err
		}
	}
}

// window mines [start, end] and hands on the transactions it completes.
func (s *streamer) window(ctx context.Context, start, end uint64) (int, time.Duration, error) {
	logs, resetlogs, threads, err := s.m.Logs(ctx)
	if err != nil {
		return 0, 0, err
	}
	files, err := logminer.SelectLogs(logs, resetlogs, threads, start, end)
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	rows := 0
	err = s.m.Mine(ctx, files, start, end, func(r minedRow) error {
		rows++
		s.pending.WriteString(r.Redo)
		if r.CSF {
			return nil
		}
		r.Redo = s.pending.String()
		s.pending.Reset()
		return s.asm.Row(r.Row)
	})
	if err != nil {
		return rows, 0, err
	}
	if s.pending.Len() > 0 {
		// LogMiner returns whole redo records up to the window's end SCN:
		// a statement still continued there would lose its rest.
		return rows, 0, fmt.Errorf("a SQL_REDO continued (CSF) past the end of the window at SCN %d", end)
	}
	return rows, time.Since(t0), s.asm.Flush()
}

// emit delivers one committed transaction: its changes of migrated tables,
// then its commit at the position after it.
func (s *streamer) emit(c logminer.Committed) error {
	err := c.Each(func(ch logminer.Change) error {
		e, err := s.event(string(ch.Data))
		if err != nil || e == nil {
			return err
		}
		return s.sink.Change(e)
	})
	if err != nil {
		return err
	}
	return s.sink.Commit(scnPosition{c.Position}, c.At)
}

// event is the queue event of one redo statement; nil for another
// table's. The live part passes DDL rows of migrated tables only: a
// TRUNCATE is a truncate event, any other DDL stops the stream.
func (s *streamer) event(sql string) (*queue.Event, error) {
	// Only the first word decides, so DML (every change but a rare DDL)
	// goes to the parser without being tokenized twice.
	switch first := firstWord(sql); {
	case first == "":
		return nil, nil
	case first == "TRUNCATE":
		toks := ddl.Tokens(sql)
		if len(toks) > 2 && toks[1].Is("TABLE") {
			if t, _, ok := objectAt(toks, 2); ok {
				if _, migrated := s.tables[t.Name]; migrated {
					return &queue.Event{Op: queue.OpTruncate, Schema: s.target, Table: PGName(t.Name)}, nil
				}
			}
			return nil, nil
		}
		fallthrough
	case first != "INSERT" && first != "UPDATE" && first != "DELETE":
		return nil, fmt.Errorf("DDL on a migrated table of %s while the export runs (%s): live migration does not follow schema changes; apply the change on the target too, then restart the export with --start-clean", s.owner, firstLine(sql))
	}
	r, err := redo.Parse(sql)
	if err != nil {
		return nil, fmt.Errorf("LogMiner change: %w", err)
	}
	ct, ok := s.tables[r.Table]
	if !ok || r.Owner != s.owner {
		return nil, nil
	}
	return ct.event(r, s.target)
}

// firstWord is a statement's first word in upper case.
func firstWord(sql string) string {
	sql = strings.TrimLeft(sql, " \t\r\n")
	end := strings.IndexFunc(sql, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') })
	if end < 0 {
		end = len(sql)
	}
	return strings.ToUpper(sql[:end])
}
