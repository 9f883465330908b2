// Package snapshot plans and writes the Oracle snapshot's queries: tables
// cut into ROWID ranges of even size from their extents, each read AS OF
// one SCN. It needs no server: the extents come from the catalog
// (DBA_EXTENTS / USER_EXTENTS), the queries go to a live source.
package snapshot

import (
	"fmt"
	"sort"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Extent is one extent of a table segment (or of one partition's), as
// DBA_EXTENTS lists it, with the segment's DATA_OBJECT_ID.
type Extent struct {
	DataObjectID int64
	File         int64 // RELATIVE_FNO
	Block        int64 // BLOCK_ID, the first block
	Blocks       int64
}

// Range is the ROWIDs of blocks [From, To] of one data object: a chunk
// reads the rows whose ROWID is in it.
type Range struct {
	DataObjectID      int64
	FromFile, FromBlk int64
	ToFile, ToBlk     int64
	Blocks            int64
}

// Plan cuts a table's extents into ranges of about chunkBlocks blocks
// each: extents are taken in (object, file, block) order and a range ends
// once it holds chunkBlocks, so that each worker reads about as much. A
// range never spans two data objects (partitions), because a ROWID range
// belongs to one object.
func Plan(extents []Extent, chunkBlocks int64) []Range {
	if chunkBlocks < 1 {
		chunkBlocks = 1
	}
	ex := append([]Extent(nil), extents...)
	sort.Slice(ex, func(i, j int) bool {
		a, b := ex[i], ex[j]
		if a.DataObjectID != b.DataObjectID {
			return a.DataObjectID < b.DataObjectID
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Block < b.Block
	})
	var out []Range
	var cur *Range
	for _, e := range ex {
		if e.Blocks <= 0 {
			continue
		}
		if cur != nil && cur.DataObjectID != e.DataObjectID {
			cur = nil
		}
		for blk, left := e.Block, e.Blocks; left > 0; {
			if cur == nil {
				out = append(out, Range{DataObjectID: e.DataObjectID, FromFile: e.File, FromBlk: blk})
				cur = &out[len(out)-1]
			}
			take := min(left, chunkBlocks-cur.Blocks)
			cur.ToFile, cur.ToBlk = e.File, blk+take-1
			cur.Blocks += take
			blk += take
			left -= take
			if cur.Blocks >= chunkBlocks {
				cur = nil
			}
		}
	}
	return out
}

// Filter is the WHERE condition selecting a range's rows. 32767 is the
// largest row number a ROWID can hold in a block.
func (r Range) Filter() string {
	return fmt.Sprintf("ROWID BETWEEN DBMS_ROWID.ROWID_CREATE(1, %d, %d, %d, 0) AND DBMS_ROWID.ROWID_CREATE(1, %d, %d, %d, 32767)",
		r.DataObjectID, r.FromFile, r.FromBlk, r.DataObjectID, r.ToFile, r.ToBlk)
}

// Query is the snapshot read of one chunk: the select-list expressions
// (one per column, rendering the value as the converter reads it) from
// the table as of the snapshot SCN, bound as :1, filtered to the range
// ("" for the whole table).
func Query(owner, table string, selectList []string, filter string) string {
	q := fmt.Sprintf("SELECT %s FROM %s.%s AS OF SCN :1", strings.Join(selectList, ", "), quote(owner), quote(table))
	if filter != "" {
		q += " WHERE " + filter
	}
	return q
}

// quote writes an Oracle identifier in its catalog form, quoted (Oracle
// and PostgreSQL double their double quotes alike).
func quote(name string) string { return sqlname.Quote(name) }
