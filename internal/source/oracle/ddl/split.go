// Package ddl reads Oracle DDL as text: a script a DBA keeps under version
// control, a SQL Developer export, or what DBMS_METADATA.GET_DDL returns on
// a live source all go through this one reader, so the offline tests on
// real scripts exercise what a live export runs.
//
// This file splits a script into statements the way SQL*Plus does: a SQL
// statement ends at a semicolon outside quotes and comments; a PL/SQL unit
// (CREATE PROCEDURE / FUNCTION / PACKAGE / TRIGGER / TYPE, an anonymous
// block) ends at a line holding only "/"; SQL*Plus commands (SET, PROMPT,
// REM, CONNECT, @file, ...) are one line each and are reported, never run,
// and never copied (CONNECT lines carry passwords).
package ddl

import (
	"strings"
)

// Statement is one SQL statement or PL/SQL unit of a script.
type Statement struct {
	File string
	Line int    // line of its first word
	Text string // without the terminating ; (a PL/SQL unit keeps its own)
	Kind Kind
}

// Directive is a SQL*Plus command line, recorded by its command word only.
type Directive struct {
	File    string
	Line    int
	Command string // upper case: SET, PROMPT, CONNECT, @, ...
}

// Finding is something in the script the reader could not use, with where.
type Finding struct {
	File string
	Line int
	Msg  string
}

// sqlplus lists SQL*Plus commands that may begin a line (with their
// shortest abbreviations as SQL*Plus accepts them).
var sqlplus = map[string]bool{
	"REM": true, "REMARK": true, "PROMPT": true, "PRO": true, "SET": true, "SPOOL": true, "SPO": true,
	"WHENEVER": true, "CONNECT": true, "CONN": true, "DISCONNECT": true, "DISC": true, "EXIT": true, "QUIT": true,
	"DEFINE": true, "DEF": true, "UNDEFINE": true, "UNDEF": true, "COLUMN": true, "COL": true, "SHOW": true, "SHO": true,
	"ACCEPT": true, "ACC": true, "PAUSE": true, "TTITLE": true, "BTITLE": true, "BREAK": true, "COMPUTE": true,
	"CLEAR": true, "CL": true, "VARIABLE": true, "VAR": true, "PRINT": true, "HOST": true, "DESCRIBE": true, "DESC": true,
	"START": true, "STORE": true, "TIMING": true, "EXECUTE": true, "EXEC": true, "PASSWORD": true, "STARTUP": true,
	"SHUTDOWN": true, "RECOVER": true, "ARCHIVE": true, "COPY": true, "SAVE": true, "GET": true, "EDIT": true, "ED": true,
	"RUN": true, "R": true, "LIST": true, "L": true, "INPUT": true, "APPEND": true, "CHANGE": true, "DEL": true,
	"XQUERY": true, "ATTRIBUTE": true, "REPHEADER": true, "REPFOOTER": true, "HELP": true,
}

// sqlAfterSet: SET TRANSACTION / SET ROLE / SET CONSTRAINT[S] are SQL.
var sqlAfterSet = map[string]bool{"TRANSACTION": true, "ROLE": true, "CONSTRAINT": true, "CONSTRAINTS": true}

type splitter struct {
	file  string
	out   []Statement
	dirs  []Directive
	finds []Finding

	buf       strings.Builder
	startLine int
	words     []string // the first words of the statement, upper case
	inWord    bool
	word      strings.Builder
}

// Split reads a script. It never fails: what it cannot read is a Finding.
func Split(file string, src []byte) ([]Statement, []Directive, []Finding) {
	s := &splitter{file: file}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.SplitAfter(text, "\n")
	st := lexState{}
	for i := 0; i < len(lines); i++ {
		line, n := lines[i], i+1
		if st.clean() && s.empty() {
			if cmd, ok := directive(line); ok {
				s.dirs = append(s.dirs, Directive{File: file, Line: n, Command: cmd})
				// A trailing " -" continues a SQL*Plus command on the next line.
				for strings.HasSuffix(strings.TrimRight(lines[i], " \t\n"), " -") && i+1 < len(lines) {
					i++
				}
				continue
			}
		}
		if st.clean() && strings.TrimSpace(line) == "/" {
			if s.empty() {
				s.buf.Reset() // a "/" re-running the previous statement
			} else {
				s.emit(true)
			}
			continue
		}
		s.scan(&st, line, n)
	}
	if !s.empty() {
		what := "statement"
		if isPLSQL(s.words) {
			what = "PL/SQL unit"
		}
		msg := "the script ends inside a " + what + " (no closing ; or /): it is read as it is"
		switch {
		case st.quote != 0:
			msg = "the script ends inside a quoted string opened in this statement: check for a missing '"
		case st.block:
			msg = "the script ends inside a /* comment opened in this statement"
		}
		s.finds = append(s.finds, Finding{File: file, Line: s.startLine, Msg: msg})
		s.emit(true)
	}
	return s.out, s.dirs, s.finds
}

// empty: no word or quote of a statement yet (comments alone do not count).
func (s *splitter) empty() bool { return s.startLine == 0 }

// directive reports whether a line (at a statement boundary) is a SQL*Plus
// command, and which.
func directive(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if t == "" {
		return "", false
	}
	if strings.HasPrefix(t, "@") {
		return "@", true
	}
	if strings.HasPrefix(t, "!") {
		return "HOST", true
	}
	f := strings.Fields(t)
	w := strings.ToUpper(strings.TrimRight(f[0], ";"))
	if !sqlplus[w] {
		return "", false
	}
	if w == "SET" && len(f) > 1 && sqlAfterSet[strings.ToUpper(f[1])] {
		return "", false
	}
	return w, true
}

// lexState is what carries over from one line to the next.
type lexState struct {
	quote  byte // ' or " while inside one; ']' etc. for q'[...]'
	qclose byte // closing delimiter of a q-quote
	block  bool // inside /* */
}

func (l lexState) clean() bool { return l.quote == 0 && !l.block }

// scan adds one line to the statement, ending it at a semicolon outside
// quotes and comments unless it is a PL/SQL unit.
func (s *splitter) scan(st *lexState, line string, n int) {
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case st.block:
			s.buf.WriteByte(c)
			if c == '*' && i+1 < len(line) && line[i+1] == '/' {
				s.buf.WriteByte('/')
				i++
				st.block = false
			}
			continue
		case st.qclose != 0:
			s.buf.WriteByte(c)
			if c == st.qclose && i+1 < len(line) && line[i+1] == '\'' {
				s.buf.WriteByte('\'')
				i++
				st.qclose, st.quote = 0, 0
			}
			continue
		case st.quote != 0:
			s.buf.WriteByte(c)
			if c == st.quote {
				if i+1 < len(line) && line[i+1] == c { // '' inside '...'
					s.buf.WriteByte(c)
					i++
					continue
				}
				st.quote = 0
			}
			continue
		}
		switch {
		case c == '-' && i+1 < len(line) && line[i+1] == '-':
			s.endWord()
			s.buf.WriteString(line[i:])
			return
		case c == '/' && i+1 < len(line) && line[i+1] == '*':
			s.endWord()
			st.block = true
			s.buf.WriteString("/*")
			i++
			continue
		case (c == 'q' || c == 'Q' || c == 'n' || c == 'N') && s.qQuote(st, line, &i, n):
			continue
		case c == '\'' || c == '"':
			s.note(n)
			s.endWord()
			st.quote = c
			s.buf.WriteByte(c)
			continue
		case c == ';':
			s.endWord()
			if !isPLSQL(s.words) {
				s.emit(false)
				continue
			}
		}
		if isWordByte(c) {
			s.note(n)
			s.inWord = true
			s.word.WriteByte(c)
		} else {
			s.endWord()
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				s.note(n)
			}
		}
		s.buf.WriteByte(c)
	}
	s.endWord()
}

// qQuote handles Oracle's alternative quoting, q'[...]' (and nq'...'):
// the text runs to the closing delimiter followed by a quote.
func (s *splitter) qQuote(st *lexState, line string, i *int, n int) bool {
	j := *i + 1
	if (line[*i] == 'n' || line[*i] == 'N') && j < len(line) && (line[j] == 'q' || line[j] == 'Q') {
		j++
	}
	if s.inWord || j+1 >= len(line) || line[j] != '\'' || line[j-1] == '\'' {
		return false
	}
	if line[j-1] != 'q' && line[j-1] != 'Q' {
		return false
	}
	open := line[j+1]
	if open == ' ' || open == '\t' || open == '\n' {
		return false
	}
	close := map[byte]byte{'[': ']', '{': '}', '(': ')', '<': '>'}[open]
	if close == 0 {
		close = open
	}
	s.note(n)
	s.buf.WriteString(line[*i : j+2])
	st.quote, st.qclose = '\'', close
	*i = j + 1
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func (s *splitter) note(n int) {
	if s.startLine == 0 {
		s.startLine = n
	}
}

func (s *splitter) endWord() {
	if !s.inWord {
		return
	}
	if len(s.words) < 8 {
		s.words = append(s.words, strings.ToUpper(s.word.String()))
	}
	s.word.Reset()
	s.inWord = false
}

func (s *splitter) emit(keepSemicolon bool) {
	text := strings.TrimSpace(stripLeadingComments(s.buf.String()))
	if !keepSemicolon {
		text = strings.TrimSpace(text)
	}
	if text != "" {
		s.out = append(s.out, Statement{File: s.file, Line: s.startLine, Text: text, Kind: Classify(s.words)})
	}
	s.buf.Reset()
	s.words = s.words[:0]
	s.startLine = 0
}

// stripLeadingComments drops the comments before a statement's first word
// (section banners of a script), keeping those inside it.
func stripLeadingComments(t string) string {
	for {
		t = strings.TrimLeft(t, " \t\r\n")
		switch {
		case strings.HasPrefix(t, "--"):
			if i := strings.IndexByte(t, '\n'); i >= 0 {
				t = t[i+1:]
				continue
			}
			return ""
		case strings.HasPrefix(t, "/*"):
			if i := strings.Index(t[2:], "*/"); i >= 0 {
				t = t[i+4:]
				continue
			}
			return ""
		}
		return t
	}
}
