# lib.sh: what the comparison benchmarks of bench/ share; sourced after their options are read. A work directory
# and the processes to stop on exit, the CPU time of the processes listening on a port, medians, and the per-round
# ratios of "candidate" to a peer in $work/results (lines: proxy round throughput cpu-per-unit).
work=$(mktemp -d)
chmod 755 "$work" # nginx workers (user nobody) read files from here
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
HZ=$(getconf CLK_TCK)

# start CPUS NAME COMMAND...: runs COMMAND on CPUS in the background, its output in $work/NAME.log
start() { local cpus=$1 name=$2; shift 2; taskset -c "$cpus" "$@" >"$work/$name.log" 2>&1 & pids+=($!); }

listener_pids() { ss -ltnpH "sport = :${1##*:}" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }

# cpu_ticks HOST:PORT: user+system clock ticks so far of every process listening there
cpu_ticks() {
  local p t=0
  for p in $(listener_pids "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo $t
}

median() { sort -g | awk '{a[NR]=$1} END{if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# report_ratios PEER THROUGHPUT_LABEL EFFICIENCY_LABEL: per round, candidate/PEER throughput (column 3) and
# PEER/candidate CPU per unit (column 4), then their medians
report_ratios() {
  local peer=$1 col ratios what r
  for col in 3 4; do
    ratios=$(for ((r = 1; r <= rounds; r++)); do
      awk -v r=$r -v c=$col -v p="$peer" \
        '$2==r && $1=="candidate"{x=$c} $2==r && $1==p{h=$c} END{printf "%.3f\n", (c==3 ? x/h : h/x)}' "$work/results"
    done)
    [[ $col == 3 ]] && what=$2 || what=$3
    echo "$what per round: $(tr '\n' ' ' <<<"$ratios")median $(median <<<"$ratios")"
  done
}
