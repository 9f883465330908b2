package redo

import "strings"

// A dedicated scanner rather than ddl.Tokens: this runs once per captured
// row, so it hands out one token at a time, slices the statement instead of
// copying (a literal is copied only when it holds a doubled quote), and
// never builds a token list.

type kind uint8

const (
	kEOF    kind = iota
	kWord        // a bare word, as written
	kQuoted      // a "quoted identifier", without its quotes
	kString      // a 'literal' (N'..', q'[..]'), without its quotes
	kNumber      // 10, .05, 1.5E+10 (no sign)
	kPunct       // one byte, or ||
	kBad         // a quote never closed
)

type token struct {
	kind kind
	text string
	pos  int  // offset of its first byte in the statement
	dbl  bool // a kString whose text still holds '' for each quote
}

type scanner struct {
	src string
	pos int
}

func (s *scanner) at(i int) byte {
	if i < len(s.src) {
		return s.src[i]
	}
	return 0
}

func (s *scanner) next() token {
	s.skipSpace()
	start := s.pos
	if start >= len(s.src) {
		return token{kind: kEOF, pos: start}
	}
	c, c1 := s.src[start], s.at(start+1)
	switch {
	case c == '\'':
		return s.literal(start, start)
	case c == '"':
		return s.quoted(start)
	case (c == 'n' || c == 'N') && c1 == '\'':
		return s.literal(start, start+1)
	case (c == 'q' || c == 'Q') && c1 == '\'':
		return s.qLiteral(start, start+1)
	case (c == 'n' || c == 'N') && (c1 == 'q' || c1 == 'Q') && s.at(start+2) == '\'':
		return s.qLiteral(start, start+2)
	case isDigit(c) || c == '.' && isDigit(c1):
		return s.number(start)
	case isWordByte(c):
		i := start + 1
		for i < len(s.src) && isWordByte(s.src[i]) {
			i++
		}
		s.pos = i
		return token{kind: kWord, text: s.src[start:i], pos: start}
	case c == '|' && c1 == '|':
		s.pos = start + 2
	default:
		s.pos = start + 1
	}
	return token{kind: kPunct, text: s.src[start:s.pos], pos: start}
}

// skipSpace skips white space and comments (LogMiner writes none; scripts
// do).
func (s *scanner) skipSpace() {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			s.pos++
		case c == '-' && s.at(s.pos+1) == '-':
			end := strings.IndexByte(s.src[s.pos:], '\n')
			if end < 0 {
				s.pos = len(s.src)
			} else {
				s.pos += end + 1
			}
		case c == '/' && s.at(s.pos+1) == '*':
			end := strings.Index(s.src[s.pos+2:], "*/")
			if end < 0 {
				s.pos = len(s.src)
			} else {
				s.pos += end + 4
			}
		default:
			return
		}
	}
}

// literal reads '...' whose opening quote is at q (after an N prefix, if
// any); two quotes stand for one.
func (s *scanner) literal(start, q int) token {
	dbl := false
	for i := q + 1; ; {
		j := strings.IndexByte(s.src[i:], '\'')
		if j < 0 {
			s.pos = len(s.src)
			return token{kind: kBad, pos: start}
		}
		i += j
		if s.at(i+1) == '\'' {
			dbl = true
			i += 2
			continue
		}
		s.pos = i + 1
		return token{kind: kString, text: s.src[q+1 : i], pos: start, dbl: dbl}
	}
}

// qLiteral reads Oracle's alternative quoting q'[...]' (any delimiter;
// brackets close with their pair), the quote at q.
func (s *scanner) qLiteral(start, q int) token {
	open := s.at(q + 1)
	close := open
	switch open {
	case '[':
		close = ']'
	case '{':
		close = '}'
	case '(':
		close = ')'
	case '<':
		close = '>'
	case 0, ' ', '\t', '\n', '\r':
		s.pos = len(s.src)
		return token{kind: kBad, pos: start}
	}
	body := q + 2
	for i := body; i+1 < len(s.src); i++ {
		if s.src[i] == close && s.src[i+1] == '\'' {
			s.pos = i + 2
			return token{kind: kString, text: s.src[body:i], pos: start}
		}
	}
	s.pos = len(s.src)
	return token{kind: kBad, pos: start}
}

func (s *scanner) quoted(start int) token {
	end := strings.IndexByte(s.src[start+1:], '"')
	if end < 0 {
		s.pos = len(s.src)
		return token{kind: kBad, pos: start}
	}
	s.pos = start + 2 + end
	return token{kind: kQuoted, text: s.src[start+1 : start+1+end], pos: start}
}

// number reads digits with an optional fraction and exponent.
func (s *scanner) number(start int) token {
	i := start
	for i < len(s.src) && isDigit(s.src[i]) {
		i++
	}
	if s.at(i) == '.' {
		i++
		for i < len(s.src) && isDigit(s.src[i]) {
			i++
		}
	}
	if c := s.at(i); c == 'e' || c == 'E' {
		k := i + 1
		if c := s.at(k); c == '+' || c == '-' {
			k++
		}
		if isDigit(s.at(k)) {
			for i = k; i < len(s.src) && isDigit(s.src[i]); i++ {
			}
		}
	}
	s.pos = i
	return token{kind: kNumber, text: s.src[start:i], pos: start}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte: Oracle names take letters, digits, _ $ #; bytes of a
// multibyte character count as letters.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '$' || c == '#' || c >= 0x80
}
