package dev.ovation.results;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a contest's new votes-per-second points the live pages are sent after their first
 * update: a point where the rate changes, preceded by the last point of the stretch before it
 * (so that the chart draws the stretch flat up to where the change starts); none while the rate
 * stays the same. An idle contest is sent no point at all, and the page shows its last rate (0)
 * until the next change. One per watched contest, used by the feed's single thread.
 */
final class RateChanges {

    /** The votes per second the pages show now; null before any point. */
    private Double shown;
    /** The latest point not sent, whose rate is the one shown; null when the last point was sent. */
    private VoteRates.RatePoint unsent;

    /** The points of {@code fresh} (oldest first) that the pages must be sent, oldest first. */
    List<VoteRates.RatePoint> toSend(List<VoteRates.RatePoint> fresh) {
        List<VoteRates.RatePoint> send = new ArrayList<>();
        for (VoteRates.RatePoint point : fresh) {
            if (shown != null && point.votes() == shown) {
                unsent = point;
                continue;
            }
            if (unsent != null) {
                send.add(unsent);
                unsent = null;
            }
            send.add(point);
            shown = point.votes();
        }
        return send;
    }
}
