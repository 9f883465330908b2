package proc

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// SafeIdent lowercases s and replaces anything but [a-z0-9_] with '_', so
// that a test-chosen label is safe in a directory or database name.
func SafeIdent(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// UniqueName builds "<safe prefix>_<8 hex chars>", at most 49 bytes and
// starting with a letter: a database name that needs no quoting and fits
// PostgreSQL's 63 and MySQL's 64 byte limits.
func UniqueName(prefix string) (string, error) {
	var rnd [4]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", fmt.Errorf("random database name: %w", err)
	}
	p := SafeIdent(prefix)
	if p == "" || p[0] < 'a' || p[0] > 'z' {
		p = "t_" + p
	}
	if len(p) > 40 {
		p = p[:40]
	}
	return p + "_" + hex.EncodeToString(rnd[:]), nil
}
