#!/usr/bin/env bash
# Starts Ovation as a cluster of real processes on this machine, each in a network namespace of its
# own on one bridge, so that a process can be killed, paused or cut off (iptables) like a machine:
#   kafka-1..3     Kafka 4 brokers, replication 3, min.insync.replicas 2; also the KRaft controllers
#                  (combined mode) unless CONTROLLERS=3 gives the quorum processes of its own:
#   controller-1..3  KRaft controllers only (CONTROLLERS=3; node ids 101..103), as a Strimzi node pool
#                  with the controller role alone
#   redis-1..6     a Redis Cluster of three masters and three replicas (redis-cli --cluster create)
#   mongo          the MongoDB-wire server (the vote log; a MongoDB replica set cannot run here)
#   ingest-1..N    ./ovation ingest     (INGESTS, default 2)
#   counter-1..N   ./ovation counter    (COUNTERS, default 3; up to 5)
#   results-1..N   ./ovation results    (RESULTS, default 2)
# Usage: bench/cluster/up.sh DIR     (as root; docs/cluster.md)
# Writes DIR/cluster.env and, per process, DIR/pids/<name>.pid, DIR/netns/<name>, DIR/addr/<name>;
# logs in DIR/logs/<name>.log, data in DIR/data/<name>. Run again on the same DIR, it starts what is
# not running (a killed broker comes back with its data) and leaves the rest alone.
# Needs: root, ip (iproute2), iptables, redis-cli (Debian: redis-tools), Java 17+.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/lib.sh"

[ $# -ge 1 ] || { echo "usage: $0 DIR   (starts the cluster, or what of it is not running)" >&2; exit 2; }
require_root_and_tools
dir="$(mkdir -p "$1" && cd "$1" && pwd)"
mkdir -p "$dir"/{pids,netns,addr,logs,data,conf}
echo "$dir" >"$dir/.cluster-dir"

# settings of the first run are kept, so that running up.sh again (as the nemesis does) starts the same
# cluster; a variable given again overrides it (COUNTERS=5 bench/cluster/up.sh DIR scales the counters out)
[ -f "$dir/settings" ] && source "$dir/settings"
INGESTS=${INGESTS:-2}
COUNTERS=${COUNTERS:-3}
RESULTS=${RESULTS:-2}
PARTITIONS=${PARTITIONS:-12}
# 0: the brokers are the KRaft controllers too; 3: three controller-only processes. Fixed at the first
# run (a quorum cannot change its kind under the same data).
CONTROLLERS=${CONTROLLERS:-0}
case $CONTROLLERS in 0|3) ;; *) echo "cluster: CONTROLLERS is 0 (combined) or 3, not $CONTROLLERS" >&2; exit 2 ;; esac
KAFKA_HEAP=${KAFKA_HEAP:-384m}
ROLE_JAVA_OPTS=${ROLE_JAVA_OPTS:--XX:+UseSerialGC -Xmx384m -XX:TieredStopAtLevel=1}
ROLE_WARMUP_SECONDS=${ROLE_WARMUP_SECONDS:-0}
ADMIN_TOKEN=${ADMIN_TOKEN:-cluster-admin-token}

cat >"$dir/settings" <<EOF
INGESTS=\${INGESTS:-$INGESTS}
COUNTERS=\${COUNTERS:-$COUNTERS}
RESULTS=\${RESULTS:-$RESULTS}
PARTITIONS=\${PARTITIONS:-$PARTITIONS}
CONTROLLERS=$CONTROLLERS
ROLE_WARMUP_SECONDS=\${ROLE_WARMUP_SECONDS:-$ROLE_WARMUP_SECONDS}
EOF
echo "$here/up.sh" >"$dir/up-script"

built="$root/ovation-launcher/target/ovation.jar"
if [ ! -f "$built" ]; then
  progress "building $built"
  (cd "$root" && ./mvnw -B -ntp -q -DskipTests -Dmaven.test.skip=true package -pl ovation-launcher -am)
fi
# Every process runs a copy made at the first start: a JVM loads classes from its jar as it goes, so a
# rebuild under a running cluster would break it (NoClassDefFoundError), and a process started again
# by the nemesis must be the same version as the rest. Delete DIR/bin/ovation.jar to take a new build.
jar="$dir/bin/ovation.jar"
if [ ! -f "$jar" ]; then
  mkdir -p "$dir/bin"
  cp "$built" "$jar.tmp" && mv "$jar.tmp" "$jar"
fi

bridge_up
kafka_voters=""
if [ "$CONTROLLERS" = 0 ]; then
  for n in 1 2 3; do kafka_voters="${kafka_voters:+$kafka_voters,}$n@$(ip_of kafka-$n):9093"; done
else
  for n in 1 2 3; do kafka_voters="${kafka_voters:+$kafka_voters,}$((100 + n))@$(ip_of controller-$n):9093"; done
fi
kafka_bootstrap="$(ip_of kafka-1):9092,$(ip_of kafka-2):9092,$(ip_of kafka-3):9092"
redis_seeds="redis://$(ip_of redis-1):6379,redis://$(ip_of redis-2):6379,redis://$(ip_of redis-3):6379"
mongo_uri="mongodb://$(ip_of mongo):27017"

# --- Kafka ---------------------------------------------------------------------------------------
if [ ! -f "$dir/data/kafka-cluster-id" ]; then
  # a base64 UUID as kafka-storage random-uuid prints it, made from the kernel's random UUID
  python3 -c 'import uuid,base64; print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))' \
      >"$dir/data/kafka-cluster-id"
fi

# kafka_node NAME NODE_ID ROLES PORT: writes NAME's configuration, formats its storage once, starts it
kafka_node() {
  local name=$1 id=$2 roles=$3 port=$4 ip conf listeners advertised
  ip=$(ip_of "$name")
  conf="$dir/conf/$name.properties"
  case $roles in
    controller) listeners="CONTROLLER://$ip:9093" advertised="" ;;
    broker) listeners="PLAINTEXT://$ip:9092" advertised="advertised.listeners=PLAINTEXT://$ip:9092" ;;
    *) listeners="PLAINTEXT://$ip:9092,CONTROLLER://$ip:9093" advertised="advertised.listeners=PLAINTEXT://$ip:9092" ;;
  esac
  cat >"$conf" <<EOF
# Written by bench/cluster/up.sh: process.roles=$roles.
process.roles=$roles
node.id=$id
controller.quorum.voters=$kafka_voters
listeners=$listeners
$advertised
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data/$name
num.partitions=$PARTITIONS
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
auto.create.topics.enable=false
log.retention.ms=-1
group.initial.rebalance.delay.ms=0
# How fast a lost broker is fenced and its partitions move (docs/reliability.md): the controller
# fences a broker that has not heartbeated for broker.session.timeout.ms (Kafka's default 9000).
broker.heartbeat.interval.ms=${KAFKA_HEARTBEAT_MS:-500}
broker.session.timeout.ms=${KAFKA_SESSION_MS:-2500}
replica.lag.time.max.ms=${KAFKA_REPLICA_LAG_MS:-5000}
# When the active controller itself is lost, the others notice after the fetch timeout (Kafka's
# default 2000) and elect one (1000); the new one then waits a session timeout before fencing a
# broker lost with it. Both can be set through Strimzi's spec.kafka.config.
controller.quorum.fetch.timeout.ms=${KAFKA_QUORUM_FETCH_MS:-1000}
controller.quorum.election.timeout.ms=${KAFKA_ELECTION_MS:-500}
EOF
  if [ ! -f "$dir/data/$name/meta.properties" ]; then
    java -cp "$jar" kafka.tools.StorageTool format --config "$conf" \
        --cluster-id "$(cat "$dir/data/kafka-cluster-id")" --ignore-formatted >"$dir/logs/$name.format.log" 2>&1 \
      || { cat "$dir/logs/$name.format.log" >&2; exit 1; }
  fi
  start_process "$name" "$ip:$port" env KAFKA_HEAP_OPTS= java -Xmx"$KAFKA_HEAP" -Xms"$KAFKA_HEAP" -XX:+UseG1GC \
      -cp "$jar" kafka.Kafka "$conf"
}
kafka_nodes="kafka-1 kafka-2 kafka-3"
if [ "$CONTROLLERS" = 0 ]; then
  for n in 1 2 3; do kafka_node kafka-$n $n broker,controller 9092; done
else
  for n in 1 2 3; do KAFKA_HEAP=${CONTROLLER_HEAP:-256m} kafka_node controller-$n $((100 + n)) controller 9093; done
  for n in 1 2 3; do kafka_node kafka-$n $n broker 9092; done
  kafka_nodes="controller-1 controller-2 controller-3 $kafka_nodes"
fi

# --- Redis Cluster -------------------------------------------------------------------------------
redis_server="$(redis_binary "$jar")"
for n in 1 2 3 4 5 6; do
  name=redis-$n
  ip=$(ip_of $name)
  mkdir -p "$dir/data/$name"
  cat >"$dir/conf/$name.conf" <<EOF
# Written by bench/cluster/up.sh: the settings of deploy/k8s/components/redis-cluster.
bind $ip
port 6379
dir $dir/data/$name
appendonly yes
appendfsync everysec
save ""
maxmemory 512mb
maxmemory-policy noeviction
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout ${REDIS_NODE_TIMEOUT_MS:-5000}
cluster-require-full-coverage yes
protected-mode no
EOF
  start_process "$name" "$ip:6379" "$redis_server" "$dir/conf/$name.conf"
done
for name in $kafka_nodes redis-1 redis-2 redis-3 redis-4 redis-5 redis-6; do
  await_port "$name" 90
done
if [ ! -f "$dir/data/redis-formed" ]; then
  progress "forming the Redis Cluster: 3 masters, 3 replicas"
  nodes=""
  for n in 1 2 3 4 5 6; do nodes="$nodes $(ip_of redis-$n):6379"; done
  # shellcheck disable=SC2086
  redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes >"$dir/logs/redis-cluster-create.log" 2>&1 \
    || { cat "$dir/logs/redis-cluster-create.log" >&2; exit 1; }
  touch "$dir/data/redis-formed"
fi
await_redis_cluster 60

# --- the vote log --------------------------------------------------------------------------------
start_process mongo "$(ip_of mongo):27017" java -XX:+UseSerialGC -Xmx256m -jar "$jar" infra --only mongo \
    --expose-infra "$(ip_of mongo)" --mongo-port 27017 --data-dir "$dir/data/mongo"

# --- Ovation's roles -----------------------------------------------------------------------------
role_env=(OVATION_KAFKA="$kafka_bootstrap" OVATION_REDIS="$redis_seeds" OVATION_MONGO="$mongo_uri"
  OVATION_TOPIC_PARTITIONS="$PARTITIONS" OVATION_WARMUP_SECONDS="$ROLE_WARMUP_SECONDS"
  OVATION_ADMIN_TOKEN="$ADMIN_TOKEN" OVATION_ADMIN_PLAINTEXT=true OVATION_VOTER_SALT=cluster-salt
  OVATION_RATE_LIMIT_EXEMPT="$SUBNET.0/24")
await_port mongo 60
ingest_http="" ingest_grpc="" ingest_management="" results_urls="" roles=""
for n in $(seq 1 "$INGESTS"); do
  name=ingest-$n ip=$(ip_of ingest-$n)
  start_process "$name" "$ip:8080" env "${role_env[@]}" OVATION_HOST="$ip" java $ROLE_JAVA_OPTS -jar "$jar" ingest
  roles="$roles $name"
  ingest_http="${ingest_http:+$ingest_http,}http://$ip:8080" ingest_grpc="${ingest_grpc:+$ingest_grpc,}$ip:50051"
  ingest_management="${ingest_management:+$ingest_management,}http://$ip:8081"
done
for n in $(seq 1 "$COUNTERS"); do
  name=counter-$n ip=$(ip_of counter-$n)
  start_process "$name" "$ip:8090" env "${role_env[@]}" OVATION_HOST="$ip" java $ROLE_JAVA_OPTS -jar "$jar" counter
  roles="$roles $name"
done
for n in $(seq 1 "$RESULTS"); do
  name=results-$n ip=$(ip_of results-$n)
  start_process "$name" "$ip:8088" env "${role_env[@]}" OVATION_HOST="$ip" java $ROLE_JAVA_OPTS -jar "$jar" results
  roles="$roles $name"
  results_urls="${results_urls:+$results_urls,}http://$ip:8088"
done

cat >"$dir/cluster.env" <<EOF
# Written by bench/cluster/up.sh; shell KEY=value lines (docs/cluster.md).
KAFKA=$kafka_bootstrap
REDIS=$redis_seeds
MONGO=$mongo_uri
INGEST_HTTP=$ingest_http
INGEST_GRPC=$ingest_grpc
INGEST_MANAGEMENT=$ingest_management
RESULTS=$results_urls
ADMIN_TOKEN=$ADMIN_TOKEN
EOF
for name in $roles; do
  await_ready "$name" "${READY_SECONDS:-240}"
done
progress "the cluster is up: $dir/cluster.env"
cat "$dir/cluster.env"
