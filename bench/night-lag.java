// The consumer lag of the counters for bench/night.sh: every few seconds, the sum over the votes
// topic's partitions of the end offset minus the counter group's committed offset, appended to a file
// as "<epoch ms> <lag> <end offsets> <committed offsets>". One long-lived admin client instead of a
// kafka-consumer-groups.sh JVM per sample, which would cost the machine under test a second of CPU
// each time. Runs from source against the launcher jar:
//   java -cp ovation.jar bench/night-lag.java BOOTSTRAP GROUP TOPIC EVERY_MS OUT_FILE
// It stops when interrupted or killed; a failed read is reported on stderr and retried next time.

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

final class NightLag {

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: java -cp ovation.jar bench/night-lag.java BOOTSTRAP GROUP TOPIC EVERY_MS OUT_FILE");
            System.exit(2);
        }
        String group = args[1];
        String topic = args[2];
        long everyMs = Long.parseLong(args[3]);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ovation-night-lag");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props); PrintWriter out = new PrintWriter(new FileWriter(args[4], true), true)) {
            while (!Thread.currentThread().isInterrupted()) {
                long started = System.currentTimeMillis();
                try {
                    out.println(started + " " + lag(admin, group, topic));
                } catch (ExecutionException | TimeoutException e) {
                    System.err.println(started + " lag not read: " + e);
                }
                Thread.sleep(Math.max(0, everyMs - (System.currentTimeMillis() - started)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** "lag end committed" summed over the topic's partitions; a partition never committed counts from 0. */
    private static String lag(Admin admin, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(5, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartitionInfo p : partitions) {
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        long end = 0;
        long done = 0;
        for (var e : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
            end += e.getValue().offset();
            OffsetAndMetadata c = committed.get(e.getKey());
            done += c == null ? 0 : c.offset();
        }
        return (end - done) + " " + end + " " + done;
    }
}
