package dev.ovation.counter;

import dev.ovation.store.TallyFields;

/**
 * One line of a recount: a tally field (see {@link TallyFields}), or a count of ids seen or of
 * voters, as the record of the votes says and as Redis holds it.
 *
 * @param field    the tally field, or {@link #IDS_SEEN} or {@link #VOTERS}
 * @param inRecord the value rebuilt from the topic
 * @param inRedis  the value Redis holds (0 when absent)
 */
public record RecountLine(String field, long inRecord, long inRedis) {

    /** The line of the vote ids decided: entries of {@code ovation:seen:<contest>}. */
    public static final String IDS_SEEN = "ids seen";
    /** The line of the voters with counted votes: entries of {@code ovation:voters:<contest>}. */
    public static final String VOTERS = "voters";

    /** {@code inRedis - inRecord}: positive when Redis holds more than the record says. */
    public long difference() {
        return inRedis - inRecord;
    }

    /** True when Redis and the record disagree. */
    public boolean differs() {
        return inRedis != inRecord;
    }

    /** The line for a reader, e.g. {@code band Queen} or {@code album Queen / Jazz}. */
    public String label() {
        return field.equals(IDS_SEEN) || field.equals(VOTERS) ? field : TallyFields.label(field);
    }
}
