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
#   BENCH_NO_RESULTS set to 1 not to append to bench/RESULTS.md
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

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

snapshot_knobs "$@"

# ---------------------------------------------------------------------------
# Outside testenv: check prerequisites, then re-execute under bin/testenv.
# ---------------------------------------------------------------------------
if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	need_tools psql pg_dump
	need_time
	want_baseline pgcopydb
	reexec_under_testenv "$N"
fi

# ---------------------------------------------------------------------------
# Inside testenv.
# ---------------------------------------------------------------------------
testenv_addresses pg
PGUSER_=postgres
PGPASS_=postgres
SRC_DB=bench
export PGPASSWORD=$PGPASS_ SOURCE_DB_PASSWORD=$PGPASS_ TARGET_DB_PASSWORD=$PGPASS_
export PGCONNECT_TIMEOUT=10

# The background processes (BG_PIDS) of an overlapped run that fails are
# stopped on exit.
use_work_dir

src_psql() { psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" "$@"; }
tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" "$@"; }

# Results, keyed by contender (add_run, RUNS and PEAK: see lib.sh).
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

# run_ours_seq ROUND: export data, then import data.
run_ours_seq() {
	local db=tgt_ours_seq dir="$WORK/r$1-ours-seq" p="r$1-ours-seq" exp_wall exp_kb exp_cpu
	tgt_flags "$db"
	prepare_ours "$db" "$dir"
	log "round $1: ours sequential: export data (--parallel-jobs $JOBS)"
	timed "$p-export" "$WORK/$p-export.log" "$BIN" export data --export-dir "$dir" "${SRC_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes || {
		show_log "$WORK/$p-export.log"
		die "round $1: ours: export data failed"
	}
	exp_wall=$T_WALL exp_kb=$T_RSS_KB exp_cpu=$T_CPU
	log "round $1: ours sequential: import data (--parallel-jobs $JOBS)"
	timed "$p-import" "$WORK/$p-import.log" "$BIN" import data --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes || {
		show_log "$WORK/$p-import.log"
		die "round $1: ours: import data failed"
	}
	add_run ours_export "$exp_wall" "$exp_kb" "$exp_cpu"
	add_run ours_import "$T_WALL" "$T_RSS_KB" "$T_CPU"
	add_run ours_total "$(awk -v a="$exp_wall" -v b="$T_WALL" 'BEGIN { printf "%.2f", a + b }')" \
		$((exp_kb > T_RSS_KB ? exp_kb : T_RSS_KB)) "$(awk -v a="$exp_cpu" -v b="$T_CPU" 'BEGIN { printf "%.1f", a + b }')"
	verify_count "$db" "round $1: ours sequential"
	maybe_compare "$dir" "${SRC_FLAGS[@]}" "${TGT_FLAGS[@]}" --parallel-jobs "$JOBS" --yes
	finish_ours "$db" "$dir"
}

# run_ours_overlap ROUND: export data in the background, and import data
# alongside it as soon as the export is running; wall = start of export data
# to the end of both.
run_ours_overlap() {
	local db=tgt_ours_overlap dir="$WORK/r$1-ours-overlap" p="r$1-ours-overlap" t0
	tgt_flags "$db"
	prepare_ours "$db" "$dir"
	log "round $1: ours overlapped: export data, and import data alongside it (--parallel-jobs $JOBS each)"
	cpu_mark
	t0=$EPOCHREALTIME
	export_import_overlapped "$dir" "$p-export" "$p-import" "round $1: ours overlapped"
	local cpu
	cpu=$(cpu_since)
	overlapped_rss "$p-export" "$p-import"
	add_run ours_overlap "$(elapsed "$t0" "$DATA_END" 2)" $((EXP_KB > IMP_KB ? EXP_KB : IMP_KB)) "$cpu"
	if [ $((EXP_KB + IMP_KB)) -gt "$OVERLAP_SUM_KB" ]; then
		OVERLAP_SUM_KB=$((EXP_KB + IMP_KB))
	fi
	verify_count "$db" "round $1: ours overlapped"
	maybe_compare "$dir" "${SRC_FLAGS[@]}" "${TGT_FLAGS[@]}" --parallel-jobs "$JOBS" --yes
	finish_ours "$db" "$dir"
}

# --- pg_dump | psql -------------------------------------------------------------
run_pg_dump() {
	local db=tgt_pgdump p="r$1-pgdump" t0 t1
	fresh_target "$db"
	checkpoint
	log "round $1: pg_dump | psql"
	cpu_mark
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
	add_run pg_dump "$(elapsed "$t0" "$t1" 2)" \
		$(($(tail -n 1 "$WORK/$p-dump.time") + $(tail -n 1 "$WORK/$p-load.time"))) "$(cpu_since)"
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
	cpu_mark
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
	add_run binary_pipe "$(elapsed "$t0" "$t1" 2)" \
		$(($(tail -n 1 "$WORK/$p-out.time") + $(tail -n 1 "$WORK/$p-in.time"))) "$(cpu_since)"
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
	rm -rf "${WORK:?}/$p"
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
	add_run pgcopydb "$T_WALL" "$T_RSS_KB" "$T_CPU"
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
run_rounds "${CONTENDERS[@]}"

# --- Report ------------------------------------------------------------------
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

MACHINE=$(machine)
PG_VERSION=$(src_psql -d postgres -At -c "SHOW server_version")
# The binary's own version (set by make build from git describe) is what was
# measured, even if the tree moved on since.
COMMIT=$(ours_version)
DATE=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
ROUNDS_NOTE="$ROUNDS round$([ "$ROUNDS" -eq 1 ] || echo s); wall figures are medians over the rounds (min and max alongside); the contender order rotates each round"

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
	echo "${item}info  machine CPU (median core-s): ours overlapped $(or_na "$(stat ours_overlap median cpu)"), binary pipe $(or_na "$(stat binary_pipe median cpu)"), pgcopydb $(or_na "$(stat pgcopydb median cpu)")"
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
Machine CPU: busy core-seconds of the whole machine (/proc/stat: both servers and every client) over the same span as \
the wall time, median over the rounds; the machine's other tenants are in it too. \
ours and the binary pipe load into a table that already has its primary key; \
pg_dump and pgcopydb build the key after loading (pgcopydb also runs VACUUM ANALYZE on the target). BENCH_JOBS applies to ours \
(export data and import data each) and pgcopydb; the pipes are one stream."

echo
echo "Snapshot benchmark: N=$N rows ($SRC_SIZE on the source), BENCH_JOBS=$JOBS, $MACHINE, PostgreSQL $PG_VERSION, yb-voyager $COMMIT"
echo "$ROUNDS_NOTE"
echo
rounds_table text 44 pgcopydb
echo
echo "compare data: $COMPARE"
echo "pgcopydb: $PGCOPYDB_NOTE"
echo
summary text
echo
echo "$NOTES" | fold -s -w 100

# The header of bench/RESULTS.md, if this run creates it.
# shellcheck disable=SC2016 # markdown, not expansions
HEADER='# Snapshot benchmark results

Appended by `bench/snapshot.sh` (`make bench`), one section per run: yb-voyager
`export data` + `import data` against `pg_dump | psql`, a binary COPY pipe and
`pgcopydb clone`, all in one run on the same fresh source and target clusters.'
{
	echo
	echo "## $DATE: N=$N, BENCH_JOBS=$JOBS, BENCH_ROUNDS=$ROUNDS"
	echo
	echo "- machine: $MACHINE; PostgreSQL $PG_VERSION (source and target clusters on this machine)"
	echo "- yb-voyager: $COMMIT; source table: $SRC_SIZE"
	echo "- $ROUNDS_NOTE"
	echo "- compare data: $COMPARE; pgcopydb: $PGCOPYDB_NOTE"
	echo
	rounds_table md 44 pgcopydb
	echo
	summary md
	echo
	echo "$NOTES"
} | append_results "$HEADER"
