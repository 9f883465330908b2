#!/usr/bin/env bash
# Index-deferral benchmark (schema issue): a table with three secondary
# indexes, imported with the indexes deferred until after the data (import
# schema + import data + finalize-schema-post-data-import) vs created up front
# (every index exists while import data loads). Same export, same clusters,
# alternating order over BENCH_ROUNDS rounds; medians and the ratio printed.
#
# Usage: bench/indexes.sh [N]   (N rows, default 5000000; BENCH_ROUNDS default 3; BENCH_JOBS default 2;
#        BENCH_NO_RESULTS=1 not to append to bench/RESULTS.md; BENCH_KEEP_WORK=1 to keep bench/work/indexes)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

snapshot_knobs "$@"
if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	reexec_under_testenv "$N"
fi

testenv_addresses pg
use_work_dir
export PGPASSWORD=postgres SOURCE_DB_PASSWORD=postgres TARGET_DB_PASSWORD=postgres
src() { psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U postgres "$@"; }
tgt() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U postgres "$@"; }
now() { date +%s.%N; }

echo "index benchmark: N=$N rounds=$ROUNDS jobs=$JOBS"
src -d postgres -c "CREATE DATABASE bench"
src -d bench <<SQL
CREATE TABLE t (id bigint PRIMARY KEY, a int, b text, c timestamptz, d numeric);
INSERT INTO t SELECT g, (g * 7919) % 1000003, md5(g::text) || substr(md5((g * 7)::text), 1, 18),
	timestamptz '2020-01-01' + ((g * 104729) % 100000000) * interval '1 second', g / 7.0
FROM generate_series(1::bigint, $N::bigint) g;
CREATE INDEX t_a ON t (a);
CREATE INDEX t_b ON t (b);
CREATE INDEX t_c ON t (c);
SQL
src -d bench -c "VACUUM ANALYZE t"
EXP=$WORK/export
mkdir -p "$EXP"
SF=(--source-db-type postgresql --source-db-host "$SRC_HOST" --source-db-port "$SRC_PORT"
	--source-db-user postgres --source-db-name bench)
"$BIN" export schema --export-dir "$EXP" "${SF[@]}" >/dev/null
"$BIN" export data --export-dir "$EXP" "${SF[@]}" --disable-pb --parallel-jobs "$JOBS" >/dev/null

# run_variant deferred|upfront: one migration into a fresh database; prints seconds.
run_variant() {
	local db=tgt_$1
	tgt -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
	tgt -d postgres -c CHECKPOINT
	local TF=(--export-dir "$EXP" --target-db-host "$TGT_HOST" --target-db-port "$TGT_PORT"
		--target-db-user postgres --target-db-name "$db")
	local t0 t1
	t0=$(now)
	"$BIN" import schema "${TF[@]}" >/dev/null
	if [ "$1" = upfront ]; then
		tgt -d "$db" -f "$EXP/schema/tables/INDEXES_table.sql"
	fi
	"$BIN" import data "${TF[@]}" --start-clean --yes --disable-pb --parallel-jobs "$JOBS" >/dev/null
	if [ "$1" = deferred ]; then
		"$BIN" finalize-schema-post-data-import "${TF[@]}" --disable-pb --parallel-jobs "$JOBS" >/dev/null
	fi
	t1=$(now)
	local n
	n=$(tgt -d "$db" -At -c "SELECT count(*) FROM t")
	[ "$n" = "$N" ] || { echo "$1: $n rows, want $N" >&2; exit 1; }
	n=$(tgt -d "$db" -At -c "SELECT count(*) FROM pg_indexes WHERE tablename = 't'")
	[ "$n" = 4 ] || { echo "$1: $n indexes on t, want 4" >&2; exit 1; }
	tgt -d postgres -c "DROP DATABASE $db"
	elapsed "$t0" "$t1" 2
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
D=() U=()
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then
		D+=("$(run_variant deferred)"); U+=("$(run_variant upfront)")
	else
		U+=("$(run_variant upfront)"); D+=("$(run_variant deferred)")
	fi
	echo "round $r: deferred ${D[-1]} s, up front ${U[-1]} s"
done
MD=$(printf '%s\n' "${D[@]}" | median)
MU=$(printf '%s\n' "${U[@]}" | median)
RATIO=$(awk -v a="$MD" -v b="$MU" 'BEGIN { printf "%.2f", a / b }')
echo "median: indexes deferred $MD s, indexes up front $MU s; deferred / up front = $RATIO"
exit_if_no_results
{
	echo
	echo "## Index deferral, $(date -u +%Y-%m-%d) (N=$N, 3 secondary indexes, $ROUNDS rounds, medians, jobs=$JOBS)"
	echo
	echo "| variant | median s | runs |"
	echo "|---|---|---|"
	echo "| import schema + import data + finalize (indexes deferred) | $MD | ${D[*]} |"
	echo "| import schema + indexes + import data (indexes up front) | $MU | ${U[*]} |"
	echo
	echo "deferred / up front = **$RATIO** (lower is better)."
} >>"$RESULTS"
