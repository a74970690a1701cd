# shellcheck shell=bash
# bench/lib.sh: shell helpers shared by the benchmark scripts (bench/hello, bench/templates,
# bench/database, bench/c10k, bench/rate).
# Source it from a script running under `set -euo pipefail`; it moves to the repository root.
# The script parses its arguments (common_option), calls bench_init, then for each server i
# sets names[i] (label), urls[i] (what wrk loads) and rss_pids[i] (comma-separated pids whose
# VmHWM make up its peak RSS; the first is the pid start_server gave) and, if wrk is to run a
# Lua script against it (other methods, paths or bodies), wrk_scripts[i]. warm_up, then load_all,
# fill rps[i,C], p99[i,C] (ms), errs[i,C], peak[i,C] (kB) and allocs[i,C] (heap allocations per
# request, counted by bench/alloc_counter.c) for C in conn_counts; print_table prints them.
# A script that has more to undo on exit than its servers defines bench_cleanup; it runs after
# the servers are stopped, before the temporary directory goes.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit
PY=/usr/bin/python3   # Debian's, which has python3-tornado; the python3 first on PATH may not
bench=${0##*/}
duration=10 warmup=2 rounds=1
conn_counts=(100 1000)
names=() urls=() rss_pids=() wrk_scripts=() pids=()
declare -A rps p99 errs total_errs peak allocs alloc_file

die() { echo "$bench: $*" >&2; exit 1; }

# usage: prints the script's header comment (after the #! line) and exits 2.
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 2; }

# common_option ARG: --duration=N, --rounds=N or --quick; returns 1 for anything else.
common_option() {
  case "$1" in
    --duration=*) duration=${1#*=} ;;
    --rounds=*) rounds=${1#*=} ;;
    --quick) duration=2 warmup=1 ;;
    *) return 1 ;;
  esac
}

# bench_init: installs the tools, raises the fd limit (wrk's 1000 connections, --c10k's 10,000),
# creates $tmp and the traps that stop every pid in `pids` on exit, error or Ctrl-C.
bench_init() {
  [[ $duration =~ ^[1-9][0-9]*$ ]] || { echo "$bench: bad --duration" >&2; exit 2; }
  [[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "$bench: bad --rounds" >&2; exit 2; }
  scripts/setup bench
  local hard
  hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] && hard=65536
  ulimit -n $(( hard < 65536 ? hard : 65536 ))
  tmp=$(mktemp -d "/tmp/bench-$bench.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  cc -O2 -shared -fPIC bench/alloc_counter.c -o "$tmp/alloc_counter.so" || die "cannot build bench/alloc_counter.c"
}

cleanup() {
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  rm -rf "$tmp"
}

# build_sample TARGET BINARY VAR: sets cpp_cmd to BINARY after building TARGET with the release
# preset, or to the command in the environment variable VAR when it is set (no build then).
build_sample() {
  if [ -n "${!3:-}" ]; then
    read -r -a cpp_cmd <<<"${!3}"
    return
  fi
  echo "building $1 (release)..." >&2
  if ! { cmake --preset release >/dev/null && cmake --build --preset release --target "$1"; } \
      >"$tmp/build.log" 2>&1; then
    tail -n 30 "$tmp/build.log" >&2
    die "build of $1 failed; no benchmark run"
  fi
  # shellcheck disable=SC2034  # cpp_cmd is for the sourcing script
  cpp_cmd=("$2")
  [ -x "$2" ] || die "build succeeded but $2 is missing"
}

# free_ports N: N distinct free loopback ports (the sockets are held until all are chosen).
free_ports() {
  $PY -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "$1"
}

# wait_ready NAME PORT PID: polls (at most 15 s) until the server answers GET /.
wait_ready() {
  local i
  for i in $(seq 150); do
    kill -0 "$3" 2>/dev/null || { cat "$tmp/$1.log" >&2; die "$1 exited at startup"; }
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$2/" && return 0
    sleep 0.1
  done
  die "$1 did not answer on port $2 within 15 s"
}

# start_server NAME PORT CMD...: runs CMD in the background (output in $tmp/NAME.log) with its
# heap allocations counted in $tmp/NAME.allocs, sets server_pid and waits until the server answers.
start_server() {
  local name=$1 port=$2
  shift 2
  ALLOC_COUNT_FILE="$tmp/$name.allocs" LD_PRELOAD="$tmp/alloc_counter.so" "$@" >"$tmp/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  alloc_file[$server_pid]="$tmp/$name.allocs"
  wait_ready "$name" "$port" "$server_pid"
}

rss_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }   # rss_kb PID FIELD
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

peak_kb() {  # peak_kb PID,PID...: sum of VmHWM
  local pid total=0
  for pid in ${1//,/ }; do total=$(( total + $(rss_kb "$pid" VmHWM) )); done
  echo "$total"
}

script_args() { [ -z "${wrk_scripts[$1]:-}" ] || echo "-s ${wrk_scripts[$1]}"; }   # script_args I

# warm_up I: a short wrk run against server I, not measured.
warm_up() {
  # shellcheck disable=SC2046  # script_args is empty or two words
  timeout $((warmup + 30)) wrk -t2 -c100 -d"${warmup}s" $(script_args "$1") "${urls[$1]}" >/dev/null 2>&1 || true
}

alloc_count() { od -An -t u8 "${alloc_file[${rss_pids[$1]%%,*}]}" 2>/dev/null | tr -d ' ' || echo 0; }  # alloc_count I

# run_wrk I CONNS: one measured wrk run against server I; fills rps, p99, errs and allocs.
run_wrk() {
  local out before
  before=$(alloc_count "$1")
  # shellcheck disable=SC2046  # script_args is empty or two words
  out=$(timeout $((duration + 30)) wrk -t2 -c"$2" -d"${duration}s" --latency $(script_args "$1") "${urls[$1]}" 2>&1) || true
  echo "$out" >"$tmp/wrk-$1-$2.txt"
  # Allocations per request: the count's growth over the requests wrk completed.
  allocs[$1,$2]=$(awk -v n="$(( $(alloc_count "$1") - before ))" \
    '/ requests in / { if ($1 > 0) printf "%.1f", n / $1; else printf "n/a" }' <<<"$out")
  rps[$1,$2]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  # p99 as printed by wrk (us, ms or s), converted to ms.
  p99[$1,$2]=$(awk '$1 == "99%" { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u)
    printf "%.2f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1) }' <<<"$out")
  errs[$1,$2]=$(awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
    /Non-2xx/ { n += $NF } END { print n + 0 }' <<<"$out")
}

# median VALUES...: the median of the numbers given (the mean of the middle two for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# load_all: `rounds` measured wrk runs per server and connection count. Every round takes the
# servers in turn, so a change in the machine's load falls on all of them alike; rps, p99 and
# allocs are the medians over the rounds, errs the sum, peak the VmHWM after the first round's
# run. Fails if a server died.
load_all() {
  local round i conns pid
  local -A all_rps all_p99 all_allocs
  for ((round = 1; round <= rounds; round++)); do
    (( rounds == 1 )) || echo "round $round of $rounds..." >&2
    for i in "${!names[@]}"; do
      for conns in "${conn_counts[@]}"; do
        run_wrk "$i" "$conns"
        for pid in ${rss_pids[$i]//,/ }; do
          kill -0 "$pid" 2>/dev/null || { cat "$tmp/wrk-$i-$conns.txt" >&2; die "${names[$i]} died during the load"; }
        done
        (( round > 1 )) || peak[$i,$conns]=$(peak_kb "${rss_pids[$i]}")
        all_rps[$i,$conns]+="${rps[$i,$conns]} " all_p99[$i,$conns]+="${p99[$i,$conns]} "
        all_allocs[$i,$conns]+="${allocs[$i,$conns]} "
        total_errs[$i,$conns]=$(( ${total_errs[$i,$conns]:-0} + errs[$i,$conns] ))
      done
    done
  done
  for i in "${!names[@]}"; do
    for conns in "${conn_counts[@]}"; do
      # shellcheck disable=SC2086  # the lists are space-separated numbers
      rps[$i,$conns]=$(median ${all_rps[$i,$conns]}) p99[$i,$conns]=$(median ${all_p99[$i,$conns]})
      # shellcheck disable=SC2086
      allocs[$i,$conns]=$(median ${all_allocs[$i,$conns]})
      errs[$i,$conns]=${total_errs[$i,$conns]}
    done
  done
}

# print_table [WHAT]: the title line, then req/s, p99, peak RSS, allocations per request and
# errors per server and count.
print_table() {
  local conns i
  echo "bench/$bench — ${1:+$1, }wrk -t2, ${duration} s per run$( ((rounds == 1)) || echo ", medians of $rounds rounds"), keep-alive, $(nproc) cores shared by wrk and server"
  printf '%-15s %6s %10s %10s %10s %9s %7s\n' server conns req/s p99 "peak RSS" allocs/req errors
  for conns in "${conn_counts[@]}"; do
    for i in "${!names[@]}"; do
      printf '%-15s %6s %10s %10s %10s %9s %7s\n' "${names[$i]}" "$conns" "${rps[$i,$conns]:-n/a}" \
        "${p99[$i,$conns]:-n/a} ms" "$(mb "${peak[$i,$conns]}") MB" "${allocs[$i,$conns]:-n/a}" "${errs[$i,$conns]}"
    done
  done
}

# ratio A B FORMAT [SCALE]: SCALE * A / B, or n/a when a figure is missing.
ratio() { awk -v a="$1" -v b="$2" -v f="$3" -v k="${4:-1}" \
  'BEGIN { if (a > 0 && b > 0) printf f, k * a / b; else printf "n/a" }'; }
