#!/usr/bin/env bash
# grpc-unary.sh: gRPC unary calls through a proxy, h2c clients -> proxy -> h2c gRPC origin, our proxy beside
# nginx `grpc_pass`, in one run on loopback. The calls are h2load POSTs of one length-prefixed message with
# `content-type: application/grpc` and `te: trailers`; the origin is nginx answering every call with one message
# and the trailer `grpc-status: 0` (add_trailer), so the proxies carry real gRPC framing both ways.
#
#   bench/grpc-unary.sh [--seconds S] [--rounds R] [--conns C] [--streams M] [--warmup S]
#
# Layout as ../shared/bench/peers.sh: the origin and h2load share CPU 0; each proxy runs alone on CPU 1 (one
# nginx worker / one event loop). CPU per call is the proxy process's user+system time over the run divided by
# the calls served. Every round measures both proxies in turn; the report gives medians and our/nginx ratios.
# Needs nginx (with http_v2_module and grpc), h2load, curl, taskset, ss; runs bin/proxy from this checkout.
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
    *) echo "grpc-unary.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
PATH=$PATH:/usr/sbin
for tool in nginx h2load curl taskset ss; do
  command -v $tool >/dev/null || { echo "grpc-unary.sh: $tool is missing" >&2; exit 2; }
done
source "$ROOT/bench/lib.sh"
ORIGIN=127.0.0.1:18480 NGINX=127.0.0.1:18481 CAND=127.0.0.1:18482
# one gRPC message each way: a 0 flag byte, a 4-byte length, a small protobuf (field 1, a string)
printf '\x00\x00\x00\x00\x07\x0a\x05hello' >"$work/reply"
printf '\x00\x00\x00\x00\x07\x0a\x05world' >"$work/request"
printf '%s\n' \
  "worker_processes 1; daemon off; pid $work/origin.pid; error_log $work/origin.err;" \
  "events { worker_connections 4096; }" \
  "http { access_log off; keepalive_requests 1000000; http2_max_concurrent_streams 1024;" \
  "  server { listen $ORIGIN http2;" \
  "    location / { root $work; default_type application/grpc; try_files /reply =404; error_page 405 =200 /reply;" \
  "      add_trailer grpc-status 0 always; } } }" >"$work/origin.conf"
printf '%s\n' \
  "worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;" \
  "events { worker_connections 4096; }" \
  "http { access_log off; keepalive_requests 1000000; http2_max_concurrent_streams 128;" \
  "  upstream grpc_origin { server $ORIGIN; keepalive 64; keepalive_requests 1000000; keepalive_timeout 300s; }" \
  "  server { listen $NGINX http2; location / { grpc_pass grpc://grpc_origin; } } }" >"$work/nginx.conf"
wait_h2() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [[ $(curl -fsS --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
      --data-binary @"$work/request" -o /dev/null -w "%{http_code} %{http_version}" "http://$1/bench.Echo/Call" \
      2>/dev/null) == "200 2" ]] && return 0
    sleep 0.1
  done
  echo "grpc-unary.sh: nothing answered h2c on $1 within $2 s" >&2
  return 1
}
drive() {
  taskset -c 0 h2load -t1 -c"$conns" -m"$streams" -D"$1" -d "$work/request" -H 'content-type: application/grpc' \
    -H 'te: trailers' "http://$2/bench.Echo/Call"
}

start 0 origin nginx -c "$work/origin.conf"
wait_h2 $ORIGIN 10
start 1 nginx nginx -c "$work/nginx.conf"
wait_h2 $NGINX 10
start 1 candidate "$ROOT/bin/proxy" load-balancer --listen $CAND --upstream $ORIGIN --upstream-protocol h2c --threads 1
wait_h2 $CAND 90 || { tail -20 "$work/candidate.log" >&2; exit 1; }
drive "$warmup" $CAND >/dev/null
drive 2 $NGINX >/dev/null
declare -A addr=([nginx]=$NGINX [candidate]=$CAND)
: >"$work/results"
for ((r = 1; r <= rounds; r++)); do
  for t in nginx candidate; do
    t0=$(cpu_ticks "${addr[$t]}")
    out=$(drive "$seconds" "${addr[$t]}")
    t1=$(cpu_ticks "${addr[$t]}")
    n=$(awk '/^requests: /{print $8}' <<<"$out")
    bad=$(awk '/^requests: /{print $10 + 0}' <<<"$out")
    rps=$(awk '/^finished in /{print $4 + 0}' <<<"$out")
    if ((bad > 0)); then
      # nginx's grpc_pass fails a few calls in every run against the nginx origin ("upstream sent frame for
      # unknown stream": the origin's frames after a response whose request body it discarded); noted, and only
      # the calls that succeeded count. Ours must fail none.
      [[ $t == nginx ]] || { echo "grpc-unary.sh: $t round $r: $bad calls failed" >&2; sed -n "/^finished/,\$p" <<<"$out" >&2; exit 1; }
      echo "note: nginx round $r: $bad of $((n + bad)) calls failed (502)" >&2
    fi
    us=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN{printf "%.2f", d / hz * 1e6 / n}')
    echo "$t $r $rps $us" >>"$work/results"
  done
done
echo "gRPC unary, h2c -> proxy -> h2c origin: $conns client connections x $streams streams," \
  "${seconds} s x $rounds rounds, each proxy on CPU 1"
printf '%-10s %12s %13s\n' proxy 'calls/s(med)' 'cpu-us/call'
for t in nginx candidate; do
  printf '%-10s %12.0f %13.2f\n' "$t" \
    "$(awk -v t=$t '$1==t{print $3}' "$work/results" | median)" \
    "$(awk -v t=$t '$1==t{print $4}' "$work/results" | median)"
done
report_ratios nginx "calls/s ratio (candidate/nginx)" "efficiency ratio (nginx cpu-us/call / candidate's)"
