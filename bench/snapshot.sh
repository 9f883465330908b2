#!/usr/bin/env bash
# Snapshot-migration benchmark: yb-voyager (export data + import data)
# against three baselines on the same fresh clusters, in BENCH_ROUNDS rounds,
# printing the median, min and max wall time, peak client RSS, rows/s and our
# ratios (of medians) to each baseline.
#
#   bench/snapshot.sh [N]        # or: make bench
#
#   N / BENCH_ROWS   rows in the benchmark table (default 5000000)
#   BENCH_ROUNDS     rounds (default 3): each round runs every contender once;
#                    the reported wall is the median over rounds
#   BENCH_JOBS       parallel jobs for yb-voyager and pgcopydb (default 2)
#   BENCH_KEEP_WORK  set to 1 to keep bench/work/ (logs, export dirs without
#                    their data files) at the end
#   BENCH_PGCOPYDB_SPLIT  if set (e.g. 100MB), passed to pgcopydb clone as
#                    --split-tables-larger-than so that it COPYs the one table
#                    in BENCH_JOBS parts; default unset: one COPY stream
#
# It re-executes itself under bin/testenv, which starts a throwaway source
# and target PostgreSQL cluster and stops them when the script ends.
# Contenders, each run into a fresh target database after a CHECKPOINT on
# both clusters, with its row count verified after the run:
#   ours: sequential  yb-voyager export data, then import data, on a fresh
#                 export dir (table with its primary key created beforehand
#                 from pg_dump --schema-only); reported per phase and in total
#   ours: overlapped  the same, but import data is started as soon as export
#                 data status shows the export running (import data follows
#                 the export and loads each chunk as soon as it is written),
#                 the way a user runs a migration
#   pg_dump       pg_dump -t public.t | psql (creates the table, loads it with
#                 COPY text, then adds the primary key)
#   binary pipe   psql COPY (SELECT * FROM t) TO STDOUT (FORMAT binary) piped
#                 into psql COPY t FROM STDIN (FORMAT binary) (table with its
#                 primary key created beforehand, as for ours)
#   pgcopydb      pgcopydb clone, restricted to public.t by a filter file
#                 (creates the table, COPYs, builds the primary key, then
#                 VACUUM ANALYZEs the target table)
# The order of the contenders rotates by one each round (round 1: A B C D E,
# round 2: B C D E A, ...), so that none always runs first after the data
# load. compare data runs once, after the first ours run, for information.
# Results are printed and appended to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/snapshot.sh"
WORK="$ROOT/bench/work/snapshot"
RESULTS="$ROOT/bench/RESULTS.md"
BIN="$ROOT/bin/yb-voyager"

usage() { # the header comment above, up to the first line that is not one
	awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$SELF"
}
die() {
	echo "snapshot.sh: $*" >&2
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
	for tool in psql pg_dump; do
		command -v "$tool" >/dev/null || die "$tool not found: run scripts/install-deps.sh (or make bench)"
	done
	if [ ! -x /usr/bin/time ]; then
		apt_install time || true
		[ -x /usr/bin/time ] || die "/usr/bin/time (Debian package 'time') is required to measure peak RSS"
	fi
	if ! command -v pgcopydb >/dev/null; then
		apt_install pgcopydb || true
		command -v pgcopydb >/dev/null || log "pgcopydb could not be installed: that baseline will be skipped"
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
: "${YBV_TEST_PG_SOURCE_HOST:?not set: run bench/snapshot.sh, not under testenv by hand}"
: "${YBV_TEST_PG_SOURCE_PORT:?}" "${YBV_TEST_PG_TARGET_HOST:?}" "${YBV_TEST_PG_TARGET_PORT:?}"
SRC_HOST=$YBV_TEST_PG_SOURCE_HOST SRC_PORT=$YBV_TEST_PG_SOURCE_PORT
TGT_HOST=$YBV_TEST_PG_TARGET_HOST TGT_PORT=$YBV_TEST_PG_TARGET_PORT
PGUSER_=postgres
PGPASS_=postgres
SRC_DB=bench
export PGPASSWORD=$PGPASS_ SOURCE_DB_PASSWORD=$PGPASS_ TARGET_DB_PASSWORD=$PGPASS_
export PGCONNECT_TIMEOUT=10

# Background processes (GNU time PIDs) of the overlapped run that have not
# been waited for yet; cleanup stops them (and the command each one runs).
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

src_psql() { psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" "$@"; }
tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" "$@"; }

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

# fresh_target DB: (re)creates an empty target database.
fresh_target() {
	tgt_psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}

drop_target() {
	tgt_psql -d postgres -c "DROP DATABASE IF EXISTS $1"
}

# checkpoint: flushes both clusters so that no contender pays for the
# previous one's dirty buffers.
checkpoint() {
	src_psql -d postgres -c CHECKPOINT
	tgt_psql -d postgres -c CHECKPOINT
}

# verify_count DB LABEL: fails loudly unless the target's t has N rows.
verify_count() {
	local got
	got=$(tgt_psql -d "$1" -At -c "SELECT count(*) FROM public.t") || die "$2: cannot count rows of t on target database $1"
	if [ "$got" != "$N" ]; then
		die "$2: target has $got rows in t, expected $N"
	fi
	log "$2: row count verified ($got)"
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Results, keyed by contender: RUNS[key] holds the wall seconds of each
# round (space-separated), PEAK[key] the largest peak RSS (KB) over rounds.
declare -A RUNS PEAK
TABLE_KEYS=(ours_export ours_import ours_total ours_overlap ours_compare pg_dump binary_pipe pgcopydb)
declare -A LABEL=(
	[ours_export]="ours: export data"
	[ours_import]="ours: import data"
	[ours_total]="ours: sequential total (export + import)"
	[ours_overlap]="ours: overlapped (import alongside export)"
	[ours_compare]="ours: compare data (info, one run)"
	[pg_dump]="pg_dump | psql"
	[binary_pipe]="binary COPY pipe (psql | psql)"
	[pgcopydb]="pgcopydb clone"
)
add_run() { # add_run KEY WALL_SECONDS RSS_KB
	RUNS[$1]="${RUNS[$1]:-}${RUNS[$1]:+ }$2"
	if [ -z "${PEAK[$1]:-}" ] || [ "$3" -gt "${PEAK[$1]}" ]; then
		PEAK[$1]=$3
	fi
}
# OVERLAP_SUM_KB: the largest sum of the two overlapped processes' peaks.
OVERLAP_SUM_KB=0

log "source PostgreSQL on $SRC_HOST:$SRC_PORT, target on $TGT_HOST:$TGT_PORT; N=$N, BENCH_JOBS=$JOBS, BENCH_ROUNDS=$ROUNDS"

# --- Source data -----------------------------------------------------------
log "creating $N rows in $SRC_DB.public.t on the source"
src_psql -d postgres -c "CREATE DATABASE $SRC_DB"
src_psql -d "$SRC_DB" <<SQL
CREATE TABLE public.t (id bigint, a int, b text, c timestamptz, d numeric);
INSERT INTO public.t
SELECT i,
       ((i * 2654435761) % 2147483647 - 1073741823)::int,
       md5(i::text) || substr(md5((i * 7)::text), 1, 18),
       timestamptz '2015-01-01 00:00:00+00'
         + ((i * 7919) % 315360000) * interval '1 second'
         + (i % 1000000) * interval '1 microsecond',
       round(((i * 104729) % 100000007)::numeric / 1000, (i % 4)::int)
         * CASE WHEN i % 3 = 0 THEN -1 ELSE 1 END
FROM generate_series(1::bigint, ${N}::bigint) AS i;
ALTER TABLE public.t ADD PRIMARY KEY (id);
VACUUM ANALYZE public.t;
SQL
SRC_SIZE=$(src_psql -d "$SRC_DB" -At -c "SELECT pg_size_pretty(pg_total_relation_size('public.t'))")
log "source table ready ($SRC_SIZE with its primary key)"
pg_dump --schema-only --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-t public.t -d "$SRC_DB" >"$WORK/schema.sql"

SRC_FLAGS=(--source-db-type postgresql --source-db-host "$SRC_HOST" --source-db-port "$SRC_PORT"
	--source-db-user "$PGUSER_" --source-db-name "$SRC_DB")
tgt_flags() { # tgt_flags DB: sets TGT_FLAGS for yb-voyager
	TGT_FLAGS=(--target-db-host "$TGT_HOST" --target-db-port "$TGT_PORT" --target-db-user "$PGUSER_" --target-db-name "$1")
}

# --- ours ----------------------------------------------------------------------
# prepare_ours DB DIR: a fresh target database with the table (and its
# primary key) created, a fresh export directory, then a checkpoint.
prepare_ours() {
	fresh_target "$1"
	tgt_psql -d "$1" -f "$WORK/schema.sql" >/dev/null
	rm -rf "$2"
	mkdir -p "$2"
	checkpoint
}

# finish_ours DB DIR: drops the target and the exported data files (the
# export dir's log and metainfo stay, for BENCH_KEEP_WORK).
finish_ours() {
	drop_target "$1"
	rm -rf "$2/data"
}

# maybe_compare DB DIR: runs compare data after the first ours run only.
COMPARE=""
maybe_compare() {
	[ -z "$COMPARE" ] || return 0
	local rc=0
	tgt_flags "$1"
	log "ours: compare data (once, for information)"
	timed ours-compare "$WORK/ours-compare.log" "$BIN" compare data --export-dir "$2" "${SRC_FLAGS[@]}" \
		"${TGT_FLAGS[@]}" --parallel-jobs "$JOBS" --yes || rc=$?
	add_run ours_compare "$T_WALL" "$T_RSS_KB"
	if [ "$rc" -eq 0 ]; then
		COMPARE="matched (exit 0)"
	else
		COMPARE="DIFFERENCES or error (exit $rc)"
		show_log "$WORK/ours-compare.log"
		log "ours: WARNING: compare data did not report a match"
	fi
}

# run_ours_seq ROUND: export data, then import data.
run_ours_seq() {
	local db=tgt_ours_seq dir="$WORK/r$1-ours-seq" p="r$1-ours-seq" exp_wall exp_kb
	tgt_flags "$db"
	prepare_ours "$db" "$dir"
	log "round $1: ours sequential: export data (--parallel-jobs $JOBS)"
	timed "$p-export" "$WORK/$p-export.log" "$BIN" export data --export-dir "$dir" "${SRC_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes || {
		show_log "$WORK/$p-export.log"
		die "round $1: ours: export data failed"
	}
	exp_wall=$T_WALL exp_kb=$T_RSS_KB
	log "round $1: ours sequential: import data (--parallel-jobs $JOBS)"
	timed "$p-import" "$WORK/$p-import.log" "$BIN" import data --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes || {
		show_log "$WORK/$p-import.log"
		die "round $1: ours: import data failed"
	}
	add_run ours_export "$exp_wall" "$exp_kb"
	add_run ours_import "$T_WALL" "$T_RSS_KB"
	add_run ours_total "$(awk -v a="$exp_wall" -v b="$T_WALL" 'BEGIN { printf "%.2f", a + b }')" \
		$((exp_kb > T_RSS_KB ? exp_kb : T_RSS_KB))
	verify_count "$db" "round $1: ours sequential"
	maybe_compare "$db" "$dir"
	finish_ours "$db" "$dir"
}

# wait_export_running DIR PID: returns once export data status shows the
# export in DIR running (or done), or once the exporter PID has exited.
# It leaves the metainfo store alone until export data has created it in WAL
# mode (meta.db-wal exists): two processes opening a brand-new store at once
# can fail with SQLITE_BUSY ("initialise metainfo store: database is locked"),
# and a status poll must not make the measured export data fail.
wait_export_running() {
	local out deadline=$((SECONDS + 120))
	while kill -0 "$2" 2>/dev/null; do
		if [ -e "$1/metainfo/meta.db-wal" ] &&
			out=$("$BIN" export data status --export-dir "$1" 2>/dev/null); then
			case $out in
			*"Export: RUNNING"*) return 0 ;;
			*"Export:"*) ;;  # recorded, not started yet
			*) return 0 ;;   # no "Export:" line: the export is done
			esac
		fi
		[ "$SECONDS" -lt "$deadline" ] || die "export data did not show as running within 120 s"
		sleep 0.05
	done
	log "WARNING: export data exited before it showed as running: import data starts after it, not alongside"
}

# run_ours_overlap ROUND: export data in the background, and import data
# alongside it as soon as the export is running; wall = start of export data
# to the end of both.
run_ours_overlap() {
	local db=tgt_ours_overlap dir="$WORK/r$1-ours-overlap" p="r$1-ours-overlap"
	local t0 t1 exp_pid imp_pid rc=0 exp_kb imp_kb
	tgt_flags "$db"
	prepare_ours "$db" "$dir"
	log "round $1: ours overlapped: export data, and import data alongside it (--parallel-jobs $JOBS each)"
	t0=$EPOCHREALTIME
	bg_timed "$p-export" "$WORK/$p-export.log" "$BIN" export data --export-dir "$dir" "${SRC_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	exp_pid=$BG_PID
	wait_export_running "$dir" "$exp_pid"
	bg_timed "$p-import" "$WORK/$p-import.log" "$BIN" import data --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	imp_pid=$BG_PID
	wait "$exp_pid" || rc=$?
	BG_PIDS=("$imp_pid")
	if [ "$rc" -ne 0 ]; then
		show_log "$WORK/$p-export.log"
		die "round $1: ours overlapped: export data failed" # cleanup stops import data
	fi
	wait "$imp_pid" || rc=$?
	t1=$EPOCHREALTIME
	BG_PIDS=()
	if [ "$rc" -ne 0 ]; then
		show_log "$WORK/$p-import.log"
		die "round $1: ours overlapped: import data failed"
	fi
	read_time "$p-export"
	exp_kb=$T_RSS_KB
	read_time "$p-import"
	imp_kb=$T_RSS_KB
	add_run ours_overlap "$(elapsed "$t0" "$t1")" $((exp_kb > imp_kb ? exp_kb : imp_kb))
	if [ $((exp_kb + imp_kb)) -gt "$OVERLAP_SUM_KB" ]; then
		OVERLAP_SUM_KB=$((exp_kb + imp_kb))
	fi
	verify_count "$db" "round $1: ours overlapped"
	maybe_compare "$db" "$dir"
	finish_ours "$db" "$dir"
}

# --- pg_dump | psql -------------------------------------------------------------
run_pg_dump() {
	local db=tgt_pgdump p="r$1-pgdump" t0 t1
	fresh_target "$db"
	checkpoint
	log "round $1: pg_dump | psql"
	t0=$EPOCHREALTIME
	if ! {
		/usr/bin/time -f '%M' -o "$WORK/$p-dump.time" \
			pg_dump --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" -t public.t -d "$SRC_DB" |
			/usr/bin/time -f '%M' -o "$WORK/$p-load.time" \
				psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" -d "$db"
	} >"$WORK/$p.log" 2>&1; then
		show_log "$WORK/$p.log"
		die "round $1: pg_dump | psql failed"
	fi
	t1=$EPOCHREALTIME
	add_run pg_dump "$(elapsed "$t0" "$t1")" \
		$(($(tail -n 1 "$WORK/$p-dump.time") + $(tail -n 1 "$WORK/$p-load.time")))
	verify_count "$db" "round $1: pg_dump"
	drop_target "$db"
}

# --- binary COPY pipe -----------------------------------------------------------
# psql streams COPY ... TO STDOUT as the rows arrive and COPY ... FROM STDIN
# in small reads, so the pipe never holds the table; the two psql peak RSS
# figures in the table show it.
run_binary_pipe() {
	local db=tgt_binpipe p="r$1-binpipe" t0 t1
	fresh_target "$db"
	tgt_psql -d "$db" -f "$WORK/schema.sql" >/dev/null
	checkpoint
	log "round $1: binary COPY pipe"
	t0=$EPOCHREALTIME
	if ! {
		/usr/bin/time -f '%M' -o "$WORK/$p-out.time" \
			psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" -d "$SRC_DB" \
			-c "COPY (SELECT * FROM public.t) TO STDOUT WITH (FORMAT binary)" |
			/usr/bin/time -f '%M' -o "$WORK/$p-in.time" \
				psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" -d "$db" \
				-c "COPY public.t FROM STDIN WITH (FORMAT binary)"
	} >"$WORK/$p.log" 2>&1; then
		show_log "$WORK/$p.log"
		die "round $1: binary COPY pipe failed"
	fi
	t1=$EPOCHREALTIME
	add_run binary_pipe "$(elapsed "$t0" "$t1")" \
		$(($(tail -n 1 "$WORK/$p-out.time") + $(tail -n 1 "$WORK/$p-in.time")))
	verify_count "$db" "round $1: binary pipe"
	drop_target "$db"
}

# --- pgcopydb clone -------------------------------------------------------------
printf '[include-only-table]\npublic.t\n' >"$WORK/pgcopydb-filters.ini"
SPLIT=()
if [ -n "${BENCH_PGCOPYDB_SPLIT:-}" ]; then
	SPLIT=(--split-tables-larger-than "$BENCH_PGCOPYDB_SPLIT")
fi
run_pgcopydb() {
	local db=tgt_pgcopydb p="r$1-pgcopydb"
	fresh_target "$db"
	rm -rf "$WORK/$p"
	checkpoint
	log "round $1: pgcopydb clone (--table-jobs $JOBS --index-jobs $JOBS)"
	timed "$p" "$WORK/$p.log" pgcopydb clone \
		--source "postgres://$PGUSER_:$PGPASS_@$SRC_HOST:$SRC_PORT/$SRC_DB" \
		--target "postgres://$PGUSER_:$PGPASS_@$TGT_HOST:$TGT_PORT/$db" \
		--dir "$WORK/$p" --table-jobs "$JOBS" --index-jobs "$JOBS" \
		--filters "$WORK/pgcopydb-filters.ini" --no-owner --no-acl "${SPLIT[@]}" || {
		show_log "$WORK/$p.log"
		die "round $1: pgcopydb clone failed"
	}
	add_run pgcopydb "$T_WALL" "$T_RSS_KB"
	verify_count "$db" "round $1: pgcopydb"
	drop_target "$db"
}

CONTENDERS=(ours_seq ours_overlap pg_dump binary_pipe)
if command -v pgcopydb >/dev/null; then
	CONTENDERS+=(pgcopydb)
	PGCOPYDB_NOTE="$(pgcopydb --version 2>/dev/null | head -n 1), --table-jobs $JOBS --index-jobs $JOBS"
	if [ ${#SPLIT[@]} -gt 0 ]; then
		PGCOPYDB_NOTE+=" --split-tables-larger-than $BENCH_PGCOPYDB_SPLIT"
	else
		PGCOPYDB_NOTE+=" (one table: a single COPY stream; BENCH_PGCOPYDB_SPLIT splits it)"
	fi
else
	PGCOPYDB_NOTE="not installed: baseline skipped"
	log "pgcopydb: $PGCOPYDB_NOTE"
fi

# --- Rounds ---------------------------------------------------------------------
# Round r runs the contenders starting from the r-th, wrapping around.
NC=${#CONTENDERS[@]}
ORDERS=()
for ((r = 1; r <= ROUNDS; r++)); do
	order=()
	for ((i = 0; i < NC; i++)); do
		order+=("${CONTENDERS[$(((r - 1 + i) % NC))]}")
	done
	ORDERS+=("${order[*]}")
	log "round $r of $ROUNDS: ${order[*]}"
	for c in "${order[@]}"; do
		"run_$c" "$r"
	done
done

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
declare -A RATIO
for ours in ours_overlap ours_total; do
	for base in pgcopydb binary_pipe pg_dump; do
		RATIO[$ours/$base]=$(ratio "$ours" "$base")
	done
done
# Our peak RSS: the largest single yb-voyager process over all ours runs.
OURS_RSS_KB=0
for k in ours_export ours_import ours_overlap; do
	if [ "${PEAK[$k]:-0}" -gt "$OURS_RSS_KB" ]; then OURS_RSS_KB=${PEAK[$k]}; fi
done
OURS_RSS_MB=$(mb "$OURS_RSS_KB")
verdict() { # verdict VALUE LIMIT -> PASS if VALUE <= LIMIT (SKIP if VALUE empty)
	[ -n "$1" ] || {
		echo SKIP
		return
	}
	awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "PASS" : "MISS" }'
}
G_PGCOPYDB=$(verdict "${RATIO[ours_overlap/pgcopydb]}" 1.00)
G_BINPIPE=$(verdict "${RATIO[ours_overlap/binary_pipe]}" 1.30)
G_RSS=$(awk -v v="$OURS_RSS_MB" 'BEGIN { print (v < 300) ? "PASS" : "MISS" }')

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
MEM_GIB=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) CPUs${CPU_MODEL:+ ($CPU_MODEL)}, $MEM_GIB GiB RAM"
PG_VERSION=$(src_psql -d postgres -At -c "SHOW server_version")
# The binary's own version (set by make build from git describe) is what was
# measured, even if the tree moved on since.
COMMIT=$("$BIN" version 2>/dev/null | awk 'NR == 1 { print $2 }')
[ -n "$COMMIT" ] || COMMIT="unknown; tree at $(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || echo unknown)"
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
ROUNDS_NOTE="$ROUNDS round$([ "$ROUNDS" -eq 1 ] || echo s); wall figures are medians over the rounds (min and max alongside); the contender order rotates each round"

# table FORMAT: prints the result table as text ("text") or markdown ("md").
table() {
	local k med
	if [ "$1" = md ]; then
		echo "| contender | median s | min s | max s | peak RSS MB | rows/s |"
		echo "|---|---:|---:|---:|---:|---:|"
	else
		printf '%-44s %9s %8s %8s %12s %10s\n' contender "median s" "min s" "max s" "peak RSS MB" rows/s
		printf '%-44s %9s %8s %8s %12s %10s\n' "--------------------------------------------" "---------" "--------" "--------" "------------" "----------"
	fi
	for k in "${TABLE_KEYS[@]}"; do
		if [ -z "${RUNS[$k]:-}" ]; then
			if [ "$k" = pgcopydb ]; then
				if [ "$1" = md ]; then echo "| pgcopydb clone | skipped | - | - | - | - |"; else printf '%-44s %9s\n' "pgcopydb clone" skipped; fi
			fi
			continue
		fi
		med=$(stat "$k" median)
		if [ "$1" = md ]; then
			printf '| %s | %s | %s | %s | %s | %s |\n' "${LABEL[$k]//|/\\|}" "$med" "$(stat "$k" min)" "$(stat "$k" max)" \
				"$(mb "${PEAK[$k]}")" "$(rate "$med")"
		else
			printf '%-44s %9s %8s %8s %12s %10s\n' "${LABEL[$k]}" "$med" "$(stat "$k" min)" "$(stat "$k" max)" \
				"$(mb "${PEAK[$k]}")" "$(rate "$med")"
		fi
	done
}

or_na() { [ -n "$1" ] && echo "$1" || echo "n/a"; }

summary() { # summary FORMAT: ratio and goal lines as text ("text") or markdown ("md")
	local item="  " gap="" ours base
	local -A RNAME=([ours_overlap]=ours_overlapped [ours_total]=ours_sequential)
	if [ "$1" = md ]; then
		item="- " gap=$'\n'
	fi
	echo "Ratios (median wall of ours / median wall of the baseline; < 1 means we are faster):$gap"
	for ours in ours_overlap ours_total; do
		for base in pgcopydb binary_pipe pg_dump; do
			printf '%s%-31s = %s\n' "$item" "${RNAME[$ours]} / $base" "$(or_na "${RATIO[$ours/$base]}")"
		done
	done
	echo "$gap""Goals (ours overlapped: import data running alongside export data, the way a user runs a migration):$gap"
	echo "${item}$G_PGCOPYDB  ours (overlapped) no slower than pgcopydb clone (ratio $(or_na "${RATIO[ours_overlap/pgcopydb]}") <= 1.00)"
	echo "${item}$G_BINPIPE  ours (overlapped) within 1.3x of the binary pipe (ratio $(or_na "${RATIO[ours_overlap/binary_pipe]}") <= 1.30)"
	echo "${item}$G_RSS  ours peak RSS under 300 MB ($OURS_RSS_MB MB, the largest yb-voyager process; overlapped export + import together peaked at $(mb "$OVERLAP_SUM_KB") MB)"
	echo "${item}info  ours (sequential: export data, then import data): / pgcopydb $(or_na "${RATIO[ours_total/pgcopydb]}"), / binary pipe $(or_na "${RATIO[ours_total/binary_pipe]}"), / pg_dump $(or_na "${RATIO[ours_total/pg_dump]}")"
}

NOTES="Each round runs every contender once, in an order that rotates by one each round, each into a fresh target database \
after a CHECKPOINT on both clusters (ours also on a fresh export dir); row counts are verified after every run. \
Wall: ours sequential from GNU time per phase (total = export + import of the same round; the median total is the median of \
the per-round totals, not the sum of the phase medians); ours overlapped from the shell, start of export data to the end of \
both export data and import data (import data is started as soon as export data status shows the export running); pipes \
from the shell, start of pipeline to its end; pgcopydb from GNU time; compare data runs once, after the first ours run, for \
information. Peak RSS is client-side only (servers not counted) and the largest over the rounds: ours sequential = the larger \
of the two phases; ours overlapped = the larger of the two processes (they run at once: their sum is in the RSS goal line); \
pipes = sum of both ends' peaks (they run at once); pgcopydb = largest process in its tree. \
ours and the binary pipe load into a table that already has its primary key; \
pg_dump and pgcopydb build the key after loading (pgcopydb also runs VACUUM ANALYZE on the target). BENCH_JOBS applies to ours \
(export data and import data each) and pgcopydb; the pipes are one stream."

echo
echo "Snapshot benchmark: N=$N rows ($SRC_SIZE on the source), BENCH_JOBS=$JOBS, $MACHINE, PostgreSQL $PG_VERSION, yb-voyager $COMMIT"
echo "$ROUNDS_NOTE"
echo
table text
echo
echo "compare data: $COMPARE"
echo "pgcopydb: $PGCOPYDB_NOTE"
echo
summary text
echo
echo "$NOTES" | fold -s -w 100

if [ ! -f "$RESULTS" ]; then
	cat >"$RESULTS" <<'HDR'
# Snapshot benchmark results

Appended by `bench/snapshot.sh` (`make bench`), one section per run: yb-voyager
`export data` + `import data` against `pg_dump | psql`, a binary COPY pipe and
`pgcopydb clone`, all in one run on the same fresh source and target clusters.
HDR
fi
{
	echo
	echo "## $DATE: N=$N, BENCH_JOBS=$JOBS, BENCH_ROUNDS=$ROUNDS"
	echo
	echo "- machine: $MACHINE; PostgreSQL $PG_VERSION (source and target clusters on this machine)"
	echo "- yb-voyager: $COMMIT; source table: $SRC_SIZE"
	echo "- $ROUNDS_NOTE"
	echo "- compare data: $COMPARE; pgcopydb: $PGCOPYDB_NOTE"
	echo
	table md
	echo
	summary md
	echo
	echo "$NOTES"
} >>"$RESULTS"
log "appended to ${RESULTS#"$ROOT"/}"
