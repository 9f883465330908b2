// Package source defines what the exporter needs from a source database.
// Each engine (postgres, later mysql and oracle) lives in its own sub-package
// and implements Source; the exporter never issues engine-specific SQL itself.
//
// The contract: every chunk of one export run is read under ONE consistent
// snapshot (Snapshot), chunks are independent of one another so workers can
// read them in any order, and a chunk's rows are written to the writer in
// PostgreSQL COPY text format, one row per line, in the table's column order.
package source

import (
	"context"
	"io"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// Table is a table selected for export.
type Table struct {
	Name       sqlname.Table
	Columns    []string        // exported columns, in order (generated columns excluded)
	PrimaryKey []string        // empty when the table has none
	Relations  []sqlname.Table // storage relations: leaf partitions, or the table itself
	EstRows    int64           // planner's estimate, for progress bars only
	// HasUniqueKeys: a unique index or constraint besides the primary key.
	// Changes to such a table are applied in source order on one channel,
	// since a unique value can move between rows.
	HasUniqueKeys bool
}

// Chunk is one independently readable slice of a table's storage relation.
// Filter is opaque to the exporter: the source produced it and only the
// source interprets it; it is stored in the metainfo store so a rerun reads
// exactly the same slice.
type Chunk struct {
	Table    sqlname.Table
	Relation sqlname.Table
	ChunkNo  int
	Filter   string
}

// ChunksOf numbers the chunks of tables: filters gives each storage
// relation's row filters (one chunk each), and a table's chunks are
// numbered across its relations.
func ChunksOf(tables []Table, filters func(t Table, rel sqlname.Table) ([]string, error)) ([]Chunk, error) {
	var out []Chunk
	for _, t := range tables {
		n := 0
		for _, rel := range t.Relations {
			fs, err := filters(t, rel)
			if err != nil {
				return nil, err
			}
			for _, f := range fs {
				out = append(out, Chunk{Table: t.Name, Relation: rel, ChunkNo: n, Filter: f})
				n++
			}
		}
	}
	return out, nil
}

// Source is a source database.
type Source interface {
	// Identity names the source database stably (not by host alias), so an
	// export directory made for another database can be refused.
	Identity(ctx context.Context) (string, error)
	// ListTables resolves the schemas and include/exclude patterns into tables.
	// A plain (non-glob) name in include that matches nothing is an error.
	ListTables(ctx context.Context, include, exclude []sqlname.Pattern) ([]Table, error)
	// BeginSnapshot opens a consistent snapshot that `workers` connections share.
	BeginSnapshot(ctx context.Context, workers int) (Snapshot, error)
	Close()
}

// Snapshot is an open consistent snapshot of the source.
type Snapshot interface {
	// PlanChunks splits tables into chunks of about chunkBytes of storage each.
	PlanChunks(ctx context.Context, tables []Table, chunkBytes int64) ([]Chunk, error)
	// ExportChunk streams one chunk in COPY text format to w using worker's
	// connection and returns the number of rows written.
	ExportChunk(ctx context.Context, worker int, c Chunk, columns []string, w io.Writer) (int64, error)
	Close(ctx context.Context) error
}
