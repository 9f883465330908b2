package datafile

import "testing"

func TestAppendEscapedAsServerCopy(t *testing.T) {
	for in, want := range map[string]string{
		"plain":         "plain",
		"a\\b\tc\nd\re": `a\\b\tc\nd\re`,
		"\b\f\v\x01é":   `\b\f\v` + "\x01é",
		`\N`:            `\\N`,
		"":              "",
	} {
		if got := string(AppendEscaped([]byte("x:"), []byte(in))); got != "x:"+want {
			t.Errorf("AppendEscaped(%q) = %q, want %q", in, got, "x:"+want)
		}
	}
}
