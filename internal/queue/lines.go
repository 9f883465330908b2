package queue

import (
	"bytes"
	"io"
)

// lines reads newline-terminated lines into chunks it never reuses: a line
// stays valid after later reads (events keep substrings of their line), at
// one allocation per chunk instead of one per line.
type lines struct {
	r        io.Reader
	buf      []byte
	off, end int // buf[off:end] is read and not yet returned
}

const lineChunk = 256 << 10

// next returns the next line, '\n' included. At the end of the input it
// returns io.EOF, with the bytes of an unterminated last line if there are
// some (they stay unread: a writer may still be appending).
func (l *lines) next() ([]byte, error) {
	scanned := 0 // bytes of buf[off:end] known to hold no '\n'
	for {
		if i := bytes.IndexByte(l.buf[l.off+scanned:l.end], '\n'); i >= 0 {
			n := scanned + i + 1
			line := l.buf[l.off : l.off+n : l.off+n]
			l.off += n
			return line, nil
		}
		scanned = l.end - l.off
		if l.end == len(l.buf) { // full: a new chunk, starting with the partial line
			part := l.buf[l.off:l.end]
			nb := make([]byte, max(lineChunk, 2*len(part)))
			l.end, l.buf, l.off = copy(nb, part), nb, 0
		}
		n, err := l.r.Read(l.buf[l.end:])
		l.end += n
		if n == 0 && err != nil {
			return l.buf[l.off:l.end:l.end], err
		}
	}
}
