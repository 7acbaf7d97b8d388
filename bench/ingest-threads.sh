#!/usr/bin/env bash
# Prints the CPU time (clock ticks, utime+stime) of every thread of a process, summed by thread
# name with digits dropped ("JettyServerThre", "kafka-producer-", "ZWorker#"), one "ticks count name"
# line per group. bench/ingest-load.sh diffs two of these to show where a run's CPU went.
# Usage: bench/ingest-threads.sh <pid>
set -euo pipefail
pid=$1
for task in /proc/"$pid"/task/*; do
  stat=$(cat "$task/stat" 2>/dev/null) || continue
  name=${stat#*(}; name=${name%)*}
  rest=${stat##*) }
  # after the name: state ppid ... utime is field 12 and stime field 13 of this remainder
  read -r -a f <<<"$rest"
  printf '%s\t%s\n' "$(( f[11] + f[12] ))" "$name"
done | awk -F'\t' '{ n = $2; gsub(/[0-9]+/, "", n); gsub(/[ -]+$/, "", n); ticks[n] += $1; count[n]++ }
  END { for (n in ticks) printf "%d\t%d\t%s\n", ticks[n], count[n], n }' | sort -rn
