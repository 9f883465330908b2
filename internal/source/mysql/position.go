package mysql

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
)

// BinlogPosition is a point of the source's binary log: the next event to
// read is at Pos of File. GTID is the GTID position up to that point
// (MariaDB gtid_current_pos style "domain-server-seq[,...]", MySQL GTID
// set), empty when unknown. It is the MySQL source's capture.Position.
type BinlogPosition struct {
	File string `json:"file"`
	Pos  uint32 `json:"pos"`
	GTID string `json:"gtid,omitempty"`
}

var _ capture.Position = BinlogPosition{}

func (p BinlogPosition) String() string {
	s := fmt.Sprintf("%s:%d", p.File, p.Pos)
	if p.GTID != "" {
		s += " (GTID " + p.GTID + ")"
	}
	return s
}

// Compare orders positions by file and offset (see Less); other is always
// a BinlogPosition (positions of one stream).
func (p BinlogPosition) Compare(other capture.Position) int {
	q := other.(BinlogPosition)
	switch {
	case p.Less(q):
		return -1
	case q.Less(p):
		return 1
	}
	return 0
}

// MarshalJSON writes {"file", "pos", "gtid"}.
func (p BinlogPosition) MarshalJSON() ([]byte, error) {
	type plain BinlogPosition
	return json.Marshal(plain(p))
}

// parsePosition reads a position's JSON back (field names in any case, as
// releases before 2026-12 wrote them capitalised).
func parsePosition(data []byte) (BinlogPosition, error) {
	type plain BinlogPosition
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return BinlogPosition{}, fmt.Errorf("read binlog position %s: %w", data, err)
	}
	if p.File == "" {
		return BinlogPosition{}, fmt.Errorf("read binlog position %s: no binlog file", data)
	}
	return BinlogPosition(p), nil
}

// Less orders positions by binlog file (same base name, numeric suffix:
// mysql-bin.000009 < mysql-bin.000010) and then position.
func (p BinlogPosition) Less(q BinlogPosition) bool {
	if p.File != q.File {
		pb, pn := splitBinlogName(p.File)
		qb, qn := splitBinlogName(q.File)
		if pb != qb || pn < 0 || qn < 0 {
			return p.File < q.File
		}
		return pn < qn
	}
	return p.Pos < q.Pos
}

// splitBinlogName splits "mysql-bin.000012" into "mysql-bin" and 12; the
// number is -1 when the name has no numeric suffix.
func splitBinlogName(name string) (string, int64) {
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return name, -1
	}
	n, err := strconv.ParseInt(name[dot+1:], 10, 64)
	if err != nil {
		return name, -1
	}
	return name[:dot], n
}
