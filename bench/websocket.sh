#!/usr/bin/env bash
# websocket.sh: WebSocket throughput through a proxy's tunnel, our proxy beside nginx, in one run on loopback.
# Load: bench/ws-load.js (the ws package of Node.js) keeps binary messages in flight on each socket to the ws
# echo origin (net.proxy.core/src/test/node/ws-server.js); every payload byte passes each proxy twice (there
# and back). Reports MiB/s (payload both ways) and CPU ms per GiB moved.
#
#   bench/websocket.sh [--mode echo|download] [--seconds S] [--rounds R] [--conns C] [--size BYTES] [--inflight K]
#                      [--warmup S]
# --mode download has the origin stream messages to the clients (one direction, no client-side masking), which
# leaves the load generator enough CPU to find where each proxy tops out; echo (the default) moves both ways.
#
# Layout as ../shared/bench/peers.sh: the origin and the load generator share CPU 0; each proxy runs alone on
# CPU 1 (one nginx worker; one event loop for ours). CPU is the proxy processes' user+system time over the
# measurement. Every round measures both proxies in turn; the report gives medians and our/nginx ratios.
# Needs nginx, node with net.proxy.core/src/test/node/node_modules (npm ci there), taskset, ss, curl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10 rounds=3 conns=16 size=65536 inflight=4 warmup=15 mode=echo
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --inflight) inflight=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    *) echo "websocket.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
PATH=$PATH:/usr/sbin
for tool in nginx node curl taskset ss; do
  command -v $tool >/dev/null || { echo "websocket.sh: $tool is missing" >&2; exit 2; }
done
NODE_DIR="$ROOT/net.proxy.core/src/test/node"
[[ -d $NODE_DIR/node_modules/ws ]] || { echo "websocket.sh: run npm ci --prefix $NODE_DIR first" >&2; exit 2; }
export NODE_PATH="$NODE_DIR/node_modules"
source "$ROOT/bench/lib.sh"
NGINX=127.0.0.1:18381 CAND=127.0.0.1:18382

# the origin: the ws echo server on CPU 0; it prints {"port":N} and runs until its stdin ends
mkfifo "$work/origin.in"
(cd "$NODE_DIR" && exec taskset -c 0 node ws-server.js <"$work/origin.in" >"$work/origin.out") & pids+=($!)
exec 4>"$work/origin.in"
for ((i = 0; i < 100; i++)); do
  grep -q port "$work/origin.out" 2>/dev/null && break
  sleep 0.1
done
ORIGIN=127.0.0.1:$(sed 's/[^0-9]//g' "$work/origin.out")

printf '%s\n' \
  "worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;" \
  "events { worker_connections 4096; }" \
  "http { access_log off;" \
  "  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }" \
  "  upstream origin { server $ORIGIN; keepalive 64; }" \
  "  server { listen $NGINX;" \
  "    location / { proxy_pass http://origin; proxy_http_version 1.1;" \
  "      proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection \$connection_upgrade;" \
  "      proxy_read_timeout 3600s; proxy_send_timeout 3600s; } } }" >"$work/nginx.conf"
start 1 nginx nginx -c "$work/nginx.conf"
start 1 candidate "$ROOT/bin/proxy" load-balancer --listen $CAND --upstream $ORIGIN --threads 1
wait_up() { # the ws origin answers a plain GET with 426
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [[ $(curl -s -o /dev/null -w "%{http_code}" "http://$1/" 2>/dev/null) == 426 ]] && return 0
    sleep 0.1
  done
  echo "websocket.sh: nothing answered on $1 within $2 s" >&2
  return 1
}
wait_up $NGINX 10
wait_up $CAND 90 || { tail -20 "$work/candidate.log" >&2; exit 1; }
drive() { taskset -c 0 node "$ROOT/bench/ws-load.js" "ws://$2/" "$1" "$conns" "$size" "$inflight" "$mode"; }
drive "$warmup" $CAND >/dev/null
drive 2 $NGINX >/dev/null
declare -A addr=([nginx]=$NGINX [candidate]=$CAND)
: >"$work/results"
for ((r = 1; r <= rounds; r++)); do
  for t in nginx candidate; do
    t0=$(cpu_ticks "${addr[$t]}")
    out=$(drive "$seconds" "${addr[$t]}")
    t1=$(cpu_ticks "${addr[$t]}")
    read -r _ bytes _ secs _ <<<"$out"
    mibs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN{printf "%.1f", b / s / 1048576}')
    ms=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v b="$bytes" 'BEGIN{printf "%.1f", d / hz * 1000 / (b / 1073741824)}')
    echo "$t $r $mibs $ms" >>"$work/results"
  done
done
echo "WebSocket $mode through the proxy: $conns sockets x $inflight messages of $size bytes in flight," \
  "${seconds} s x $rounds rounds, each proxy on CPU 1"
printf '%-10s %14s %16s\n' proxy 'MiB/s(med)' 'cpu-ms/GiB(med)'
for t in nginx candidate; do
  printf '%-10s %14.1f %16.1f\n' "$t" \
    "$(awk -v t=$t '$1==t{print $3}' "$work/results" | median)" \
    "$(awk -v t=$t '$1==t{print $4}' "$work/results" | median)"
done
report_ratios nginx "MiB/s ratio (candidate/nginx)" "efficiency ratio (nginx cpu/GiB / candidate's)"
