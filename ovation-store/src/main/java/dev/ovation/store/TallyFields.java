package dev.ovation.store;

/**
 * The fields of a contest's tally hash {@code ovation:tally:<contest>}, as the counting script
 * writes them: {@code total}, {@code duplicates}, {@code b<US>band}, {@code a<US>band<US>album} and
 * {@code r<US>reason}, where {@code <US>} is the unit separator {@code \u001f}.
 */
public final class TallyFields {

    /** Votes counted. */
    public static final String TOTAL = "total";
    /** Records carrying an id already decided (absorbed, not counted). */
    public static final String DUPLICATES = "duplicates";

    private static final char SEP = '\u001f';

    private TallyFields() {
    }

    /** The field of a band's votes. */
    public static String band(String band) {
        return "b" + SEP + band;
    }

    /** The field of an album's votes. */
    public static String album(String band, String album) {
        return "a" + SEP + band + SEP + album;
    }

    /** The field of the votes rejected for {@code reason} (only {@code voter_limit} exists). */
    public static String rejected(String reason) {
        return "r" + SEP + reason;
    }

    /**
     * A field for a reader: {@code total}, {@code duplicates}, {@code band Queen},
     * {@code album Queen / Jazz}, {@code rejected voter_limit}; any other field as stored, with
     * its separators shown as {@code /}.
     */
    public static String label(String field) {
        if (field.length() >= 2 && field.charAt(1) == SEP) {
            String rest = field.substring(2);
            switch (field.charAt(0)) {
                case 'b':
                    return "band " + rest;
                case 'r':
                    return "rejected " + rest;
                case 'a':
                    int split = rest.indexOf(SEP);
                    if (split >= 0) {
                        return "album " + rest.substring(0, split) + " / " + rest.substring(split + 1);
                    }
                    break;
                default:
                    break;
            }
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
        if (field.length() >= 2 && field.charAt(1) == SEP) {
            String rest = field.substring(2);
            switch (field.charAt(0)) {
                case 'b':
                    return "2" + rest + SEP;
                case 'a':
                    // "band<US><US>album" sorts right after its band's "band<US>"
                    int split = rest.indexOf(SEP);
                    if (split >= 0) {
                        return "2" + rest.substring(0, split) + SEP + SEP + rest.substring(split + 1);
                    }
                    break;
                case 'r':
                    return "3" + rest;
                default:
                    break;
            }
        }
        return "4" + field;
    }
}
