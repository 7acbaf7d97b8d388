#!/usr/bin/env bash
# The vote log alone: VoteLogBenchIT appends ENTRIES log entries (batches of 2,000 over 6 partitions)
# to the embedded MongoDB-wire server's H2 file through the official driver, and at each doubling
# prints the append rate, the CPU per entry of the whole JVM and of the server's own threads, the
# latest-20 and paging-back read times, the live heap and the file's size.
# Writes bench/results/votelog-<label>-<date>-<host>.md.
# Usage: bench/votelog.sh                       (10,000,000 entries: about a minute and a half on 2 cores)
#        ENTRIES=1000000 LABEL=quick bench/votelog.sh
# Knobs: ENTRIES (10000000), LABEL (current), RESULTS_DIR (bench/results), HEAP (1g).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ENTRIES=${ENTRIES:-10000000}
LABEL=${LABEL:-current}
RESULTS_DIR=${RESULTS_DIR:-$root/bench/results}
HEAP=${HEAP:-1g}
mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/votelog-$LABEL-$(date +%F)-$(hostname -s).md"
cmd=(./mvnw -B -ntp -q verify -pl ovation-store -am -Dit.test=VoteLogBenchIT -Dovation.bench=true
     "-Dovation.bench.entries=$ENTRIES" "-DargLine=-Xmx$HEAP" -Dtest=none
     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)
cd "$root"
table=$(mktemp)
trap 'rm -f "$table"' EXIT
echo "running VoteLogBenchIT with $ENTRIES entries..." >&2
# the test's output goes to failsafe's report file, written when the test ends
output=ovation-store/target/failsafe-reports/dev.ovation.store.VoteLogBenchIT-output.txt
rm -f "$output"
build_log=$(mktemp)
"${cmd[@]}" > "$build_log" 2>&1 &
build=$!
while kill -0 "$build" 2>/dev/null; do
  sleep 15
  kill -0 "$build" 2>/dev/null && echo "  ... building and appending, ${SECONDS}s" >&2
done
if ! wait "$build"; then
  cat "$build_log" >&2
  echo "VoteLogBenchIT failed" >&2
  exit 1
fi
rm -f "$build_log"
grep -E "^vote log bench|^ +entries|^ *[0-9][0-9,]* +[0-9,]+ " "$output" > "$table"
{
  echo "# VoteLogBenchIT, $ENTRIES entries: $LABEL"
  echo
  echo "Commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- ovation-store ovation-infra || echo ' (with uncommitted changes)')."
  echo
  echo "Command: \`bench/votelog.sh\` (ENTRIES=$ENTRIES): \`${cmd[*]}\`"
  echo "Machine: $(hostname -s), $(nproc) CPUs, $(date +%F)."
  echo
  echo '```text'
  cat "$table"
  echo '```'
} > "$out"
echo "wrote $out" >&2
