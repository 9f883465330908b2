package schema

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// caveatMark starts a line export schema writes just above a statement it
// converted with a caveat a DBA must know (a BITMAP index made B-tree, an
// interval-partitioned table without its future partitions). The line is
// in the file, so analyze-schema reports the caveat until the DBA deletes
// it (FindCaveats), as it does for unconverted blocks.
const caveatMark = "-- yb-voyager: caveat "

// Caveat is one caveat line as the files hold it now.
type Caveat struct {
	File string // relative to schema/
	Line int
	Rule string // ORACLE_INDEX, ...
	Why  string
}

// CaveatLine is the line written above a statement.
func CaveatLine(rule, why string) string {
	return caveatMark + rule + ": " + strings.Join(strings.Fields(why), " ") + "\n"
}

// FindCaveats lists the caveat lines in the schema files under dir, in
// file and line order.
func FindCaveats(dir string) ([]Caveat, error) {
	paths, err := schemaFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []Caveat
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for n := 1; sc.Scan(); n++ {
			rest, ok := strings.CutPrefix(sc.Text(), caveatMark)
			if !ok {
				continue
			}
			rule, why, _ := strings.Cut(rest, ": ")
			out = append(out, Caveat{File: rel, Line: n, Rule: rule, Why: why})
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
	}
	return out, nil
}
