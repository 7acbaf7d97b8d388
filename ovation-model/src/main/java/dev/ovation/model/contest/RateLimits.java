package dev.ovation.model.contest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How fast a contest takes votes from one voter and from one client address: a token bucket each,
 * refilled at {@code perMinute} and holding at most {@code burst} votes. A batch or a stream counts
 * each of its votes. Votes without a voter are limited by their address only.
 *
 * <p>The defaults ({@link #DEFAULTS}) are generous to people and far below a script's pace:
 * <ul>
 *   <li>per voter, 60 a minute with bursts of 10: a person tapping a vote button, even re-tapping
 *       and retrying, stays under it; a script voting as one phone number is held to one a second;</li>
 *   <li>per address, 6,000 a minute (100 a second) with bursts of 3,000: a hall of 3,000 people
 *       behind one NAT address can all vote the second voting opens, and keep voting at 100 a
 *       second; one machine sending thousands a second is held to 100.</li>
 * </ul>
 *
 * @param perVoter   the bucket of each voter (null: the default; {@code perMinute} 0: no limit)
 * @param perAddress the bucket of each client address (null: the default; {@code perMinute} 0: no limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimits(Rate perVoter, Rate perAddress) {

    /** Votes taken per minute, after a first burst. */
    public record Rate(int perMinute, int burst) {

        /** No limit. */
        public static final Rate NONE = new Rate(0, 0);

        @JsonIgnore
        public boolean isLimited() {
            return perMinute > 0;
        }
    }

    public static final Rate DEFAULT_PER_VOTER = new Rate(60, 10);
    public static final Rate DEFAULT_PER_ADDRESS = new Rate(6_000, 3_000);
    public static final RateLimits DEFAULTS = new RateLimits(DEFAULT_PER_VOTER, DEFAULT_PER_ADDRESS);

    public RateLimits {
        perVoter = perVoter == null ? DEFAULT_PER_VOTER : perVoter;
        perAddress = perAddress == null ? DEFAULT_PER_ADDRESS : perAddress;
    }
}
