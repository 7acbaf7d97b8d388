package dev.ovation.results;

import dev.ovation.store.LogEntry;
import java.time.Instant;

/**
 * One vote of the log as the public API shows it: the log entry with its voter masked. A voter is
 * stored only as a pseudonym ({@code v1:} and 22 characters), but the whole pseudonym would still
 * let anyone follow one voter's votes through the night; four of its characters tell two voters
 * apart at a glance without that.
 *
 * @param voter the masked pseudonym ({@code "Qx3k…"}), or null for a vote without a voter
 */
public record LoggedVote(String id, String contest, String band, String album, String year, String rank,
                         String voter, String protocol, Instant receivedAt, Instant countedAt, String status,
                         String reason, int partition, long offset) {

    /** Characters of the pseudonym shown. */
    static final int SHOWN = 4;

    static LoggedVote of(LogEntry e) {
        return new LoggedVote(e.id(), e.contest(), e.band(), e.album(), e.year(), e.rank(), mask(e.voter()),
                e.protocol(), e.receivedAt(), e.countedAt(), e.status(), e.reason(), e.partition(), e.offset());
    }

    /** The first {@value #SHOWN} characters of a pseudonym (without its {@code v1:}) and an ellipsis. */
    static String mask(String voter) {
        if (voter == null || voter.isEmpty()) {
            return null;
        }
        String pseudonym = voter.startsWith("v1:") ? voter.substring(3) : voter;
        return pseudonym.substring(0, Math.min(SHOWN, pseudonym.length())) + "\u2026";
    }

    /** The key that tells log entries apart: where the vote was read in the topic. */
    String position() {
        return partition + "@" + offset;
    }
}
