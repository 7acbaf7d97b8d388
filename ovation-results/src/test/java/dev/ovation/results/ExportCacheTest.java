package dev.ovation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.contest.Contest;
import dev.ovation.store.LogFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closed contests' exports kept on disk: written once per version, sent from there, bounded. */
class ExportCacheTest {

    private static final Contest FINALS = new Contest("finals", "Finals", Map.of(), null,
            Instant.parse("2026-12-01T22:00:00Z"), Contest.SCHEDULED, 0, null);
    private static final LogFilter ALL = LogFilter.of("finals");

    @TempDir
    Path dir;

    private final AtomicInteger written = new AtomicInteger();
    private ExportCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void shouldWriteAnExportOnceAndSendTheSameBytesWhileItsVersionHolds() throws Exception {
        cache = ExportCache.open(dir, 1 << 20);
        ExportCache.Version version = new ExportCache.Version(FINALS, 1_000);

        String first;
        try (ExportCache.Lease lease = cache.export(ALL, version, () -> version, csv("a,b\n1,2\n"))) {
            assertThat(lease.hit()).isFalse();
            first = read(lease);
        }
        try (ExportCache.Lease lease = cache.export(ALL, version, () -> version, csv("never,written\n"))) {
            assertThat(lease.hit()).isTrue();
            assertThat(read(lease)).isEqualTo(first).isEqualTo("a,b\n1,2\n");
        }
        assertThat(written).hasValue(1);
        assertThat(files()).hasSize(1);
    }

    @Test
    void shouldWriteAgainOnceAnEntryWasCountedOrTheContestChanged() throws Exception {
        cache = ExportCache.open(dir, 1 << 20);
        ExportCache.Version before = new ExportCache.Version(FINALS, 1_000);
        try (ExportCache.Lease lease = cache.export(ALL, before, () -> before, csv("old\n"))) {
            assertThat(read(lease)).isEqualTo("old\n");
        }

        // a late vote, acknowledged before closing, counted after
        ExportCache.Version late = new ExportCache.Version(FINALS, 1_001);
        try (ExportCache.Lease lease = cache.export(ALL, late, () -> late, csv("late\n"))) {
            assertThat(lease.hit()).isFalse();
            assertThat(read(lease)).isEqualTo("late\n");
        }
        // the contest opened again by hand, with the same log
        ExportCache.Version reopened = new ExportCache.Version(FINALS.withState(Contest.OPEN), 1_001);
        try (ExportCache.Lease lease = cache.export(ALL, reopened, () -> reopened, csv("reopened\n"))) {
            assertThat(lease.hit()).isFalse();
        }
        assertThat(written).hasValue(3);
        assertThat(files()).as("each replaced file is deleted").hasSize(1);
    }

    @Test
    void shouldNotKeepAnExportDuringWhichTheLogGrew() throws Exception {
        cache = ExportCache.open(dir, 1 << 20);
        ExportCache.Version before = new ExportCache.Version(FINALS, 1_000);
        ExportCache.Version after = new ExportCache.Version(FINALS, 1_002);

        try (ExportCache.Lease lease = cache.export(ALL, before, () -> after, csv("moving\n"))) {
            assertThat(read(lease)).isEqualTo("moving\n");
            assertThat(files()).hasSize(1);
        }

        assertThat(files()).as("sent once, then deleted").isEmpty();
        try (ExportCache.Lease lease = cache.export(ALL, before, () -> before, csv("again\n"))) {
            assertThat(lease.hit()).isFalse();
        }
        assertThat(cache.bytes()).isPositive();
    }

    @Test
    void shouldDropTheLeastRecentlySentPastItsBoundButOnlyOnceNobodyReadsIt() throws Exception {
        // Given a bound that holds about one export (random text compresses badly)
        String big = randomCsv(60_000);
        cache = ExportCache.open(dir, 70_000);
        ExportCache.Version version = new ExportCache.Version(FINALS, 10);
        LogFilter queen = new LogFilter("finals", "Queen", null);
        ExportCache.Lease stillSending = cache.export(ALL, version, () -> version, csv(big));

        // When another export is kept while the first is still being sent
        try (ExportCache.Lease other = cache.export(queen, version, () -> version, csv(big))) {
            assertThat(read(other)).isEqualTo(big);
        }

        // Then the first left the cache but its file stays readable until its reader is done
        assertThat(read(stillSending)).isEqualTo(big);
        assertThat(files()).hasSize(2);
        stillSending.close();
        assertThat(files()).hasSize(1);
        assertThat(cache.bytes()).isLessThanOrEqualTo(70_000);
        try (ExportCache.Lease again = cache.export(ALL, version, () -> version, csv(big))) {
            assertThat(again.hit()).isFalse();
        }
        try (ExportCache.Lease sentAgain = cache.export(ALL, version, () -> version, csv(big))) {
            assertThat(sentAgain.hit()).isTrue();
        }
    }

    @Test
    void shouldNotKeepAnExportLargerThanTheWholeBound() throws Exception {
        cache = ExportCache.open(dir, 100);
        ExportCache.Version version = new ExportCache.Version(FINALS, 10);

        try (ExportCache.Lease lease = cache.export(ALL, version, () -> version, csv(randomCsv(10_000)))) {
            assertThat(lease.size()).isGreaterThan(100);
        }

        assertThat(files()).isEmpty();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void shouldLeaveNoFileWhenWritingFails() throws Exception {
        cache = ExportCache.open(dir, 1 << 20);
        ExportCache.Version version = new ExportCache.Version(FINALS, 10);

        assertThatThrownBy(() -> cache.export(ALL, version, () -> version, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("the log did not answer");
        })).hasMessage("the log did not answer");

        assertThat(files()).isEmpty();
    }

    @Test
    void shouldDeleteTheFilesAnEarlierRunLeftInItsDirectory() throws Exception {
        Path left = Files.writeString(dir.resolve("export-123.csv.gz"), "an earlier run's");
        Path other = Files.writeString(dir.resolve("notes.txt"), "not the cache's");

        cache = ExportCache.open(dir, 1 << 20);

        assertThat(left).doesNotExist();
        assertThat(other).exists();
    }

    @Test
    void shouldDeleteItsOwnDirectoryWhenClosed() throws Exception {
        ExportCache own = ExportCache.open(null, 1 << 20);
        ExportCache.Version version = new ExportCache.Version(FINALS, 10);
        Path file;
        try (ExportCache.Lease lease = own.export(ALL, version, () -> version, csv("x\n"))) {
            file = lease.file();
        }

        own.close();

        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }

    private ExportCache.Writer csv(String text) {
        return out -> {
            written.incrementAndGet();
            out.write(text.getBytes(StandardCharsets.UTF_8));
        };
    }

    private static String read(ExportCache.Lease lease) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(lease.file()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.toList();
        }
    }

    private static String randomCsv(int length) {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append(Long.toString(random.nextLong(), 36)).append(random.nextInt(4) == 0 ? '\n' : ',');
        }
        return text.toString();
    }
}
