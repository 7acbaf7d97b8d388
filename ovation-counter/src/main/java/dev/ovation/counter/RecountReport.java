package dev.ovation.counter;

import java.util.List;
import java.util.Map;

/**
 * What a {@link Recount} found: the contest's tallies rebuilt from the votes topic, line by line
 * beside what Redis held at the snapshot, and the topic positions the snapshot was taken at.
 * Hand it to {@link Recount#repair} to rewrite Redis from the record.
 */
public final class RecountReport {

    private final String topic;
    private final Map<Integer, Long> positions;
    private final Map<Integer, Long> recordsRead;
    private final List<RecountLine> lines;
    private final TallyReplay replay;

    RecountReport(String topic, Map<Integer, Long> positions, Map<Integer, Long> recordsRead,
                  List<RecountLine> lines, TallyReplay replay) {
        this.topic = topic;
        this.positions = Map.copyOf(positions);
        this.recordsRead = Map.copyOf(recordsRead);
        this.lines = List.copyOf(lines);
        this.replay = replay;
    }

    /** The contest recounted. */
    public String contest() {
        return replay.contest();
    }

    /** The votes topic read. */
    public String topic() {
        return topic;
    }

    /** Partition to the next offset the counters had applied at the snapshot (absent: none). */
    public Map<Integer, Long> positions() {
        return positions;
    }

    /** Partition to the records read from it: those below its snapshot position. */
    public Map<Integer, Long> recordsRead() {
        return recordsRead;
    }

    /**
     * Every line, record beside Redis: total, duplicates, each band followed by its albums, each
     * rejection reason, then the counts of ids seen and of voters.
     */
    public List<RecountLine> lines() {
        return lines;
    }

    /** The lines where Redis and the record disagree, in the order of {@link #lines()}. */
    public List<RecountLine> differences() {
        return lines.stream().filter(RecountLine::differs).toList();
    }

    /** True when any line differs. */
    public boolean differs() {
        return lines.stream().anyMatch(RecountLine::differs);
    }

    /** Votes counted, as the record says. */
    public long total() {
        return replay.total();
    }

    /** Records skipped because they were not votes. */
    public long undecodable() {
        return replay.undecodable();
    }

    TallyReplay replay() {
        return replay;
    }
}
