package postgres

import (
	"cmp"
	"encoding/json"
	"fmt"

	"github.com/jackc/pglogrepl"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
)

// LSN is a WAL position as a capture.Position; its JSON is the LSN's text
// ("16/B374D848").
type LSN pglogrepl.LSN

var _ capture.Position = LSN(0)

func (l LSN) String() string { return pglogrepl.LSN(l).String() }

// Compare orders LSNs; other is always an LSN (positions of one stream).
func (l LSN) Compare(other capture.Position) int { return cmp.Compare(l, other.(LSN)) }

// MarshalJSON writes the LSN as its text.
func (l LSN) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// parseLSN reads an LSN's JSON text back.
func parseLSN(data []byte) (LSN, error) {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, fmt.Errorf("read WAL position %s: %w", data, err)
	}
	l, err := pglogrepl.ParseLSN(s)
	if err != nil {
		return 0, fmt.Errorf("read WAL position %q: %w", s, err)
	}
	return LSN(l), nil
}

// lsnOf is p as an LSN (0 for nil).
func lsnOf(p capture.Position) pglogrepl.LSN {
	if p == nil {
		return 0
	}
	return pglogrepl.LSN(p.(LSN))
}
