# Shared by bench/cluster/*.sh: the network of namespaces and the processes in it.
# Every process <name> lives in the network namespace ovation-<name>, joined to the bridge ovation0
# by a veth pair (host side ov-<name>) with the address $SUBNET.<n>; the bridge itself is
# $SUBNET.1, the address the clients and the nemesis use from the host's namespace.

SUBNET=${OVATION_CLUSTER_SUBNET:-10.77.0}
BRIDGE=ovation0

progress() { echo "cluster: $(date -u +%T) $*" >&2; }

require_root_and_tools() {
  [ "$(id -u)" = 0 ] || { echo "cluster: run as root (network namespaces, veth, iptables)" >&2; exit 2; }
  local missing=""
  for tool in ip iptables redis-cli curl java python3; do
    command -v "$tool" >/dev/null || missing="$missing $tool"
  done
  [ -z "$missing" ] || { echo "cluster: missing:$missing (Debian: iproute2 iptables redis-tools curl)" >&2; exit 2; }
}

# The address of a process, from its name.
ip_of() {
  local name=$1 n
  case $name in
    kafka-*) n=$((10 + ${name#kafka-})) ;;
    redis-*) n=$((20 + ${name#redis-})) ;;
    mongo) n=30 ;;
    ingest-*) n=$((40 + ${name#ingest-})) ;;
    counter-*) n=$((50 + ${name#counter-})) ;;
    results-*) n=$((60 + ${name#results-})) ;;
    controller-*) n=$((70 + ${name#controller-})) ;;
    *) echo "cluster: no address for $name" >&2; return 1 ;;
  esac
  echo "$SUBNET.$n"
}

ns_of() { echo "ovation-$1"; }

# One cluster a machine: its namespaces, bridge and addresses are fixed. The running one's DIR is here.
OWNER=/run/ovation-cluster

bridge_up() {
  if ip link show "$BRIDGE" >/dev/null 2>&1 && [ -f "$OWNER" ] && [ "$(cat "$OWNER")" != "$dir" ]; then
    echo "cluster: another cluster runs from $(cat "$OWNER"); stop it first: bench/cluster/down.sh $(cat "$OWNER")" >&2
    exit 1
  fi
  echo "$dir" >"$OWNER"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  # where br_netfilter is loaded (Docker loads it), bridged frames meet the host's FORWARD chain
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null \
    || iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
}

ensure_ns() {
  local name=$1 ns veth
  ns=$(ns_of "$name") veth="ov-$name"
  if ! ip netns list | grep -qx "$ns\( (id: [0-9]*)\)\?"; then
    ip netns add "$ns"
  fi
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" master "$BRIDGE" up
    ip -n "$ns" addr add "$(ip_of "$name")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add default via "$SUBNET.1"
  fi
}

pid_of() { cat "$dir/pids/$1.pid" 2>/dev/null || true; }

is_running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]
}

# start_process NAME HOST:PORT COMMAND...: runs COMMAND in NAME's namespace unless it runs already.
start_process() {
  local name=$1 addr=$2
  shift 2
  if is_running "$name"; then
    return 0
  fi
  ensure_ns "$name"
  progress "starting $name on $addr"
  echo "--- started $(date -u +%FT%TZ)" >>"$dir/logs/$name.log"
  # setsid: its own session, so a Ctrl-C in the terminal that ran up.sh does not reach it; the pid
  # stays the same through setsid and ip netns exec (both exec)
  setsid ip netns exec "$(ns_of "$name")" "$@" </dev/null >>"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/pids/$name.pid"
  ns_of "$name" >"$dir/netns/$name"
  echo "$addr" >"$dir/addr/$name"
}

await_port() {
  local name=$1 seconds=$2 addr deadline
  addr=$(cat "$dir/addr/$name")
  deadline=$(($(date +%s) + seconds))
  until (exec 3<>"/dev/tcp/${addr%:*}/${addr#*:}") 2>/dev/null; do
    is_running "$name" || { echo "cluster: $name exited; its log:" >&2; tail -n 30 "$dir/logs/$name.log" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "cluster: $name does not listen on $addr after ${seconds}s" >&2; exit 1; }
    sleep 0.5
  done
}

await_ready() {
  local name=$1 seconds=$2 addr deadline answer
  addr=$(cat "$dir/addr/$name")
  deadline=$(($(date +%s) + seconds))
  until answer=$(curl -sf -m 2 "http://$addr/health/ready" 2>/dev/null); do
    is_running "$name" || { echo "cluster: $name exited; its log:" >&2; tail -n 30 "$dir/logs/$name.log" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || {
      echo "cluster: $name not ready after ${seconds}s: $(curl -s -m 2 "http://$addr/health/ready")" >&2; exit 1; }
    sleep 1
  done
  progress "$name ready"
}

await_redis_cluster() {
  local seconds=$1 deadline n
  deadline=$(($(date +%s) + seconds))
  for n in 1 2 3 4 5 6; do
    until redis-cli -h "$(ip_of redis-$n)" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "cluster: redis-$n: cluster_state not ok after ${seconds}s" >&2; exit 1; }
      sleep 0.5
    done
  done
}

# The redis-server to run: OVATION_REDIS_SERVER, else the one packed in ovation.jar (Redis 6.2, as
# the standalone runs), extracted once into DIR/bin.
redis_binary() {
  local jar=$1 entry
  if [ -n "${OVATION_REDIS_SERVER:-}" ]; then
    echo "$OVATION_REDIS_SERVER"
    return
  fi
  case $(uname -m) in
    x86_64) entry=redis-server-6.2.6-v5-linux-amd64 ;;
    aarch64) entry=redis-server-6.2.7-linux-arm64 ;;
    *) echo "cluster: no bundled redis-server for $(uname -m); set OVATION_REDIS_SERVER" >&2; exit 2 ;;
  esac
  if [ ! -x "$dir/bin/redis-server" ]; then
    mkdir -p "$dir/bin"
    python3 -c 'import sys,zipfile; open(sys.argv[3],"wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
        "$jar" "$entry" "$dir/bin/redis-server"
    chmod +x "$dir/bin/redis-server"
  fi
  echo "$dir/bin/redis-server"
}
