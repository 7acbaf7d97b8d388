package dev.ovation.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every vote the client sent and every attempt's outcome, as Jepsen's histories are: an attempt is
 * acknowledged, refused (with the reason the ingest gave), or unknown (a timeout, a reset, a 5xx,
 * {@code UNAVAILABLE}: the vote may or may not be stored).
 */
final class History {

    enum Outcome { ACKNOWLEDGED, REFUSED, UNKNOWN }

    /** One try of one vote: when it was sent and answered (ms since the run began), over what, and how. */
    record Attempt(String id, long sentAt, long answeredAt, String via, Outcome outcome, String detail) {
    }

    /** One vote: its id and band, and what became of it in the end. */
    static final class Vote {
        final String id;
        final String band;
        final boolean resend;
        volatile Outcome outcome;
        volatile String detail = "";
        volatile long firstSentAt = -1;
        volatile long acknowledgedAt = -1;
        volatile int attempts;

        Vote(String id, String band, boolean resend) {
            this.id = id;
            this.band = band;
            this.resend = resend;
        }
    }

    private final Map<String, Vote> votes = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new ArrayList<>();

    Vote vote(String id, String band) {
        return votes.computeIfAbsent(id, i -> new Vote(i, band, false));
    }

    synchronized void record(Vote vote, Attempt attempt) {
        attempts.add(attempt);
        vote.attempts++;
        if (vote.firstSentAt < 0) {
            vote.firstSentAt = attempt.sentAt();
        }
        if (attempt.outcome() == Outcome.ACKNOWLEDGED && vote.acknowledgedAt < 0) {
            vote.acknowledgedAt = attempt.answeredAt();
        }
        // an acknowledgement is final; a refusal is final unless an acknowledgement came before it
        if (vote.outcome != Outcome.ACKNOWLEDGED) {
            vote.outcome = attempt.outcome();
            vote.detail = attempt.detail();
        }
    }

    Collection<Vote> votes() {
        return votes.values();
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
