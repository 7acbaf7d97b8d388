package dev.ovation.counter;

/**
 * What counting did with one vote.
 *
 * @param firstCount     true when the record is the one that counted this vote id (now or in a
 *                       replay); false for another record carrying an id already counted
 * @param countedAtMillis when the vote id was first counted
 */
public record CountOutcome(boolean firstCount, long countedAtMillis) {

    /**
     * Reads the script's answer for one vote: {@code new}, or {@code countedAt:partition:offset}.
     */
    static CountOutcome parse(String answer, long now, int partition, long offset) {
        if ("new".equals(answer) || "lost".equals(answer)) {
            return new CountOutcome(true, now);
        }
        String[] parts = answer.split(":", 3);
        long countedAt = Long.parseLong(parts[0]);
        boolean sameRecord = Integer.parseInt(parts[1]) == partition && Long.parseLong(parts[2]) == offset;
        return new CountOutcome(sameRecord, countedAt);
    }
}
