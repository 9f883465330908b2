package logminer

import (
	"fmt"
	"sort"
	"time"
)

// Row is what the capture reads of a V$LOGMNR_CONTENTS row, with
// continuation rows (CSF) already joined into Redo.
type Row struct {
	SCN      uint64
	XID      string
	Op       string // OPERATION: START, INSERT, UPDATE, DELETE, DDL, COMMIT, ROLLBACK (others are ignored)
	RowID    string
	Rollback bool // ROLLBACK = 1: the row undoes an earlier change of its transaction
	Redo     string
	Time     time.Time // TIMESTAMP: for a COMMIT, the commit time (for lag)
}

// Committed is a transaction handed on at its commit: Each calls f with
// its changes in order (read back from disk if they were spilled), and
// Position is where the stream stands once it is exported.
type Committed struct {
	XID       string
	CommitSCN uint64
	At        time.Time // commit time
	Each      func(f func(Change) error) error
	Position  Position
}

// Assembler turns the row stream into committed transactions in commit
// order, skipping those the position says are exported. Commits at one
// SCN are handed on in XID order once the stream is past that SCN (Flush
// at the end of a window), so that a restart at (SCN, XID) skips exactly
// the ones before it whatever order the log listed them in.
type Assembler struct {
	buf     *Buffer
	pos     Position
	starts  map[string]uint64
	pending []pendingCommit
	emit    func(Committed) error
}

type pendingCommit struct {
	xid string
	scn uint64
	at  time.Time
}

// NewAssembler assembles from position pos (mining must start at
// pos.RestartSCN), buffering in buf and calling emit for each transaction.
func NewAssembler(buf *Buffer, pos Position, emit func(Committed) error) *Assembler {
	return &Assembler{buf: buf, pos: pos, starts: map[string]uint64{}, emit: emit}
}

// Row takes the next row of the stream (rows come in SCN order).
func (a *Assembler) Row(r Row) error {
	if len(a.pending) > 0 && r.SCN > a.pending[0].scn {
		if err := a.Flush(); err != nil {
			return err
		}
	}
	switch r.Op {
	case "START":
		a.starts[r.XID] = r.SCN
	case "INSERT", "UPDATE", "DELETE", "DDL": // DDL: the consumer decides (a TRUNCATE is a change)
		if r.Rollback {
			a.buf.Undo(r.XID, r.RowID)
			return nil
		}
		start, ok := a.starts[r.XID]
		if !ok {
			start = r.SCN
			a.starts[r.XID] = start
		}
		return a.buf.Add(r.XID, start, Change{SCN: r.SCN, RowID: r.RowID, Data: []byte(r.Redo)})
	case "COMMIT":
		a.pending = append(a.pending, pendingCommit{xid: r.XID, scn: r.SCN, at: r.Time})
	case "ROLLBACK":
		delete(a.starts, r.XID)
		return a.buf.Rollback(r.XID)
	}
	return nil
}

// Flush hands on the commits held at the last SCN seen: call it at the end
// of each mined window.
func (a *Assembler) Flush() error {
	p := a.pending
	a.pending = nil
	sort.Slice(p, func(i, j int) bool { return p[i].xid < p[j].xid })
	for _, c := range p {
		if err := a.commit(c); err != nil {
			return err
		}
	}
	return nil
}

func (a *Assembler) commit(c pendingCommit) error {
	delete(a.starts, c.xid)
	if a.pos.Done(c.scn, c.xid) {
		return a.buf.Rollback(c.xid) // exported before the restart
	}
	// The changes stay on disk or in the buffer's memory until handed on:
	// Each reads them as the consumer goes.
	t := a.buf.txns[c.xid]
	next := After(c.scn, c.xid, a.oldestOpenExcept(c.xid))
	a.pos = next
	if t == nil {
		// A commit with no change of ours (another table's transaction):
		// the position still moves, so that a restart need not go back.
		return a.emit(Committed{XID: c.xid, CommitSCN: c.scn, At: c.at, Each: func(func(Change) error) error { return nil }, Position: next})
	}
	done := false
	each := func(f func(Change) error) error {
		if done {
			return fmt.Errorf("transaction %s already read", c.xid)
		}
		done = true
		return a.buf.Commit(c.xid, f)
	}
	err := a.emit(Committed{XID: c.xid, CommitSCN: c.scn, At: c.at, Each: each, Position: next})
	if !done {
		_ = a.buf.Rollback(c.xid) // the consumer did not read it: free it
	}
	return err
}

// oldestOpenExcept is the oldest start among open transactions other
// than xid (which is committing).
func (a *Assembler) oldestOpenExcept(xid string) uint64 {
	var oldest uint64
	for x, s := range a.starts {
		if x != xid && (oldest == 0 || s < oldest) {
			oldest = s
		}
	}
	for x, t := range a.buf.txns {
		if x != xid && (oldest == 0 || t.startSCN < oldest) {
			oldest = t.startSCN
		}
	}
	return oldest
}

// Position is where the stream stands after the last transaction handed
// on.
func (a *Assembler) Position() Position { return a.pos }

// Advance moves the position to the end of a mined window when nothing is
// open or held: every transaction committed up to end has been handed on,
// so a restart need not go back, and a cutover asked at a quiet moment
// finds the stream past its stop SCN. It reports whether it moved.
func (a *Assembler) Advance(end uint64) bool {
	switch {
	case len(a.starts) > 0 || a.buf.Open() > 0 || len(a.pending) > 0:
		return false
	case end < a.pos.CommitSCN, end == a.pos.CommitSCN && a.pos.XID == "":
		return false // already there (the window ended at the last commit: all of its SCN is done)
	}
	a.pos = Position{RestartSCN: end, CommitSCN: end}
	return true
}
