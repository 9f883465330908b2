package redo

import (
	"reflect"
	"strings"
	"testing"
)

// feed gives the assembler the pieces as V$LOGMNR_CONTENTS rows would: CSF
// = 1 on all but the last. It fails unless only the last completes.
func feed(t *testing.T, a *Assembler, pieces []string) string {
	t.Helper()
	for i, p := range pieces {
		last := i == len(pieces)-1
		stmt, ok := a.Add(p, !last)
		if ok != last || (!last && stmt != "") || a.Pending() == last {
			t.Fatalf("piece %d of %d: complete=%v pending=%v", i+1, len(pieces), ok, a.Pending())
		}
		if last {
			return stmt
		}
	}
	return ""
}

// chunks cuts s every n bytes, as LogMiner cuts at 4000: anywhere, inside
// a literal, a name or a multibyte character.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func TestAssembler_Add(t *testing.T) {
	sqls, _ := hrLogMiner(t)
	var a Assembler
	// Every HR insert cut in two at every byte.
	for k, sql := range sqls[:20] {
		for i := 1; i < len(sql); i++ {
			got := feed(t, &a, []string{sql[:i], sql[i:]})
			if got != sql {
				t.Fatalf("statement %d cut at %d: got %q", k, i, got)
			}
		}
	}
	// A one-row statement passes through untouched.
	if got, ok := a.Add(sqls[0], false); !ok || got != sqls[0] {
		t.Fatalf("one row: %q %v", got, ok)
	}
	// A long statement (quotes doubled, UTF-8 text) in 4000-byte rows, and
	// in 7-byte ones, parses to what the whole statement does.
	long := longStatement()
	whole, err := Parse(long)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{4000, 7, 1} {
		pieces := chunks(long, n)
		got := feed(t, &a, pieces)
		r, err := Parse(got)
		if err != nil || !reflect.DeepEqual(r, whole) {
			t.Fatalf("%d rows of %d bytes: %v", len(pieces), n, err)
		}
	}
}

// longStatement is an update whose SET value spans several 4000-byte rows:
// Chinook names (accents, quotes) joined by ||, as LogMiner writes a long
// VARCHAR2.
func longStatement() string {
	var parts []string
	for i := 0; i < 400; i++ {
		parts = append(parts, `'São José dos Campos, O''Brien — Köhler '`)
	}
	return `update "CHINOOK"."CUSTOMER" set "ADDRESS" = ` + strings.Join(parts, " || ") +
		` where "CUSTOMERID" = '1' and ROWID = 'AAAHSkAABAAAY6rAAO';`
}

func TestAssembler_Reset(t *testing.T) {
	var a Assembler
	a.Add("insert into \"T\"(\"A\") values ('ab", true)
	a.Reset()
	if a.Pending() {
		t.Fatal("pending after Reset")
	}
	stmt, ok := a.Add(`delete from "T" where "A" = '1'`, false)
	if !ok || stmt != `delete from "T" where "A" = '1'` {
		t.Fatalf("after Reset: %q", stmt)
	}
	// A huge statement's buffer is not kept.
	big := strings.Repeat("x", 2*keepCap)
	a.Add(big, true)
	a.Add("", false)
	if cap(a.buf) > keepCap {
		t.Fatalf("kept %d bytes", cap(a.buf))
	}
}
