package logminer

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Change is one buffered change of a transaction: its redo record (the
// SQL_REDO text, or whatever the caller encodes) and the row it touches,
// which a partial rollback names.
type Change struct {
	SCN   uint64
	RowID string
	Data  []byte
}

// Buffer holds each open transaction's changes until its COMMIT (then
// they are handed over in order) or ROLLBACK (then they are dropped).
// Memory is bounded: when the changes held in memory pass Limit bytes, the
// largest transaction's are appended to a file of its own under Dir and
// read back at its commit. One goroutine uses a Buffer.
type Buffer struct {
	Dir   string
	Limit int64

	txns  map[string]*txn
	inMem int64
}

type txn struct {
	xid      string
	startSCN uint64
	mem      []Change
	memBytes int64
	spill    *os.File // nil until spilled
	spilled  int      // changes in the spill file
	undo     []undo   // partial rollbacks, in order
	count    int      // changes added (the next change's sequence number)
}

// undo is a partial rollback: the latest change before seq that touched
// rowID is undone.
type undo struct {
	seq   int
	rowID string
}

// NewBuffer buffers transactions, spilling to dir above limit bytes.
func NewBuffer(dir string, limit int64) *Buffer {
	return &Buffer{Dir: dir, Limit: limit, txns: map[string]*txn{}}
}

func changeSize(c Change) int64 { return int64(len(c.Data) + len(c.RowID) + 32) }

// Add buffers a change of transaction xid (started at startSCN when it is
// new).
func (b *Buffer) Add(xid string, startSCN uint64, c Change) error {
	t := b.txns[xid]
	if t == nil {
		t = &txn{xid: xid, startSCN: startSCN}
		b.txns[xid] = t
	}
	t.mem = append(t.mem, c)
	t.count++
	n := changeSize(c)
	t.memBytes += n
	b.inMem += n
	for b.inMem > b.Limit {
		if err := b.spillLargest(); err != nil {
			return err
		}
	}
	return nil
}

// Undo records a partial rollback in transaction xid (a V$LOGMNR_CONTENTS
// row with ROLLBACK = 1): the latest earlier change to rowID does not
// happen. The change may already be on disk, so it is resolved at commit.
func (b *Buffer) Undo(xid, rowID string) {
	if t := b.txns[xid]; t != nil {
		t.undo = append(t.undo, undo{seq: t.count, rowID: rowID})
	}
}

// Rollback drops transaction xid.
func (b *Buffer) Rollback(xid string) error {
	t := b.txns[xid]
	if t == nil {
		return nil
	}
	delete(b.txns, xid)
	b.inMem -= t.memBytes
	return t.drop()
}

// Commit removes transaction xid and calls yield with each of its changes
// that a partial rollback did not undo, in order. A COMMIT of a
// transaction with no buffered change yields nothing.
func (b *Buffer) Commit(xid string, yield func(Change) error) error {
	t := b.txns[xid]
	if t == nil {
		return nil
	}
	delete(b.txns, xid)
	b.inMem -= t.memBytes
	defer t.drop()
	undone, err := t.undone()
	if err != nil {
		return err
	}
	return t.each(func(seq int, c Change) error {
		if undone[seq] {
			return nil
		}
		return yield(c)
	})
}

// OldestStart is the start SCN of the oldest open transaction, 0 for none:
// where mining must restart not to miss any of its changes.
func (b *Buffer) OldestStart() uint64 {
	var oldest uint64
	for _, t := range b.txns {
		if oldest == 0 || t.startSCN < oldest {
			oldest = t.startSCN
		}
	}
	return oldest
}

// Open is the number of open transactions.
func (b *Buffer) Open() int { return len(b.txns) }

// InMemory is the bytes of changes held in memory.
func (b *Buffer) InMemory() int64 { return b.inMem }

// Close drops every open transaction (a restart reads them again).
func (b *Buffer) Close() error {
	var errs []error
	for xid, t := range b.txns {
		errs = append(errs, t.drop())
		delete(b.txns, xid)
	}
	b.inMem = 0
	return errors.Join(errs...)
}

// undone resolves the partial rollbacks to the sequence numbers of the
// changes they undo: for each, the latest earlier change of its row not
// already undone. Only the rows named by rollbacks are tracked, so memory
// follows the number of rollbacks, not of changes.
func (t *txn) undone() (map[int]bool, error) {
	if len(t.undo) == 0 {
		return nil, nil
	}
	rows := map[string][]int{} // row → sequence numbers of its changes not undone
	for _, u := range t.undo {
		rows[u.rowID] = nil
	}
	out := map[int]bool{}
	next := 0
	apply := func(upto int) {
		for ; next < len(t.undo) && t.undo[next].seq <= upto; next++ {
			u := t.undo[next]
			if s := rows[u.rowID]; len(s) > 0 {
				out[s[len(s)-1]] = true
				rows[u.rowID] = s[:len(s)-1]
			}
		}
	}
	err := t.each(func(seq int, c Change) error {
		apply(seq)
		if s, ok := rows[c.RowID]; ok {
			rows[c.RowID] = append(s, seq)
		}
		return nil
	})
	apply(t.count)
	return out, err
}

// each calls f with every change, spilled ones first, and its sequence
// number.
func (t *txn) each(f func(int, Change) error) error {
	seq := 0
	if t.spill != nil {
		if _, err := t.spill.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("read back spilled transaction %s: %w", t.xid, err)
		}
		r := bufio.NewReaderSize(t.spill, 1<<16)
		for ; seq < t.spilled; seq++ {
			c, err := readChange(r)
			if err != nil {
				return fmt.Errorf("read back spilled transaction %s: %w", t.xid, err)
			}
			if err := f(seq, c); err != nil {
				return err
			}
		}
	}
	for _, c := range t.mem {
		if err := f(seq, c); err != nil {
			return err
		}
		seq++
	}
	return nil
}

// spillLargest moves the in-memory changes of the transaction holding the
// most to its spill file.
func (b *Buffer) spillLargest() error {
	var big *txn
	for _, t := range b.txns {
		if big == nil || t.memBytes > big.memBytes || t.memBytes == big.memBytes && t.xid < big.xid {
			big = t
		}
	}
	if big == nil || big.memBytes == 0 {
		return fmt.Errorf("transaction buffer over its %d-byte limit with nothing to spill", b.Limit)
	}
	if big.spill == nil {
		if err := os.MkdirAll(b.Dir, 0o700); err != nil {
			return fmt.Errorf("spill directory: %w", err)
		}
		f, err := os.CreateTemp(b.Dir, "txn-*.spill")
		if err != nil {
			return fmt.Errorf("spill transaction %s: %w", big.xid, err)
		}
		big.spill = f
	}
	if _, err := big.spill.Seek(0, io.SeekEnd); err != nil {
		return fmt.Errorf("spill transaction %s: %w", big.xid, err)
	}
	w := bufio.NewWriterSize(big.spill, 1<<16)
	for _, c := range big.mem {
		if err := writeChange(w, c); err != nil {
			return fmt.Errorf("spill transaction %s: %w", big.xid, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("spill transaction %s: %w", big.xid, err)
	}
	big.spilled += len(big.mem)
	b.inMem -= big.memBytes
	big.mem, big.memBytes = nil, 0
	return nil
}

func (t *txn) drop() error {
	if t.spill == nil {
		return nil
	}
	name := t.spill.Name()
	t.spill.Close()
	t.spill = nil
	return os.Remove(name)
}

// A spilled change is its SCN, then the row id and the data, each with
// its length.
func writeChange(w *bufio.Writer, c Change) error {
	var hdr [binary.MaxVarintLen64 * 3]byte
	n := binary.PutUvarint(hdr[:], c.SCN)
	n += binary.PutUvarint(hdr[n:], uint64(len(c.RowID)))
	n += binary.PutUvarint(hdr[n:], uint64(len(c.Data)))
	if _, err := w.Write(hdr[:n]); err != nil {
		return err
	}
	if _, err := w.WriteString(c.RowID); err != nil {
		return err
	}
	_, err := w.Write(c.Data)
	return err
}

func readChange(r *bufio.Reader) (Change, error) {
	var c Change
	var err error
	if c.SCN, err = binary.ReadUvarint(r); err != nil {
		return c, err
	}
	rl, err := binary.ReadUvarint(r)
	if err != nil {
		return c, err
	}
	dl, err := binary.ReadUvarint(r)
	if err != nil {
		return c, err
	}
	buf := make([]byte, rl+dl)
	if _, err := io.ReadFull(r, buf); err != nil {
		return c, err
	}
	c.RowID, c.Data = string(buf[:rl]), buf[rl:]
	return c, nil
}

// SpillFiles lists the spill files under dir (left by a process that was
// killed: a restart removes them, as it mines their transactions again).
func SpillFiles(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, "txn-*.spill"))
	sort.Strings(m)
	return m
}
