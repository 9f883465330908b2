#!/usr/bin/env bash
# MySQL/MariaDB -> PostgreSQL migration benchmark: a whole yb-voyager
# migration of one table (export schema, import schema, export data and import
# data overlapped, finalize-schema-post-data-import) against pgloader, on the
# same throwaway MariaDB source and PostgreSQL target, in BENCH_ROUNDS rounds,
# printing the median, min and max wall time, peak client RSS, rows/s, the
# target's column types for both and our ratio (of medians) to pgloader.
#
#   bench/mysql.sh [N]
#
#   N / BENCH_ROWS   rows in the benchmark table (default 5000000)
#   BENCH_ROUNDS     rounds (default 3): each round runs every contender once;
#                    the reported wall is the median over rounds
#   BENCH_JOBS       parallel jobs: yb-voyager --parallel-jobs (export data,
#                    import data, finalize) and pgloader "workers" (default 2)
#   BENCH_KEEP_WORK  set to 1 to keep bench/work/mysql (logs, export dirs
#                    without their data files) at the end
#   BENCH_NO_RESULTS set to 1 not to append to bench/RESULTS.md
#
# It re-executes itself under bin/testenv, which starts a throwaway MariaDB
# (the source; root, password "mysql") and source and target PostgreSQL
# clusters (only the target is used) and stops them when the script ends.
# The source table, in MariaDB database "bench", generated with the SEQUENCE
# engine (seq_1_to_N):
#   t(id bigint primary key, a int, b varchar(64) (50 chars), c datetime(6),
#     d decimal(18,6))
# Contenders, each run into a fresh target database after a CHECKPOINT on the
# target, with its row count verified after the run:
#   ours      yb-voyager on a fresh export dir, timed as a whole from the start
#             of export schema to the end of finalize: export schema, import
#             schema (creates t with its primary key), export data in the
#             background with import data started as soon as export data
#             status shows the export running (the way snapshot.sh runs
#             "ours: overlapped"), then finalize-schema-post-data-import
#   pgloader  pgloader mysql://... postgresql://...?sslmode=disable
#             --with "workers = BENCH_JOBS" (creates the schema "bench" and t
#             in it, COPYs, then builds the primary key); installed with
#             apt-get (Debian package pgloader) if missing, skipped with a
#             note if it cannot be had
# The order of the contenders alternates each round. compare data runs once,
# after the first ours run, for information. The target's column types are
# checked: ours must produce exactly bigint, integer, character varying(64),
# timestamp(6) without time zone, numeric(18,6); pgloader's are printed and
# any difference is named. Goal: ours at least 2x faster than pgloader
# (ratio of medians <= 0.50) with exactly those types.
# Results are printed and appended to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

snapshot_knobs "$@"

# ---------------------------------------------------------------------------
# Outside testenv: check prerequisites, then re-execute under bin/testenv.
# ---------------------------------------------------------------------------
if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	need_tools psql
	need_mariadb_client
	need_time
	want_baseline pgloader
	reexec_under_testenv "$N"
fi

# ---------------------------------------------------------------------------
# Inside testenv.
# ---------------------------------------------------------------------------
testenv_addresses mysql
MY_USER=root MY_PASS=mysql
PG_USER=postgres PG_PASS=postgres
SRC_DB=bench
export PGPASSWORD=$PG_PASS SOURCE_DB_PASSWORD=$MY_PASS TARGET_DB_PASSWORD=$PG_PASS
export PGCONNECT_TIMEOUT=10
MYSQL_CLIENT=$(command -v mariadb || command -v mysql)

# The background processes (BG_PIDS) of an overlapped run that fails are
# stopped on exit.
use_work_dir

src_sql() { "$MYSQL_CLIENT" --no-defaults -h "$SRC_HOST" -P "$SRC_PORT" -u "$MY_USER" --password="$MY_PASS" "$@"; }
tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PG_USER" "$@"; }

# table_schema DB: the schema of the (one) table t on target database DB.
table_schema() {
	tgt_psql -d "$1" -At -c "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = 't' AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		ORDER BY n.nspname LIMIT 1"
}

# The column types a faithful migration of t produces, in column order.
EXPECTED_TYPES="id bigint not null
a integer
b character varying(64)
c timestamp(6) without time zone
d numeric(18,6)"

# column_types DB SCHEMA: one "name type[ not null]" line per column of SCHEMA.t.
column_types() {
	tgt_psql -d "$1" -At -F ' ' -c "SELECT a.attname, format_type(a.atttypid, a.atttypmod)
			|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
		FROM pg_attribute a WHERE a.attrelid = '\"$2\".t'::regclass AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum"
}

# check_types KEY DB SCHEMA: saves \d of SCHEMA.t in DESC[KEY] and the verdict
# in TYPES[KEY] ("exact" or the differing columns), the first time only.
declare -A DESC TYPES
check_types() {
	[ -z "${TYPES[$1]:-}" ] || return 0
	local got diff
	DESC[$1]=$(tgt_psql -d "$2" -c "\\d \"$3\".t")
	got=$(column_types "$2" "$3")
	if [ "$got" = "$EXPECTED_TYPES" ]; then
		TYPES[$1]=exact
	else
		diff=$(paste -d '|' <(echo "$EXPECTED_TYPES") <(echo "$got") |
			awk -F'|' '$1 != $2 { i = index($1, " "); j = index($2, " ")
				printf "%s%s %s (not %s)", sep, substr($1, 1, i - 1), substr($2, j + 1), substr($1, i + 1); sep = "; " }')
		TYPES[$1]="differ: $diff"
	fi
	log "$1: column types ${TYPES[$1]}"
}

# Results, keyed by contender (add_run, RUNS and PEAK: see lib.sh).
TABLE_KEYS=(ours ours_schema ours_data ours_finalize ours_compare pgloader)
declare -A LABEL=(
	[ours]="ours: whole migration"
	[ours_schema]="  of which export schema + import schema"
	[ours_data]="  of which export data + import data"
	[ours_finalize]="  of which finalize-schema-post-data-import"
	[ours_compare]="ours: compare data (info, one run)"
	[pgloader]="pgloader"
)
max() { echo $(($1 > $2 ? $1 : $2)); }
# OVERLAP_SUM_KB: the largest sum of the two overlapped processes' peaks.
OVERLAP_SUM_KB=0

log "source MariaDB on $SRC_HOST:$SRC_PORT, target PostgreSQL on $TGT_HOST:$TGT_PORT; N=$N, BENCH_JOBS=$JOBS, BENCH_ROUNDS=$ROUNDS"

# --- Source data -----------------------------------------------------------
log "creating $N rows in $SRC_DB.t on the source"
src_sql >/dev/null <<SQL
CREATE DATABASE $SRC_DB;
USE $SRC_DB;
CREATE TABLE t (id bigint PRIMARY KEY, a int, b varchar(64), c datetime(6), d decimal(18,6));
INSERT INTO t
SELECT i,
       ((i * 2654435761) % 2147483647) - 1073741823,
       CONCAT(MD5(i), LEFT(MD5(i * 7), 18)),
       TIMESTAMP '2015-01-01 00:00:00' + INTERVAL ((i * 7919) % 315360000) SECOND
         + INTERVAL (i % 1000000) MICROSECOND,
       ROUND(((i * 104729) % 100000007) / 1000, i % 4) * IF(i % 3 = 0, -1, 1)
FROM (SELECT CAST(seq AS SIGNED) AS i FROM seq_1_to_$N) AS s;
ANALYZE TABLE t;
SQL
SRC_SIZE=$(src_sql -N -B -e "SELECT CONCAT(ROUND((data_length + index_length) / 1048576), ' MB')
	FROM information_schema.tables WHERE table_schema = '$SRC_DB' AND table_name = 't'")
# Let InnoDB write the loaded pages out before the first contender runs.
src_sql -e "SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0.001; SET GLOBAL innodb_max_dirty_pages_pct = 0" || true
for _ in $(seq 1 120); do
	dirty=$(src_sql -N -B -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{ print $2 }')
	[ "${dirty:-0}" -gt 0 ] || break
	sleep 0.5
done
log "source table ready ($SRC_SIZE with its primary key)"

SRC_FLAGS=(--source-db-type mysql --source-db-host "$SRC_HOST" --source-db-port "$SRC_PORT"
	--source-db-user "$MY_USER" --source-db-name "$SRC_DB")

# --- ours ----------------------------------------------------------------------
# step ROUND P NAME CMD...: runs one timed yb-voyager step; dies on failure.
# Adds the step's peak RSS to STEP_KB (the largest so far).
step() {
	local r=$1 p=$2 name=$3
	shift 3
	timed "$p-$name" "$WORK/$p-$name.log" "$@" || {
		show_log "$WORK/$p-$name.log"
		die "round $r: ours: $name failed"
	}
	STEP_KB=$(max "$STEP_KB" "$T_RSS_KB")
}

run_ours() {
	local r=$1 db=tgt_ours dir="$WORK/r$1-ours" p="r$1-ours"
	local t0 t1 t2 t3 schema_kb fin_kb
	tgt_flags "$db"
	fresh_target "$db" checkpoint
	rm -rf "$dir"
	mkdir -p "$dir"
	STEP_KB=0
	log "round $r: ours: export schema, import schema, export data + import data overlapped (--parallel-jobs $JOBS each), finalize"
	cpu_mark
	t0=$EPOCHREALTIME
	step "$r" "$p" export-schema "$BIN" export schema --export-dir "$dir" "${SRC_FLAGS[@]}" --yes
	step "$r" "$p" import-schema "$BIN" import schema --export-dir "$dir" "${TGT_FLAGS[@]}" --yes
	t1=$EPOCHREALTIME
	export_import_overlapped "$dir" "$p-export-data" "$p-import-data" "round $r: ours"
	t2=$DATA_END
	schema_kb=$STEP_KB
	step "$r" "$p" finalize "$BIN" finalize-schema-post-data-import --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb
	t3=$EPOCHREALTIME
	fin_kb=$T_RSS_KB
	overlapped_rss "$p-export-data" "$p-import-data"
	add_run ours "$(elapsed "$t0" "$t3" 2)" "$(max "$STEP_KB" "$(max "$EXP_KB" "$IMP_KB")")" "$(cpu_since)"
	add_run ours_schema "$(elapsed "$t0" "$t1" 2)" "$schema_kb"
	add_run ours_data "$(elapsed "$t1" "$t2" 2)" "$(max "$EXP_KB" "$IMP_KB")"
	add_run ours_finalize "$(elapsed "$t2" "$t3" 2)" "$fin_kb"
	OVERLAP_SUM_KB=$(max "$OVERLAP_SUM_KB" $((EXP_KB + IMP_KB)))
	verify_count "$db" "round $r: ours" public
	check_types ours "$db" public
	maybe_compare "$dir" "${TGT_FLAGS[@]}" --yes
	drop_target "$db"
	rm -rf "$dir/data"
}

# --- pgloader ------------------------------------------------------------------
PGLOADER_FAILED=""
run_pgloader() {
	local r=$1 db=tgt_pgloader p="r$1-pgloader" schema rc=0
	fresh_target "$db" checkpoint
	log "round $r: pgloader (workers = $JOBS)"
	timed "$p" "$WORK/$p.log" pgloader --with "workers = $JOBS" \
		"mysql://$MY_USER:$MY_PASS@$SRC_HOST:$SRC_PORT/$SRC_DB" \
		"postgresql://$PG_USER:$PG_PASS@$TGT_HOST:$TGT_PORT/$db?sslmode=disable" || rc=$?
	# pgloader can exit 0 with errors in its summary: the row count decides.
	schema=$(table_schema "$db" || true)
	if [ "$rc" -ne 0 ] || [ -z "$schema" ]; then
		show_log "$WORK/$p.log"
		log "round $r: pgloader failed (exit $rc): no pgloader result this round"
		PGLOADER_FAILED+="${PGLOADER_FAILED:+, }round $r (exit $rc)"
		drop_target "$db"
		return 0
	fi
	add_run pgloader "$T_WALL" "$T_RSS_KB" "$T_CPU"
	verify_count "$db" "round $r: pgloader" "$schema"
	check_types pgloader "$db" "$schema"
	drop_target "$db"
}

CONTENDERS=(ours)
if command -v pgloader >/dev/null; then
	CONTENDERS+=(pgloader)
	PGLOADER_NOTE="$(pgloader --version 2>/dev/null | awk 'NR == 1 { gsub(/"/, ""); print }' || true), --with \"workers = $JOBS\", PG URI ?sslmode=disable"
else
	PGLOADER_NOTE="not installed (apt-get install pgloader failed): baseline skipped"
	log "pgloader: $PGLOADER_NOTE"
fi

# --- Rounds ---------------------------------------------------------------------
run_rounds "${CONTENDERS[@]}"
[ -z "$PGLOADER_FAILED" ] || PGLOADER_NOTE+="; FAILED in $PGLOADER_FAILED"

# --- Report ------------------------------------------------------------------
RATIO=$(ratio ours pgloader)
if [ -z "$RATIO" ]; then
	G_SPEED=SKIP
else
	G_SPEED=$(awk -v v="$RATIO" 'BEGIN { print (v <= 0.5) ? "PASS" : "MISS" }')
fi
G_TYPES=$([ "${TYPES[ours]:-}" = exact ] && echo PASS || echo MISS)
if [ "$G_SPEED" = SKIP ]; then
	GOAL=SKIP
elif [ "$G_SPEED" = PASS ] && [ "$G_TYPES" = PASS ]; then
	GOAL=PASS
else
	GOAL=MISS
fi

MACHINE=$(machine)
MY_VERSION=$(src_sql -N -B -e "SELECT VERSION()")
PG_VERSION=$(tgt_psql -d postgres -At -c "SHOW server_version")
COMMIT=$(ours_version)
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
ROUNDS_NOTE="$ROUNDS round$([ "$ROUNDS" -eq 1 ] || echo s); wall figures are medians over the rounds (min and max alongside); the contender order alternates each round"

summary() { # summary FORMAT: ratio, types and goal lines as text ("text") or markdown ("md")
	local item="  "
	[ "$1" = md ] && item="- "
	echo "${item}ratio ours / pgloader (median wall; < 1 means we are faster) = $(or_na "$RATIO")"
	echo "${item}column types, ours: $(or_na "${TYPES[ours]:-}"); pgloader: $(or_na "${TYPES[pgloader]:-}")"
	echo "${item}ours peak RSS: $(mb "${PEAK[ours]}") MB (the largest yb-voyager process; export data + import data together peaked at $(mb "$OVERLAP_SUM_KB") MB)"
	echo "${item}$GOAL  goal: ours at least 2x faster than pgloader (ratio $(or_na "$RATIO") <= 0.50: $G_SPEED) with exact column types (ours: $G_TYPES)"
}

# describe FORMAT: \d t of both targets.
describe() {
	local k fence=""
	[ "$1" = md ] && fence='```'
	for k in ours pgloader; do
		[ -n "${DESC[$k]:-}" ] || continue
		echo "${LABEL[$k]%%:*} target:"
		[ -z "$fence" ] || echo "$fence"
		echo "${DESC[$k]}"
		[ -z "$fence" ] || echo "$fence"
	done
}

NOTES="Each round runs both contenders once (order alternating), each into a fresh target database after a CHECKPOINT on the \
target (ours also on a fresh export dir); row counts are verified after every run. Wall from the shell: ours from the start of \
export schema to the end of finalize-schema-post-data-import (import data is started as soon as export data status shows the \
export running, and runs alongside it); pgloader from GNU time (it creates the schema and table, COPYs, then builds the primary \
key; ours loads into a table that already has its primary key). compare data runs once, after the first ours run, for \
information. Peak RSS is client-side only (servers not counted) and the largest over the rounds: ours = the largest single \
yb-voyager process; pgloader = its one process. Machine CPU: busy core-seconds of the whole machine (/proc/stat: both \
servers and every client) over the same span as the wall time, median over the rounds. BENCH_JOBS applies to ours (--parallel-jobs of export data, import data and \
finalize) and pgloader (workers); the table is one table either way. Source: MariaDB with innodb_buffer_pool_size=128M."

echo
echo "MySQL/MariaDB migration benchmark: N=$N rows ($SRC_SIZE on the source), BENCH_JOBS=$JOBS, $MACHINE, MariaDB $MY_VERSION -> PostgreSQL $PG_VERSION, yb-voyager $COMMIT"
echo "$ROUNDS_NOTE"
echo
rounds_table text 46 pgloader
echo
echo "compare data: $(or_na "$COMPARE")"
echo "pgloader: $PGLOADER_NOTE"
echo
describe text
echo
summary text
echo
echo "$NOTES" | fold -s -w 100

# The header of bench/RESULTS.md, if this run creates it.
# shellcheck disable=SC2016 # markdown, not expansions
HEADER='# Benchmark results

Appended by the scripts in `bench/` (`make bench`), one section per run.'
{
	echo
	echo "## $DATE: MySQL/MariaDB -> PostgreSQL (bench/mysql.sh): N=$N, BENCH_JOBS=$JOBS, BENCH_ROUNDS=$ROUNDS"
	echo
	echo "- machine: $MACHINE; MariaDB $MY_VERSION source, PostgreSQL $PG_VERSION target (both on this machine)"
	echo "- yb-voyager: $COMMIT; source table: $SRC_SIZE"
	echo "- $ROUNDS_NOTE"
	echo "- compare data: $(or_na "$COMPARE"); pgloader: $PGLOADER_NOTE"
	echo
	rounds_table md 46 pgloader
	echo
	summary md
	echo
	describe md
	echo
	echo "$NOTES"
} | append_results "$HEADER"
