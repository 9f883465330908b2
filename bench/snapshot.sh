#!/usr/bin/env bash
# Snapshot-migration benchmark: yb-voyager (export data + import data)
# against three baselines, in one run on the same fresh clusters, printing
# wall time, peak client RSS, rows/s and our ratios to each baseline.
#
#   bench/snapshot.sh [N]        # or: make bench
#
#   N / BENCH_ROWS   rows in the benchmark table (default 5000000)
#   BENCH_JOBS       parallel jobs for yb-voyager and pgcopydb (default 2)
#   BENCH_KEEP_WORK  set to 1 to keep bench/work/ (logs, export dir) at the end
#   BENCH_PGCOPYDB_SPLIT  if set (e.g. 100MB), passed to pgcopydb clone as
#                    --split-tables-larger-than so that it COPYs the one table
#                    in BENCH_JOBS parts; default unset: one COPY stream
#
# It re-executes itself under bin/testenv, which starts a throwaway source
# and target PostgreSQL cluster and stops them when the script ends.
# Contenders, in order, each into a fresh target database:
#   ours          yb-voyager export data, then import data (table with its
#                 primary key created beforehand from pg_dump --schema-only)
#   pg_dump       pg_dump -t public.t | psql (creates the table, loads it with
#                 COPY text, then adds the primary key)
#   binary pipe   psql COPY (SELECT * FROM t) TO STDOUT (FORMAT binary) piped
#                 into psql COPY t FROM STDIN (FORMAT binary) (table with its
#                 primary key created beforehand, as for ours)
#   pgcopydb      pgcopydb clone, restricted to public.t by a filter file
#                 (creates the table, COPYs, builds the primary key, then
#                 VACUUM ANALYZEs the target table)
# Results are printed and appended to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/snapshot.sh"
WORK="$ROOT/bench/work"
RESULTS="$ROOT/bench/RESULTS.md"
BIN="$ROOT/bin/yb-voyager"

usage() {
	sed -n '2,28p' "$SELF" | sed 's/^# \{0,1\}//'
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
[[ $N =~ ^[1-9][0-9]*$ ]] || die "row count must be a positive integer, got '$N'"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "BENCH_JOBS must be a positive integer, got '$JOBS'"
export BENCH_JOBS=$JOBS

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

cleanup() {
	local rc=$?
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
	read -r T_WALL T_RSS_KB < <(tail -n 1 "$WORK/$name.time")
	return "$rc"
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

# Results, keyed by contender.
declare -A WALL RSS
KEYS=()
declare -A LABEL=(
	[ours_export]="ours: export data"
	[ours_import]="ours: import data"
	[ours_total]="ours: total (export + import)"
	[ours_compare]="ours: compare data (info)"
	[pg_dump]="pg_dump | psql"
	[binary_pipe]="binary COPY pipe (psql | psql)"
	[pgcopydb]="pgcopydb clone"
)
record() { # record KEY WALL_SECONDS RSS_KB(or empty)
	KEYS+=("$1")
	WALL[$1]=$2
	RSS[$1]=$3
}

log "source PostgreSQL on $SRC_HOST:$SRC_PORT, target on $TGT_HOST:$TGT_PORT; N=$N, BENCH_JOBS=$JOBS"

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

# --- 1. ours ---------------------------------------------------------------
DB=tgt_ours
EXPORT_DIR="$WORK/export-ours"
TGT_FLAGS=(--target-db-host "$TGT_HOST" --target-db-port "$TGT_PORT" --target-db-user "$PGUSER_" --target-db-name "$DB")
fresh_target "$DB"
tgt_psql -d "$DB" -f "$WORK/schema.sql" >/dev/null
mkdir -p "$EXPORT_DIR"
checkpoint
log "ours: export data (--parallel-jobs $JOBS)"
timed ours_export "$WORK/ours-export.log" "$BIN" export data --export-dir "$EXPORT_DIR" "${SRC_FLAGS[@]}" \
	--parallel-jobs "$JOBS" --disable-pb --yes || {
	show_log "$WORK/ours-export.log"
	die "ours: export data failed"
}
record ours_export "$T_WALL" "$T_RSS_KB"
log "ours: import data (--parallel-jobs $JOBS)"
timed ours_import "$WORK/ours-import.log" "$BIN" import data --export-dir "$EXPORT_DIR" "${TGT_FLAGS[@]}" \
	--parallel-jobs "$JOBS" --disable-pb --yes || {
	show_log "$WORK/ours-import.log"
	die "ours: import data failed"
}
record ours_import "$T_WALL" "$T_RSS_KB"
OURS_TOTAL=$(awk -v a="${WALL[ours_export]}" -v b="${WALL[ours_import]}" 'BEGIN { printf "%.2f", a + b }')
OURS_RSS=$((${RSS[ours_export]} > ${RSS[ours_import]} ? ${RSS[ours_export]} : ${RSS[ours_import]}))
record ours_total "$OURS_TOTAL" "$OURS_RSS"
verify_count "$DB" ours
log "ours: compare data"
COMPARE_RC=0
timed ours_compare "$WORK/ours-compare.log" "$BIN" compare data --export-dir "$EXPORT_DIR" "${SRC_FLAGS[@]}" \
	"${TGT_FLAGS[@]}" --parallel-jobs "$JOBS" --yes || COMPARE_RC=$?
record ours_compare "$T_WALL" "$T_RSS_KB"
if [ "$COMPARE_RC" -eq 0 ]; then
	COMPARE="matched (exit 0)"
else
	COMPARE="DIFFERENCES or error (exit $COMPARE_RC)"
	show_log "$WORK/ours-compare.log"
	log "ours: WARNING: compare data did not report a match"
fi
drop_target "$DB"

# --- 2. pg_dump | psql -------------------------------------------------------
DB=tgt_pgdump
fresh_target "$DB"
checkpoint
log "pg_dump | psql"
t0=$EPOCHREALTIME
if ! {
	/usr/bin/time -f '%M' -o "$WORK/pgdump-dump.time" \
		pg_dump --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" -t public.t -d "$SRC_DB" |
		/usr/bin/time -f '%M' -o "$WORK/pgdump-load.time" \
			psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" -d "$DB"
} >"$WORK/pgdump.log" 2>&1; then
	show_log "$WORK/pgdump.log"
	die "pg_dump | psql failed"
fi
t1=$EPOCHREALTIME
record pg_dump "$(elapsed "$t0" "$t1")" \
	$(($(tail -n 1 "$WORK/pgdump-dump.time") + $(tail -n 1 "$WORK/pgdump-load.time")))
verify_count "$DB" pg_dump
drop_target "$DB"

# --- 3. binary COPY pipe -----------------------------------------------------
# psql streams COPY ... TO STDOUT as the rows arrive and COPY ... FROM STDIN
# in small reads, so the pipe never holds the table; the two psql peak RSS
# figures in the table show it.
DB=tgt_binpipe
fresh_target "$DB"
tgt_psql -d "$DB" -f "$WORK/schema.sql" >/dev/null
checkpoint
log "binary COPY pipe"
t0=$EPOCHREALTIME
if ! {
	/usr/bin/time -f '%M' -o "$WORK/binpipe-out.time" \
		psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" -d "$SRC_DB" \
		-c "COPY (SELECT * FROM public.t) TO STDOUT WITH (FORMAT binary)" |
		/usr/bin/time -f '%M' -o "$WORK/binpipe-in.time" \
			psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" -d "$DB" \
			-c "COPY public.t FROM STDIN WITH (FORMAT binary)"
} >"$WORK/binpipe.log" 2>&1; then
	show_log "$WORK/binpipe.log"
	die "binary COPY pipe failed"
fi
t1=$EPOCHREALTIME
BINPIPE_OUT_KB=$(tail -n 1 "$WORK/binpipe-out.time")
BINPIPE_IN_KB=$(tail -n 1 "$WORK/binpipe-in.time")
record binary_pipe "$(elapsed "$t0" "$t1")" $((BINPIPE_OUT_KB + BINPIPE_IN_KB))
verify_count "$DB" "binary pipe"
drop_target "$DB"

# --- 4. pgcopydb clone -------------------------------------------------------
PGCOPYDB_NOTE=""
if command -v pgcopydb >/dev/null; then
	DB=tgt_pgcopydb
	fresh_target "$DB"
	printf '[include-only-table]\npublic.t\n' >"$WORK/pgcopydb-filters.ini"
	SPLIT=()
	if [ -n "${BENCH_PGCOPYDB_SPLIT:-}" ]; then
		SPLIT=(--split-tables-larger-than "$BENCH_PGCOPYDB_SPLIT")
	fi
	checkpoint
	log "pgcopydb clone (--table-jobs $JOBS --index-jobs $JOBS)"
	timed pgcopydb "$WORK/pgcopydb.log" pgcopydb clone \
		--source "postgres://$PGUSER_:$PGPASS_@$SRC_HOST:$SRC_PORT/$SRC_DB" \
		--target "postgres://$PGUSER_:$PGPASS_@$TGT_HOST:$TGT_PORT/$DB" \
		--dir "$WORK/pgcopydb" --table-jobs "$JOBS" --index-jobs "$JOBS" \
		--filters "$WORK/pgcopydb-filters.ini" --no-owner --no-acl "${SPLIT[@]}" || {
		show_log "$WORK/pgcopydb.log"
		die "pgcopydb clone failed"
	}
	record pgcopydb "$T_WALL" "$T_RSS_KB"
	verify_count "$DB" pgcopydb
	drop_target "$DB"
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

# --- Report ------------------------------------------------------------------
mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo "-"; }
rate() { awk -v n="$N" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
ratio() { # ratio BASE_KEY -> ours_total / base, or empty if the baseline is missing
	[ -n "${WALL[$1]:-}" ] || return 0
	awk -v a="$OURS_TOTAL" -v b="${WALL[$1]}" 'BEGIN { if (b > 0) printf "%.2f", a / b }'
}
R_PGCOPYDB=$(ratio pgcopydb)
R_BINPIPE=$(ratio binary_pipe)
R_PGDUMP=$(ratio pg_dump)
OURS_RSS_MB=$(mb "$OURS_RSS")
verdict() { # verdict VALUE LIMIT -> PASS if VALUE <= LIMIT (SKIP if VALUE empty)
	[ -n "$1" ] || {
		echo SKIP
		return
	}
	awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "PASS" : "MISS" }'
}
G_PGCOPYDB=$(verdict "$R_PGCOPYDB" 1.00)
G_BINPIPE=$(verdict "$R_BINPIPE" 1.30)
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

# table FORMAT: prints the result table as text ("text") or markdown ("md").
table() {
	local k
	if [ "$1" = md ]; then
		echo "| contender | wall s | peak RSS MB | rows/s |"
		echo "|---|---:|---:|---:|"
	else
		printf '%-34s %10s %12s %12s\n' contender "wall s" "peak RSS MB" rows/s
		printf '%-34s %10s %12s %12s\n' "----------------------------------" "----------" "------------" "------------"
	fi
	for k in "${KEYS[@]}"; do
		if [ "$1" = md ]; then
			printf '| %s | %s | %s | %s |\n' "${LABEL[$k]//|/\\|}" "${WALL[$k]}" "$(mb "${RSS[$k]}")" "$(rate "${WALL[$k]}")"
		else
			printf '%-34s %10s %12s %12s\n' "${LABEL[$k]}" "${WALL[$k]}" "$(mb "${RSS[$k]}")" "$(rate "${WALL[$k]}")"
		fi
	done
	if [ -z "${WALL[pgcopydb]:-}" ]; then
		if [ "$1" = md ]; then echo "| pgcopydb clone | skipped | - | - |"; else printf '%-34s %10s\n' "pgcopydb clone" skipped; fi
	fi
}

or_na() { [ -n "$1" ] && echo "$1" || echo "n/a"; }

summary() { # summary FORMAT: ratio and goal lines as text ("text") or markdown ("md")
	local item="  " gap=""
	if [ "$1" = md ]; then
		item="- " gap=$'\n'
	fi
	echo "Ratios (ours total wall / baseline wall; < 1 means we are faster):$gap"
	echo "${item}ours_total / pgcopydb    = $(or_na "$R_PGCOPYDB")"
	echo "${item}ours_total / binary_pipe = $(or_na "$R_BINPIPE")"
	echo "${item}ours_total / pg_dump     = $(or_na "$R_PGDUMP")"
	echo "$gap""Goals:$gap"
	echo "${item}$G_PGCOPYDB  ours no slower than pgcopydb clone (ratio $(or_na "$R_PGCOPYDB") <= 1.00)"
	echo "${item}$G_BINPIPE  ours within 1.3x of the binary pipe (ratio $(or_na "$R_BINPIPE") <= 1.30)"
	echo "${item}$G_RSS  ours peak RSS under 300 MB ($OURS_RSS_MB MB)"
}

NOTES="Wall: ours from GNU time per phase (total = export + import; compare data is extra, for information); \
pipes from the shell, start of pipeline to its end; pgcopydb from GNU time. \
Peak RSS is client-side only (servers not counted): ours = the larger of the two phases; \
pipes = sum of both ends' peaks (they run at once); pgcopydb = largest process in its tree. \
ours and the binary pipe load into a table that already has its primary key; \
pg_dump and pgcopydb build the key after loading (pgcopydb also runs VACUUM ANALYZE on the target). BENCH_JOBS applies to ours and pgcopydb; the pipes are one stream."

echo
echo "Snapshot benchmark: N=$N rows ($SRC_SIZE on the source), BENCH_JOBS=$JOBS, $MACHINE, PostgreSQL $PG_VERSION, yb-voyager $COMMIT"
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
	cat >"$RESULTS" <<'EOF'
# Snapshot benchmark results

Appended by `bench/snapshot.sh` (`make bench`), one section per run: yb-voyager
`export data` + `import data` against `pg_dump | psql`, a binary COPY pipe and
`pgcopydb clone`, all in one run on the same fresh source and target clusters.
EOF
fi
{
	echo
	echo "## $DATE: N=$N, BENCH_JOBS=$JOBS"
	echo
	echo "- machine: $MACHINE; PostgreSQL $PG_VERSION (source and target clusters on this machine)"
	echo "- yb-voyager: $COMMIT; source table: $SRC_SIZE"
	echo "- compare data: $COMPARE; pgcopydb: $PGCOPYDB_NOTE"
	echo
	table md
	echo
	summary md
	echo
	echo "$NOTES"
} >>"$RESULTS"
log "appended to ${RESULTS#"$ROOT"/}"
