# shellcheck shell=bash disable=SC2034 # (it sets variables for the script)
# Shared functions of the bench/ scripts: source it, do not run it.
#
#   set -euo pipefail
#   export LC_ALL=C
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It sets ROOT (the repo), SELF (the script that sources it: for usage and
# the name in messages), WORK (bench/work/NAME, NAME being the script's name
# without .sh: logs, GNU time output), BIN (bin/yb-voyager) and RESULTS
# (bench/RESULTS.md). BG_PIDS lists the background processes not yet waited
# for; use_work_dir creates WORK and installs the EXIT trap that stops them,
# then runs the function EXIT_HOOK if the script has set one.
#
# The rest is the script's to set or define, as each function says: the
# knobs (N, JOBS, ROUNDS, STALL: see snapshot_knobs and live_knobs), SRC_HOST
# and friends (testenv_addresses), SRC_FLAGS and TGT_FLAGS (tgt_flags) for
# the yb-voyager commands, and tgt_psql (and src_psql for checkpoint) for the
# PostgreSQL target (and source).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$ROOT/bench/$(basename "${BASH_SOURCE[1]}")"
WORK="$ROOT/bench/work/$(basename "$SELF" .sh)"
BIN="$ROOT/bin/yb-voyager"
RESULTS="$ROOT/bench/RESULTS.md"
BG_PIDS=()
EXIT_HOOK=""

usage() { # the header comment of SELF, up to the first line that is not one
	awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$SELF"
}
die() {
	echo "$(basename "$SELF"): $*" >&2
	exit 1
}
log() {
	printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

# at_most_one_arg ARGS...: prints the usage for -h or --help, or (and exits
# 2) for more than one argument.
at_most_one_arg() {
	case "${1:-}" in
	-h | --help) usage && exit 0 ;;
	esac
	[ $# -le 1 ] || { usage >&2 && exit 2; }
}
# positive VAR...: dies unless each named variable holds a positive integer.
positive() {
	local v
	for v in "$@"; do
		[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
	done
}

# snapshot_knobs ARGS...: the knobs of a snapshot benchmark (the script's
# arguments, at most one: N): N (default BENCH_ROWS or 5000000), JOBS
# (BENCH_JOBS or 2) and ROUNDS (BENCH_ROUNDS or 3), checked and exported for
# the run under testenv.
snapshot_knobs() {
	at_most_one_arg "$@"
	N=${1:-${BENCH_ROWS:-5000000}}
	JOBS=${BENCH_JOBS:-2}
	ROUNDS=${BENCH_ROUNDS:-3}
	positive N JOBS ROUNDS
	export BENCH_JOBS=$JOBS BENCH_ROUNDS=$ROUNDS
}
# live_knobs SEED_DEFAULT ARGS...: the knobs of a live-migration benchmark
# (the script's arguments, at most one: N): N (default BENCH_EVENTS or
# 1000000, at least 100), JOBS (BENCH_JOBS or 2), SEED (BENCH_SEED_ROWS or
# SEED_DEFAULT), LAG_SECONDS (BENCH_LAG_SECONDS or 30) and STALL
# (BENCH_STALL_SECONDS or 180), checked and exported for the run under
# testenv; LAG_RATE, the rows/s of the lag load (50 rows every 10 ms).
live_knobs() {
	local seed=$1
	shift
	at_most_one_arg "$@"
	N=${1:-${BENCH_EVENTS:-1000000}}
	JOBS=${BENCH_JOBS:-2}
	SEED=${BENCH_SEED_ROWS:-$seed}
	LAG_SECONDS=${BENCH_LAG_SECONDS:-30}
	STALL=${BENCH_STALL_SECONDS:-180}
	LAG_RATE=5000
	positive N JOBS SEED LAG_SECONDS STALL
	[ "$N" -ge 100 ] || die "N must be at least 100"
	export BENCH_JOBS=$JOBS BENCH_SEED_ROWS=$SEED BENCH_LAG_SECONDS=$LAG_SECONDS BENCH_STALL_SECONDS=$STALL
}

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

# need_time: GNU time (/usr/bin/time) measures peak RSS; installs it if missing.
need_time() {
	if [ ! -x /usr/bin/time ]; then
		apt_install time || true
		[ -x /usr/bin/time ] || die "/usr/bin/time (Debian package 'time') is required to measure peak RSS"
	fi
}
# need_tools TOOL...: dies unless each TOOL is on PATH.
need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || die "$t not found: run scripts/install-deps.sh (or make bench)"
	done
}
# need_mariadb_client: dies unless the MariaDB client (mariadb or mysql) is on PATH.
need_mariadb_client() {
	command -v mariadb >/dev/null || command -v mysql >/dev/null ||
		die "the MariaDB client (mariadb) not found: run scripts/install-deps.sh (or make bench)"
}
# want_baseline TOOL: installs the Debian package TOOL if the command TOOL is
# missing; if it still is, logs that the baseline it runs will be skipped.
want_baseline() {
	command -v "$1" >/dev/null && return 0
	apt_install "$1" || true
	command -v "$1" >/dev/null || log "$1 could not be installed: that baseline will be skipped"
}

# reexec_under_testenv ARGS...: from the repo root, builds bin/yb-voyager
# and bin/testenv if missing, then runs SELF ARGS under bin/testenv (which
# starts the throwaway servers and exports their addresses), with
# BENCH_IN_TESTENV=1. Does not return.
reexec_under_testenv() {
	cd "$ROOT" || exit
	if [ ! -x "$BIN" ]; then
		log "building $BIN"
		make -s build
	fi
	if [ ! -x bin/testenv ]; then
		log "building bin/testenv"
		go build -o bin/testenv ./tools/testenv
	fi
	export BENCH_IN_TESTENV=1
	exec bin/testenv -- "$SELF" "$@"
}
# testenv_addresses pg|mysql: SRC_HOST and SRC_PORT (the PostgreSQL or the
# MariaDB source) and TGT_HOST and TGT_PORT (the PostgreSQL target) from the
# environment bin/testenv sets; dies when they are not set.
testenv_addresses() {
	local s=YBV_TEST_PG_SOURCE t=YBV_TEST_PG_TARGET v
	[ "$1" = pg ] || s=YBV_TEST_MYSQL_SOURCE
	for v in "${s}_HOST" "${s}_PORT" "${t}_HOST" "${t}_PORT"; do
		[ -n "${!v:-}" ] || die "$v not set: run bench/${SELF##*/}, not under testenv by hand"
	done
	v=${s}_HOST && SRC_HOST=${!v}
	v=${s}_PORT && SRC_PORT=${!v}
	v=${t}_HOST && TGT_HOST=${!v}
	v=${t}_PORT && TGT_PORT=${!v}
}

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
stop_bg() {
	local p
	for p in "${BG_PIDS[@]}"; do
		stop_pid "$p"
	done
	BG_PIDS=()
}

# show_log FILE: prints the end of a failed step's log.
show_log() {
	echo "---- last lines of $1 ----" >&2
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

# Machine CPU: busy core-seconds of the whole machine over a span (user,
# nice, system, irq and softirq from /proc/stat; the database servers
# included, the hypervisor's steal not). Wall times on a shared 2-core
# machine wander; the work a contender costs shows in this figure.
CLK_TCK=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
cpu_mark() { CPU_MARK=$(busy_ticks); } # cpu_mark: starts a span
cpu_since() {                          # cpu_since [TICKS]: core-seconds since cpu_mark (or TICKS)
	awk -v a="${1:-$CPU_MARK}" -v b="$(busy_ticks)" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", (b - a) / hz }'
}

# timed NAME LOG CMD...: runs CMD under GNU time with its output in LOG,
# sets T_WALL (seconds), T_RSS_KB (peak RSS of CMD and the children it
# waited for) and T_CPU (machine CPU core-seconds meanwhile) and returns
# CMD's exit status.
timed() {
	local name=$1 logf=$2 rc=0 m
	shift 2
	m=$(busy_ticks)
	/usr/bin/time -f '%e %M %U %S' -o "$WORK/$name.time" "$@" >"$logf" 2>&1 || rc=$?
	T_CPU=$(cpu_since "$m")
	read_time "$name"
	return "$rc"
}
# read_time NAME: sets T_WALL and T_RSS_KB from NAME's GNU time output.
read_time() {
	read -r T_WALL T_RSS_KB _ < <(tail -n 1 "$WORK/$1.time")
}

# bg_timed NAME LOG CMD...: starts CMD under GNU time in the background, with
# its output in LOG, and sets BG_PID (the GNU time process); read_time,
# peak_rss_kb or cpu_s NAME once it has been waited for.
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
		[ "$SECONDS" -lt "$deadline" ] || fail_ours "$dir" "$name did not exit within $5 s" "$logf"
		sleep 0.1
	done
	wait "$pid" || rc=$?
	forget_pid "$pid"
	[ "$rc" -eq 0 ] || fail_ours "$dir" "$name exited with status $rc" "$logf"
}

# start_export NAME DIR [wait]: starts export data --export-type
# snapshot-and-changes (SRC_FLAGS, JOBS) into export dir DIR under GNU time as
# NAME (log WORK/NAME.log), sets EXP_PID; with "wait", waits until it streams.
start_export() {
	bg_timed "$1" "$WORK/$1.log" "$BIN" export data --export-dir "$2" "${SRC_FLAGS[@]}" \
		--export-type snapshot-and-changes --parallel-jobs "$JOBS" --disable-pb --yes
	EXP_PID=$BG_PID
	[ -z "${3:-}" ] || wait_line "$WORK/$1.log" "Streaming changes from" "$EXP_PID" "$1" "$2"
}
# start_import NAME DIR: starts import data (TGT_FLAGS, JOBS channels) for
# export dir DIR as NAME, sets IMP_PID and waits until it applies changes.
start_import() {
	bg_timed "$1" "$WORK/$1.log" "$BIN" import data --export-dir "$2" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	IMP_PID=$BG_PID
	wait_line "$WORK/$1.log" "Applying changes with" "$IMP_PID" "$1" "$2"
}
# stop_ours PID NAME DIR: SIGTERM to the yb-voyager command NAME started by
# bg_timed as PID; exit 0, 130 or 143 is a clean stop. Sets STOP_RC.
stop_ours() {
	STOP_RC=0
	pkill -TERM -P "$1"
	wait "$1" || STOP_RC=$?
	forget_pid "$1"
	case $STOP_RC in
	0 | 130 | 143) ;;
	*) fail_ours "$3" "$2 exited with status $STOP_RC on SIGTERM" "$WORK/$2.log" ;;
	esac
}

# wait_line FILE TEXT PID NAME DIR: waits until FILE contains TEXT; fails if
# PID exits first or after STALL seconds.
wait_line() {
	local deadline=$((SECONDS + STALL))
	until grep -qF -- "$2" "$1" 2>/dev/null; do
		kill -0 "$3" 2>/dev/null || fail_ours "$5" "$4 exited before printing '$2'" "$1"
		[ "$SECONDS" -lt "$deadline" ] || fail_ours "$5" "$4 did not print '$2' within $STALL s" "$1"
		sleep 0.05
	done
}

# wait_value NAME PSQL DB VALUE_SQL GOAL PID [STALL_S]: returns once the scalar
# query VALUE_SQL (on PostgreSQL) is >= GOAL, and sets WAIT_VALUE. The poll
# runs on the server, every 5 ms in DO blocks of at most 2 s (each check sees
# a fresh snapshot), so that it returns within a few ms of the moment the goal
# is reached. The block COMMITs between checks: a statement running for 2 s
# would hold back the server's xmin horizon all that time, so no dead row
# version newer than that could be pruned, and the run being timed would
# lose most of its HOT updates (seen: 35 % instead of 89 %). Between blocks: returns 1 if PID (when given) has exited, fails
# if the value has not moved for STALL_S (default STALL), logs progress every 10 s.
wait_value() {
	local name=$1 fn=$2 db=$3 q=$4 goal=$5 pid=${6:-} stall=${7:-$STALL} v last=-1 moved=$SECONDS next_log=$((SECONDS + 10))
	local do_sql="DO \$w\$ DECLARE d timestamptz := clock_timestamp() + interval '2 s'; BEGIN
		WHILE ($q) < $goal AND clock_timestamp() < d LOOP COMMIT; PERFORM pg_sleep(0.005); END LOOP; END \$w\$"
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

# apply_timed PART DIR DB GOAL [LABEL]: starts import data for export dir DIR
# (TGT_FLAGS, JOBS channels) under GNU time as PART-import (IMP_PID) and times
# it from its start until the applied change count on target database DB
# reaches GOAL: sets APPLY_S and APPLY_RATE. LABEL (default PART) names it in
# progress and failure messages.
APPLIED_SQL="SELECT coalesce(sum(inserts + updates + deletes), 0) FROM ybvoyager_metadata.ybvoyager_cdc_table_stats"
apply_timed() {
	local t0 t1 tag=${5:-$1}
	t0=$EPOCHREALTIME
	bg_timed "$1-import" "$WORK/$1-import.log" "$BIN" import data --export-dir "$2" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	IMP_PID=$BG_PID
	wait_value "$tag: events applied" tgt_psql "$3" "$APPLIED_SQL" "$4" "$IMP_PID" ||
		fail_ours "$2" "$tag: import data exited while applying" "$WORK/$1-import.log"
	t1=$EPOCHREALTIME
	APPLY_S=$(elapsed "$t0" "$t1")
	APPLY_RATE=$(per_sec "$4" "$APPLY_S")
	[ "$WAIT_VALUE" -eq "$4" ] || fail_ours "$2" "$tag: the target counts $WAIT_VALUE applied events, not $4" "$WORK/$1-import.log"
}

# cutover_ours PART DIR EXPORT_PID IMPORT_PID [LABEL]: initiate cutover to
# target for export dir DIR; export data and import data (logs PART-export.log
# and PART-import.log in WORK) must then exit 0. LABEL (default PART) names
# the part in failure messages.
cutover_ours() {
	local tag=${5:-$1}
	"$BIN" initiate cutover to target --export-dir "$2" >"$WORK/$1-cutover.log" 2>&1 ||
		fail_ours "$2" "$tag: initiate cutover failed" "$WORK/$1-cutover.log"
	wait_exit "$3" "$tag: export data" "$WORK/$1-export.log" "$2" 300
	wait_exit "$4" "$tag: import data" "$WORK/$1-import.log" "$2" 300
}

# export_events DIR: cdc_export.events of export data status (0 before the
# first metrics report).
export_events() {
	{ "$BIN" export data status --export-dir "$1" --output-format json 2>/dev/null || true; } |
		awk '/"cdc_export":/ { inside = 1 } inside && /"events":/ { gsub(/[^0-9]/, ""); print; found = 1; exit }
			END { if (!found) print 0 }'
}
# export_ops DIR: "I n, U n, D n" of export data status.
export_ops() {
	{ "$BIN" export data status --export-dir "$1" 2>/dev/null || true; } | grep -o -m 1 'I [0-9]*, U [0-9]*, D [0-9]*' || true
}

# queue_bytes DIR: bytes in the change queue of export dir DIR.
queue_bytes() {
	find "$1/data/queue" -maxdepth 1 -name 'segment-*.ndjson' -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

# wait_exported NAME DIR PID GOAL: waits until export data status of export
# dir DIR counts GOAL events (fails if it counts more, if export data NAME,
# process PID, exits, or if the count does not move for STALL seconds),
# sampling the queue's size every 50 ms meanwhile (WORK/queue.samples);
# then sets QUEUE_BYTES and EXPORTED_AT, the time of the first sample at
# that final size: when the last event reached the queue.
wait_exported() {
	local ev last=-1 moved=$SECONDS next_status=0
	: >"$WORK/queue.samples"
	while :; do
		echo "$EPOCHREALTIME $(queue_bytes "$2")" >>"$WORK/queue.samples"
		if [ "$SECONDS" -ge "$next_status" ]; then
			ev=$(export_events "$2")
			[ "$ev" -lt "$4" ] || break
			kill -0 "$3" 2>/dev/null || fail_ours "$2" "$1 exited while streaming" "$WORK/$1.log"
			if [ "$ev" != "$last" ]; then
				last=$ev moved=$SECONDS
			elif [ $((SECONDS - moved)) -ge "$STALL" ]; then
				fail_ours "$2" "$1 stuck at $ev of $4 events for $STALL s" "$WORK/$1.log"
			fi
			next_status=$((SECONDS + 1))
		fi
		sleep 0.05
	done
	[ "$ev" -eq "$4" ] || fail_ours "$2" "$1 counts $ev events, $4 were made" "$WORK/$1.log"
	QUEUE_BYTES=$(queue_bytes "$2")
	EXPORTED_AT=$(awk -v b="$QUEUE_BYTES" '$2 == b { print $1; exit }' "$WORK/queue.samples")
	[ -n "$EXPORTED_AT" ] || EXPORTED_AT=$EPOCHREALTIME
}

# elapsed A B [DIGITS]: B - A (epoch seconds) with DIGITS decimals (default 3).
elapsed() { awk -v a="$1" -v b="$2" -v f="%.${3:-3}f" 'BEGIN { printf f, b - a }'; }
per_sec() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mb() { # mb KB: in MB, one decimal ("-" for an empty KB)
	if [ -n "$1" ]; then awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; else echo "-"; fi
}
# pct P FILE: the P-th percentile, in ms, of the sorted seconds in FILE.
pct() {
	awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1; printf "%.0f", v[i] * 1000 }' "$2"
}

# lag_sampler HOST PORT USER DB SECONDS MAX_EPOCH_SQL: starts the lag
# sampler in the background (SAMPLER_PID): every 100 ms against the clock,
# for SECONDS, a NOTICE line "s <target clock epoch> <MAX_EPOCH_SQL or null>"
# in $WORK/sampler.log, MAX_EPOCH_SQL being the newest source timestamp
# visible on the target (PostgreSQL database DB), in epoch seconds.
lag_sampler() {
	PGOPTIONS='-c client_min_messages=notice' psql -X -q -v ON_ERROR_STOP=1 -h "$1" -p "$2" -U "$3" -d "$4" -c "DO \$s\$
DECLARE t0 timestamptz := clock_timestamp(); k int := 0; nt timestamptz; m numeric;
BEGIN
	LOOP
		nt := t0 + k * interval '100 ms';
		EXIT WHEN nt > t0 + interval '$5 s';
		IF clock_timestamp() < nt THEN
			PERFORM pg_sleep(extract(epoch FROM nt - clock_timestamp()));
		END IF;
		SELECT ($6) INTO m;
		RAISE NOTICE 's % %', extract(epoch FROM clock_timestamp()), coalesce(m::text, 'null');
		COMMIT;
		k := k + 1;
	END LOOP;
END \$s\$" >"$WORK/sampler.out" 2>"$WORK/sampler.log" &
	SAMPLER_PID=$!
	BG_PIDS+=("$SAMPLER_PID")
}

# lag_result START END: waits for the sampler, then sets SAMPLES, LAG_P50,
# LAG_P99, LAG_MAX (ms) and G_LAG (PASS if p99 < 1 s, else MISS) from the
# samples taken while the load ran, from START to END (epoch seconds); before
# the first row shows on the target a sample counts as (its time - START).
lag_result() {
	local rc=0
	wait "$SAMPLER_PID" || rc=$?
	forget_pid "$SAMPLER_PID"
	[ "$rc" -eq 0 ] || { show_log "$WORK/sampler.log" && die "the lag sampler failed"; }
	awk -v s="$1" -v e="$2" '$1 == "NOTICE:" && $2 == "s" && $3 >= s && $3 <= e {
			lag = ($4 == "null" || $4 < s) ? $3 - s : $3 - $4
			printf "%.4f\n", lag
		}' "$WORK/sampler.log" | sort -g >"$WORK/lag.txt"
	SAMPLES=$(wc -l <"$WORK/lag.txt")
	[ "$SAMPLES" -gt 0 ] || { show_log "$WORK/sampler.log" && die "no lag samples"; }
	LAG_P50=$(pct 50 "$WORK/lag.txt")
	LAG_P99=$(pct 99 "$WORK/lag.txt")
	LAG_MAX=$(pct 100 "$WORK/lag.txt")
	G_LAG=$(awk -v v="$LAG_P99" 'BEGIN { print (v < 1000) ? "PASS" : "MISS" }')
}

# lag_finish DIR EXPORT_PID IMPORT_PID [LABEL]: the end of a sustained-lag
# run (part 2, export dir DIR, target database tgt_lag) once its generator has
# inserted GEN_ROWS rows into l from GEN_START to GEN_END (epoch seconds): sets
# GEN_RATE and lag_result's figures, checks that export data and import data
# ran through the load, waits until the target has all the rows, then
# cutover_ours p2 (LABEL: see there).
lag_finish() {
	GEN_RATE=$(per_sec "$GEN_ROWS" "$(elapsed "$GEN_START" "$GEN_END")")
	log "part 2: generated $GEN_ROWS rows in $(elapsed "$GEN_START" "$GEN_END")s = $GEN_RATE rows/s; waiting for the sampler"
	lag_result "$GEN_START" "$GEN_END"
	kill -0 "$2" 2>/dev/null || fail_ours "$1" "part 2: export data exited during the load" "$WORK/p2-export.log"
	kill -0 "$3" 2>/dev/null || fail_ours "$1" "part 2: import data exited during the load" "$WORK/p2-import.log"
	log "part 2: lag over $SAMPLES samples: p50 ${LAG_P50} ms, p99 ${LAG_P99} ms, max ${LAG_MAX} ms"

	wait_value "part 2: rows on the target" tgt_psql tgt_lag "SELECT count(*) FROM public.l" "$GEN_ROWS" "$3" ||
		fail_ours "$1" "part 2: import data exited while catching up" "$WORK/p2-import.log"
	log "part 2: initiate cutover to target; export data and import data must exit 0"
	cutover_ours p2 "$1" "$2" "$3" "${4:-p2}"
}

# print_lag_report: the sustained-lag part of a report, from LAG_RATE,
# LAG_SECONDS, JOBS, GEN_RATE, GEN_ROWS, lag_result's figures and the peak RSS
# of p2-export and p2-import.
print_lag_report() {
	echo "2. Sustained lag: $LAG_RATE inserts/s wanted (50 rows every 10 ms) for ${LAG_SECONDS}s, import data with $JOBS channels"
	echo "   achieved generation rate: $GEN_RATE rows/s ($GEN_ROWS rows)"
	echo "   lag over $SAMPLES samples (every 100 ms): p50 $LAG_P50 ms, p99 $LAG_P99 ms, max $LAG_MAX ms"
	echo "   $G_LAG  p99 lag under 1 s ($LAG_P99 ms)"
	echo "   peak RSS: export data $(mb "$(peak_rss_kb p2-export)") MB, import data $(mb "$(peak_rss_kb p2-import)") MB"
}

# use_work_dir: a fresh WORK; on exit, stops the background processes, runs
# the function EXIT_HOOK if set (failures ignored) and removes WORK (kept with
# BENCH_KEEP_WORK=1).
use_work_dir() {
	trap cleanup_work EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	rm -rf "$WORK"
	mkdir -p "$WORK"
}
cleanup_work() {
	local rc=$?
	trap - EXIT INT TERM
	stop_bg
	[ -z "$EXIT_HOOK" ] || "$EXIT_HOOK" || true
	if [ "${BENCH_KEEP_WORK:-}" = 1 ]; then
		log "keeping $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}

# machine: "N CPUs (model), M GiB RAM".
machine() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
	echo "$(nproc) CPUs${cpu:+ ($cpu)}, $(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo) GiB RAM"
}
# ours_version: the commit bin/yb-voyager was built from.
ours_version() {
	local c
	c=$("$BIN" version 2>/dev/null | awk 'NR == 1 { print $2 }')
	echo "${c:-unknown; tree at $(git -C "$(dirname "$SELF")" describe --tags --always --dirty 2>/dev/null || echo unknown)}"
}

# exit_if_no_results: exits 0 when BENCH_NO_RESULTS=1, for a test run: call it
# after the report is printed, before appending to RESULTS.
exit_if_no_results() {
	[ "${BENCH_NO_RESULTS:-}" != 1 ] || exit 0
}
# append_results HEADER: appends the section on its standard input to RESULTS
# (first creating it with HEADER, unless empty, if it is missing) and logs so;
# with BENCH_NO_RESULTS=1 (a test run), appends nothing.
append_results() {
	if [ "${BENCH_NO_RESULTS:-}" = 1 ]; then
		cat >/dev/null
		return 0
	fi
	[ -f "$RESULTS" ] || [ -z "$1" ] || printf '%s\n' "$1" >"$RESULTS"
	cat >>"$RESULTS"
	log "appended to ${RESULTS#"$ROOT"/}"
}

# --- The PostgreSQL target -----------------------------------------------------
# tgt_flags DB: sets TGT_FLAGS, yb-voyager's flags for target database DB.
tgt_flags() {
	TGT_FLAGS=(--target-db-host "$TGT_HOST" --target-db-port "$TGT_PORT" --target-db-user postgres --target-db-name "$1")
}
# fresh_target DB [checkpoint]: (re)creates an empty target database; with
# "checkpoint", then a CHECKPOINT on the target.
fresh_target() {
	tgt_psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	[ -z "${2:-}" ] || tgt_psql -d postgres -c CHECKPOINT
}
drop_target() {
	tgt_psql -d postgres -c "DROP DATABASE IF EXISTS $1"
}
# checkpoint: flushes both PostgreSQL clusters (src_psql and tgt_psql) so that
# no timed run pays for the previous one's dirty buffers.
checkpoint() {
	src_psql -d postgres -c CHECKPOINT
	tgt_psql -d postgres -c CHECKPOINT
}
# verify_count DB LABEL [SCHEMA]: dies unless table t (SCHEMA.t; default
# public.t) on target database DB has N rows.
verify_count() {
	local got t="${3:+$3.}t"
	got=$(tgt_psql -d "$1" -At -c "SELECT count(*) FROM \"${3:-public}\".t") || die "$2: cannot count rows of $t on target database $1"
	[ "$got" = "$N" ] || die "$2: target has $got rows in $t, expected $N"
	log "$2: row count verified ($got)"
}

# --- Snapshot migrations, contenders over rounds (snapshot.sh, mysql.sh) --------
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
			*"Export:"*) ;; # recorded, not started yet
			*) return 0 ;;  # no "Export:" line: the export is done
			esac
		fi
		[ "$SECONDS" -lt "$deadline" ] || die "export data did not show as running within 120 s"
		sleep 0.05
	done
	log "WARNING: export data exited before it showed as running: import data starts after it, not alongside"
}

# export_import_overlapped DIR EXPORT_NAME IMPORT_NAME LABEL: export data
# (SRC_FLAGS, JOBS) into export dir DIR in the background under GNU time as
# EXPORT_NAME (log WORK/EXPORT_NAME.log), and import data (TGT_FLAGS, JOBS) as
# IMPORT_NAME alongside it as soon as the export shows as running; returns
# once both have exited 0 ("LABEL: export data failed" otherwise), and sets
# DATA_END: EPOCHREALTIME when import data had exited. overlapped_rss
# EXPORT_NAME IMPORT_NAME afterwards (outside the timed span) sets EXP_KB and
# IMP_KB, their peak RSS.
export_import_overlapped() {
	local dir=$1 exp=$2 imp=$3 exp_pid imp_pid rc=0
	bg_timed "$exp" "$WORK/$exp.log" "$BIN" export data --export-dir "$dir" "${SRC_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	exp_pid=$BG_PID
	wait_export_running "$dir" "$exp_pid"
	bg_timed "$imp" "$WORK/$imp.log" "$BIN" import data --export-dir "$dir" "${TGT_FLAGS[@]}" \
		--parallel-jobs "$JOBS" --disable-pb --yes
	imp_pid=$BG_PID
	wait "$exp_pid" || rc=$?
	forget_pid "$exp_pid"
	if [ "$rc" -ne 0 ]; then
		show_log "$WORK/$exp.log"
		die "$4: export data failed" # cleanup stops import data
	fi
	wait "$imp_pid" || rc=$?
	DATA_END=$EPOCHREALTIME
	forget_pid "$imp_pid"
	if [ "$rc" -ne 0 ]; then
		show_log "$WORK/$imp.log"
		die "$4: import data failed"
	fi
}
overlapped_rss() {
	read_time "$1"
	EXP_KB=$T_RSS_KB
	read_time "$2"
	IMP_KB=$T_RSS_KB
}

# maybe_compare DIR ARGS...: runs compare data --export-dir DIR ARGS... (as
# contender ours_compare) after the first ours run only; sets COMPARE.
COMPARE=""
maybe_compare() {
	[ -z "$COMPARE" ] || return 0
	local rc=0
	log "ours: compare data (once, for information)"
	timed ours-compare "$WORK/ours-compare.log" "$BIN" compare data --export-dir "$1" "${@:2}" || rc=$?
	add_run ours_compare "$T_WALL" "$T_RSS_KB" "$T_CPU"
	if [ "$rc" -eq 0 ]; then
		COMPARE="matched (exit 0)"
	else
		COMPARE="DIFFERENCES or error (exit $rc)"
		show_log "$WORK/ours-compare.log"
		log "ours: WARNING: compare data did not report a match"
	fi
}

# Results, keyed by contender: RUNS[key] holds the wall seconds of each
# round (space-separated), PEAK[key] the largest peak RSS (KB) over rounds,
# CPUS[key] the machine CPU core-seconds of each round.
declare -gA RUNS=() PEAK=() CPUS=()
add_run() { # add_run KEY WALL_SECONDS RSS_KB [MACHINE_CPU_SECONDS]
	RUNS[$1]="${RUNS[$1]:-}${RUNS[$1]:+ }$2"
	if [ -z "${PEAK[$1]:-}" ] || [ "$3" -gt "${PEAK[$1]}" ]; then
		PEAK[$1]=$3
	fi
	[ -z "${4:-}" ] || CPUS[$1]="${CPUS[$1]:-}${CPUS[$1]:+ }$4"
}

# run_rounds CONTENDER...: ROUNDS rounds; round r runs run_CONTENDER r for
# each contender, starting from the r-th and wrapping around.
run_rounds() {
	local r i c order
	for ((r = 1; r <= ROUNDS; r++)); do
		order=()
		for ((i = 0; i < $#; i++)); do
			order+=("${@:$(((r - 1 + i) % $# + 1)):1}")
		done
		log "round $r of $ROUNDS: ${order[*]}"
		for c in "${order[@]}"; do
			"run_$c" "$r"
		done
	done
}

# stat KEY median|min|max [cpu]: over the rounds' wall seconds of KEY (or,
# with "cpu", its machine CPU core-seconds); empty if none.
stat() {
	local v=${RUNS[$1]:-}
	[ "${3:-}" != cpu ] || v=${CPUS[$1]:-}
	[ -n "$v" ] || return 0
	# shellcheck disable=SC2086 # one figure a word
	printf '%s\n' $v | sort -g | awk -v what="$2" '{ v[NR] = $1 }
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

# rounds_table FORMAT WIDTH OPTIONAL_KEY: the results of the contenders in
# TABLE_KEYS (labelled by LABEL) as text ("text", the first column WIDTH wide)
# or markdown ("md"): median, min and max wall, peak RSS and rows/s (of N).
# A key without runs is left out, but OPTIONAL_KEY (a baseline that may be
# missing) shows as skipped.
rounds_table() {
	local k med cpu
	if [ "$1" = md ]; then
		echo "| contender | median s | min s | max s | machine CPU s | peak RSS MB | rows/s |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
	else
		printf "%-${2}s %9s %8s %8s %8s %12s %10s\n" contender "median s" "min s" "max s" "CPU s" "peak RSS MB" rows/s
		printf "%-${2}s %9s %8s %8s %8s %12s %10s\n" "$(printf "%${2}s" "" | tr ' ' -)" "---------" "--------" "--------" "--------" "------------" "----------"
	fi
	for k in "${TABLE_KEYS[@]}"; do
		if [ -z "${RUNS[$k]:-}" ]; then
			if [ "$k" = "$3" ]; then
				if [ "$1" = md ]; then echo "| ${LABEL[$k]} | skipped | - | - | - | - | - |"; else printf "%-${2}s %9s\n" "${LABEL[$k]}" skipped; fi
			fi
			continue
		fi
		med=$(stat "$k" median)
		cpu=$(stat "$k" median cpu)
		if [ "$1" = md ]; then
			printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$k]//|/\\|}" "$med" "$(stat "$k" min)" "$(stat "$k" max)" \
				"${cpu:--}" "$(mb "${PEAK[$k]}")" "$(per_sec "$N" "$med")"
		else
			printf "%-${2}s %9s %8s %8s %8s %12s %10s\n" "${LABEL[$k]}" "$med" "$(stat "$k" min)" "$(stat "$k" max)" \
				"${cpu:--}" "$(mb "${PEAK[$k]}")" "$(per_sec "$N" "$med")"
		fi
	done
}
