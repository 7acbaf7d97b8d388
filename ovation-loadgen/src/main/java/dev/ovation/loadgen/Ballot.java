package dev.ovation.loadgen;

import java.util.Objects;

/**
 * What one vote says, before the load generator gives it an id, a contest and a voter: the seed's
 * shape ({@code name} is the band).
 *
 * @param band  the band voted for
 * @param album the album voted for
 * @param year  free text carried along (the seed sends "2024")
 * @param rank  free text carried along
 */
public record Ballot(String band, String album, String year, String rank) {

    public Ballot {
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(album, "album");
        Objects.requireNonNull(year, "year");
        Objects.requireNonNull(rank, "rank");
    }
}
