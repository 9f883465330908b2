package mysql

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// special marks a source value that export data writes differently from
// how MySQL shows it, or that the converted column type may reject. Both
// the snapshot (appendValue) and the binlog (valueConv) report them, and
// the Source counts them for the end-of-export summary (Warnings).
type special uint8

const (
	spPlain special = iota
	// spZeroDate: a zero or partly zero date/datetime/timestamp
	// ('0000-00-00', '2020-00-10'), written as NULL.
	spZeroDate
	// spEnumError: MySQL's ENUM error value '' (index 0), stored for an
	// invalid value in non-strict sql_mode; written as NULL.
	spEnumError
	// spLongTime: a TIME outside 00:00:00..24:00:00 (MySQL TIME is a
	// duration, -838:59:59..838:59:59). Written as MySQL prints it, which is
	// valid interval input; a PostgreSQL time column rejects it.
	spLongTime
)

// valueStats counts the special values all exports of a Source met.
type valueStats struct {
	zeroDates, enumErrors atomic.Int64

	mu        sync.Mutex
	longTimes map[string]*longTimeStat // "table.column"
}

type longTimeStat struct {
	n       int64
	example string
}

// tally is one chunk's (or one binlog row's) share of valueStats, added
// up without locks and merged once.
type tally struct {
	zeroDates, enumErrors int64
	longTimes             map[string]*longTimeStat
}

func (t *tally) add(sp special, table, column string, value []byte) {
	switch sp {
	case spZeroDate:
		t.zeroDates++
	case spEnumError:
		t.enumErrors++
	case spLongTime:
		if t.longTimes == nil {
			t.longTimes = map[string]*longTimeStat{}
		}
		k := table + "." + column
		if st := t.longTimes[k]; st != nil {
			st.n++
		} else {
			t.longTimes[k] = &longTimeStat{n: 1, example: string(value)}
		}
	}
}

// add counts one value (value is its text, nil for NULL).
func (v *valueStats) add(sp special, table, column string, value *string) {
	var t tally
	var text []byte
	if value != nil {
		text = []byte(*value)
	}
	t.add(sp, table, column, text)
	v.merge(&t)
}

func (v *valueStats) merge(t *tally) {
	v.zeroDates.Add(t.zeroDates)
	v.enumErrors.Add(t.enumErrors)
	if len(t.longTimes) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.longTimes == nil {
		v.longTimes = map[string]*longTimeStat{}
	}
	for k, st := range t.longTimes {
		if have := v.longTimes[k]; have != nil {
			have.n += st.n
		} else {
			v.longTimes[k] = &longTimeStat{n: st.n, example: st.example}
		}
	}
}

// Warnings are the lines export data prints (and logs) at the end: how many
// MySQL placeholder values (zero dates, ENUM error values) were written as
// NULL, and which TIME columns hold values a PostgreSQL time column rejects,
// with the fix. Empty when there is nothing to say.
func (s *Source) Warnings() []string {
	var out []string
	zd, ee := s.stats.zeroDates.Load(), s.stats.enumErrors.Load()
	if zd+ee > 0 {
		var parts []string
		if zd > 0 {
			parts = append(parts, plural(zd, "zero date", "zero dates")+" like 0000-00-00")
		}
		if ee > 0 {
			parts = append(parts, plural(ee, "ENUM error value", "ENUM error values")+" '' from invalid input")
		}
		out = append(out, fmt.Sprintf("MySQL placeholder values written as NULL: %d (%s).", zd+ee, strings.Join(parts, ", ")))
	}
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	if len(s.stats.longTimes) == 0 {
		return out
	}
	cols := make([]string, 0, len(s.stats.longTimes))
	for k := range s.stats.longTimes {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	var list []string
	for _, k := range cols {
		st := s.stats.longTimes[k]
		list = append(list, fmt.Sprintf("%s (%s, e.g. '%s')", k, plural(st.n, "value", "values"), st.example))
	}
	out = append(out, "TIME values outside 00:00:00-24:00:00 exported as durations: "+strings.Join(list, ", ")+
		"; PostgreSQL time rejects them: change these columns to interval on the target "+
		"(ALTER TABLE ... ALTER COLUMN ... TYPE interval) before import data loads them.")
	return out
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// isLongTime reports a TIME value as MySQL prints it ("[-]h..h:mm:ss[.f]")
// that PostgreSQL time cannot hold: negative, or beyond 24:00:00.
func isLongTime(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	if v[0] == '-' {
		return true // MySQL prints no "-00:00:00": a minus sign means a negative value
	}
	colon := -1
	for i, c := range v {
		if c == ':' {
			colon = i
			break
		}
	}
	if colon < 2 {
		return false
	}
	if colon > 2 || string(v[:2]) > "24" {
		return true
	}
	if string(v[:2]) < "24" {
		return false
	}
	for _, c := range v[colon:] { // 24:00:00[.000] is the one valid value at 24
		if c != ':' && c != '0' && c != '.' {
			return true
		}
	}
	return false
}
