package dev.ovation.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ovation.model.Vote;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.RateLimits;
import dev.ovation.model.contest.VoteRefusedException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The rate limits of {@link RateLimits}: a token bucket (Bucket4j) per contest and voter and per
 * contest and client address, kept in memory (Caffeine) while used and dropped after ten idle
 * minutes, at most a million of each. Each ingest replica keeps its own buckets, so behind a load
 * balancer spreading clients over N replicas a client gets up to N times the limit: the limits
 * bound floods, they do not count votes (the per-voter count of votes is exact, in Redis).
 */
final class VoteThrottle {

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final long MAX_KEYS = 1_000_000;

    private record Key(String contest, String who, RateLimits.Rate rate) {
    }

    private final Cache<Key, Bucket> voters = buckets();
    private final Cache<Key, Bucket> addresses = buckets();
    private final AddressRanges exempt;

    /** @param exempt client addresses never limited ({@code OVATION_RATE_LIMIT_EXEMPT}) */
    VoteThrottle(AddressRanges exempt) {
        this.exempt = exempt;
    }

    private static Cache<Key, Bucket> buckets() {
        return Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(MAX_KEYS).build();
    }

    /**
     * Takes one vote from the voter's and the address's buckets.
     *
     * @param client the client's address, as {@link ClientAddresses} gives it (null: unknown, not limited)
     * @throws VoteRefusedException {@code rate_limited}, saying when to retry
     */
    void take(Contest contest, Vote vote, String client) throws VoteRefusedException {
        RateLimits limits = contest.limits();
        if (vote.voter() != null && !vote.voter().isEmpty() && limits.perVoter().isLimited()) {
            take(voters, new Key(contest.id(), vote.voter(), limits.perVoter()), "this voter");
        }
        if (client != null && limits.perAddress().isLimited() && !exempt.contains(client)) {
            take(addresses, new Key(contest.id(), client, limits.perAddress()), "address " + client);
        }
    }

    private static void take(Cache<Key, Bucket> buckets, Key key, String who) throws VoteRefusedException {
        Bucket bucket = buckets.get(key, k -> Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(k.rate().burst()).refillGreedy(k.rate().perMinute(), Duration.ofMinutes(1)).build()).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
            throw new VoteRefusedException(VoteRefusedException.Reason.RATE_LIMITED, null,
                    "too many votes from " + who + " in contest '" + key.contest() + "': at most "
                            + key.rate().perMinute() + " a minute (bursts of " + key.rate().burst()
                            + "); retry after " + seconds + " s", seconds);
        }
    }
}
