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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/mysql.sh"
WORK="$ROOT/bench/work/mysql"
RESULTS="$ROOT/bench/RESULTS.md"
BIN="$ROOT/bin/yb-voyager"

usage() { # the header comment above, up to the first line that is not one
	awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$SELF"
}
die() {
	echo "mysql.sh: $*" >&2
	exit 1
}

log() {
	printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
esac
[ $# -le 1 ] || {
	usage >&2
	exit 2
}

N=${1:-${BENCH_ROWS:-5000000}}
JOBS=${BENCH_JOBS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
[[ $N =~ ^[1-9][0-9]*$ ]] || die "row count must be a positive integer, got '$N'"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "BENCH_JOBS must be a positive integer, got '$JOBS'"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer, got '$ROUNDS'"
export BENCH_JOBS=$JOBS BENCH_ROUNDS=$ROUNDS

# apt_install PKG: installs a Debian package; runs apt-get update only when
# the first attempt fails. Returns non-zero if it still cannot be had.
apt_install() {
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || return 1
		sudo=sudo
	fi
	command -v apt-get >/dev/null || return 1
	log "installing $1 with apt-get"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null 2>&1 && return 0
	$sudo apt-get update -qq >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------
# Outside testenv: check prerequisites, then re-execute under bin/testenv.
# ---------------------------------------------------------------------------
if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	cd "$ROOT"
	command -v psql >/dev/null || die "psql not found: run scripts/install-deps.sh (or make bench)"
	command -v mariadb >/dev/null || command -v mysql >/dev/null ||
		die "the MariaDB client (mariadb) not found: run scripts/install-deps.sh (or make bench)"
	if [ ! -x /usr/bin/time ]; then
		apt_install time || true
		[ -x /usr/bin/time ] || die "/usr/bin/time (Debian package 'time') is required to measure peak RSS"
	fi
	if ! command -v pgloader >/dev/null; then
		apt_install pgloader || true
		command -v pgloader >/dev/null || log "pgloader could not be installed: that baseline will be skipped"
	fi
	if [ ! -x "$BIN" ]; then
		log "building $BIN"
		make -s build
	fi
	if [ ! -x bin/testenv ]; then
		log "building bin/testenv"
		go build -o bin/testenv ./tools/testenv
	fi
	export BENCH_IN_TESTENV=1
	exec bin/testenv -- "$SELF" "$N"
fi

# ---------------------------------------------------------------------------
# Inside testenv.
# ---------------------------------------------------------------------------
: "${YBV_TEST_MYSQL_SOURCE_HOST:?not set: run bench/mysql.sh, not under testenv by hand}"
: "${YBV_TEST_MYSQL_SOURCE_PORT:?}" "${YBV_TEST_PG_TARGET_HOST:?}" "${YBV_TEST_PG_TARGET_PORT:?}"
SRC_HOST=$YBV_TEST_MYSQL_SOURCE_HOST SRC_PORT=$YBV_TEST_MYSQL_SOURCE_PORT
TGT_HOST=$YBV_TEST_PG_TARGET_HOST TGT_PORT=$YBV_TEST_PG_TARGET_PORT
MY_USER=root MY_PASS=mysql
PG_USER=postgres PG_PASS=postgres
SRC_DB=bench
export PGPASSWORD=$PG_PASS SOURCE_DB_PASSWORD=$MY_PASS TARGET_DB_PASSWORD=$PG_PASS
export PGCONNECT_TIMEOUT=10
MYSQL_CLIENT=$(command -v mariadb || command -v mysql)

# Background processes (GNU time PIDs) that have not been waited for yet;
# cleanup stops them (and the command each one runs).
BG_PIDS=()

cleanup() {
	local rc=$? p
	for p in "${BG_PIDS[@]}"; do
		pkill -TERM -P "$p" 2>/dev/null || true
		kill -TERM "$p" 2>/dev/null || true
	done
	if [ "${BENCH_KEEP_WORK:-}" = 1 ]; then
		log "keeping $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$WORK"
mkdir -p "$WORK"

src_sql() { "$MYSQL_CLIENT" --no-defaults -h "$SRC_HOST" -P "$SRC_PORT" -u "$MY_USER" --password="$MY_PASS" "$@"; }
tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PG_USER" "$@"; }

# show_log FILE: prints the end of a failed step's log.
show_log() {
	echo "---- last lines of $1 ----" >&2
	tail -n 40 "$1" >&2 || true
	echo "----" >&2
}

# timed NAME LOG CMD...: runs CMD under GNU time with its output in LOG,
# sets T_WALL (seconds) and T_RSS_KB (peak RSS of CMD and the children it
# waited for) and returns CMD's exit status.
timed() {
	local name=$1 logf=$2 rc=0
	shift 2
	/usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" >"$logf" 2>&1 || rc=$?
	read_time "$name"
	return "$rc"
}

# read_time NAME: sets T_WALL and T_RSS_KB from NAME's GNU time output.
read_time() {
	read -r T_WALL T_RSS_KB < <(tail -n 1 "$WORK/$1.time")
}

# bg_timed NAME LOG CMD...: starts CMD under GNU time in the background, with
# its output in LOG, and sets BG_PID; read_time NAME once it has been waited for.
bg_timed() {
	local name=$1 logf=$2
	shift 2
	/usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" >"$logf" 2>&1 &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

fresh_target() {
	tgt_psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	tgt_psql -d postgres -c CHECKPOINT
}

drop_target() {
	tgt_psql -d postgres -c "DROP DATABASE IF EXISTS $1"
}

# table_schema DB: the schema of the (one) table t on target database DB.
table_schema() {
	tgt_psql -d "$1" -At -c "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = 't' AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		ORDER BY n.nspname LIMIT 1"
}

# verify_count DB SCHEMA LABEL: fails loudly unless SCHEMA.t has N rows.
verify_count() {
	local got
	got=$(tgt_psql -d "$1" -At -c "SELECT count(*) FROM \"$2\".t") || die "$3: cannot count rows of $2.t on target database $1"
	[ "$got" = "$N" ] || die "$3: target has $got rows in $2.t, expected $N"
	log "$3: row count verified ($got)"
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

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Results, keyed by contender: RUNS[key] holds the wall seconds of each
# round (space-separated), PEAK[key] the largest peak RSS (KB) over rounds.
declare -A RUNS PEAK
TABLE_KEYS=(ours ours_schema ours_data ours_finalize ours_compare pgloader)
declare -A LABEL=(
	[ours]="ours: whole migration"
	[ours_schema]="  of which export schema + import schema"
	[ours_data]="  of which export data + import data"
	[ours_finalize]="  of which finalize-schema-post-data-import"
	[ours_compare]="ours: compare data (info, one run)"
	[pgloader]="pgloader"
)
add_run() { # add_run KEY WALL_SECONDS RSS_KB
	RUNS[$1]="${RUNS[$1]:-}${RUNS[$1]:+ }$2"
	if [ -z "${PEAK[$1]:-}" ] || [ "$3" -gt "${PEAK[$1]}" ]; then
		PEAK[$1]=$3
	fi
}
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
tgt_flags() { # tgt_flags DB: sets TGT_FLAGS for yb-voyager
	TGT_FLAGS=(--target-db-host "$TGT_HOST" --target-db-port "$TGT_PORT" --target-db-user "$PG_USER" --target-db-name "$1")
}

# --- ours ----------------------------------------------------------------------
# maybe_compare DB DIR: runs compare data after the first ours run only.
COMPARE=""
maybe_compare() {
	[ -z "$COMPARE" ] || return 0
	local rc=0
	tgt_flags "$1"
	log "ours: compare data (once, for information)"
	timed ours-compare "$WORK/ours-compare.log" "$BIN" compare data --export-dir "$2" "${TGT_FLAGS[@]}" --yes || rc=$?
	add_run ours_compare "$T_WALL" "$T_RSS_KB"
	if [ "$rc" -eq 0 ]; then
		COMPARE="matched (exit 0)"
	else
		COMPARE="DIFFERENCES or error (exit $rc)"
		show_log "$WORK/ours-compare.log"
		log "ours: WARNING: compare data did not report a match"
	fi
}

# wait_export_running DIR PID: returns once export data status shows the
# export in DIR running (or done), or once the exporter PID has exited. As in
# snapshot.sh, it leaves the metainfo store alone until export data has
# opened it in WAL mode (meta.db-wal exists).
wait_export_running() {
	local out deadline=$((SECONDS + 120))
	while kill -0 "$2" 2>/dev/null; do
		if [ -e "$1/metainfo/meta.db-wal" ] &&
			out=$("$BIN" export data status --export-dir "$1" 2>/dev/null); then
			case $out in
			*"Export: RUNNING"*) return 0 ;;
			*"Export:"*) ;; # recorded, not started yet
			*) return 0 ;;  # no "Export:" line: the export is done
			esac
		fi
		[ "$SECONDS" -lt "$deadline" ] || die "export data did not show as running within 120 s"
		sleep 0.05
	done
	log "WARNING: export data exited before it showed as running: import data starts after it, not alongside"
}

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
	local t0 t1 t2 t3 exp_pid imp_pid rc=0 exp_kb imp_kb schema_kb fin_kb
	tgt_flags "$db"
	fresh_target "$db"
	rm -rf "$dir"
	mkdir -p "$dir"
	STEP_KB=0
	log "round $r: ours: export schema, import schema, export data + import data overlapped (--parallel-jobs $JOBS each), finalize"
	t0=$EPOCHREALTIME
	step "$r" "$p" export-schema "$BIN" export schema --export-dir "$dir" "${SRC_FLAGS[@]}" --yes
	step "$r" "$p" import-schema "$BIN" import schema --export-dir "$dir" "${TGT_FLAGS[@]}" --yes
	t1=$EPOCHREALTIME
	bg_timed "$p-export-data" "$WORK/$p-export-data.log" "$BIN" export data --export-dir "$dir" "${SRC_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	exp_pid=$BG_PID
	wait_export_running "$dir" "$exp_pid"
	bg_timed "$p-import-data" "$WORK/$p-import-data.log" "$BIN" import data --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	imp_pid=$BG_PID
	wait "$exp_pid" || rc=$?
	BG_PIDS=("$imp_pid")
	if [ "$rc" -ne 0 ]; then
		show_log "$WORK/$p-export-data.log"
		die "round $r: ours: export data failed" # cleanup stops import data
	fi
	wait "$imp_pid" || rc=$?
	BG_PIDS=()
	if [ "$rc" -ne 0 ]; then
		show_log "$WORK/$p-import-data.log"
		die "round $r: ours: import data failed"
	fi
	t2=$EPOCHREALTIME
	schema_kb=$STEP_KB
	step "$r" "$p" finalize "$BIN" finalize-schema-post-data-import --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb
	t3=$EPOCHREALTIME
	fin_kb=$T_RSS_KB
	read_time "$p-export-data"
	exp_kb=$T_RSS_KB
	read_time "$p-import-data"
	imp_kb=$T_RSS_KB
	add_run ours "$(elapsed "$t0" "$t3")" "$(max "$STEP_KB" "$(max "$exp_kb" "$imp_kb")")"
	add_run ours_schema "$(elapsed "$t0" "$t1")" "$schema_kb"
	add_run ours_data "$(elapsed "$t1" "$t2")" "$(max "$exp_kb" "$imp_kb")"
	add_run ours_finalize "$(elapsed "$t2" "$t3")" "$fin_kb"
	OVERLAP_SUM_KB=$(max "$OVERLAP_SUM_KB" $((exp_kb + imp_kb)))
	verify_count "$db" public "round $r: ours"
	check_types ours "$db" public
	maybe_compare "$db" "$dir"
	drop_target "$db"
	rm -rf "$dir/data"
}

# --- pgloader ------------------------------------------------------------------
PGLOADER_FAILED=""
run_pgloader() {
	local r=$1 db=tgt_pgloader p="r$1-pgloader" schema rc=0
	fresh_target "$db"
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
	add_run pgloader "$T_WALL" "$T_RSS_KB"
	verify_count "$db" "$schema" "round $r: pgloader"
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
NC=${#CONTENDERS[@]}
for ((r = 1; r <= ROUNDS; r++)); do
	order=()
	for ((i = 0; i < NC; i++)); do
		order+=("${CONTENDERS[$(((r - 1 + i) % NC))]}")
	done
	log "round $r of $ROUNDS: ${order[*]}"
	for c in "${order[@]}"; do
		"run_$c" "$r"
	done
done
[ -z "$PGLOADER_FAILED" ] || PGLOADER_NOTE+="; FAILED in $PGLOADER_FAILED"

# --- Report ------------------------------------------------------------------
mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo "-"; }
rate() { awk -v n="$N" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
# stat KEY median|min|max: over the rounds' wall seconds of KEY (empty if none).
stat() {
	[ -n "${RUNS[$1]:-}" ] || return 0
	printf '%s\n' ${RUNS[$1]} | sort -g | awk -v what="$2" '{ v[NR] = $1 }
		END {
			if (what == "min") x = v[1]
			else if (what == "max") x = v[NR]
			else if (NR % 2) x = v[(NR + 1) / 2]
			else x = (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.2f", x
		}'
}
ratio() { # ratio KEY BASE_KEY -> median(KEY) / median(BASE_KEY), or empty if either is missing
	local a b
	a=$(stat "$1" median) b=$(stat "$2" median)
	[ -n "$a" ] && [ -n "$b" ] || return 0
	awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b }'
}
or_na() { [ -n "$1" ] && echo "$1" || echo "n/a"; }

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

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
MEM_GIB=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) CPUs${CPU_MODEL:+ ($CPU_MODEL)}, $MEM_GIB GiB RAM"
MY_VERSION=$(src_sql -N -B -e "SELECT VERSION()")
PG_VERSION=$(tgt_psql -d postgres -At -c "SHOW server_version")
COMMIT=$("$BIN" version 2>/dev/null | awk 'NR == 1 { print $2 }')
[ -n "$COMMIT" ] || COMMIT="unknown; tree at $(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || echo unknown)"
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
ROUNDS_NOTE="$ROUNDS round$([ "$ROUNDS" -eq 1 ] || echo s); wall figures are medians over the rounds (min and max alongside); the contender order alternates each round"

# table FORMAT: prints the result table as text ("text") or markdown ("md").
table() {
	local k med
	if [ "$1" = md ]; then
		echo "| contender | median s | min s | max s | peak RSS MB | rows/s |"
		echo "|---|---:|---:|---:|---:|---:|"
	else
		printf '%-46s %9s %8s %8s %12s %10s\n' contender "median s" "min s" "max s" "peak RSS MB" rows/s
		printf '%-46s %9s %8s %8s %12s %10s\n' "----------------------------------------------" "---------" "--------" "--------" "------------" "----------"
	fi
	for k in "${TABLE_KEYS[@]}"; do
		if [ -z "${RUNS[$k]:-}" ]; then
			if [ "$k" = pgloader ]; then
				if [ "$1" = md ]; then echo "| pgloader | skipped | - | - | - | - |"; else printf '%-46s %9s\n' pgloader skipped; fi
			fi
			continue
		fi
		med=$(stat "$k" median)
		if [ "$1" = md ]; then
			printf '| %s | %s | %s | %s | %s | %s |\n' "${LABEL[$k]}" "$med" "$(stat "$k" min)" "$(stat "$k" max)" \
				"$(mb "${PEAK[$k]}")" "$(rate "$med")"
		else
			printf '%-46s %9s %8s %8s %12s %10s\n' "${LABEL[$k]}" "$med" "$(stat "$k" min)" "$(stat "$k" max)" \
				"$(mb "${PEAK[$k]}")" "$(rate "$med")"
		fi
	done
}

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
yb-voyager process; pgloader = its one process. BENCH_JOBS applies to ours (--parallel-jobs of export data, import data and \
finalize) and pgloader (workers); the table is one table either way. Source: MariaDB with innodb_buffer_pool_size=128M."

echo
echo "MySQL/MariaDB migration benchmark: N=$N rows ($SRC_SIZE on the source), BENCH_JOBS=$JOBS, $MACHINE, MariaDB $MY_VERSION -> PostgreSQL $PG_VERSION, yb-voyager $COMMIT"
echo "$ROUNDS_NOTE"
echo
table text
echo
echo "compare data: $(or_na "$COMPARE")"
echo "pgloader: $PGLOADER_NOTE"
echo
describe text
echo
summary text
echo
echo "$NOTES" | fold -s -w 100

if [ ! -f "$RESULTS" ]; then
	cat >"$RESULTS" <<'HDR'
# Benchmark results

Appended by the scripts in `bench/` (`make bench`), one section per run.
HDR
fi
{
	echo
	echo "## $DATE: MySQL/MariaDB -> PostgreSQL (bench/mysql.sh): N=$N, BENCH_JOBS=$JOBS, BENCH_ROUNDS=$ROUNDS"
	echo
	echo "- machine: $MACHINE; MariaDB $MY_VERSION source, PostgreSQL $PG_VERSION target (both on this machine)"
	echo "- yb-voyager: $COMMIT; source table: $SRC_SIZE"
	echo "- $ROUNDS_NOTE"
	echo "- compare data: $(or_na "$COMPARE"); pgloader: $PGLOADER_NOTE"
	echo
	table md
	echo
	summary md
	echo
	describe md
	echo
	echo "$NOTES"
} >>"$RESULTS"
log "appended to ${RESULTS#"$ROOT"/}"
