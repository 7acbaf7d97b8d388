package dev.ovation.model;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * Checks a vote at the edge and turns it into a {@link Vote}: trims text fields, requires a band
 * and an album, bounds every length, refuses control characters, gives an id to a vote that has
 * none and puts a vote that names no contest into the default one.
 */
public final class VoteValidator {

    /** Longest band or album name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Longest year, rank or voter accepted, in characters. */
    public static final int MAX_SHORT_LENGTH = 64;
    /** Longest id accepted, in characters. */
    public static final int MAX_ID_LENGTH = 128;

    /** Longest contest id, in characters. */
    public static final int MAX_CONTEST_LENGTH = 64;

    private final Supplier<String> idGenerator;

    /** A validator that gives random UUIDs to votes without an id. */
    public VoteValidator() {
        this(() -> UUID.randomUUID().toString());
    }

    public VoteValidator(Supplier<String> idGenerator) {
        this.idGenerator = idGenerator;
    }

    /**
     * Validates one vote.
     *
     * @throws InvalidVoteException naming the first field at fault
     */
    public Vote validate(VoteFields in) throws InvalidVoteException {
        String id = trim(in.id());
        if (id.isEmpty()) {
            id = idGenerator.get();
        } else if (!isVoteId(id)) {
            throw new InvalidVoteException("id", "id must be 1 to " + MAX_ID_LENGTH
                    + " characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'");
        }
        String contest = trim(in.contest());
        if (contest.isEmpty()) {
            contest = Vote.DEFAULT_CONTEST;
        } else if (!isContestId(contest)) {
            throw new InvalidVoteException("contest", "contest must be 1 to 64 characters of a-z, 0-9, '_' or '-',"
                    + " starting with a letter or digit");
        }
        return new Vote(id, contest,
                required("band", in.band()),
                required("album", in.album()),
                optional("year", in.year()),
                optional("rank", in.rank()),
                optional("voter", in.voter()));
    }

    private static String required(String field, String value) throws InvalidVoteException {
        String text = trim(value);
        if (text.isEmpty()) {
            throw new InvalidVoteException(field, field + " is required and must not be empty");
        }
        return checked(field, text, MAX_NAME_LENGTH);
    }

    private static String optional(String field, String value) throws InvalidVoteException {
        return checked(field, trim(value), MAX_SHORT_LENGTH);
    }

    private static String checked(String field, String text, int maxLength) throws InvalidVoteException {
        if (text.length() > maxLength) {
            throw new InvalidVoteException(field, field + " is " + text.length()
                    + " characters long; the most is " + maxLength);
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new InvalidVoteException(field, field + " must not contain control characters");
            }
        }
        if (text.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
            // a lone half of a surrogate pair (sent escaped, as \\ud800): no character at all
            throw new InvalidVoteException(field, field + " must be valid Unicode text (it holds half a surrogate pair)");
        }
        return text;
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }

    /**
     * Whether {@code id} is a vote id: 1 to {@value #MAX_ID_LENGTH} characters of {@code A-Z a-z 0-9 . _ : -}.
     * Checked by hand rather than by a regular expression: it runs for every vote at the ingest and
     * again in the counter, where the regex engine was a quarter of the counter's own loop (JFR).
     */
    public static boolean isVoteId(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code id} is a contest id: 1 to {@value #MAX_CONTEST_LENGTH} characters of
     * {@code a-z 0-9 _ -}, starting with a letter or digit.
     */
    public static boolean isContestId(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_CONTEST_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!letterOrDigit && (i == 0 || c != '_' && c != '-')) {
                return false;
            }
        }
        return true;
    }
}
