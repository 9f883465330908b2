package ddl

import (
	"fmt"
	"strings"
)

// TokKind is the class of a token of a statement's text.
type TokKind int

// Token kinds.
const (
	EOF    TokKind = iota
	Word           // a bare word: keyword or unquoted name, as written
	Quoted         // a "quoted identifier", without its quotes
	String         // a 'literal' (or q'[...]'), without its quotes, '' undoubled
	Number         // 10, 1.5, 1e3
	Punct          // ( ) , . ; and operators
)

// Token is one token of a statement, with its byte offset in the text.
type Token struct {
	Kind TokKind
	Text string
	Pos  int // offset of its first byte in the statement
	End  int // offset just past it
}

// Is reports whether the token is the bare word w (ignoring case).
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// Upper is the text of a word in upper case (a keyword's spelling).
func (t Token) Upper() string { return strings.ToUpper(t.Text) }

// Tokens splits a statement's text. Comments are dropped. Quotes left open
// end the text (the splitter has already reported them).
func Tokens(text string) []Token {
	var out []Token
	for i := 0; i < len(text); {
		c, before := text[i], len(out)
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '/' && strings.HasPrefix(text[i:], "/*"):
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				i = len(text)
			} else {
				i += end + 4
			}
		case c == '"':
			end := strings.IndexByte(text[i+1:], '"')
			if end < 0 {
				end = len(text) - i - 1
			}
			out = append(out, Token{Quoted, text[i+1 : i+1+end], i, 0})
			i += end + 2
		case c == '\'':
			s, n := stringLit(text[i:])
			out = append(out, Token{String, s, i, 0})
			i += n
		case (c == 'q' || c == 'Q') && i+2 < len(text) && text[i+1] == '\'':
			s, n := qLit(text[i+1:])
			out = append(out, Token{String, s, i, 0})
			i += 1 + n
		case (c == 'n' || c == 'N') && i+1 < len(text) && text[i+1] == '\'':
			s, n := stringLit(text[i+1:])
			out = append(out, Token{String, s, i, 0})
			i += 1 + n
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9':
			j := i
			for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == '.') {
				j++
			}
			if j < len(text) && (text[j] == 'e' || text[j] == 'E') {
				k := j + 1
				if k < len(text) && (text[k] == '+' || text[k] == '-') {
					k++
				}
				if k < len(text) && text[k] >= '0' && text[k] <= '9' {
					for j = k; j < len(text) && text[j] >= '0' && text[j] <= '9'; j++ {
					}
				}
			}
			out = append(out, Token{Number, text[i:j], i, 0})
			i = j
		case isWordByte(c):
			j := i
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			out = append(out, Token{Word, text[i:j], i, 0})
			i = j
		default:
			n := 1
			for _, op := range []string{"||", "<=", ">=", "<>", "!=", "^=", "=>", ":="} {
				if strings.HasPrefix(text[i:], op) {
					n = 2
				}
			}
			out = append(out, Token{Punct, text[i : i+n], i, 0})
			i += n
		}
		if len(out) > before {
			out[before].End = min(i, len(text))
		}
	}
	return out
}

// stringLit reads '...' with ” for a quote; it returns the value and the
// bytes consumed.
func stringLit(s string) (string, int) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1
		}
		b.WriteByte(s[i])
	}
	return b.String(), len(s)
}

// qLit reads '[...]' after q (Oracle's alternative quoting).
func qLit(s string) (string, int) {
	if len(s) < 2 {
		return "", len(s)
	}
	open := s[1]
	close := map[byte]byte{'[': ']', '{': '}', '(': ')', '<': '>'}[open]
	if close == 0 {
		close = open
	}
	for i := 2; i+1 < len(s); i++ {
		if s[i] == close && s[i+1] == '\'' {
			return s[2:i], i + 2
		}
	}
	return s[2:], len(s)
}

// cursor walks a statement's tokens for the parsers.
type cursor struct {
	toks []Token
	pos  int
	text string
}

func newCursor(text string) *cursor { return &cursor{toks: Tokens(text), text: text} }

func (c *cursor) peek() Token {
	if c.pos < len(c.toks) {
		return c.toks[c.pos]
	}
	return Token{Kind: EOF, Pos: len(c.text), End: len(c.text)}
}

func (c *cursor) peekN(n int) Token {
	if c.pos+n < len(c.toks) {
		return c.toks[c.pos+n]
	}
	return Token{Kind: EOF, Pos: len(c.text), End: len(c.text)}
}

func (c *cursor) next() Token { t := c.peek(); c.pos++; return t }

func (c *cursor) eof() bool { return c.pos >= len(c.toks) }

// accept consumes the words if they come next (ignoring case).
func (c *cursor) accept(words ...string) bool {
	for i, w := range words {
		t := c.peekN(i)
		if !(t.Is(w) || t.Kind == Punct && t.Text == w) {
			return false
		}
	}
	c.pos += len(words)
	return true
}

func (c *cursor) expect(words ...string) error {
	if !c.accept(words...) {
		return c.errorf("expected %s, found %s", strings.Join(words, " "), c.describe())
	}
	return nil
}

func (c *cursor) describe() string {
	t := c.peek()
	if t.Kind == EOF {
		return "the end of the statement"
	}
	return fmt.Sprintf("%q", t.Text)
}

// ParseError says where in a statement the reader stopped understanding.
type ParseError struct {
	Offset int
	Msg    string
}

func (e *ParseError) Error() string { return e.Msg }

func (c *cursor) errorf(format string, a ...any) error {
	return &ParseError{Offset: c.peek().Pos, Msg: fmt.Sprintf(format, a...)}
}

// skipGroup skips a balanced ( ... ) starting at the current "(" and
// returns the text inside.
func (c *cursor) skipGroup() (string, error) {
	open := c.next()
	if open.Text != "(" {
		return "", c.errorf("expected (, found %q", open.Text)
	}
	depth := 1
	for !c.eof() {
		t := c.next()
		switch {
		case t.Kind == Punct && t.Text == "(":
			depth++
		case t.Kind == Punct && t.Text == ")":
			depth--
			if depth == 0 {
				return strings.TrimSpace(c.text[open.Pos+1 : t.Pos]), nil
			}
		}
	}
	return "", &ParseError{Offset: open.Pos, Msg: "a ( is never closed"}
}
