package dev.ovation.loadgen;

/**
 * The end-to-end check of a run: did the results count every acknowledged vote exactly once?
 *
 * @param contest            the contest voted in
 * @param baselineTotal      the contest's total before the run
 * @param baselineDuplicates its duplicates before the run
 * @param sent               votes sent (resends included)
 * @param acknowledged       votes acknowledged (resends included)
 * @param expectedCounted    distinct acknowledged votes: what the total must have grown by
 * @param counted            what it grew by
 * @param expectedDuplicates acknowledged resends: what the duplicates must have grown by
 * @param duplicatesAbsorbed what they grew by
 * @param passed             counted and duplicates exactly as expected
 * @param waitedSeconds      how long the results took to show it (or the wait before giving up)
 * @param message            the verdict in words
 */
record Verification(String contest, long baselineTotal, long baselineDuplicates, long sent, long acknowledged,
                    long expectedCounted, long counted, long expectedDuplicates, long duplicatesAbsorbed,
                    boolean passed, double waitedSeconds, String message) {
}
