package dev.ovation.store;

import java.util.Optional;

/**
 * The fields of a contest's tally hash in a shard ({@link TallyLayout#tallyKey}
 * {@code ovation:{s<n>}:tally:<contest>}), as {@code count-votes.lua} writes them: {@code total},
 * {@code duplicates}, {@code b<US>band}, {@code a<US>band<US>album} and {@code r<US>reason}, where
 * {@code <US>} is the unit separator {@code \u001f}. Every reader and writer of a field, in Java,
 * names or parses it here.
 */
public final class TallyFields {

    /** Votes counted. */
    public static final String TOTAL = "total";
    /** Records carrying an id already decided (absorbed, not counted). */
    public static final String DUPLICATES = "duplicates";

    private static final char SEP = '\u001f';
    private static final char BAND = 'b';
    private static final char ALBUM = 'a';
    private static final char REJECTED = 'r';

    private TallyFields() {
    }

    /** The field of a band's votes. */
    public static String band(String band) {
        return "" + BAND + SEP + band;
    }

    /** The field of an album's votes. */
    public static String album(String band, String album) {
        return "" + ALBUM + SEP + band + SEP + album;
    }

    /** The field of the votes rejected for {@code reason} (only {@code voter_limit} exists). */
    public static String rejected(String reason) {
        return "" + REJECTED + SEP + reason;
    }

    /** The band of a {@link #band} field, or empty for any other field. */
    public static Optional<String> bandOf(String field) {
        return rest(field, BAND);
    }

    /** The band and album of an {@link #album} field, or empty for any other field. */
    public static Optional<Album> albumOf(String field) {
        return rest(field, ALBUM).flatMap(rest -> {
            int split = rest.indexOf(SEP);
            return split < 0 ? Optional.empty()
                    : Optional.of(new Album(rest.substring(0, split), rest.substring(split + 1)));
        });
    }

    /** The reason of a {@link #rejected} field, or empty for any other field. */
    public static Optional<String> reasonOf(String field) {
        return rest(field, REJECTED);
    }

    /** The band and album an {@link #album} field counts. */
    public record Album(String band, String album) {
    }

    private static Optional<String> rest(String field, char kind) {
        return field.length() >= 2 && field.charAt(0) == kind && field.charAt(1) == SEP
                ? Optional.of(field.substring(2)) : Optional.empty();
    }

    /**
     * A field for a reader: {@code total}, {@code duplicates}, {@code band Queen},
     * {@code album Queen / Jazz}, {@code rejected voter_limit}; any other field as stored, with
     * its separators shown as {@code /}.
     */
    public static String label(String field) {
        Optional<String> band = bandOf(field);
        if (band.isPresent()) {
            return "band " + band.get();
        }
        Optional<Album> album = albumOf(field);
        if (album.isPresent()) {
            return "album " + album.get().band() + " / " + album.get().album();
        }
        Optional<String> reason = reasonOf(field);
        if (reason.isPresent()) {
            return "rejected " + reason.get();
        }
        return field.replace(SEP, '/');
    }

    /**
     * Where a field sorts in a report: total, duplicates, then each band followed by its albums,
     * then rejections, then anything else.
     */
    public static String sortKey(String field) {
        if (field.equals(TOTAL)) {
            return "0";
        }
        if (field.equals(DUPLICATES)) {
            return "1";
        }
        Optional<String> band = bandOf(field);
        if (band.isPresent()) {
            return "2" + band.get() + SEP;
        }
        Optional<Album> album = albumOf(field);
        if (album.isPresent()) {
            // "band<US><US>album" sorts right after its band's "band<US>"
            return "2" + album.get().band() + SEP + SEP + album.get().album();
        }
        Optional<String> reason = reasonOf(field);
        if (reason.isPresent()) {
            return "3" + reason.get();
        }
        return "4" + field;
    }
}
