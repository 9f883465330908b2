package queue

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLinesAcrossChunksStayIntact(t *testing.T) {
	long := strings.Repeat("x", 3*lineChunk) // longer than a chunk: the chunk grows
	var want []string
	var in strings.Builder
	for i := 0; i < 3000; i++ {
		l := strings.Repeat("ab", i%300) + "\n"
		if i == 1500 {
			l = long + "\n"
		}
		want = append(want, l)
		in.WriteString(l)
	}
	in.WriteString("partial")
	// Short reads: lines meet the end of what was read at many places.
	l := &lines{r: iotest.HalfReader(strings.NewReader(in.String()))}
	var got [][]byte
	for {
		line, err := l.next()
		if errors.Is(err, io.EOF) {
			if string(line) != "partial" {
				t.Fatalf("at the end: %q, want the unterminated %q", line, "partial")
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i := range want { // checked after all reads: earlier lines were not overwritten
		if string(got[i]) != want[i] {
			t.Fatalf("line %d: %d bytes, want %d", i, len(got[i]), len(want[i]))
		}
	}
}
