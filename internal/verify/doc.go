// Package verify is the engine of `yb-voyager compare data`: for every table
// it computes a row count and an order-independent checksum over all columns,
// once on the source and once on the target, and reports whether they agree.
//
// # What it owns
//
// Connecting to both databases (one pgxpool of Options.Workers connections per
// side), pinning the session settings that affect how values render as text,
// describing each table on both sides (existence, columns, inheritance),
// splitting big tables into primary-key ranges, running the checksum queries
// on a bounded pool of workers, and printing the results as text or JSON.
// Deciding which tables to compare, and mapping names, is the caller's job.
//
// # Hashing
//
// Both sides run exactly the same SQL under the same session settings
// (TimeZone=UTC, DateStyle='ISO, MDY', IntervalStyle=postgres,
// extra_float_digits=3, bytea_output=hex, lc_monetary=C, statement_timeout=0),
// so equal data renders as equal text. Each row is rendered as
// ROW(<all columns, quoted, in source order>)::text, which keeps NULL and the
// empty string apart ("()" versus `("")`), and hashed twice with
// hashtextextended(text, seed) for seeds 0 and 1 (PostgreSQL 11+ and
// YugabyteDB). The checksum of a table or chunk is
//
//	count(*), sum(hash_seed0::numeric), sum(hash_seed1::numeric)
//
// and is shown as "<sum0>:<sum1>". Summing as numeric never overflows and is
// independent of row order but, unlike XOR, sensitive to multiplicity: a
// duplicated or missing row changes it. Reads run in a REPEATABLE READ READ
// ONLY transaction per query, on both sides.
//
// # Chunking
//
// A table whose primary key is a single smallint/integer/bigint column (type
// taken from the source) and whose estimated row count on the source
// (pg_class.reltuples) exceeds Options.ChunkRows is split into
// ceil(rows/ChunkRows) ranges of [min, max] of the key; the first and last
// ranges are open-ended so target rows outside the source's key range are
// still counted. Each range is checksummed on both sides and the ranges that
// differ are reported as SQL conditions such as `"id" >= 101 AND "id" < 201`.
// The table totals are the sums over its ranges. Other tables are one query.
//
// # Inheritance and partitions
//
// Tables are read with plain FROM, so a partitioned table includes its
// partitions. A plain table with inheritance children (as seen on the source)
// is read with FROM ONLY on both sides, since its children are compared as
// tables of their own. Listing both a partitioned table and its partitions
// therefore checks the partitions' rows twice, which is harmless.
//
// # Sources of other engines
//
// verify owns the target side and the PostgreSQL source side
// (OpenPostgres). Every other engine has its own Source, in its package
// (source/mysql/compare.go), that describes the table on the source and
// builds each job's two halves: when the two engines cannot run the same
// SQL, each side renders every row as a normalised text (normalized.go):
// the values joined by chr(31), NULL as chr(30), the row hash the first 15
// hex digits of md5(row text) as a number, the checksum count(*) and the
// sum of the row hashes, compared as decimal text. JSON columns are left
// out of that text and compared in a second pass that Go canonicalises
// (object keys sorted, last duplicate key kept, no whitespace, numbers as
// exact rationals so 1.0 = 1 = 1e0). The checksum shown is "<sql
// sum>:<json sum>". How each engine normalises its types is documented in
// its package.
//
// # Known limits
//
//   - Normalised comparisons: JSON numbers with an exponent beyond ±400
//     are compared by their text; each row hash has 60 bits. Each engine's
//     own limits are in its package.
//   - Values are compared by their text rendering. Columns whose types differ
//     between source and target in a way that changes the text (numeric scale,
//     timestamp versus timestamptz, char(n) padding, float4 versus float8, json
//     whitespace, values of reg* types) are reported as mismatches even if the
//     values are "the same"; distinct values that render identically compare
//     equal.
//   - The checksum is probabilistic: two sums of 64-bit non-cryptographic
//     hashes. Accidental collisions are astronomically unlikely, but it is not
//     a defence against deliberately crafted data.
//   - Source and target are not read at one point in time, and each chunk has
//     its own snapshot: a database being written to (live migration) will
//     usually show differences.
//   - The chunk count comes from the source's planner estimate; a stale or
//     missing estimate (table never analyzed) changes how a table is split,
//     never the result.
package verify
