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
// # MySQL and MariaDB sources
//
// When Options.Source.Type is "mysql" (mysql.go), the tables are read from the
// database Source.DBName (TableSpec.Table.Name, without its schema) and the
// two engines cannot run the same SQL, so each side renders every row as a
// normalised text chosen from the MySQL column type (information_schema, read
// once per table): the values joined by chr(31), NULL (and the MySQL
// placeholders export writes as NULL: zero dates, the ENUM error value with
// index 0) as chr(30). The row hash is the first 15 hex
// digits of md5(row text) as a number; the checksum is count(*) and the sum
// of the row hashes (DECIMAL on MySQL, numeric on PostgreSQL), compared as
// decimal text. Normalisation, MySQL / PostgreSQL:
//
//   - integers (also unsigned), decimal: CAST AS CHAR / ::text (both keep
//     the declared scale); year: year+0 / ::text
//   - float, double: "0", or "<m>e<x>" with x = floor(log10|v|) and m the value
//     rounded to 6 (float) or 15 (double) significant digits, as an integer
//   - date: 'YYYY-MM-DD'; datetime, timestamp: 'YYYY-MM-DD HH:MI:SS.ffffff' in
//     UTC (MySQL session time_zone +00:00; to_char(v AT TIME ZONE 'UTC') for
//     timestamptz); time: 'HH:MI:SS.ffffff' (an interval target column, for
//     MySQL TIME durations: '[-]HHH:MI:SS.ffffff', the sign put in front)
//   - bit(1): '1'/'0' (boolean::int); bit(n): LPAD(BIN(v), n, '0') / ::text
//   - binary, varbinary, blobs: LOWER(HEX(v)) / encode(v, 'hex')
//   - char: RTRIM of the utf8mb4 text / rtrim(v::text); varchar, text, enum:
//     CONVERT(v USING utf8mb4) / ::text (enum index 0 as NULL); set: 'a,b' /
//     array_to_string(v, ',')
//   - spatial: ST_AsText / ::text; anything else: utf8mb4 text / ::text
//
// JSON columns (MySQL json, or any column that is jsonb/json on the target,
// which covers MariaDB's JSON alias) are left out of that row text: a second
// pass streams them from both sides, per chunk, and Go canonicalises each
// document (object keys sorted, last duplicate key kept, no whitespace,
// numbers as exact rationals so 1.0 = 1 = 1e0), hashes the row's JSON values
// the same way and sums the hashes. The checksum shown is "<sql sum>:<json
// sum>" (the JSON sum is 0 for a table without JSON columns).
//
// Chunking works as for PostgreSQL, with the row estimate from
// information_schema.TABLES.TABLE_ROWS and a single signed integer key (bigint
// unsigned keys are not split); mismatched ranges are reported in the
// PostgreSQL spelling.
//
// # Known limits
//
//   - Oracle sources are rejected at setup.
//   - MySQL: a float/double compares by rounded value (6 / 15 significant
//     digits), so values differing beyond that compare equal; the rendering
//     uses LOG10 and POW on both engines, which may disagree by one ulp for
//     subnormal numbers. TIME values outside 00:00..23:59:59 (MySQL allows
//     -838..838 hours) have no PostgreSQL counterpart. Strings are compared as
//     UTF-8; a target column whose type was edited after export schema is
//     still rendered by its MySQL type. JSON numbers with an exponent beyond
//     ±400 are compared by their text. Each MySQL row hash has 60 bits.
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
