#!/usr/bin/env bash
# The whole fault matrix of docs/reliability.md against a cluster of processes on this machine:
# brings the cluster up in DIR (bench/cluster/up.sh), runs every fault in a run of its own with load
# before, during and after, then all of them at random, one at a time, and writes the results.
# Usage: bench/cluster/chaos.sh DIR [OUT]      (as root; OUT defaults to bench/results/cluster-<date>-<host>)
# Knobs: CONTROLLERS (0: the brokers are the KRaft controllers; 3: controllers of their own; up.sh),
#        FAULTS (comma-separated; default all), RATE (200 votes/s), BEFORE (10s), DURING (30s),
#        AFTER (15s), RANDOM_FOR (10m; 0 skips the random schedule), KEEP=1 leaves the cluster running.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 DIR [OUT]" >&2; exit 2; }
dir="$1"
out="${2:-$root/bench/results/cluster-$(date -u +%F)-$(hostname -s)}"
faults="${FAULTS:-broker-kill,controller-kill,broker-partition,counter-pause,redis-master-kill,redis-master-kill-at-end,redis-master-partition,ingest-kill,counters-restart,counters-scale,mongo-kill}"
random_for="${RANDOM_FOR:-10m}"
mkdir -p "$out"

"$here/up.sh" "$dir"
[ "${KEEP:-0}" = 1 ] || trap '"$here/down.sh" "$dir"' EXIT
# the chaos client runs from the cluster's own copy of the jar (a rebuild meanwhile cannot break it)
run() {
  java -XX:+UseSerialGC -jar "$dir/bin/ovation.jar" chaos --cluster "$dir" --out "$out" --rate "${RATE:-200}" \
      --before "${BEFORE:-10s}" --after "${AFTER:-15s}" "$@"
}
status=0
run --fault "$faults" --during "${DURING:-30s}" 2>&1 | grep --line-buffered -v '^[0-9:.]* \(INFO\|DEBUG\|WARN\) \|^\s*at ' \
    | tee "$out/matrix.txt" || status=1
if [ "$random_for" != 0 ]; then
  run --fault random --during "$random_for" 2>&1 | grep --line-buffered -v '^[0-9:.]* \(INFO\|DEBUG\|WARN\) \|^\s*at ' \
      | tee "$out/random.txt" || status=1
fi
{
  echo "# The fault matrix, $(date -u +%F)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); Java $(java -version 2>&1 | head -1)."
  if [ "$(sed -n 's/^CONTROLLERS=//p' "$dir/settings")" = 3 ]; then
    echo "KRaft controllers: three processes of their own (CONTROLLERS=3), the brokers only brokers."
  else
    echo "KRaft controllers: the three brokers themselves (combined mode)."
  fi
  echo "Command: \`bench/cluster/chaos.sh DIR\` (FAULTS=$faults RATE=${RATE:-200} BEFORE=${BEFORE:-10s} DURING=${DURING:-30s} AFTER=${AFTER:-15s} RANDOM_FOR=$random_for)."
  echo
  python3 "$here/report.py" "$out"
  echo
  echo 'Per run: `<fault>.json` (every figure, the events, per-second acknowledgements and p99, the freshness'
  echo 'samples; `<fault>-2.json` for the second run of a fault), `<fault>.svg` (acknowledged and unknown per second, the fault shaded), `matrix.txt` and'
  echo '`random.txt` (the console).'
} >"$out/README.md"
python3 "$here/chart.py" "$out" || true
echo "chaos: results in $out"
exit $status
