package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
)

// seqTrigger is Oracle's pre-identity auto-increment: a BEFORE INSERT row
// trigger whose body only sets the key from a sequence.
type seqTrigger struct {
	name, table, column, sequence string
	ifNull                        bool // wrapped in IF :NEW.col IS NULL
}

// sequenceTrigger recognises
//
//	CREATE [OR REPLACE] TRIGGER t BEFORE INSERT ON tab [REFERENCING ...] FOR EACH ROW
//	[WHEN (...)] BEGIN [IF :NEW.c IS NULL THEN] :NEW.c := seq.NEXTVAL; | SELECT seq.NEXTVAL INTO :NEW.c FROM DUAL; [END IF;] END [t];
func sequenceTrigger(text string) (seqTrigger, bool) {
	toks := ddl.Tokens(text)
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = strings.ToUpper(t.Text)
		if t.Kind == ddl.Quoted {
			words[i] = t.Text
		}
	}
	var st seqTrigger
	i := indexOf(words, "TRIGGER", 0)
	if i < 0 || i+1 >= len(words) {
		return st, false
	}
	st.name = lastName(toks, i+1)
	on := indexOf(words, "ON", i)
	begin := indexOf(words, "BEGIN", i)
	if on < 0 || begin < 0 || !strings.Contains(strings.Join(words[i:on], " "), "BEFORE INSERT") ||
		strings.Contains(strings.Join(words[i:on], " "), " OR ") || !strings.Contains(strings.Join(words[on:begin], " "), "FOR EACH ROW") {
		return st, false
	}
	st.table = lastName(toks, on+1)
	body := words[begin+1:]
	btoks := toks[begin+1:]
	// END [name] ; closes the block.
	end := len(body) - 1
	for end >= 0 && body[end] != "END" {
		end--
	}
	if end < 0 {
		return st, false
	}
	body, btoks = body[:end], btoks[:end]
	if len(body) > 11 && body[0] == "IF" && strings.Join(body[1:4], " ") == ": NEW ." && body[5] == "IS" && body[6] == "NULL" && body[7] == "THEN" &&
		strings.Join(body[len(body)-3:], " ") == "END IF ;" {
		st.ifNull = true
		col := body[4]
		body, btoks = body[8:len(body)-3], btoks[8:len(btoks)-3]
		c, s, ok := assignment(body, btoks)
		if !ok || strings.ToUpper(c) != strings.ToUpper(col) {
			return st, false
		}
		st.column, st.sequence = c, s
		return st, true
	}
	c, s, ok := assignment(body, btoks)
	st.column, st.sequence = c, s
	return st, ok
}

// assignment matches ":NEW.c := seq.NEXTVAL;" or "SELECT seq.NEXTVAL INTO
// :NEW.c FROM DUAL;" exactly, seq possibly owner-qualified.
func assignment(w []string, toks []ddl.Token) (col, seq string, ok bool) {
	j := strings.Join(w, " ")
	switch {
	case len(w) >= 9 && strings.HasPrefix(j, ": NEW . ") && w[4] == ":=" && strings.HasSuffix(j, ". NEXTVAL ;"):
		seq, ok = seqName(toks[5 : len(toks)-3])
		return name(toks[3]), seq, ok
	case len(w) >= 11 && w[0] == "SELECT" && strings.HasSuffix(j, "FROM DUAL ;"):
		into := indexOf(w, "INTO", 0)
		if into < 4 || into+8 != len(w) || w[into-1] != "NEXTVAL" || w[into-2] != "." || strings.Join(w[into+1:into+4], " ") != ": NEW ." {
			return "", "", false
		}
		seq, ok = seqName(toks[1 : into-2])
		return name(toks[into+4]), seq, ok
	}
	return "", "", false
}

// seqName reads seq or owner.seq from tokens.
func seqName(toks []ddl.Token) (string, bool) {
	switch len(toks) {
	case 1:
		return name(toks[0]), toks[0].Kind == ddl.Word || toks[0].Kind == ddl.Quoted
	case 3:
		return name(toks[2]), toks[1].Text == "."
	}
	return "", false
}

func name(t ddl.Token) string {
	n, _ := t.Ident()
	return n
}

// lastName reads [owner.]name starting at i and returns the name.
func lastName(toks []ddl.Token, i int) string {
	if i+2 < len(toks) && toks[i+1].Text == "." {
		return name(toks[i+2])
	}
	return name(toks[i])
}

func indexOf(w []string, s string, from int) int {
	for i := from; i < len(w); i++ {
		if w[i] == s {
			return i
		}
	}
	return -1
}

// noteSequenceTrigger says what became of the trigger.
func (v *converter) noteSequenceTrigger(st ddl.Statement, tr seqTrigger) {
	why := fmt.Sprintf("%s: trigger %s only sets %s from sequence %s: it becomes the column's DEFAULT nextval and is not created", where(st), PGName(tr.name), PGName(tr.column), PGName(tr.sequence))
	if !tr.ifNull {
		why += " (the trigger also overwrote values given explicitly; the default does not)"
	}
	v.note("TRIGGER "+v.qname(tr.name), why)
}

// applySequenceTriggers turns each recognised trigger into its column's
// default; one whose table or column is not in the script, or whose
// column already has a default, stays PL/SQL (kept commented out).
func (v *converter) applySequenceTriggers() {
	for _, l := range v.seqTriggers {
		tr := l.v
		var col *ddl.Column
		if t := v.tables[tr.table]; t != nil {
			col = t.Column(tr.column)
		}
		if col == nil || col.Default != "" || col.Identity != nil {
			v.units = append(v.units, l.st) // translated as any trigger
			continue
		}
		col.Default = `"` + tr.sequence + `".NEXTVAL`
		v.noteSequenceTrigger(l.st, tr)
	}
}
