package dev.ovation.loadgen;

/**
 * One vote on its way: what was sent and when it was meant to leave. Latency is measured from
 * {@code intendedNanos}, not from the moment the client got round to sending it, so a server that
 * slows the generator down cannot hide its own latency (coordinated omission).
 *
 * @param vote          the vote
 * @param intendedNanos when the schedule meant it to leave ({@link System#nanoTime()} clock); in the
 *                      closed model, when it left
 * @param measured      false during the warm-up, whose latencies are left out of the summary
 * @param shipment      the request it travels in, told when each of its votes is answered
 */
record Send(PlannedVote vote, long intendedNanos, boolean measured, Shipment shipment) {
}
