package redo

import (
	"fmt"
	"unicode/utf8"
)

// Op is the kind of change a statement makes.
type Op uint8

// Operations.
const (
	Insert Op = iota + 1
	Update
	Delete
)

func (o Op) String() string {
	switch o {
	case Insert:
		return "INSERT"
	case Update:
		return "UPDATE"
	case Delete:
		return "DELETE"
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// Value is one column value as the statement writes it. At most one of
// Null, EmptyLOB and Unsupported is set; otherwise Text holds the value.
type Value struct {
	// Text is a literal's content (quotes removed, '' undoubled, UNISTR
	// escapes and concatenations decoded), a number as written, or the
	// first argument of Func.
	Text string
	// Func is TO_DATE, TO_TIMESTAMP, TO_TIMESTAMP_TZ, TO_YMINTERVAL,
	// TO_DSINTERVAL or HEXTORAW when the value is written through one (in
	// upper case), "" for a plain value.
	Func string
	// Format is the second argument of TO_DATE / TO_TIMESTAMP[_TZ], "" if
	// not given (the session's NLS format then applies).
	Format string
	Null   bool
	// EmptyLOB is EMPTY_CLOB() / EMPTY_BLOB(): the LOB's content, if any,
	// comes in later rows of the transaction.
	EmptyLOB bool
	// Unsupported is LogMiner's "Unsupported Type": the value is not in the
	// redo text at all.
	Unsupported bool
}

// Column is a column and its value. Name is in catalog form: an unquoted
// name upper-cased, a quoted one as written; "" for a positional INSERT.
type Column struct {
	Name  string
	Value Value
}

// Redo is one parsed statement.
type Redo struct {
	Op           Op
	Owner, Table string // Owner is "" when the statement does not qualify the table
	// Set is an INSERT's columns and values, or an UPDATE's SET list.
	Set []Column
	// Where is the WHERE conjuncts of an UPDATE or DELETE ("COL" IS NULL
	// is a Null value), without the ROWID conjunct.
	Where []Column
	// RowID is the value of the ROWID = '...' conjunct, "" without one.
	RowID string
}

// Parse reads one statement of V$LOGMNR_CONTENTS.SQL_REDO (or a one-row
// script INSERT).
func Parse(sql string) (Redo, error) {
	r, more, err := parse(sql)
	if err != nil {
		return Redo{}, err
	}
	if len(more) > 0 {
		return Redo{}, &ParseError{Msg: fmt.Sprintf("an INSERT of %d rows (ParseRows reads those)", len(more)+1)}
	}
	return r, nil
}

// ParseRows is Parse for script INSERTs that may list several rows
// (INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), Oracle 23ai): one Redo
// per row, in order. Any other statement gives one Redo.
func ParseRows(sql string) ([]Redo, error) {
	r, more, err := parse(sql)
	if err != nil {
		return nil, err
	}
	out := make([]Redo, 0, 1+len(more))
	out = append(out, r)
	for _, row := range more {
		out = append(out, Redo{Op: r.Op, Owner: r.Owner, Table: r.Table, Set: row})
	}
	return out, nil
}

// ParseError says where in the statement the reader stopped, and what it
// found there (a short excerpt only).
type ParseError struct {
	Offset int // byte offset in the statement
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("SQL_REDO at byte %d: %s", e.Offset, e.Msg)
}

// excerptLen bounds the statement text an error may quote.
const excerptLen = 24

// excerpt is the statement text from i, cut at excerptLen bytes (on a
// character boundary) and quoted.
func excerpt(s string, i int) string {
	s = s[min(i, len(s)):]
	if len(s) <= excerptLen {
		return fmt.Sprintf("%q", s)
	}
	n := excerptLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%q...", s[:n])
}
