#!/usr/bin/env bash
# Live-migration (CDC) benchmark: how fast yb-voyager applies a backlog of
# change events compared with PostgreSQL's native logical replication, and
# how far the target trails the source under a steady 5,000 inserts/s.
#
#   bench/cdc.sh [N]             # or: make bench
#
#   N / BENCH_EVENTS     change events in part 1 (default 1000000)
#   BENCH_JOBS           parallel apply channels of import data (default 2)
#   BENCH_SEED_ROWS      rows in the table before the changes (default 200000)
#   BENCH_LAG_SECONDS    length of the part 2 load (default 30)
#   BENCH_STALL_SECONDS  a wait fails when its counter has not moved for this
#                        long (default 180)
#   BENCH_KEEP_WORK      set to 1 to keep bench/work/cdc (logs, export dirs)
#
# It re-executes itself under bin/testenv, which starts a throwaway source and
# target PostgreSQL cluster and stops them when the script ends.
#
# Part 1, apply rate, ours vs native logical replication, the same changes:
#   source table t(id bigint primary key, a int, b text, c timestamptz) with
#   BENCH_SEED_ROWS rows; two target databases with the table and the seed
#   rows: tgt_ours (loaded by our snapshot) and tgt_native (seed rows copied
#   over, then CREATE SUBSCRIPTION ... WITH (copy_data = false, enabled =
#   false), whose slot is created there and then). Our export data
#   (--export-type snapshot-and-changes) exports the snapshot and streams;
#   import data imports the snapshot, is stopped (SIGTERM) once it starts
#   applying changes, with none to apply yet. Then N change events (50 %
#   inserts, 35 % updates, 15 % deletes, one row each, COMMIT every 100) are
#   generated once, on the source, for both; a marker row in a table that only
#   the native publication carries follows them. Once export data status shows
#   all N events in the queue:
#     ours    import data (--parallel-jobs BENCH_JOBS) is started again and
#             timed from its start to the moment the target's applied count
#             (ybvoyager_cdc_table_stats) reaches N: pure apply of the N
#             events, the snapshot having been imported by the first run
#     native  ALTER SUBSCRIPTION ... ENABLE, timed to the moment the marker row
#             is visible on tgt_native (one apply worker applies in commit
#             order: every change before it is in); the moment the slot's
#             confirmed_flush_lsn passes the source's post-generation WAL
#             position is reported too
#   Our live migration is cut over before the native run, so nothing of ours
#   runs during it. Source, tgt_ours and tgt_native must then agree on row
#   count and sum(hashtextextended(t::text, 0)). Goal: ours >= 2x native.
#
# Part 2, sustained lag: a fresh live migration of l(id bigserial primary key,
#   payload text, created_at timestamptz default clock_timestamp()), export
#   and import both running. A generator inserts 50 rows every 10 ms (5,000
#   rows/s, paced against the clock) for BENCH_LAG_SECONDS while a sampler on
#   the target reads max(created_at) every 100 ms; a sample's lag = the
#   target's clock_timestamp() - the newest created_at visible there (both
#   clusters on this machine: one clock). Goal: p99 < 1 s. Peak RSS of export
#   data and import data from GNU time.
# Results are printed only (not appended to bench/RESULTS.md).
set -euo pipefail
export LC_ALL=C PGTZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/cdc.sh"
WORK="$ROOT/bench/work/cdc"
BIN="$ROOT/bin/yb-voyager"

usage() { # the header comment above, up to the first line that is not one
	awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$SELF"
}
die() {
	echo "cdc.sh: $*" >&2
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

N=${1:-${BENCH_EVENTS:-1000000}}
JOBS=${BENCH_JOBS:-2}
SEED=${BENCH_SEED_ROWS:-200000}
LAG_SECONDS=${BENCH_LAG_SECONDS:-30}
STALL=${BENCH_STALL_SECONDS:-180}
LAG_RATE=5000 # rows/s in part 2: 50 rows every 10 ms
for v in N JOBS SEED LAG_SECONDS STALL; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
[ "$N" -ge 100 ] || die "N must be at least 100"
export BENCH_JOBS=$JOBS BENCH_SEED_ROWS=$SEED BENCH_LAG_SECONDS=$LAG_SECONDS BENCH_STALL_SECONDS=$STALL

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
: "${YBV_TEST_PG_SOURCE_HOST:?not set: run bench/cdc.sh, not under testenv by hand}"
: "${YBV_TEST_PG_SOURCE_PORT:?}" "${YBV_TEST_PG_TARGET_HOST:?}" "${YBV_TEST_PG_TARGET_PORT:?}"
SRC_HOST=$YBV_TEST_PG_SOURCE_HOST SRC_PORT=$YBV_TEST_PG_SOURCE_PORT
TGT_HOST=$YBV_TEST_PG_TARGET_HOST TGT_PORT=$YBV_TEST_PG_TARGET_PORT
PGUSER_=postgres
PGPASS_=postgres
export PGPASSWORD=$PGPASS_ SOURCE_DB_PASSWORD=$PGPASS_ TARGET_DB_PASSWORD=$PGPASS_
export PGCONNECT_TIMEOUT=10

SUB=bench_native_sub   # the native subscription (and its slot on the source)
PUB=bench_native       # the native publication
SUB_DB=""              # set while the subscription exists: the target database holding it

# Background processes not yet waited for (GNU time or yb-voyager or psql
# PIDs); cleanup stops them and whatever each one runs.
BG_PIDS=()

# stop_pid PID: SIGTERM to PID's children and PID, SIGKILL after 10 s.
stop_pid() {
	local p=$1 i
	kill -0 "$p" 2>/dev/null || return 0
	pkill -TERM -P "$p" 2>/dev/null || true
	kill -TERM "$p" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		pkill -KILL -P "$p" 2>/dev/null || true
		kill -KILL "$p" 2>/dev/null || true
	fi
	wait "$p" 2>/dev/null || true
}

cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	for p in "${BG_PIDS[@]}"; do
		stop_pid "$p"
	done
	if [ -n "$SUB_DB" ]; then # a failed run: drop the subscription and its slot
		PGOPTIONS='-c statement_timeout=20s' psql -X -q -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" -d "$SUB_DB" \
			-c "DROP SUBSCRIPTION IF EXISTS $SUB" >/dev/null 2>&1 || true
	fi
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
	echo "---- last lines of ${1#"$ROOT"/} ----" >&2
	tail -n 40 "$1" >&2 || true
	echo "----" >&2
}

# fail_ours EXPORT_DIR MESSAGE LOG...: shows the logs and the export dir's
# yb-voyager.log, then dies.
fail_ours() {
	local dir=$1 msg=$2 f
	shift 2
	for f in "$@"; do show_log "$f"; done
	[ -f "$dir/yb-voyager.log" ] && show_log "$dir/yb-voyager.log"
	die "$msg"
}

# bg_timed NAME LOG CMD...: starts CMD under GNU time in the background, with
# its output in LOG, and sets BG_PID (the GNU time process); peak_rss NAME
# once it has been waited for.
bg_timed() {
	local name=$1 logf=$2
	shift 2
	/usr/bin/time -f '%e %M %U %S' -o "$WORK/$name.time" "$@" >"$logf" 2>&1 &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}
peak_rss_kb() { tail -n 1 "$WORK/$1.time" | awk '{ print $2 }'; }
cpu_s() { tail -n 1 "$WORK/$1.time" | awk '{ printf "%.1f", $3 + $4 }'; } # user + system CPU seconds
forget_pid() { # forget_pid PID: drops PID from BG_PIDS once waited for
	local p keep=()
	for p in "${BG_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	BG_PIDS=("${keep[@]}")
}

# wait_exit PID NAME LOG DIR TIMEOUT: waits for a yb-voyager command to exit 0.
wait_exit() {
	local pid=$1 name=$2 logf=$3 dir=$4 deadline=$((SECONDS + $5)) rc=0
	while kill -0 "$pid" 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] || fail_ours "$dir" "$name did not exit within $5 s of cutover" "$logf"
		sleep 0.1
	done
	wait "$pid" || rc=$?
	forget_pid "$pid"
	[ "$rc" -eq 0 ] || fail_ours "$dir" "$name exited with status $rc" "$logf"
}

# wait_line FILE TEXT PID NAME DIR: waits until FILE contains TEXT; fails if
# PID exits first or after BENCH_STALL_SECONDS.
wait_line() {
	local deadline=$((SECONDS + STALL))
	until grep -qF -- "$2" "$1" 2>/dev/null; do
		kill -0 "$3" 2>/dev/null || fail_ours "$5" "$4 exited before printing '$2'" "$1"
		[ "$SECONDS" -lt "$deadline" ] || fail_ours "$5" "$4 did not print '$2' within $STALL s" "$1"
		sleep 0.05
	done
}

# wait_value NAME PSQL DB VALUE_SQL GOAL PID [STALL_S]: returns once the scalar query
# VALUE_SQL is >= GOAL, and sets WAIT_VALUE. The poll runs on the server,
# every 5 ms in DO blocks of at most 2 s (each check sees a fresh snapshot),
# so that it returns within a few ms of the moment the goal is reached.
# Between blocks: fails if PID (when given) has exited or the value has not
# moved for STALL_S (default BENCH_STALL_SECONDS), and logs progress every 10 s.
wait_value() {
	local name=$1 fn=$2 db=$3 q=$4 goal=$5 pid=${6:-} stall=${7:-$STALL} v last=-1 moved=$SECONDS next_log=$((SECONDS + 10))
	local do_sql="DO \$w\$ DECLARE d timestamptz := clock_timestamp() + interval '2 s'; BEGIN
		WHILE ($q) < $goal AND clock_timestamp() < d LOOP PERFORM pg_sleep(0.005); END LOOP; END \$w\$"
	while :; do
		v=$("$fn" -d "$db" -At -c "$do_sql" -c "SELECT ($q)") || die "$name: cannot query $db"
		if [ "$v" -ge "$goal" ]; then
			WAIT_VALUE=$v
			return 0
		fi
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		if [ "$v" != "$last" ]; then
			last=$v moved=$SECONDS
		elif [ $((SECONDS - moved)) -ge "$stall" ]; then
			die "$name: stuck at $v of $goal for $stall s"
		fi
		if [ "$SECONDS" -ge "$next_log" ]; then
			log "$name: $v of $goal"
			next_log=$((SECONDS + 10))
		fi
	done
}

# export_events DIR: cdc_export.events of export data status (0 before the
# first metrics report).
export_events() {
	{ "$BIN" export data status --export-dir "$1" --output-format json 2>/dev/null || true; } |
		awk '/"cdc_export":/ { inside = 1 } inside && /"events":/ { gsub(/[^0-9]/, ""); print; found = 1; exit }
			END { if (!found) print 0 }'
}

checkpoint() {
	src_psql -d postgres -c CHECKPOINT
	tgt_psql -d postgres -c CHECKPOINT
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
per_sec() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# fingerprint PSQL DB TABLE: "rows hash" of a table.
fingerprint() {
	"$1" -d "$2" -At -F ' ' -c "SELECT count(*), coalesce(sum(hashtextextended(r::text, 0)), 0) FROM $3 AS r"
}

SRC_FLAGS_FOR() { # SRC_FLAGS_FOR DB: sets SRC_FLAGS
	SRC_FLAGS=(--source-db-type postgresql --source-db-host "$SRC_HOST" --source-db-port "$SRC_PORT"
		--source-db-user "$PGUSER_" --source-db-name "$1")
}
TGT_FLAGS_FOR() { # TGT_FLAGS_FOR DB: sets TGT_FLAGS
	TGT_FLAGS=(--target-db-host "$TGT_HOST" --target-db-port "$TGT_PORT" --target-db-user "$PGUSER_" --target-db-name "$1")
}
APPLIED_SQL="SELECT coalesce(sum(inserts + updates + deletes), 0) FROM ybvoyager_metadata.ybvoyager_cdc_table_stats"

PG_VERSION=$(src_psql -d postgres -At -c "SHOW server_version")
log "source PostgreSQL $PG_VERSION on $SRC_HOST:$SRC_PORT, target on $TGT_HOST:$TGT_PORT;" \
	"N=$N events, BENCH_JOBS=$JOBS, seed rows $SEED, lag load ${LAG_SECONDS}s at $LAG_RATE rows/s"

# ===========================================================================
# Part 1: apply rate, ours vs native logical replication.
# ===========================================================================
log "part 1: creating $SEED rows in bench.public.t on the source"
src_psql -d postgres -c "CREATE DATABASE bench"
src_psql -d bench <<SQL
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text, c timestamptz);
INSERT INTO public.t
SELECT i, ((i * 7919) % 1000003)::int, md5(i::text),
       timestamptz '2020-01-01 00:00:00+00' + i * interval '1 second'
FROM generate_series(1::bigint, ${SEED}::bigint) AS i;
VACUUM ANALYZE public.t;
-- Only the native publication carries this table: its row, inserted after the
-- changes, tells when native replication has applied all of them.
CREATE SCHEMA bench_marker;
CREATE TABLE bench_marker.done (id int PRIMARY KEY);
CREATE PUBLICATION $PUB FOR TABLE public.t, bench_marker.done;
SQL
pg_dump --schema-only --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-t public.t -d bench >"$WORK/schema1.sql"

log "part 1: target databases tgt_ours (the table) and tgt_native (the table, the seed rows, a disabled subscription)"
for db in tgt_ours tgt_native; do
	tgt_psql -d postgres -c "CREATE DATABASE $db"
	tgt_psql -d "$db" -f "$WORK/schema1.sql" >/dev/null
done
tgt_psql -d tgt_native -c "CREATE SCHEMA bench_marker" -c "CREATE TABLE bench_marker.done (id int PRIMARY KEY)"
src_psql -d bench -c "COPY public.t TO STDOUT" | tgt_psql -d tgt_native -c "COPY public.t FROM STDIN"
tgt_psql -d tgt_native -c "VACUUM ANALYZE public.t"
SUB_DB=tgt_native
tgt_psql -d tgt_native -c "CREATE SUBSCRIPTION $SUB
	CONNECTION 'host=$SRC_HOST port=$SRC_PORT user=$PGUSER_ password=$PGPASS_ dbname=bench'
	PUBLICATION $PUB WITH (copy_data = false, enabled = false)"
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SUB'")" = 1 ] ||
	die "CREATE SUBSCRIPTION did not create slot $SUB on the source"

EXP1="$WORK/export1"
mkdir -p "$EXP1"
SRC_FLAGS_FOR bench
TGT_FLAGS_FOR tgt_ours
log "part 1: ours: export data --export-type snapshot-and-changes (snapshot of $SEED rows, then streaming)"
bg_timed p1-export "$WORK/p1-export.log" "$BIN" export data --export-dir "$EXP1" "${SRC_FLAGS[@]}" \
	--export-type snapshot-and-changes --parallel-jobs "$JOBS" --disable-pb --yes
EXP1_PID=$BG_PID
wait_line "$WORK/p1-export.log" "Streaming changes from slot" "$EXP1_PID" "part 1: export data" "$EXP1"
log "part 1: ours: export data is streaming ($(grep -o 'slot [a-z0-9_]*' "$WORK/p1-export.log" | head -n 1))"

log "part 1: ours: import data, first run: the snapshot only (stopped with SIGTERM once it starts applying changes)"
"$BIN" import data --export-dir "$EXP1" "${TGT_FLAGS[@]}" --parallel-jobs "$JOBS" --disable-pb --yes \
	>"$WORK/p1-import-snapshot.log" 2>&1 &
IMP0_PID=$!
BG_PIDS+=("$IMP0_PID")
wait_line "$WORK/p1-import-snapshot.log" "Applying changes with" "$IMP0_PID" "part 1: import data (snapshot run)" "$EXP1"
kill -TERM "$IMP0_PID"
rc=0
wait "$IMP0_PID" || rc=$?
forget_pid "$IMP0_PID"
case $rc in
0 | 130 | 143) ;;
*) fail_ours "$EXP1" "part 1: import data (snapshot run) exited with status $rc on SIGTERM" "$WORK/p1-import-snapshot.log" ;;
esac
log "part 1: ours: $(grep -m 1 'Snapshot imported' "$WORK/p1-import-snapshot.log") (exit status $rc on SIGTERM)"
got=$(tgt_psql -d tgt_ours -At -c "SELECT count(*) FROM public.t")
[ "$got" = "$SEED" ] || fail_ours "$EXP1" "part 1: tgt_ours has $got rows after the snapshot, expected $SEED" "$WORK/p1-import-snapshot.log"
got=$(tgt_psql -d tgt_ours -At -c "$APPLIED_SQL")
[ "$got" = 0 ] || die "part 1: $got change events applied before any change was made"

# The changes: event i is an insert, update or delete by (7 i) mod 20 (0-9,
# 10-16, 17-19: 50/35/15 %), each on exactly one row, so that the source
# produces exactly N events. Live ids stay one contiguous range [lo, hi]:
# inserts append at hi + 1, deletes remove lo, updates pick a random id in it.
log "part 1: generating $N change events on the source (COMMIT every 100; the subscription is disabled, import data stopped)"
g0=$EPOCHREALTIME
src_psql -d bench -c "DO \$g\$
DECLARE lo bigint; hi bigint; k bigint; r int;
BEGIN
	SELECT min(id), max(id) INTO lo, hi FROM public.t;
	FOR i IN 1..$N LOOP
		r := (i * 7) % 20;
		IF r < 10 THEN
			hi := hi + 1;
			INSERT INTO public.t VALUES (hi, i::int, md5(i::text), clock_timestamp());
		ELSIF r < 17 THEN
			k := lo + floor(random() * (hi - lo + 1))::bigint;
			UPDATE public.t SET a = a + 1, b = md5(b), c = clock_timestamp() WHERE id = k;
		ELSE
			DELETE FROM public.t WHERE id = lo;
			lo := lo + 1;
		END IF;
		IF i % 100 = 0 THEN
			COMMIT;
		END IF;
	END LOOP;
END \$g\$"
g1=$EPOCHREALTIME
src_psql -d bench -c "INSERT INTO bench_marker.done VALUES (1)"
GEN_LSN=$(src_psql -d postgres -At -c "SELECT pg_current_wal_lsn()")
GEN_S=$(elapsed "$g0" "$g1")
log "part 1: generated $N events in ${GEN_S}s ($(per_sec "$N" "$GEN_S") events/s); source WAL now at $GEN_LSN"
read -r SRC_ROWS SRC_HASH < <(fingerprint src_psql bench public.t)

log "part 1: ours: waiting until export data status shows all $N events in the queue"
last=-1 moved=$SECONDS next_log=$((SECONDS + 10))
while :; do
	ev=$(export_events "$EXP1")
	[ "$ev" -ge "$N" ] && break
	kill -0 "$EXP1_PID" 2>/dev/null || fail_ours "$EXP1" "part 1: export data exited while streaming" "$WORK/p1-export.log"
	if [ "$ev" != "$last" ]; then
		last=$ev moved=$SECONDS
	elif [ $((SECONDS - moved)) -ge "$STALL" ]; then
		fail_ours "$EXP1" "part 1: export data stuck at $ev of $N events for $STALL s" "$WORK/p1-export.log"
	fi
	if [ "$SECONDS" -ge "$next_log" ]; then
		log "part 1: ours: $ev of $N events in the queue"
		next_log=$((SECONDS + 10))
	fi
	sleep 0.5
done
[ "$ev" -eq "$N" ] || fail_ours "$EXP1" "part 1: export data counts $ev events, $N were made" "$WORK/p1-export.log"
OPS=$({ "$BIN" export data status --export-dir "$EXP1" 2>/dev/null || true; } | grep -o -m 1 'I [0-9]*, U [0-9]*, D [0-9]*' || true)
QUEUE_BYTES=$(du -sb "$EXP1/data/queue" | awk '{ print $1 }')
log "part 1: ours: all $N events in the queue ($(mb $((QUEUE_BYTES / 1024))) MB on disk; $OPS)"

checkpoint
log "part 1: ours: import data, second run (--parallel-jobs $JOBS): timed from its start until $N events are applied"
i0=$EPOCHREALTIME
bg_timed p1-import "$WORK/p1-import.log" "$BIN" import data --export-dir "$EXP1" "${TGT_FLAGS[@]}" \
	--parallel-jobs "$JOBS" --disable-pb --yes
IMP1_PID=$BG_PID
wait_value "part 1: ours: events applied" tgt_psql tgt_ours "$APPLIED_SQL" "$N" "$IMP1_PID" ||
	fail_ours "$EXP1" "part 1: import data exited while applying" "$WORK/p1-import.log"
i1=$EPOCHREALTIME
OURS_S=$(elapsed "$i0" "$i1")
OURS_RATE=$(per_sec "$N" "$OURS_S")
[ "$WAIT_VALUE" -eq "$N" ] || fail_ours "$EXP1" "part 1: the target counts $WAIT_VALUE applied events, $N were exported" "$WORK/p1-import.log"
log "part 1: ours: $N events applied in ${OURS_S}s = $OURS_RATE events/s"
read -r OURS_ROWS OURS_HASH < <(fingerprint tgt_psql tgt_ours public.t)
[ "$OURS_ROWS $OURS_HASH" = "$SRC_ROWS $SRC_HASH" ] ||
	fail_ours "$EXP1" "part 1: tgt_ours differs from the source: rows/hash $OURS_ROWS/$OURS_HASH vs $SRC_ROWS/$SRC_HASH" "$WORK/p1-import.log"
log "part 1: ours: tgt_ours equals the source ($OURS_ROWS rows, hash $OURS_HASH)"

log "part 1: ours: initiate cutover to target; export data and import data must exit 0"
"$BIN" initiate cutover to target --export-dir "$EXP1" >"$WORK/p1-cutover.log" 2>&1 ||
	fail_ours "$EXP1" "part 1: initiate cutover failed" "$WORK/p1-cutover.log"
wait_exit "$EXP1_PID" "part 1: export data" "$WORK/p1-export.log" "$EXP1" 300
wait_exit "$IMP1_PID" "part 1: import data" "$WORK/p1-import.log" "$EXP1" 300
P1_EXP_KB=$(peak_rss_kb p1-export)
P1_IMP_KB=$(peak_rss_kb p1-import)
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name <> '$SUB'")" = 0 ] ||
	die "part 1: our replication slot is still on the source after cutover"
log "part 1: ours: cut over; peak RSS export data $(mb "$P1_EXP_KB") MB, import data (apply run) $(mb "$P1_IMP_KB") MB"

checkpoint
log "part 1: native: ALTER SUBSCRIPTION $SUB ENABLE: timed until its marker row (committed after the $N events) is on tgt_native"
n0=$EPOCHREALTIME
tgt_psql -d tgt_native -c "ALTER SUBSCRIPTION $SUB ENABLE"
# These values go from 0 to 1 at once: allow at least 1,000 events/s before failing.
wait_value "part 1: native: marker rows" tgt_psql tgt_native "SELECT count(*) FROM bench_marker.done" 1 "" $((STALL + N / 1000))
n1=$EPOCHREALTIME
wait_value "part 1: native: slot confirmed_flush_lsn past $GEN_LSN" src_psql postgres \
	"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SUB' AND confirmed_flush_lsn >= '$GEN_LSN'" 1 "" $((STALL + N / 1000))
n2=$EPOCHREALTIME
NATIVE_S=$(elapsed "$n0" "$n1")
NATIVE_SLOT_S=$(elapsed "$n0" "$n2")
NATIVE_RATE=$(per_sec "$N" "$NATIVE_S")
log "part 1: native: $N events applied in ${NATIVE_S}s = $NATIVE_RATE events/s (slot caught up at ${NATIVE_SLOT_S}s)"
read -r NATIVE_ROWS NATIVE_HASH < <(fingerprint tgt_psql tgt_native public.t)
[ "$NATIVE_ROWS $NATIVE_HASH" = "$SRC_ROWS $SRC_HASH" ] ||
	die "part 1: tgt_native differs from the source: rows/hash $NATIVE_ROWS/$NATIVE_HASH vs $SRC_ROWS/$SRC_HASH"
log "part 1: native: tgt_native equals the source ($NATIVE_ROWS rows, hash $NATIVE_HASH)"
tgt_psql -d tgt_native -c "DROP SUBSCRIPTION $SUB"
SUB_DB=""
src_psql -d bench -c "DROP PUBLICATION $PUB"
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots")" = 0 ] ||
	die "part 1: replication slots left on the source after DROP SUBSCRIPTION"
log "part 1: native: subscription, its slot and the publication dropped"
RATIO=$(awk -v a="$NATIVE_S" -v b="$OURS_S" 'BEGIN { printf "%.2f", a / b }') # (N/ours) / (N/native)
G_RATE=$(awk -v r="$RATIO" 'BEGIN { print (r >= 2) ? "PASS" : "MISS" }')
rm -rf "$EXP1/data"
tgt_psql -d postgres -c "DROP DATABASE tgt_ours" -c "DROP DATABASE tgt_native"

# ===========================================================================
# Part 2: sustained lag at a fixed 5,000 events/s.
# ===========================================================================
log "part 2: a fresh live migration of benchlag.public.l"
src_psql -d postgres -c "CREATE DATABASE benchlag"
src_psql -d benchlag -c "CREATE TABLE public.l (id bigserial PRIMARY KEY, payload text,
	created_at timestamptz NOT NULL DEFAULT clock_timestamp())"
pg_dump --schema-only --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-t public.l -d benchlag >"$WORK/schema2.sql"
tgt_psql -d postgres -c "CREATE DATABASE tgt_lag"
tgt_psql -d tgt_lag -f "$WORK/schema2.sql" >/dev/null
tgt_psql -d tgt_lag -c "CREATE INDEX l_created_at ON public.l (created_at)" # for the sampler's max()

EXP2="$WORK/export2"
mkdir -p "$EXP2"
SRC_FLAGS_FOR benchlag
TGT_FLAGS_FOR tgt_lag
bg_timed p2-export "$WORK/p2-export.log" "$BIN" export data --export-dir "$EXP2" "${SRC_FLAGS[@]}" \
	--export-type snapshot-and-changes --parallel-jobs "$JOBS" --disable-pb --yes
EXP2_PID=$BG_PID
wait_line "$WORK/p2-export.log" "Streaming changes from slot" "$EXP2_PID" "part 2: export data" "$EXP2"
bg_timed p2-import "$WORK/p2-import.log" "$BIN" import data --export-dir "$EXP2" "${TGT_FLAGS[@]}" \
	--parallel-jobs "$JOBS" --disable-pb --yes
IMP2_PID=$BG_PID
wait_line "$WORK/p2-import.log" "Applying changes with" "$IMP2_PID" "part 2: import data" "$EXP2"
log "part 2: export data and import data running; sampling the target every 100 ms," \
	"generating $LAG_RATE rows/s (50 every 10 ms) for ${LAG_SECONDS}s"

# The sampler: every 100 ms (against the clock), the target's time and the
# newest created_at it shows, as NOTICE lines "s <epoch> <epoch or null>".
# It runs 3 s longer than the generator; samples outside the generator's
# run are dropped.
PGOPTIONS='-c client_min_messages=notice' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" \
	-d tgt_lag -c "DO \$s\$
DECLARE t0 timestamptz := clock_timestamp(); k int := 0; nt timestamptz; m timestamptz;
BEGIN
	LOOP
		nt := t0 + k * interval '100 ms';
		EXIT WHEN nt > t0 + interval '$((LAG_SECONDS + 3)) s';
		IF clock_timestamp() < nt THEN
			PERFORM pg_sleep(extract(epoch FROM nt - clock_timestamp()));
		END IF;
		SELECT max(created_at) INTO m FROM public.l;
		RAISE NOTICE 's % %', extract(epoch FROM clock_timestamp()), coalesce(extract(epoch FROM m)::text, 'null');
		COMMIT;
		k := k + 1;
	END LOOP;
END \$s\$" >"$WORK/sampler.out" 2>"$WORK/sampler.log" &
SAMPLER_PID=$!
BG_PIDS+=("$SAMPLER_PID")
sleep 0.3

# The generator: batch k (50 rows, one transaction) is due at t0 + 10 k ms;
# it sleeps only when ahead of that schedule, so the rate does not drift.
PGOPTIONS='-c client_min_messages=notice' psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-d benchlag -c "DO \$l\$
DECLARE t0 timestamptz := clock_timestamp(); k bigint := 0; nt timestamptz;
BEGIN
	RAISE NOTICE 'gen_start %', extract(epoch FROM t0);
	LOOP
		nt := t0 + k * interval '10 ms';
		EXIT WHEN nt >= t0 + interval '$LAG_SECONDS s';
		IF clock_timestamp() < nt THEN
			PERFORM pg_sleep(extract(epoch FROM nt - clock_timestamp()));
		END IF;
		INSERT INTO public.l (payload) SELECT md5(k::text || '.' || g) FROM generate_series(1, 50) AS g;
		COMMIT;
		k := k + 1;
	END LOOP;
	RAISE NOTICE 'gen_end % %', extract(epoch FROM clock_timestamp()), k * 50;
END \$l\$" >"$WORK/generator.out" 2>"$WORK/generator.log" || {
	show_log "$WORK/generator.log"
	die "part 2: the generator failed"
}
read -r GEN_START < <(awk '/gen_start/ { print $NF }' "$WORK/generator.log")
read -r GEN_END GEN_ROWS < <(awk '/gen_end/ { print $(NF - 1), $NF }' "$WORK/generator.log")
[ -n "$GEN_START" ] && [ -n "$GEN_ROWS" ] || {
	show_log "$WORK/generator.log"
	die "part 2: no start/end lines from the generator"
}
GEN_RATE=$(per_sec "$GEN_ROWS" "$(elapsed "$GEN_START" "$GEN_END")")
log "part 2: generated $GEN_ROWS rows in $(elapsed "$GEN_START" "$GEN_END")s = $GEN_RATE rows/s; waiting for the sampler"
rc=0
wait "$SAMPLER_PID" || rc=$?
forget_pid "$SAMPLER_PID"
[ "$rc" -eq 0 ] || {
	show_log "$WORK/sampler.log"
	die "part 2: the sampler failed"
}
kill -0 "$EXP2_PID" 2>/dev/null || fail_ours "$EXP2" "part 2: export data exited during the load" "$WORK/p2-export.log"
kill -0 "$IMP2_PID" 2>/dev/null || fail_ours "$EXP2" "part 2: import data exited during the load" "$WORK/p2-import.log"

# Lag samples taken while the generator ran; before the first row shows on
# the target a sample counts as (its time - the generator's start).
awk -v s="$GEN_START" -v e="$GEN_END" '$1 == "NOTICE:" && $2 == "s" && $3 >= s && $3 <= e {
		lag = ($4 == "null" || $4 < s) ? $3 - s : $3 - $4
		printf "%.4f\n", lag
	}' "$WORK/sampler.log" | sort -g >"$WORK/lag.txt"
SAMPLES=$(wc -l <"$WORK/lag.txt")
[ "$SAMPLES" -gt 0 ] || {
	show_log "$WORK/sampler.log"
	die "part 2: no lag samples"
}
pct() { awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1; printf "%.0f", v[i] * 1000 }' "$WORK/lag.txt"; }
LAG_P50=$(pct 50)
LAG_P99=$(pct 99)
LAG_MAX=$(pct 100)
G_LAG=$(awk -v v="$LAG_P99" 'BEGIN { print (v < 1000) ? "PASS" : "MISS" }')
log "part 2: lag over $SAMPLES samples: p50 ${LAG_P50} ms, p99 ${LAG_P99} ms, max ${LAG_MAX} ms"

wait_value "part 2: rows on the target" tgt_psql tgt_lag "SELECT count(*) FROM public.l" "$GEN_ROWS" "$IMP2_PID" ||
	fail_ours "$EXP2" "part 2: import data exited while catching up" "$WORK/p2-import.log"
log "part 2: initiate cutover to target; export data and import data must exit 0"
"$BIN" initiate cutover to target --export-dir "$EXP2" >"$WORK/p2-cutover.log" 2>&1 ||
	fail_ours "$EXP2" "part 2: initiate cutover failed" "$WORK/p2-cutover.log"
wait_exit "$EXP2_PID" "part 2: export data" "$WORK/p2-export.log" "$EXP2" 300
wait_exit "$IMP2_PID" "part 2: import data" "$WORK/p2-import.log" "$EXP2" 300
P2_EXP_KB=$(peak_rss_kb p2-export)
P2_IMP_KB=$(peak_rss_kb p2-import)
read -r L_SRC < <(fingerprint src_psql benchlag public.l)
read -r L_TGT < <(fingerprint tgt_psql tgt_lag public.l)
[ "$L_SRC" = "$L_TGT" ] || fail_ours "$EXP2" "part 2: tgt_lag differs from the source: $L_TGT vs $L_SRC" "$WORK/p2-import.log"
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots")" = 0 ] ||
	die "part 2: a replication slot is left on the source after cutover"
log "part 2: cut over; tgt_lag equals the source (${L_SRC% *} rows); no slot left on the source"

# ===========================================================================
# Report.
# ===========================================================================
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
MEM_GIB=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
COMMIT=$("$BIN" version 2>/dev/null | awk 'NR == 1 { print $2 }')
[ -n "$COMMIT" ] || COMMIT="unknown; tree at $(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || echo unknown)"
MAX_KB=$P1_EXP_KB
for k in "$P1_IMP_KB" "$P2_EXP_KB" "$P2_IMP_KB"; do [ "$k" -gt "$MAX_KB" ] && MAX_KB=$k; done

echo
echo "CDC benchmark: $(nproc) CPUs${CPU_MODEL:+ ($CPU_MODEL)}, $MEM_GIB GiB RAM, PostgreSQL $PG_VERSION" \
	"(source and target clusters on this machine), yb-voyager $COMMIT"
echo
echo "1. Apply rate: a backlog of N=$N change events on t ($SEED seed rows; exported: $OPS)"
printf '   %-52s %9s %12s\n' "" "seconds" "events/s"
printf '   %-52s %9s %12s\n' "ours: import data, $JOBS apply channels" "$OURS_S" "$OURS_RATE"
printf '   %-52s %9s %12s\n' "native logical replication (1 apply worker)" "$NATIVE_S" "$NATIVE_RATE"
echo "   ratio ours / native (events/s) = $RATIO"
echo "   $G_RATE  ours applies at >= 2x native logical replication ($RATIO)"
echo "   verified: source, tgt_ours and tgt_native each have $SRC_ROWS rows, sum(hashtextextended(t::text, 0)) = $SRC_HASH"
echo "   info: native slot's confirmed_flush_lsn passed the post-generation WAL position at ${NATIVE_SLOT_S}s"
echo "   info: the $N events were generated in ${GEN_S}s ($(per_sec "$N" "$GEN_S") events/s, COMMIT every 100);" \
	"queue on disk $(mb $((QUEUE_BYTES / 1024))) MB"
echo "   peak RSS: export data $(mb "$P1_EXP_KB") MB, import data (apply run) $(mb "$P1_IMP_KB") MB;" \
	"CPU of the apply run of import data over its life: $(cpu_s p1-import) s (user + system)"
echo
echo "2. Sustained lag: $LAG_RATE inserts/s wanted (50 rows every 10 ms) for ${LAG_SECONDS}s, import data with $JOBS channels"
echo "   achieved generation rate: $GEN_RATE rows/s ($GEN_ROWS rows)"
echo "   lag over $SAMPLES samples (every 100 ms): p50 $LAG_P50 ms, p99 $LAG_P99 ms, max $LAG_MAX ms"
echo "   $G_LAG  p99 lag under 1 s ($LAG_P99 ms)"
echo "   peak RSS: export data $(mb "$P2_EXP_KB") MB, import data $(mb "$P2_IMP_KB") MB"
echo
echo "Largest peak RSS of a yb-voyager process: $(mb "$MAX_KB") MB (GNU time, whole process life)"
echo
fold -s -w 100 <<'NOTES'
Method, part 1: the N events (50/35/15 % inserts/updates/deletes, one row each, COMMIT every 100) are generated once on the source while our export streams them into its queue and the disabled native subscription's slot retains them. Ours: import data first imports the snapshot and is stopped (SIGTERM) when it starts applying, with nothing to apply; once export data status shows all N events in the queue, import data is started again and timed from its start (process start-up included, no snapshot work left) until the target's applied count (ybvoyager_cdc_table_stats, updated in the same transactions as the changes) reaches N. Native: timed from ALTER SUBSCRIPTION ... ENABLE until a marker row, committed on the source after the N events in a table only the native publication carries, is visible on its target (PostgreSQL 15 applies a subscription with one worker, in commit order). Both ends are polled on the server every 5 ms. Our live migration is cut over before the native run; a CHECKPOINT on both clusters precedes each timed run. Part 2: lag sample = target clock_timestamp() - max(created_at) visible on the target, every 100 ms while the generator runs (before the first row arrives: time since the generator started); both clusters share this machine's clock.
NOTES
