// Package values is the value conversion shared by the Oracle snapshot and
// the LogMiner parser: it turns an Oracle value, as Oracle renders it as
// text in a session whose NLS settings SessionSettings pins, into the text
// PostgreSQL's input function accepts for the column's converted type (see
// the mapping in package oracle's doc.go). It owns three things that must
// agree: the session settings, the snapshot's select-list expression per
// column type (SelectExpr), and the reader of those forms (FromOracle).
//
// Rules a caller must know:
//
//   - FromOracle's output is PostgreSQL input text, not COPY-escaped: the
//     caller escapes it for its load path. NULL is the caller's business
//     (Oracle's empty string is NULL; it never reaches FromOracle).
//   - Numbers stay exact: NUMBER text, including the scientific form TM9
//     falls back to beyond 64 characters, becomes plain decimal digits by
//     moving the decimal point in the digit string (smallint, integer and
//     bigint input takes no exponent); nothing goes through float64.
//   - Fractional seconds: Oracle keeps up to 9 digits, PostgreSQL 6. They
//     are rounded here, half up, to 6 (carrying into the seconds, and on
//     to the date when needed), so that the result does not depend on how
//     PostgreSQL's parser rounds a 9-digit fraction through a double.
//   - Dates keep their calendar label: Oracle counts dates before
//     1582-10-15 in the Julian calendar, PostgreSQL in the proleptic
//     Gregorian one, so an old date keeps its Y-M-D text (what Oracle
//     shows and applications compare with) rather than its day count; a
//     Julian-only leap day (1500-02-29) has no such label and is an error.
//   - Oracle year -N is N BC (Oracle has no year 0), written "... BC".
//   - A time zone region name (TZR) is passed to PostgreSQL, which
//     resolves it with its own tz database (whose version may differ from
//     Oracle's); the pinned formats render TZH:TZM offsets, so regions only
//     arrive from other text (LogMiner). A TZD abbreviation after the
//     region is not read. TIMESTAMP WITH LOCAL TIME ZONE text without a
//     zone is taken as UTC, the pinned session time zone.
//   - Intervals become ISO 8601 with the sign on every field (P-1Y-6M),
//     which PostgreSQL reads whatever its IntervalStyle.
//
// Nothing here talks to Oracle: every form is taken from Oracle's
// documentation (cited in the tests) and every output is loaded into a
// real PostgreSQL by the tests. None of it has met a live Oracle yet.
package values
