#!/usr/bin/env bash
# A long night: 30 minutes at 70% of the sustained rate of single HTTP votes (bench/run.sh's http
# step sustained 8,000 votes/s with the load generator, so 5,600), with a mix of traffic:
#   - good votes over a generated catalog, 1,000,000 voters;
#   - 2% of sends resending an acknowledged vote with its id (absorbed as duplicates);
#   - a limit of 5 counted votes per voter (votes past it are rejected, and counted as such);
#   - 20 hostile requests a second from the committed corpus (each must get a 4xx).
# It is bench/night.sh with these knobs: the same samples (heap, resident memory, Redis, lag, probe
# latencies every 5 s), the exact count at the end, the restart and the recount; results in
# bench/results/soak-<date>-<host>.{json,svg,md}. About 40 minutes; nothing else should run.
# Any knob of bench/night.sh may be set to change it (e.g. MINUTES=5 for a trial).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MINUTES=${MINUTES:-30}
RATE=${RATE:-5600}
export LABEL=${LABEL:-soak} PROTOCOL=${PROTOCOL:-http} RATE
export VOTES=${VOTES:-$(( RATE * MINUTES * 60 ))}
export VOTERS=${VOTERS:-1000000} DUPLICATES=${DUPLICATES:-0.02} VOTES_PER_VOTER=${VOTES_PER_VOTER:-5}
export HOSTILE_RATE=${HOSTILE_RATE:-20} CONTEST=${CONTEST:-soak}
exec "$here/night.sh"
