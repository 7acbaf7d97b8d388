package dev.ovation.loadgen;

/**
 * The end-to-end check of a run: did the results account for every acknowledged vote exactly
 * once? A vote is accounted for when it is counted, or rejected by the counter (over its voter's
 * limit); a resend of an acknowledged vote must show as a duplicate absorbed.
 *
 * @param contest            the contest voted in
 * @param baselineTotal      the contest's total before the run
 * @param baselineDuplicates its duplicates before the run
 * @param baselineRejected   its rejected votes before the run
 * @param sent               votes sent (resends included)
 * @param acknowledged       votes acknowledged (resends included)
 * @param expectedAccounted  distinct acknowledged votes: what counted + rejected must have grown by
 * @param counted            what the total grew by
 * @param rejected           what the rejected votes grew by (over a voter's limit)
 * @param expectedDuplicates acknowledged resends: what the duplicates must have grown by
 * @param duplicatesAbsorbed what they grew by
 * @param passed             everything exactly as expected
 * @param waitedSeconds      how long the results took to show it (or the wait before giving up)
 * @param message            the verdict in words
 */
record Verification(String contest, long baselineTotal, long baselineDuplicates, long baselineRejected, long sent,
                    long acknowledged, long expectedAccounted, long counted, long rejected, long expectedDuplicates,
                    long duplicatesAbsorbed, boolean passed, double waitedSeconds, String message) {
}
