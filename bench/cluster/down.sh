#!/usr/bin/env bash
# Stops the cluster that bench/cluster/up.sh started in DIR and removes its network namespaces and
# bridge. The data stays in DIR/data (delete DIR to start afresh).
# Usage: bench/cluster/down.sh DIR     (as root)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "cluster: run as root" >&2; exit 2; }
dir="$(cd "$1" && pwd)"
# the roles first (they close their clients cleanly), then the stores
for group in 'ingest-|results-|counter-' 'mongo' 'kafka-|redis-' 'controller-'; do
  names=$(ls "$dir/pids" 2>/dev/null | sed 's/\.pid$//' | grep -E "^($group)" || true)
  for name in $names; do
    pid=$(pid_of "$name")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -CONT "$pid" 2>/dev/null || true   # a paused process cannot act on SIGTERM
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for name in $names; do
    pid=$(pid_of "$name")
    for _ in $(seq 1 40); do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/pids/$name.pid"
  done
done
for ns in $(ip netns list | awk '{print $1}' | grep '^ovation-' || true); do
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  ip netns del "$ns"
done
ip link del "$BRIDGE" 2>/dev/null || true
iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || true
[ "$(cat "$OWNER" 2>/dev/null)" = "$dir" ] && rm -f "$OWNER"
progress "stopped; data kept in $dir/data"
