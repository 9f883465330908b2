package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yugabyte/yb-voyager-go/internal/pgoid"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/target/postgres/copybin"
)

// unnestArgs are the parameters of a set-based statement: one array per
// column, rows in the same order, read back with unnest().
type unnestArgs struct {
	args  [][]byte // arrays in binary form
	oids  []uint32 // their types
	alias []string // column i of unnest() is v.alias[i]
}

// unnestParams encodes the n values of each column (fill puts column i's
// into vals) as a typed binary array when the table's binary plan takes
// every value, so the server receives typed values instead of parsing text
// per row, else as text[], which the statement casts. Binary parameters
// also skip pgx's reflection-driven array encoding.
func (t *Target) unnestParams(ctx context.Context, rel sqlname.Table, cols []string, n int, fill func(i int, vals []*string)) *unnestArgs {
	plan := t.binary.plan(ctx, t.pool, rel, cols)
	p := &unnestArgs{}
	vals := make([]*string, n)
	for i := range cols {
		fill(i, vals)
		p.alias = append(p.alias, fmt.Sprintf("p%d", i+1))
		if plan != nil {
			if b, err := plan.AppendArray(nil, i, vals); err == nil {
				p.args, p.oids = append(p.args, b), append(p.oids, plan.ArrayOID(i))
				continue
			}
			t.binary.failed(rel, cols)
			plan = nil
		}
		p.args, p.oids = append(p.args, copybin.AppendTextArray(nil, vals)), append(p.oids, pgoid.TextArray)
	}
	return p
}

// from is the FROM item: (SELECT unnest($1) AS p1, unnest($2) AS p2, ...)
// AS v. Set-returning functions in a select list run in lockstep and stream
// their rows; unnest($1, $2, ...) in FROM first copies every row into a
// tuplestore, which cost the target ~10 % more CPU per updated row.
func (p *unnestArgs) from() string {
	cols := make([]string, len(p.args))
	for i := range cols {
		cols[i] = fmt.Sprintf("unnest($%d) AS %s", i+1, p.alias[i])
	}
	return "(SELECT " + strings.Join(cols, ", ") + ") AS v"
}

// exec runs q with the arrays as binary parameters of their types.
func (p *unnestArgs) exec(ctx context.Context, tx pgx.Tx, q string) (pgconn.CommandTag, error) {
	formats := make([]int16, len(p.args))
	for i := range formats {
		formats[i] = 1
	}
	res := tx.Conn().PgConn().ExecParams(ctx, q, p.args, p.oids, formats, nil).Read()
	return res.CommandTag, res.Err
}
