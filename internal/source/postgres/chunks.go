package postgres

import (
	"context"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// PlanChunks splits each storage relation into chunks of about chunkBytes.
// On PostgreSQL 14+ chunks are ctid block ranges: each is a TID range scan
// reading consecutive blocks, sizes are even whatever the key distribution,
// and tables without a key split as well as any. The last chunk is open-ended
// so blocks added after planning are never skipped. Older servers split on a
// single-column integer primary key, or not at all.
func (sn *snapshot) PlanChunks(ctx context.Context, tables []source.Table, chunkBytes int64) ([]source.Chunk, error) {
	return source.ChunksOf(tables, func(t source.Table, rel sqlname.Table) ([]string, error) {
		return sn.relationFilters(ctx, t, rel, chunkBytes)
	})
}

func (sn *snapshot) relationFilters(ctx context.Context, t source.Table, rel sqlname.Table, chunkBytes int64) ([]string, error) {
	var blocks, blockSize int64
	err := sn.meta().QueryRow(ctx, `SELECT pg_relation_size(`+sqlname.QuoteLiteral(rel.Quoted())+`::regclass) / current_setting('block_size')::bigint,
		current_setting('block_size')::bigint`).Scan(&blocks, &blockSize)
	if err != nil {
		return nil, fmt.Errorf("size of %s: %w", rel, err)
	}
	perChunk := max(chunkBytes/blockSize, 1)
	if blocks <= perChunk {
		return []string{""}, nil
	}
	if sn.src.version >= 140000 {
		return ctidRanges(blocks, perChunk), nil
	}
	if len(t.PrimaryKey) == 1 {
		return sn.keyRanges(ctx, rel, t.PrimaryKey[0], (blocks+perChunk-1)/perChunk)
	}
	return []string{""}, nil
}

func ctidRanges(blocks, perChunk int64) []string {
	var out []string
	for start := int64(0); start < blocks; start += perChunk {
		end := start + perChunk
		if end >= blocks {
			out = append(out, fmt.Sprintf("ctid >= '(%d,0)'::tid", start))
			break
		}
		out = append(out, fmt.Sprintf("ctid >= '(%d,0)'::tid AND ctid < '(%d,0)'::tid", start, end))
	}
	return out
}

// keyRanges splits an integer key's [min, max] into n equal ranges; the
// first and last are open so no row falls outside.
func (sn *snapshot) keyRanges(ctx context.Context, rel sqlname.Table, key string, n int64) ([]string, error) {
	col := sqlname.Quote(key)
	var typ string
	var lo, hi *int64
	err := sn.meta().QueryRow(ctx, `SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = `+
		sqlname.QuoteLiteral(rel.Quoted())+`::regclass AND attname = $1`, key).Scan(&typ)
	if err != nil {
		return nil, fmt.Errorf("key type of %s: %w", rel, err)
	}
	if typ != "integer" && typ != "bigint" && typ != "smallint" {
		return []string{""}, nil
	}
	err = sn.meta().QueryRow(ctx, `SELECT min(`+col+`)::bigint, max(`+col+`)::bigint FROM ONLY `+rel.Quoted()).Scan(&lo, &hi)
	if err != nil {
		return nil, fmt.Errorf("key range of %s: %w", rel, err)
	}
	if lo == nil || hi == nil || n < 2 || *hi-*lo < n {
		return []string{""}, nil
	}
	step := (*hi - *lo) / n
	var out []string
	for i := int64(0); i < n; i++ {
		from, to := *lo+i*step, *lo+(i+1)*step
		switch {
		case i == 0:
			out = append(out, fmt.Sprintf("%s < %d", col, to))
		case i == n-1:
			out = append(out, fmt.Sprintf("%s >= %d", col, from))
		default:
			out = append(out, fmt.Sprintf("%s >= %d AND %s < %d", col, from, col, to))
		}
	}
	return out, nil
}
