package dev.ovation.results;

import dev.ovation.model.contest.Contest;
import dev.ovation.store.LogFilter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CSV exports of closed contests' vote logs, written once into gzip files and sent from there
 * to everyone who asks for the same export while it holds. A file holds for one {@link Version}: the
 * contest as defined, and how many entries its log held. A closed contest takes no new votes, but its
 * log may still grow: votes acknowledged before it closed and counted after (a counter behind, or
 * down, or replaying after a crash), so any entry counted since, or a change of the contest (opened
 * again, another closing time), makes the next export write a new file.
 *
 * <p>The files take at most {@code maxBytes} of disk; past it the least recently sent go. One
 * that is being sent when it goes is deleted once its last reader is done.
 */
final class ExportCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportCache.class);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Exports of different filters written at once, at most; the same filter is written once at a time. */
    private static final int STRIPES = 16;
    private static final String PREFIX = "export-";
    private static final String SUFFIX = ".csv.gz";

    /**
     * What an export shows: its file is the export for as long as both are the same.
     *
     * @param contest the contest as defined now
     * @param entries how many entries its log holds
     */
    record Version(Contest contest, long entries) {
    }

    /** Writes an export, uncompressed. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private final Path directory;
    private final boolean ownDirectory;
    private final long maxBytes;
    /** In access order: the least recently sent first. */
    private final Map<LogFilter, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Object[] stripes = new Object[STRIPES];
    private long bytes;
    private boolean closed;

    private ExportCache(Path directory, boolean ownDirectory, long maxBytes) {
        this.directory = directory;
        this.ownDirectory = ownDirectory;
        this.maxBytes = maxBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * A cache in {@code directory}, where the files an earlier run left are deleted first, or in a
     * new directory under the JVM's temporary directory that is deleted at {@link #close()} when null.
     */
    static ExportCache open(Path directory, long maxBytes) {
        try {
            if (directory == null) {
                return new ExportCache(Files.createTempDirectory("ovation-exports-"), true, maxBytes);
            }
            // nothing says what an earlier run's files were written for: a stopped process keeps no index
            try (DirectoryStream<Path> left = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
                for (Path file : left) {
                    Files.deleteIfExists(file);
                }
            }
            return new ExportCache(directory, false, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the exports' cache directory: " + e.getMessage(), e);
        }
    }

    /**
     * The export of {@code filter} as of {@code version}: the file written for that version, or
     * one written now with {@code writer}. The new file is kept for the next requests when the
     * version still holds after writing ({@code current}), that is when no entry was counted
     * meanwhile, and it fits; otherwise it is deleted once read. Two requests for the same export
     * write it once: the second waits for the first.
     *
     * @return the file to send, to close once sent
     */
    Lease export(LogFilter filter, Version version, Supplier<Version> current, Writer writer) throws IOException {
        synchronized (stripes[Math.floorMod(filter.hashCode(), STRIPES)]) {
            synchronized (this) {
                Entry cached = entries.get(filter);
                if (cached != null && cached.version.equals(version)) {
                    cached.readers++;
                    return new Lease(cached, true);
                }
            }
            Path file = Files.createTempFile(directory, PREFIX, SUFFIX);
            try {
                try (OutputStream out = new FastGzip(Files.newOutputStream(file))) {
                    writer.write(out);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            Entry written = new Entry(file, version, Files.size(file));
            boolean keep = version.equals(current.get());
            synchronized (this) {
                written.readers = 1;
                if (keep && !closed && written.bytes <= maxBytes) {
                    drop(entries.put(filter, written));
                    bytes += written.bytes;
                    evictBeyond(maxBytes, written);
                    LOG.info("kept the export of contest '{}' ({} entries{}) for the next requests: {} bytes gzipped",
                            filter.contest(), version.entries(), filter.narrows() ? ", filtered" : "", written.bytes);
                } else {
                    written.dropped = true;
                }
            }
            return new Lease(written, false);
        }
    }

    /** Bytes of files kept now. */
    synchronized long bytes() {
        return bytes;
    }

    private void evictBeyond(long limit, Entry keep) {
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (bytes > limit && oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next();
            if (entry != keep) {
                oldestFirst.remove();
                drop(entry);
            }
        }
    }

    /** Takes an entry out of the cache's count; its file goes when nobody reads it. */
    private void drop(Entry entry) {
        if (entry == null) {
            return;
        }
        bytes -= entry.bytes;
        entry.dropped = true;
        deleteIfUnread(entry);
    }

    private static void deleteIfUnread(Entry entry) {
        if (entry.dropped && entry.readers == 0) {
            try {
                Files.deleteIfExists(entry.file);
            } catch (IOException e) {
                LOG.warn("could not delete the export file {}: {}", entry.file, e.toString());
            }
        }
    }

    private synchronized void release(Entry entry) {
        entry.readers--;
        deleteIfUnread(entry);
    }

    /** Deletes every file nobody reads (the others go as their readers finish), and the directory if its own. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            List<Entry> all = new ArrayList<>(entries.values());
            entries.clear();
            all.forEach(this::drop);
        }
        if (ownDirectory) {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                LOG.warn("could not delete the exports' cache directory {}: {}", directory, e.toString());
            }
        }
    }

    private static final class Entry {
        final Path file;
        final Version version;
        final long bytes;
        int readers;
        boolean dropped;

        Entry(Path file, Version version, long bytes) {
            this.file = file;
            this.version = version;
            this.bytes = bytes;
        }
    }

    /** A file to send: gzip of the CSV. Closing it says it was sent. */
    final class Lease implements AutoCloseable {

        private final Entry entry;
        private final boolean hit;
        private boolean released;

        private Lease(Entry entry, boolean hit) {
            this.entry = entry;
            this.hit = hit;
        }

        /** The gzip file. */
        Path file() {
            return entry.file;
        }

        /** Its size in bytes. */
        long size() {
            return entry.bytes;
        }

        /** True when the file was written for an earlier request. */
        boolean hit() {
            return hit;
        }

        @Override
        public void close() {
            synchronized (ExportCache.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(entry);
        }
    }

    /** gzip at its fastest level: written once, the file is small enough, and compressing costs little CPU. */
    private static final class FastGzip extends GZIPOutputStream {

        FastGzip(OutputStream out) throws IOException {
            super(new BufferedOutputStream(out, BUFFER_BYTES), BUFFER_BYTES);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
