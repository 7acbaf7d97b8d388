package dev.ovation.loadgen;

import java.util.List;

/** The ballots of a file, in the file's order, starting over at the end. */
final class ReplayedBallots implements BallotSource {

    private final List<Ballot> ballots;
    private final String origin;
    private int next;

    ReplayedBallots(List<Ballot> ballots, String origin) {
        if (ballots.isEmpty()) {
            throw new IllegalArgumentException(origin + " holds no votes");
        }
        this.ballots = List.copyOf(ballots);
        this.origin = origin;
    }

    @Override
    public Ballot next() {
        Ballot ballot = ballots.get(next);
        next = next + 1 == ballots.size() ? 0 : next + 1;
        return ballot;
    }

    @Override
    public String describe() {
        return "the " + ballots.size() + " votes of " + origin + ", replayed in order";
    }
}
