package dev.ovation.store;

import java.util.List;
import java.util.Map;

/**
 * A contest's counts as the tallies hold them.
 *
 * @param total      votes counted
 * @param duplicates votes that arrived again with an id already counted (absorbed, not counted)
 * @param rejected   votes not counted, by reason ({@code voter_limit})
 * @param bands      by votes, descending
 */
public record ContestTally(String contest, long total, long duplicates, Map<String, Long> rejected,
                           List<BandTally> bands) {

    /** One band's votes, with its albums by votes, descending. */
    public record BandTally(String band, long votes, List<AlbumTally> albums) {
    }

    /** One album's votes. */
    public record AlbumTally(String album, long votes) {
    }
}
