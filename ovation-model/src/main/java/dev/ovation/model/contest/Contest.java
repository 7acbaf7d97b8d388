package dev.ovation.model.contest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ovation.model.Vote;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A contest: what can be voted for, when, and how often per voter.
 *
 * @param id            the contest id, as in votes ({@code [a-z0-9][a-z0-9_-]{0,63}})
 * @param title         shown on the results page
 * @param catalog       band to its albums; empty for an open catalog (any band and album, as in
 *                      the seed); a band with no albums accepts any album of that band
 * @param opensAt       when voting opens on its own (null: already open)
 * @param closesAt      when voting closes on its own (null: never)
 * @param state         {@code scheduled} (follow opensAt/closesAt), {@code open} or {@code closed}
 *                      (set by hand, overriding the times)
 * @param votesPerVoter the most votes counted per voter (0: no limit, as in the seed); votes
 *                      without a voter are not limited
 * @param limits        how fast votes are taken per voter and per client address (null: the
 *                      {@linkplain RateLimits#DEFAULTS defaults})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contest(String id, String title, Map<String, List<String>> catalog, Instant opensAt, Instant closesAt,
                      String state, int votesPerVoter, RateLimits limits) {

    /**
     * The contest of the votes a process sends itself to warm up before it says it is ready; no
     * contest can be created with this id, and nothing of it is ever shown or kept.
     */
    public static final String WARMUP_ID = "ovation-warmup";

    /** Follow opensAt and closesAt. */
    public static final String SCHEDULED = "scheduled";
    /** Opened by hand. */
    public static final String OPEN = "open";
    /** Closed by hand. */
    public static final String CLOSED = "closed";

    public Contest {
        Objects.requireNonNull(id, "id");
        title = title == null || title.isBlank() ? id : title;
        catalog = catalog == null ? Map.of() : copy(catalog);
        state = state == null ? SCHEDULED : state;
        limits = limits == null ? RateLimits.DEFAULTS : limits;
    }

    /** The contest every vote without a contest goes to: open catalog, always open, no limit. */
    public static Contest defaultContest() {
        return new Contest(Vote.DEFAULT_CONTEST, "Default contest", Map.of(), null, null, SCHEDULED, 0, null);
    }

    /**
     * The warm-up's contest: open, any band and album, at most {@code votesPerVoter} votes counted
     * per voter, and rate limits no warm-up reaches, so that every path a real vote takes is run.
     */
    public static Contest warmup(int votesPerVoter) {
        RateLimits.Rate high = new RateLimits.Rate(60_000_000, 1_000_000);
        return new Contest(WARMUP_ID, "Warm-up", Map.of(), null, null, OPEN, votesPerVoter, new RateLimits(high, high));
    }

    /** Whether votes are taken at {@code now}. */
    public boolean isOpenAt(Instant now) {
        return "open".equals(statusAt(now));
    }

    /** {@code open}, {@code closed} or {@code not_yet_open} at {@code now}. */
    public String statusAt(Instant now) {
        return switch (state) {
            case OPEN -> "open";
            case CLOSED -> "closed";
            default -> {
                if (opensAt != null && now.isBefore(opensAt)) {
                    yield "not_yet_open";
                }
                yield closesAt != null && !now.isBefore(closesAt) ? "closed" : "open";
            }
        };
    }

    /** Whether any band and album may be voted for. */
    @JsonIgnore
    public boolean isOpenCatalog() {
        return catalog.isEmpty();
    }

    /** The same contest with its state set by hand. */
    public Contest withState(String newState) {
        return new Contest(id, title, catalog, opensAt, closesAt, newState, votesPerVoter, limits);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> catalog) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        catalog.forEach((band, albums) -> copy.put(band, albums == null ? List.of() : List.copyOf(albums)));
        return Collections.unmodifiableMap(copy);
    }
}
