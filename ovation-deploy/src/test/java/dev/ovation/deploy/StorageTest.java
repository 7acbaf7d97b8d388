package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the stores keep and where: the votes topic, Ovation's record of every vote, loses none for its age
 * and never fills the brokers' volumes; MongoDB and Redis are backed up every night in production, and the
 * guide says how to restore each.
 */
class StorageTest {

    /** The most of a broker's volume the votes topic may take: the rest is for the other topics and for headroom. */
    static final BigDecimal VOTES_SHARE = new BigDecimal("0.80");

    static List<String> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldKeepEveryVoteRegardlessOfAgeAndBoundTheTopicBelowTheBrokersVolume(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        KafkaTopic votes = manifests.find(KafkaTopic.class, "ovation", "votes").orElseThrow();
        List<KafkaNodePool> brokerPools = KafkaNodes.brokerPools(manifests);
        Map<String, Object> config = votes.getSpec().getConfig();

        assertThat(config).as("the votes topic's config").containsKeys("retention.bytes", "segment.bytes");
        long retentionBytes = ((Number) config.get("retention.bytes")).longValue();
        long segmentBytes = ((Number) config.get("segment.bytes")).longValue();
        int brokers = brokerPools.stream().mapToInt(pool -> pool.getSpec().getReplicas()).sum();
        // each broker holds this many of the topic's partition replicas
        int partitionsPerBroker = (votes.getSpec().getPartitions() * votes.getSpec().getReplicas() + brokers - 1) / brokers;
        // a partition keeps retention.bytes of closed segments, and its open segment beside them
        BigDecimal most = BigDecimal.valueOf(partitionsPerBroker).multiply(BigDecimal.valueOf(retentionBytes + segmentBytes));

        assertThat(config).containsEntry("retention.ms", -1);
        assertThat(retentionBytes).isPositive();
        assertThat(segmentBytes).isPositive().isLessThan(retentionBytes);
        assertThat(brokerPools).as("the pools of brokers").extracting(pool -> pool.getMetadata().getName()).containsExactly("brokers");
        for (KafkaNodePool pool : brokerPools) {
            PersistentClaimStorage volume = (PersistentClaimStorage) ((JbodStorage) pool.getSpec().getStorage()).getVolumes().get(0);
            BigDecimal size = new Quantity(volume.getSize()).getNumericalAmount();
            assertThat(most).as("the most the votes topic takes of the %s volume of a broker of the pool %s", volume.getSize(),
                            pool.getMetadata().getName())
                    .isLessThanOrEqualTo(size.multiply(VOTES_SHARE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldBackUpMongoDbAndRedisEveryNightInProductionOnVolumesOfTheirOwn(String overlay) {
        Manifests manifests = Kustomize.overlay(overlay);
        Map<String, String> backups = new TreeMap<>();
        for (CronJob cronJob : manifests.all(CronJob.class)) {
            var pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            String claim = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst()
                    .map(Volume::getPersistentVolumeClaim).orElseThrow().getClaimName();
            assertThat(manifests.find(PersistentVolumeClaim.class, "ovation", claim)).as("PVC %s", claim).isPresent();
            assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            backups.put(cronJob.getMetadata().getName(), claim + " " + pod.getContainers().get(0).getCommand());
        }

        if (overlay.equals("dev")) {
            assertThat(backups).isEmpty();
            return;
        }
        assertThat(backups).isEqualTo(Map.of(
                "mongodb-backup", "mongodb-backups [bash, /scripts/mongodb-backup.sh]",
                "redis-backup", "redis-backups [sh, /scripts/redis-backup.sh]"));
        Map<String, String> scripts = manifests.find(ConfigMap.class, "ovation", "backup-scripts").orElseThrow().getData();
        // one point in time of the replica set, from a secondary; an RDB of every master (or of the one server)
        assertThat(scripts.get("mongodb-backup.sh")).contains("mongodump ", "--oplog", "readPreference=secondaryPreferred",
                "--username=backup");
        assertThat(scripts.get("redis-backup.sh")).contains("cluster nodes", "--rdb ");
        // the init Job gives mongodump its user, with the role backup only
        Job init = manifests.find(Job.class, "ovation", "mongodb-init").orElseThrow();
        assertThat(Env.of(init.getSpec().getTemplate().getSpec().getContainers().get(0))).containsKey("MONGO_BACKUP_PASSWORD");
        assertThat(manifests.find(ConfigMap.class, "ovation", "mongodb-init").orElseThrow().getData().get("init.sh"))
                .contains("roles: [{role: 'backup', db: 'admin'}]");
    }

    @Test
    void shouldTellHowToRestoreEachBackup() {
        String guide = Repository.read("docs/kubernetes.md");
        assertThat(guide).contains("## 9. Backups and restore");
        String restore = guide.substring(guide.indexOf("## 9. Backups and restore"));

        assertThat(restore).contains("mongorestore", "--oplogReplay", "--archive=", "redis-cli --cluster import",
                "MIGRATE", "recount");
    }
}
