package mysql

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/source"
)

// conv says how a column's MySQL text value becomes COPY text for the
// column's converted PostgreSQL type (see mapType).
type conv int

const (
	cAsIs      conv = iota // the text as MySQL prints it
	cDate                  // date, datetime: zero dates become NULL
	cTimestamp             // timestamp: zero dates become NULL, else "+00" appended (read in UTC)
	cBytes                 // binary, varbinary, blob: bytea hex "\x..."
	cBool                  // bit(1): t/f
	cBits                  // bit(n): n characters 0/1
	cSet                   // set: array literal {a,b}
	cEnum                  // enum: selected as its index; 0 (the error value '') becomes NULL
	cTime                  // time: as is; values outside 00:00:00..24:00:00 are counted
)

// colPlan is how one exported column is selected and converted.
type colPlan struct {
	name   string // column name
	expr   string // select-list expression
	conv   conv
	width  int      // bit width, for cBits
	labels []string // enum labels, for cEnum (index i is labels[i-1])
}

func planColumn(c Column) colPlan {
	p := colPlan{name: c.Name, expr: backtick(c.Name)}
	m := mapType(c, false)
	switch m.kind {
	case kEnum:
		// The index, not the text: the error value '' (index 0) and a
		// declared '' label print alike.
		p.conv, p.expr, p.labels = cEnum, p.expr+" + 0", m.labels
	case kTime:
		p.conv = cTime
	case kDate:
		p.conv = cDate
	case kTimestamp:
		p.conv = cDate
		if strings.EqualFold(c.DataType, "timestamp") {
			p.conv = cTimestamp
		}
	case kBytea:
		p.conv = cBytes
	case kBool:
		p.conv = cBool
	case kBit:
		p.conv = cBits
		n, _ := intAttr(c.NumericPrecision, strings.ToLower(c.ColumnType), 0)
		p.width = int(n)
	case kSet:
		p.conv = cSet
	case kOther:
		if strings.HasPrefix(m.note, "spatial type") {
			// The target column is text: write the geometry as WKT, not MySQL's internal WKB.
			p.expr = "ST_AsText(" + p.expr + ")"
		}
	}
	return p
}

// ExportChunk streams the chunk's rows (SELECT ... FROM `db`.`table` WHERE
// filter, read row by row) to w in COPY text format, converting each value
// for its target type, and returns the number of rows written.
func (sn *Snapshot) ExportChunk(ctx context.Context, worker int, c source.Chunk, columns []string, w io.Writer) (int64, error) {
	if worker < 0 || worker >= len(sn.workers) {
		return 0, fmt.Errorf("export chunk %d of %s: no worker %d", c.ChunkNo, c.Table, worker)
	}
	if len(columns) == 0 {
		return 0, fmt.Errorf("export chunk %d of %s: no columns", c.ChunkNo, c.Table)
	}
	table := c.Relation.Name
	cols, err := sn.src.columns(ctx, table)
	if err != nil {
		return 0, fmt.Errorf("export chunk %d of %s: %w", c.ChunkNo, c.Table, err)
	}
	byName := make(map[string]Column, len(cols))
	for _, col := range cols {
		byName[col.Name] = col
	}
	plans := make([]colPlan, len(columns))
	exprs := make([]string, len(columns))
	for i, name := range columns {
		col, ok := byName[name]
		if !ok {
			return 0, fmt.Errorf("export chunk %d of %s: column %q not found in MySQL table %s.%s", c.ChunkNo, c.Table, name, sn.src.database, table)
		}
		plans[i] = planColumn(col)
		exprs[i] = plans[i].expr
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + sn.src.qualified(table)
	if c.Filter != "" {
		q += " WHERE " + c.Filter
	}
	n, err := sn.stream(ctx, sn.workers[worker], q, table, plans, w)
	if err != nil {
		return n, fmt.Errorf("export chunk %d of %s (%s.%s): %w", c.ChunkNo, c.Table, sn.src.database, table, err)
	}
	return n, nil
}

func (sn *Snapshot) stream(ctx context.Context, conn *sql.Conn, q, table string, plans []colPlan, w io.Writer) (int64, error) {
	rows, err := conn.QueryContext(ctx, q) // no arguments: text protocol, values as MySQL prints them
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(plans))
	ptrs := make([]any, len(plans))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	empty := []byte{}
	bw := bufio.NewWriterSize(w, 256<<10)
	var line []byte
	var n int64
	var specials tally // counted only when the whole chunk is written
	for rows.Next() {
		// A non-nil empty slice stays non-nil for '' and becomes nil for NULL.
		for i := range raw {
			raw[i] = empty
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		line = line[:0]
		for i, v := range raw {
			if i > 0 {
				line = append(line, '\t')
			}
			var sp special
			if line, sp, err = appendValue(line, plans[i], v); err != nil {
				return n, err
			}
			if sp != spPlain {
				specials.add(sp, table, plans[i].name, v)
			}
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, err
	}
	sn.src.stats.merge(&specials)
	return n, nil
}

// appendValue appends one value's COPY text and reports a special value
// (a placeholder written as NULL, a TIME beyond PostgreSQL time's range).
// The error is for a value that cannot be what MySQL sends.
func appendValue(b []byte, p colPlan, v []byte) ([]byte, special, error) {
	if v == nil {
		return append(b, `\N`...), spPlain, nil
	}
	switch p.conv {
	case cDate, cTimestamp:
		if isZeroDate(v) {
			return append(b, `\N`...), spZeroDate, nil
		}
		b = datafile.AppendEscaped(b, v)
		if p.conv == cTimestamp {
			b = append(b, "+00"...)
		}
		return b, spPlain, nil
	case cEnum:
		i, ok := enumIndex(v)
		if !ok {
			return b, spPlain, fmt.Errorf("column %s: ENUM index %q is not a number", p.name, v)
		}
		label, sp, err := enumLabel(p.labels, i)
		if err != nil {
			return b, spPlain, fmt.Errorf("column %s: %w", p.name, err)
		}
		if sp == spEnumError {
			return append(b, `\N`...), sp, nil
		}
		return datafile.AppendEscaped(b, []byte(label)), spPlain, nil
	case cTime:
		b = datafile.AppendEscaped(b, v)
		if isLongTime(v) {
			return b, spLongTime, nil
		}
		return b, spPlain, nil
	case cBytes:
		b = append(b, `\\x`...)
		return hex.AppendEncode(b, v), spPlain, nil
	case cBool:
		for _, c := range v {
			if c != 0 {
				return append(b, 't'), spPlain, nil
			}
		}
		return append(b, 'f'), spPlain, nil
	case cBits:
		return appendBits(b, v, p.width), spPlain, nil
	case cSet:
		return datafile.AppendEscaped(b, setArray(v)), spPlain, nil
	}
	return datafile.AppendEscaped(b, v), spPlain, nil
}

// enumIndex parses the decimal index `col` + 0 returns (at most 65535).
func enumIndex(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 5 {
		return 0, false
	}
	var i int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = 10*i + int64(c-'0')
	}
	return i, true
}

// enumLabel is the label of ENUM index i (1-based), or spEnumError for the
// error value (index 0). An index beyond the labels parsed from COLUMN_TYPE
// is an error, never a silent NULL.
func enumLabel(labels []string, i int64) (string, special, error) {
	switch {
	case i == 0:
		return "", spEnumError, nil
	case i < 0 || i > int64(len(labels)):
		return "", spPlain, fmt.Errorf("ENUM index %d is not one of the %d labels read from the column type", i, len(labels))
	}
	return labels[i-1], spPlain, nil
}

// isZeroDate reports a date or datetime whose year, month or day is zero
// ('0000-00-00', '2020-00-00', '0000-01-01'): MySQL allows them (sql_mode
// permitting), PostgreSQL has no such dates.
func isZeroDate(v []byte) bool {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	return string(v[0:4]) == "0000" || string(v[5:7]) == "00" || string(v[8:10]) == "00"
}

// appendBits writes the big-endian bit value v as width characters 0/1.
func appendBits(b []byte, v []byte, width int) []byte {
	if width <= 0 {
		width = 8 * len(v)
	}
	for i := width - 1; i >= 0; i-- {
		byteIdx := len(v) - 1 - i/8
		bit := byte('0')
		if byteIdx >= 0 && v[byteIdx]&(1<<(i%8)) != 0 {
			bit = '1'
		}
		b = append(b, bit)
	}
	return b
}

// setArray turns a SET value "a,b" into the array literal {a,b}, quoting
// elements the array syntax would misread. SET members cannot contain commas.
func setArray(v []byte) []byte {
	out := []byte{'{'}
	if len(v) > 0 {
		for i, e := range strings.Split(string(v), ",") {
			if i > 0 {
				out = append(out, ',')
			}
			if !needsArrayQuote(e) {
				out = append(out, e...)
				continue
			}
			out = append(out, '"')
			for j := 0; j < len(e); j++ {
				if e[j] == '"' || e[j] == '\\' {
					out = append(out, '\\')
				}
				out = append(out, e[j])
			}
			out = append(out, '"')
		}
	}
	return append(out, '}')
}

func needsArrayQuote(e string) bool {
	return e == "" || strings.EqualFold(e, "NULL") || strings.ContainsAny(e, "\"\\{},' \t\n\r\v\f")
}
