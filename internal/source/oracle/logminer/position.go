package logminer

import (
	"encoding/json"
	"fmt"
)

// Position is where an Oracle change stream stands, exactly: mining
// restarts at RestartSCN (the start of the oldest transaction still open
// when the position was taken, so that its earlier changes are read again),
// and every transaction that commits at or before (CommitSCN, XID) has been
// exported already and is skipped. Transactions are exported in commit
// order: by commit SCN, then XID (several may commit at one SCN on RAC).
type Position struct {
	RestartSCN uint64 `json:"restart_scn"`
	CommitSCN  uint64 `json:"commit_scn"`
	// XID is the last exported transaction at CommitSCN; empty means every
	// transaction committed at CommitSCN is done (a snapshot taken AS OF
	// SCN CommitSCN sees them all).
	XID string `json:"xid,omitempty"`
}

// AtSnapshot is the position of a stream that follows a snapshot read AS
// OF SCN scn, with oldestActive the start SCN of the oldest transaction
// open at scn (0 for none): those transactions commit after the snapshot,
// so their changes from their start are needed.
func AtSnapshot(scn, oldestActive uint64) Position {
	p := Position{RestartSCN: scn, CommitSCN: scn}
	if oldestActive != 0 && oldestActive < scn {
		p.RestartSCN = oldestActive
	}
	return p
}

// Done reports whether the transaction xid committed at commitSCN is at
// or before the position, so already exported.
func (p Position) Done(commitSCN uint64, xid string) bool {
	switch {
	case commitSCN < p.CommitSCN:
		return true
	case commitSCN > p.CommitSCN:
		return false
	}
	return p.XID == "" || xid <= p.XID
}

// After is the position once transaction xid, committed at commitSCN, is
// exported; oldestOpen is the start SCN of the oldest transaction still
// buffered (0 for none).
func After(commitSCN uint64, xid string, oldestOpen uint64) Position {
	p := Position{RestartSCN: commitSCN, CommitSCN: commitSCN, XID: xid}
	if oldestOpen != 0 && oldestOpen < p.RestartSCN {
		p.RestartSCN = oldestOpen
	}
	return p
}

// Compare orders positions by what has been exported.
func (p Position) Compare(q Position) int {
	switch {
	case p.CommitSCN != q.CommitSCN:
		return cmp(p.CommitSCN, q.CommitSCN)
	case p.XID == q.XID:
		return 0
	case p.XID == "": // all of the SCN
		return 1
	case q.XID == "":
		return -1
	case p.XID < q.XID:
		return -1
	}
	return 1
}

func cmp(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String is the form in logs and status output.
func (p Position) String() string {
	if p.XID == "" {
		return fmt.Sprintf("SCN %d (restart %d)", p.CommitSCN, p.RestartSCN)
	}
	return fmt.Sprintf("SCN %d XID %s (restart %d)", p.CommitSCN, p.XID, p.RestartSCN)
}

// ParsePosition reads back a marshalled position.
func ParsePosition(data []byte) (Position, error) {
	var p Position
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("oracle position %q: %w", data, err)
	}
	if p.RestartSCN > p.CommitSCN {
		return p, fmt.Errorf("oracle position %q: restart SCN after the commit SCN", data)
	}
	return p, nil
}
