package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// columnInfo is what change statements need of a target table's columns.
type columnInfo struct {
	// types are each column's type without its modifier, for casts of
	// parameters: the assignment to the column then applies the modifier
	// as COPY does (an over-long varchar fails instead of being cut short,
	// as an explicit cast to varchar(n) would do).
	types map[string]string
	// always are the GENERATED ALWAYS identity columns: an INSERT gives
	// their values only with OVERRIDING SYSTEM VALUE, and an UPDATE cannot
	// set them (except to DEFAULT), so it matches them instead.
	always map[string]bool
}

// columnTypes caches each table's columnInfo.
type columnTypes struct {
	mu sync.Mutex
	m  map[string]*columnInfo
}

func (t *Target) columnsOf(ctx context.Context, rel sqlname.Table) (*columnInfo, error) {
	t.types.mu.Lock()
	defer t.types.mu.Unlock()
	if t.types.m == nil {
		t.types.m = map[string]*columnInfo{}
	}
	if c, ok := t.types.m[rel.String()]; ok {
		return c, nil
	}
	// format_type with a typmod of -1 (not NULL) names the type without a
	// modifier and still safe to cast to: bpchar, not character (which is
	// character(1)).
	rows, err := t.pool.Query(ctx, `SELECT attname, format_type(atttypid, -1), attidentity = 'a' FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, rel.Quoted())
	if err != nil {
		return nil, fmt.Errorf("column types of %s: %w", rel, err)
	}
	c := &columnInfo{types: map[string]string{}, always: map[string]bool{}}
	for rows.Next() {
		var n, typ string
		var always bool
		if err := rows.Scan(&n, &typ, &always); err != nil {
			return nil, err
		}
		c.types[n] = typ
		if always {
			c.always[n] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	t.types.m[rel.String()] = c
	return c, nil
}
