package dev.ovation.model;

/**
 * A vote as it arrives, before validation: any field may be null (absent) or bad.
 *
 * <p>The HTTP and gRPC edges fill one of these from their own shapes, then hand it to
 * {@link VoteValidator}.
 */
public record VoteFields(String id, String contest, String band, String album, String year, String rank,
                         String voter) {

    /** The seed's shape: {@code name} is the band, and the vote goes to the default contest. */
    public static VoteFields ofSeed(String name, String album, String year, String rank) {
        return new VoteFields(null, null, name, album, year, rank, null);
    }
}
