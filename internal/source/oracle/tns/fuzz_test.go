package tns

import "testing"

// FuzzParse: no input makes the reader panic or hang, and whatever it
// accepts it writes back as text that reads back the same.
//
//	go test ./internal/source/oracle/tns -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, s := range []string{netca, adb, "IFILE=/x\n", "a=b\n", "a, b = (x = (y, z))\n", "a = \"q\" # c\n", "a=(b=\n", "(", "a=" + "(b=(c=d))"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		params, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		c := &Config{Dir: "/nonexistent-tns-admin", From: "fuzz", entries: map[string]entry{}}
		for _, p := range params {
			c.entries[p.Names[0]] = entry{name: p.Names[0], file: "fuzz", node: p.Node}
			_, _ = c.describe(c.entries[p.Names[0]]) // must not panic on any tree
			if p.Node.Value == "" && len(p.Node.Items) == 0 && len(p.Node.Children) == 0 {
				continue // KEY= with nothing after it at the end of the file
			}
			text := p.Node.Text()
			again, err := Parse("again", []byte("K="+text))
			if err != nil {
				t.Fatalf("%q wrote back as %q, which does not parse: %v", src, text, err)
			}
			if len(again) != 1 || again[0].Node.Text() != text {
				t.Fatalf("%q wrote back as %q, which reads back differently", src, text)
			}
		}
	})
}
