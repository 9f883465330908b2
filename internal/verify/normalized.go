package verify

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Comparing a source of another engine: the two engines cannot run the
// same SQL, so each side renders every row as a normalised text (how is
// the source engine's choice, by its column types): the values joined by
// chr(31), NULL as chr(30). The row hash is the first 15 hex digits of
// md5(row text) as a number; the checksum is count(*) and the sum of the
// row hashes, compared as decimal text. JSON values are left out of that
// text: a second pass streams them from both sides and Go canonicalises
// each document (CanonicalJSON), hashes the row's JSON values alike and
// sums them (JSONSum). This file holds the target's half and the JSON
// pass; the source engine's package holds its half.

// Row text separators: a NULL marker and a column separator that never
// occur in normalised values of their own.
const (
	NullMarker = "\x1e" // chr(30)
	Sep        = "\x1f" // chr(31)
)

// NormParts are the parts of a row's normalised text in one SQL dialect,
// to be concatenated: an empty string, then each column's expression with
// NULL as null, separated by sep (coalesce, sep and null spelled in the
// dialect).
func NormParts(exprs []string, coalesce, sep, null string) []string {
	parts := []string{"''"}
	for i, e := range exprs {
		if i > 0 {
			parts = append(parts, sep)
		}
		parts = append(parts, coalesce+"("+e+", "+null+")")
	}
	return parts
}

// NormChecksumSQL is the target's normalised checksum query: count and
// the sum of the first 15 hex digits of md5(row text) as numbers, the sum
// as decimal text; exprs render each column (NULL when the value is).
func NormChecksumSQL(from string, exprs []string, cond string) string {
	row := "(" + strings.Join(NormParts(exprs, "coalesce", "chr(31)", "chr(30)"), " || ") + ")"
	return "SELECT count(*), coalesce(sum(('x' || substr(md5(" + row +
		"), 1, 15))::bit(60)::bigint::numeric), 0)::text FROM " + from + Where(cond)
}

// NormChecksum runs a NormChecksumSQL query on the target.
func NormChecksum(ctx context.Context, pool *pgxpool.Pool, q string) (*Sums, error) {
	s := &Sums{}
	var v string
	err := WithConn(ctx, pool, func(tx pgx.Tx) error { return tx.QueryRow(ctx, q).Scan(&s.Rows, &v) })
	if err != nil {
		return nil, fmt.Errorf("checksum query: %w", err)
	}
	return s, SetSum(&s.H0, v)
}

// JSONSum sums the row hashes of the canonical JSON values of rows.
type JSONSum struct {
	Sum *big.Int
	buf []byte
	n   big.Int
}

// Add hashes one row's JSON values (nil: NULL).
func (a *JSONSum) Add(vals []*string) {
	a.buf = a.buf[:0]
	for i, v := range vals {
		if i > 0 {
			a.buf = append(a.buf, Sep...)
		}
		if v == nil {
			a.buf = append(a.buf, NullMarker...)
			continue
		}
		a.buf = append(a.buf, CanonicalJSON(*v)...)
	}
	a.Sum.Add(a.Sum, rowHash(&a.n, a.buf))
}

// rowHash is the first 15 hex digits of md5(b) as a number.
func rowHash(n *big.Int, b []byte) *big.Int {
	h := md5.Sum(b)
	n.SetString(hex.EncodeToString(h[:])[:15], 16)
	return n
}

// TargetJSONSum adds the target's JSON pass of a job (q selects the JSON
// columns as text) to sum.
func TargetJSONSum(ctx context.Context, pool *pgxpool.Pool, q string, sum *big.Int) error {
	return WithConn(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("json query: %w", err)
		}
		defer rows.Close()
		acc := &JSONSum{Sum: sum}
		n := len(rows.FieldDescriptions())
		vals := make([]*string, n)
		dest := make([]any, n)
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rows.Next() {
			for i := range vals {
				vals[i] = nil
			}
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("json query: %w", err)
			}
			acc.Add(vals)
		}
		return rows.Err()
	})
}

// CanonicalJSON renders a JSON document canonically: object keys sorted
// (the last of duplicate keys kept, as jsonb does), no whitespace, numbers
// as exact rationals (so 1, 1.0 and 1e0 are equal), strings re-escaped.
// Text that is not JSON is returned as is, prefixed so it cannot equal a
// canonical document.
func CanonicalJSON(s string) []byte {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return append([]byte("!"), s...)
	}
	var b bytes.Buffer
	writeCanonical(&b, v)
	return b.Bytes()
}

func writeCanonical(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			writeCanonical(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		if r, ok := jsonRat(string(t)); ok {
			b.WriteString(r.RatString())
		} else {
			b.WriteString(string(t))
		}
	case string:
		sb, _ := json.Marshal(t)
		b.Write(sb)
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case nil:
		b.WriteString("null")
	}
}

// jsonRat parses a JSON number exactly, refusing huge exponents (whose
// exact value would take unbounded memory).
func jsonRat(n string) (*big.Rat, bool) {
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		if e, err := strconv.Atoi(strings.TrimPrefix(n[i+1:], "+")); err != nil || e > 400 || e < -400 {
			return nil, false
		}
	}
	return new(big.Rat).SetString(n)
}
