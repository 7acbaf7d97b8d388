package dev.ovation.loadgen;

/**
 * One second of a run, for the live line, the report and the latency-over-time chart.
 *
 * @param second       seconds since the run started, at the end of this interval
 * @param phase        {@code warmup}, {@code measure} or {@code drain} (waiting for the last answers): where
 *                     the middle of the second fell
 * @param sent         votes sent in this second
 * @param acknowledged votes acknowledged in this second
 * @param errors       errors in this second
 * @param p50          median acknowledgement latency of this second, ms
 * @param p99          99th percentile of this second, ms
 * @param max          slowest acknowledgement of this second, ms
 * @param loadgenCores CPU cores the load generator used
 * @param machineBusy  fraction of the machine's CPU in use (all processes), or -1 when unknown
 */
record TimelinePoint(double second, String phase, long sent, long acknowledged, long errors, double p50, double p99,
                     double max, double loadgenCores, double machineBusy) {
}
