package dev.ovation.loadgen;

/** Where the ballots of a run come from: a file replayed in order, or a catalog sampled by popularity. */
interface BallotSource {

    /** The next ballot; called from the one sending thread only. */
    Ballot next();

    /** How the ballots are chosen, for the summary, e.g. "the 650 votes of seed-traffic.json, in order". */
    String describe();
}
