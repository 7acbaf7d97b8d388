package dev.ovation.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.ovation.model.Vote;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.RateLimits;
import dev.ovation.model.contest.VoteRefusedException;
import dev.ovation.web.AddressRanges;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The rate limits of {@link RateLimits}: a token bucket (Bucket4j) per contest and voter and per
 * contest and client address, kept in memory (Caffeine) only while it is not full: a bucket left
 * alone for as long as it takes to refill completely ({@code burst / perMinute} minutes; 10 s for
 * the default voter's) is the same as a new one, so it is dropped then. Memory follows the voters
 * active in the last seconds, not all the voters of the night (at most a million of each). Each ingest replica keeps its own buckets, so behind a load
 * balancer spreading clients over N replicas a client gets up to N times the limit: the limits
 * bound floods, they do not count votes (the per-voter count of votes is exact, in Redis).
 */
final class VoteThrottle {

    private static final long MAX_KEYS = 1_000_000;

    private record Key(String contest, String who, RateLimits.Rate rate) {
    }

    private final Cache<Key, Bucket> voters;
    private final Cache<Key, Bucket> addresses;
    private final AddressRanges exempt;

    /** @param exempt client addresses never limited ({@code OVATION_RATE_LIMIT_EXEMPT}) */
    VoteThrottle(AddressRanges exempt) {
        this(exempt, Ticker.systemTicker());
    }

    /** @param ticker the cache's clock (a test's may be moved by hand) */
    VoteThrottle(AddressRanges exempt, Ticker ticker) {
        this.exempt = exempt;
        this.voters = buckets(ticker);
        this.addresses = buckets(ticker);
    }

    private static Cache<Key, Bucket> buckets(Ticker ticker) {
        return Caffeine.newBuilder().ticker(ticker).expireAfter(new UntilFull()).maximumSize(MAX_KEYS).build();
    }

    /** Buckets held, voters' and addresses': what the limits cost in memory now. */
    long bucketsHeld() {
        voters.cleanUp();
        addresses.cleanUp();
        return voters.estimatedSize() + addresses.estimatedSize();
    }

    /** Each bucket expires once it would be full again, counted from its last use. */
    private static final class UntilFull implements Expiry<Key, Bucket> {

        private static long nanos(Key key) {
            RateLimits.Rate rate = key.rate();
            // one more second, so that a bucket is never dropped a moment before it is full
            return TimeUnit.MINUTES.toNanos(1) * rate.burst() / Math.max(1, rate.perMinute()) + TimeUnit.SECONDS.toNanos(1);
        }

        @Override
        public long expireAfterCreate(Key key, Bucket bucket, long now) {
            return nanos(key);
        }

        @Override
        public long expireAfterUpdate(Key key, Bucket bucket, long now, long current) {
            return nanos(key);
        }

        @Override
        public long expireAfterRead(Key key, Bucket bucket, long now, long current) {
            return nanos(key);
        }
    }

    /**
     * Takes one vote from the voter's and the address's buckets.
     *
     * @param client the client's address, as {@link dev.ovation.web.ClientAddresses} gives it (null: unknown,
     *               not limited)
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
