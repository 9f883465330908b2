package schema

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// unconvertedMark starts a block of source text that export schema could
// not convert: the block stays in the object type's file, commented out,
// for the DBA to rewrite in place; analyze-schema reports every block still
// there (FindUnconverted), so the report follows the edits.
const unconvertedMark = "-- yb-voyager: not converted"

// Unconverted is one such block as the files hold it now.
type Unconverted struct {
	File   string // relative to schema/
	Line   int    // line of the mark
	Origin string // where the source text came from ("hr_code.sql line 66")
	Why    string
	Text   string // the source text, uncommented
}

// CommentOut writes source text as an unconverted block. It ends with a
// newline so that the ";" the file puts after a statement stands alone,
// outside the comment.
func CommentOut(origin, why, text string) string {
	var b strings.Builder
	why = strings.Join(strings.Fields(why), " ") // one line: the marker is a -- comment
	fmt.Fprintf(&b, "%s (%s): %s\n", unconvertedMark, origin, why)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("-- " + line + "\n")
	}
	return b.String()
}

// FindUnconverted lists the unconverted blocks in the schema files under
// dir, in file and line order.
func FindUnconverted(dir string) ([]Unconverted, error) {
	paths, err := schemaFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []Unconverted
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		blocks, err := readUnconverted(p, rel)
		if err != nil {
			return nil, err
		}
		out = append(out, blocks...)
	}
	return out, nil
}

func readUnconverted(path, rel string) ([]Unconverted, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Unconverted
	var cur *Unconverted
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, unconvertedMark):
			out = append(out, Unconverted{File: rel, Line: n})
			cur = &out[len(out)-1]
			head := strings.TrimPrefix(line, unconvertedMark)
			if i := strings.Index(head, "): "); strings.HasPrefix(head, " (") && i > 0 {
				cur.Origin, cur.Why = head[2:i], head[i+3:]
			} else {
				cur.Why = strings.TrimPrefix(head, ": ")
			}
		case cur != nil && strings.HasPrefix(line, "--"):
			cur.Text += strings.TrimPrefix(strings.TrimPrefix(line, "--"), " ") + "\n"
		default:
			cur = nil
		}
	}
	for i := range out {
		out[i].Text = strings.TrimRight(out[i].Text, "\n")
	}
	return out, sc.Err()
}
