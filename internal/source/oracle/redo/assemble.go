package redo

// Assembler joins the rows of one long SQL_REDO. V$LOGMNR_CONTENTS holds at
// most 4000 bytes of SQL_REDO per row; a longer statement is continued in
// the next row(s) the view returns, CSF (continuation SQL flag) = 1 on
// every row but the last (Oracle Database Reference, V$LOGMNR_CONTENTS,
// CSF). The cut falls anywhere, inside a literal or a name, so the pieces
// are joined as they are, with nothing between them.
//
// An Assembler holds at most one statement; the zero value is ready.
type Assembler struct {
	buf     []byte
	pending bool
}

// keepCap bounds the buffer kept between statements, so one huge LOB-sized
// statement does not pin its memory for the rest of the stream.
const keepCap = 64 << 10

// Add takes one row's SQL_REDO and CSF. It returns the whole statement
// and true on the row that completes it (CSF = 0), else "" and false.
func (a *Assembler) Add(text string, csf bool) (stmt string, complete bool) {
	if !csf && !a.pending {
		return text, true // the usual case: a one-row statement, no copy
	}
	a.buf = append(a.buf, text...)
	a.pending = csf
	if csf {
		return "", false
	}
	stmt = string(a.buf)
	a.Reset()
	return stmt, true
}

// Pending reports whether a statement is started and not yet complete (at
// the end of a mining window, its remaining rows are still to come).
func (a *Assembler) Pending() bool { return a.pending }

// Reset drops a partial statement (after an error, before re-reading from
// a known position).
func (a *Assembler) Reset() {
	a.pending = false
	if cap(a.buf) > keepCap {
		a.buf = nil
		return
	}
	a.buf = a.buf[:0]
}
