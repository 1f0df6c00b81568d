#!/usr/bin/env bash
# h2-upstream.sh: HTTP/2 end to end, h2c clients -> proxy -> h2c origin, our proxy beside HAProxy with
# `proto h2` servers, in one run on loopback. Shows what multiplexing upstream streams on a few h2
# connections costs per request (no target yet; issue 13 asks for the figure).
#
#   bench/h2-upstream.sh [--seconds S] [--rounds R] [--conns C] [--streams M] [--warmup S]
#
# Layout as ../shared/bench/peers.sh: the origin (nginx, `listen ... http2`, a fixed 1 KiB body) and
# h2load share CPU 0; each proxy runs alone on CPU 1 (one event loop / one thread). CPU per request is
# the proxy process's user+system time over the run divided by the requests served. Every round
# measures both proxies in turn; the report gives medians and our/HAProxy ratios. Needs nginx (with
# http_v2_module), haproxy, h2load, curl, taskset, ss; runs bin/proxy from this checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10 rounds=3 conns=64 streams=10 warmup=15
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "h2-upstream.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in nginx haproxy h2load curl taskset ss; do
  command -v $tool >/dev/null || { echo "h2-upstream.sh: $tool is missing" >&2; exit 2; }
done
source "$ROOT/bench/lib.sh"
ORIGIN=127.0.0.1:18280 HAPROXY=127.0.0.1:18281 CAND=127.0.0.1:18282
head -c 1024 /dev/zero | tr '\0' x >"$work/body"
cat >"$work/origin.conf" <<EOF
worker_processes 1; daemon off; pid $work/origin.pid; error_log $work/origin.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; http2_max_concurrent_streams 1024;
  server { listen $ORIGIN http2; location / { root $work; try_files /body =404; default_type text/plain; } } }
EOF
cat >"$work/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8192
  tune.h2.max-concurrent-streams 128
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
frontend fe
  bind $HAPROXY proto h2
  default_backend origin
backend origin
  http-reuse always
  server s1 $ORIGIN proto h2
EOF
wait_h2() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [[ $(curl -fsS --http2-prior-knowledge -o /dev/null -w "%{http_code} %{http_version}" "http://$1/" 2>/dev/null) == "200 2" ]] && return 0
    sleep 0.1
  done
  echo "h2-upstream.sh: nothing answered h2c on $1 within $2 s" >&2
  return 1
}
upstream_conns() { # upstream_conns HOSTPORT: connections to the origin held by the proxy listening on HOSTPORT
  local p n=0
  for p in $(listener_pids "$1"); do
    n=$((n + $(ss -tnpH state established "dport = :${ORIGIN##*:}" | grep -c "pid=$p," || true)))
  done
  echo $n
}
drive() { taskset -c 0 h2load -t1 -c"$conns" -m"$streams" -D"$1" "http://$2/"; }

start 0 origin nginx -c "$work/origin.conf"
wait_h2 $ORIGIN 10
start 1 haproxy haproxy -f "$work/haproxy.cfg"
wait_h2 $HAPROXY 10
start 1 candidate "$ROOT/bin/proxy" load-balancer --listen $CAND --upstream $ORIGIN --upstream-protocol h2c --threads 1
wait_h2 $CAND 90 || { tail -20 "$work/candidate.log" >&2; exit 1; }
drive "$warmup" $CAND >/dev/null
drive 2 $HAPROXY >/dev/null
declare -A addr=([haproxy]=$HAPROXY [candidate]=$CAND)
: >"$work/results"
for ((r = 1; r <= rounds; r++)); do
  for t in haproxy candidate; do
    t0=$(cpu_ticks "${addr[$t]}")
    out=$(drive "$seconds" "${addr[$t]}")
    t1=$(cpu_ticks "${addr[$t]}")
    n=$(awk '/^requests: /{print $8}' <<<"$out")
    bad=$(awk '/^requests: /{print $10 + 0}' <<<"$out")
    rps=$(awk '/^finished in /{print $4 + 0}' <<<"$out")
    ((bad == 0)) || { echo "h2-upstream.sh: $t round $r: $bad requests failed" >&2; sed -n '/^finished/,$p' <<<"$out" >&2; exit 1; }
    us=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN{printf "%.2f", d / hz * 1e6 / n}')
    echo "$t $r $rps $us $(upstream_conns "${addr[$t]}")" >>"$work/results"
  done
done
echo "h2c -> proxy -> h2c origin: $conns client connections x $streams streams, ${seconds} s x $rounds rounds, each proxy on CPU 1"
printf '%-10s %12s %12s %18s\n' proxy 'req/s(med)' 'cpu-us/req' 'upstream conns'
for t in haproxy candidate; do
  printf '%-10s %12.0f %12.2f %18s\n' "$t" \
    "$(awk -v t=$t '$1==t{print $3}' "$work/results" | median)" \
    "$(awk -v t=$t '$1==t{print $4}' "$work/results" | median)" \
    "$(awk -v t=$t '$1==t{print $5}' "$work/results" | median)"
done
report_ratios haproxy "req/s ratio (candidate/haproxy)" "efficiency ratio (haproxy cpu-us/req / candidate's)"
