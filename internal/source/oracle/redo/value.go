package redo

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Conversion functions LogMiner writes around a literal, with the number
// of literal arguments each takes (the second, if any, is the format).
var conversions = [...]struct {
	name     string
	min, max int
}{
	{"TO_DATE", 1, 2},
	{"TO_TIMESTAMP", 1, 2},
	{"TO_TIMESTAMP_TZ", 1, 2},
	{"TO_YMINTERVAL", 1, 1},
	{"TO_DSINTERVAL", 1, 1},
	{"HEXTORAW", 1, 1},
}

// value reads one column value.
func (p *parser) value() (Value, error) {
	t := p.tok
	switch t.kind {
	case kString:
		return p.text()
	case kNumber:
		p.advance()
		return Value{Text: t.text}, nil
	case kWord:
		return p.wordValue()
	case kPunct:
		if t.text == "-" || t.text == "+" {
			return p.signed()
		}
	}
	return Value{}, p.fail("expected a value, found %s", p.found())
}

// signed reads -n / +n, kept as written.
func (p *parser) signed() (Value, error) {
	sign := p.tok
	p.advance()
	n := p.tok
	if n.kind != kNumber {
		return Value{}, p.fail("expected a number after %s, found %s", sign.text, p.found())
	}
	p.advance()
	if n.pos == sign.pos+1 {
		return Value{Text: p.sc.src[sign.pos : n.pos+len(n.text)]}, nil
	}
	return Value{Text: sign.text + n.text}, nil
}

// wordValue reads NULL, Unsupported Type, EMPTY_[BC]LOB(), a text built
// of UNISTR / CHR, or a conversion function.
func (p *parser) wordValue() (Value, error) {
	w := p.tok.text
	switch {
	case strings.EqualFold(w, "NULL"):
		p.advance()
		return Value{Null: true}, nil
	case strings.EqualFold(w, "UNSUPPORTED"):
		p.advance()
		if err := p.expectWord("type"); err != nil {
			return Value{}, err
		}
		return Value{Unsupported: true}, nil
	case strings.EqualFold(w, "EMPTY_CLOB") || strings.EqualFold(w, "EMPTY_BLOB"):
		p.advance()
		if err := p.expectPunct("("); err != nil {
			return Value{}, err
		}
		return Value{EmptyLOB: true}, p.expectPunct(")")
	case strings.EqualFold(w, "UNISTR") || strings.EqualFold(w, "CHR"):
		return p.text()
	}
	for _, c := range conversions {
		if strings.EqualFold(w, c.name) {
			return p.conversion(c.name, c.min, c.max)
		}
	}
	if p.sc.at(p.tok.pos+len(w)) == '(' {
		return Value{}, p.fail("unsupported function in a value: %s", p.found())
	}
	return Value{}, p.fail("unsupported value: %s", p.found())
}

// conversion reads NAME('text'[, 'format']).
func (p *parser) conversion(name string, min, max int) (Value, error) {
	p.advance()
	if err := p.expectPunct("("); err != nil {
		return Value{}, err
	}
	var args [2]string
	n := 0
	for {
		if p.tok.kind != kString {
			return Value{}, p.fail("expected a literal argument of %s, found %s", name, p.found())
		}
		if n == max {
			return Value{}, p.fail("%s takes at most %d arguments here, found %s", name, max, p.found())
		}
		args[n] = unquote(p.tok)
		n++
		p.advance()
		if !p.isPunct(",") {
			break
		}
		p.advance()
	}
	if n < min {
		return Value{}, p.fail("%s needs %d arguments, found %s", name, min, p.found())
	}
	if name == "HEXTORAW" && !isHex(args[0]) {
		return Value{}, p.fail("HEXTORAW of a text that is not hexadecimal")
	}
	return Value{Func: name, Text: args[0], Format: args[1]}, p.expectPunct(")")
}

// text reads a string: a literal, UNISTR('...') or CHR(n), or several
// joined by || (LogMiner splits long values that way).
func (p *parser) text() (Value, error) {
	s, err := p.textPart()
	if err != nil || !p.isPunct("||") {
		return Value{Text: s}, err
	}
	var b strings.Builder
	b.WriteString(s)
	for p.isPunct("||") {
		p.advance()
		s, err := p.textPart()
		if err != nil {
			return Value{}, err
		}
		b.WriteString(s)
	}
	return Value{Text: b.String()}, nil
}

func (p *parser) textPart() (string, error) {
	t := p.tok
	switch {
	case t.kind == kString:
		p.advance()
		return unquote(t), nil
	case p.isWord("unistr"):
		p.advance()
		if err := p.expectPunct("("); err != nil {
			return "", err
		}
		if p.tok.kind != kString {
			return "", p.fail("expected a literal argument of UNISTR, found %s", p.found())
		}
		s, err := decodeUnistr(unquote(p.tok))
		if err != nil {
			return "", p.fail("UNISTR: %v", err)
		}
		p.advance()
		return s, p.expectPunct(")")
	case p.isWord("chr"):
		return p.chr()
	}
	return "", p.fail("expected a literal, UNISTR or CHR after ||, found %s", p.found())
}

// chr reads CHR(n). Only ASCII: above 127 the character depends on the
// database character set, which the statement does not say.
func (p *parser) chr() (string, error) {
	p.advance()
	if err := p.expectPunct("("); err != nil {
		return "", err
	}
	n, err := strconv.Atoi(p.tok.text)
	if p.tok.kind != kNumber || err != nil || n > 127 {
		return "", p.fail("CHR of anything but 0 to 127 (ASCII) depends on the database character set: %s", p.found())
	}
	p.advance()
	return string(rune(n)), p.expectPunct(")")
}

// unquote is a literal's value: its doubled quotes undone.
func unquote(t token) string {
	if !t.dbl {
		return t.text
	}
	return strings.ReplaceAll(t.text, "''", "'")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// decodeUnistr decodes UNISTR's escapes to UTF-8: \xxxx is one UTF-16 code
// unit (a supplementary character is a surrogate pair, two escapes),
// \+xxxxxx a code point, \\ a backslash; other characters stand for
// themselves.
func decodeUnistr(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		r, n, err := unistrEscape(s[i:])
		if err != nil {
			return "", err
		}
		b.WriteRune(r)
		i += n
	}
	return b.String(), nil
}

// unistrEscape reads the escape at the start of s: its character and length.
func unistrEscape(s string) (rune, int, error) {
	switch {
	case strings.HasPrefix(s, `\\`):
		return '\\', 2, nil
	case strings.HasPrefix(s, `\+`):
		r, ok := hexRune(s[2:], 6)
		if !ok || !utf8.ValidRune(r) {
			return 0, 0, errors.New(`\+ needs six hex digits of a code point`)
		}
		return r, 8, nil
	}
	u, ok := hexRune(s[1:], 4)
	switch {
	case !ok:
		return 0, 0, errors.New(`\ needs four hex digits (or \\ for a backslash)`)
	case u >= 0xDC00 && u <= 0xDFFF:
		return 0, 0, errors.New("a low surrogate without its high half")
	case u < 0xD800 || u > 0xDBFF:
		return u, 5, nil
	}
	lo, ok := rune(0), len(s) >= 6 && s[5] == '\\'
	if ok {
		lo, ok = hexRune(s[6:], 4)
	}
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return 0, 0, errors.New("a high surrogate without its low half")
	}
	return 0x10000 + (u-0xD800)<<10 + (lo - 0xDC00), 10, nil
}

// hexRune reads exactly n hex digits at the start of s.
func hexRune(s string, n int) (rune, bool) {
	if len(s) < n {
		return 0, false
	}
	var r rune
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case isDigit(c):
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
