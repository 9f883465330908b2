// Package pgoid names the PostgreSQL built-in type OIDs and binary-format
// constants that the COPY binary fast paths (source/postgres/copytext on
// export, target/postgres/copybin on import) share. The OIDs are fixed in
// PostgreSQL's catalog and the same in YugabyteDB YSQL.
package pgoid

// Built-in type OIDs.
const (
	Bool        = 16
	Bytea       = 17
	Int8        = 20
	Int2        = 21
	Int4        = 23
	Text        = 25
	TextArray   = 1009
	JSON        = 114
	Float4      = 700
	Float8      = 701
	Bpchar      = 1042
	Varchar     = 1043
	Date        = 1082
	Time        = 1083
	Timestamp   = 1114
	Timestamptz = 1184
	Interval    = 1186
	Numeric     = 1700
	UUID        = 2950
	JSONB       = 3802
)

// ArrayOf maps the element types the binary fast paths handle to their
// array types (PostgreSQL's fixed built-in OIDs).
var ArrayOf = map[uint32]uint32{
	Bool: 1000, Bytea: 1001, Int8: 1016, Int2: 1005, Int4: 1007, Text: TextArray, JSON: 199, Float4: 1021,
	Float8: 1022, Bpchar: 1014, Varchar: 1015, Date: 1182, Time: 1183, Timestamp: 1115, Timestamptz: 1185,
	Numeric: 1231, UUID: 2951, JSONB: 3807,
}

// Binary dates count days (int32), times and timestamps microseconds
// (int64), from 2000-01-01.
const (
	EpochDays   = 10957 // 1970-01-01 .. 2000-01-01
	USPerSecond = 1_000_000
	USPerDay    = 86400 * USPerSecond
)

// Numeric's binary sign word.
const (
	NumericPos  = 0x0000
	NumericNeg  = 0x4000
	NumericNaN  = 0xC000
	NumericPInf = 0xD000
	NumericNInf = 0xF000
)

// Lookup returns table's entry for each of oids, in order, or false when one
// has none or oids is empty (the fast paths then leave the table to the
// server's text format).
func Lookup[F any](table map[uint32]F, oids []uint32) ([]F, bool) {
	out := make([]F, len(oids))
	for i, o := range oids {
		f, ok := table[o]
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, len(oids) > 0
}
