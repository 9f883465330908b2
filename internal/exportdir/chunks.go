package exportdir

import (
	"context"

	"encoding/json"
	"fmt"
	"os"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// TableRecord is a table selected for export, with the columns its data
// files carry, in file order.
type TableRecord struct {
	Table      sqlname.Table
	Columns    []string
	PrimaryKey []string
	EstRows    int64 // planner estimate at planning time, for progress bars
	// HasUniqueKeys: unique keys besides the primary key (changes apply in order).
	HasUniqueKeys bool
	Ordinal       int
}

// ChunkRecord describes one data file: which table it belongs to, which
// storage relation and slice of it was read, and, once done, its size.
// It is the data file descriptor.
type ChunkRecord struct {
	FileName string // base name under data/
	Table    sqlname.Table
	Relation sqlname.Table // leaf partition or the table itself
	ChunkNo  int
	Filter   string // source-specific predicate selecting the chunk
	Status   string
	Rows     int64
	Bytes    int64
}

// Chunk statuses.
const (
	ChunkPending = "PENDING"
	ChunkDone    = "DONE"
)

// SavePlan records the tables and chunks of an export run and marks the plan
// complete, in one transaction: a reader either sees no plan or all of it.
func (s *Store) SavePlan(ctx context.Context, tables []TableRecord, chunks []ChunkRecord) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save export plan: %w", err)
	}
	defer tx.Rollback()
	for _, t := range tables {
		cols, _ := json.Marshal(t.Columns)
		pk, _ := json.Marshal(t.PrimaryKey)
		if _, err := tx.ExecContext(ctx, `INSERT INTO tables (table_name, schema_name, name, columns_json, pk_json, est_rows, unique_keys, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Table.String(), t.Table.Schema, t.Table.Name, string(cols), string(pk), t.EstRows, t.HasUniqueKeys, t.Ordinal); err != nil {
			return fmt.Errorf("save table %s: %w", t.Table, err)
		}
	}
	for _, c := range chunks {
		rel, _ := json.Marshal(c.Relation)
		if _, err := tx.ExecContext(ctx, `INSERT INTO chunks (file_name, table_name, relation, chunk_no, filter, status) VALUES (?, ?, ?, ?, ?, ?)`,
			c.FileName, c.Table.String(), string(rel), c.ChunkNo, c.Filter, ChunkPending); err != nil {
			return fmt.Errorf("save chunk %s: %w", c.FileName, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE migration SET plan_complete = 1, updated_at = ? WHERE id = 1`, now()); err != nil {
		return fmt.Errorf("save export plan: %w", err)
	}
	return tx.Commit()
}

// MarkChunkDone records that a chunk's file is complete and durable. The file
// must have been fsync'd and renamed into place before this is called.
func (s *Store) MarkChunkDone(ctx context.Context, fileName string, rows, bytes int64) error {
	return s.exec(ctx, "mark chunk "+fileName+" done",
		`UPDATE chunks SET status = ?, rows = ?, bytes = ?, finished_at = ? WHERE file_name = ?`,
		ChunkDone, rows, bytes, now(), fileName)
}

// Tables lists the tables of the current export run in plan order.
func (s *Store) Tables(ctx context.Context) ([]TableRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT schema_name, name, columns_json, pk_json, est_rows, unique_keys, ordinal FROM tables ORDER BY ordinal`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []TableRecord
	for rows.Next() {
		var t TableRecord
		var cols, pk string
		if err := rows.Scan(&t.Table.Schema, &t.Table.Name, &cols, &pk, &t.EstRows, &t.HasUniqueKeys, &t.Ordinal); err != nil {
			return nil, fmt.Errorf("list tables: %w", err)
		}
		if err := json.Unmarshal([]byte(cols), &t.Columns); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", t.Table, err)
		}
		if err := json.Unmarshal([]byte(pk), &t.PrimaryKey); err != nil {
			return nil, fmt.Errorf("primary key of %s: %w", t.Table, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Chunks lists every chunk of the current export run, by table and chunk number.
func (s *Store) Chunks(ctx context.Context) ([]ChunkRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.file_name, t.schema_name, t.name, c.relation, c.chunk_no, c.filter, c.status, c.rows, c.bytes
		FROM chunks c JOIN tables t USING (table_name) ORDER BY t.ordinal, c.chunk_no`)
	if err != nil {
		return nil, fmt.Errorf("list chunks: %w", err)
	}
	defer rows.Close()
	var out []ChunkRecord
	for rows.Next() {
		var c ChunkRecord
		var rel string
		if err := rows.Scan(&c.FileName, &c.Table.Schema, &c.Table.Name, &rel, &c.ChunkNo, &c.Filter, &c.Status, &c.Rows, &c.Bytes); err != nil {
			return nil, fmt.Errorf("list chunks: %w", err)
		}
		if err := json.Unmarshal([]byte(rel), &c.Relation); err != nil {
			return nil, fmt.Errorf("relation of %s: %w", c.FileName, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// WriteDescriptor writes a human-readable copy of the data file descriptor
// (file → table, columns, rows, bytes). The store stays the source of truth.
func (s *Store) WriteDescriptor(ctx context.Context, path string) error {
	tables, err := s.Tables(ctx)
	if err != nil {
		return err
	}
	chunks, err := s.Chunks(ctx)
	if err != nil {
		return err
	}
	cols := map[string][]string{}
	for _, t := range tables {
		cols[t.Table.String()] = t.Columns
	}
	type entry struct {
		File    string   `json:"file_path"`
		Table   string   `json:"table_name"`
		Columns []string `json:"columns"`
		Rows    int64    `json:"row_count"`
		Bytes   int64    `json:"file_size"`
	}
	var out struct {
		Format    string  `json:"file_data_format"`
		DataFiles []entry `json:"data_file_list"`
	}
	out.Format = "text"
	for _, c := range chunks {
		out.DataFiles = append(out.DataFiles, entry{File: "data/" + c.FileName, Table: c.Table.String(),
			Columns: cols[c.Table.String()], Rows: c.Rows, Bytes: c.Bytes})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write data file descriptor: %w", err)
	}
	return nil
}
