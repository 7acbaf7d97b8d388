package dev.ovation.store;

/**
 * Which entries of the vote log a page holds: a contest's, optionally only one band's, optionally
 * only one album of it. Names match exactly.
 *
 * @param band  null: every band
 * @param album null: every album
 */
public record LogFilter(String contest, String band, String album) {

    /** Every entry of {@code contest}. */
    public static LogFilter of(String contest) {
        return new LogFilter(contest, null, null);
    }

    /** True when the filter names a band or an album, so a page may scan past entries it leaves out. */
    public boolean narrows() {
        return band != null || album != null;
    }

    boolean matches(LogEntry entry) {
        return contest.equals(entry.contest()) && (band == null || band.equals(entry.band()))
                && (album == null || album.equals(entry.album()));
    }
}
