package dev.ovation.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.Vote;
import dev.ovation.model.contest.Contest;
import dev.ovation.model.contest.RateLimits;
import dev.ovation.model.contest.VoteRefusedException;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.ClientAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per voter and per address, each contest with its own limits. */
class VoteThrottleTest {

    private static final RateLimits SMALL = new RateLimits(new RateLimits.Rate(60, 3), new RateLimits.Rate(60, 5));

    private final VoteThrottle throttle = new VoteThrottle(AddressRanges.parse("test", "10.9.0.0/16"));

    @Test
    void shouldTakeAVotersBurstThenRefuseSayingWhenToRetry() throws Exception {
        Contest contest = contest("finals", SMALL);
        for (int i = 0; i < 3; i++) {
            throttle.take(contest, vote("finals", "+50255501234"), "10.0.0." + i);
        }

        assertThatThrownBy(() -> throttle.take(contest, vote("finals", "+50255501234"), "10.0.0.9"))
                .isInstanceOfSatisfying(VoteRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(VoteRefusedException.Reason.RATE_LIMITED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).isEqualTo("too many votes from this voter in contest 'finals':"
                            + " at most 60 a minute (bursts of 3); retry after 1 s");
                });
        // another voter, and the same voter in another contest, have buckets of their own
        throttle.take(contest, vote("finals", "+50255509999"), "10.0.1.1");
        throttle.take(contest("semis", SMALL), vote("semis", "+50255501234"), "10.0.1.2");
    }

    @Test
    void shouldTakeAnAddresssBurstThenRefuseWhateverTheVoter() throws Exception {
        Contest contest = contest("finals", SMALL);
        for (int i = 0; i < 5; i++) {
            throttle.take(contest, vote("finals", "voter-" + i), "192.0.2.7");
        }

        assertThatThrownBy(() -> throttle.take(contest, vote("finals", ""), "192.0.2.7"))
                .isInstanceOfSatisfying(VoteRefusedException.class, e -> assertThat(e.getMessage())
                        .startsWith("too many votes from address 192.0.2.7 in contest 'finals': at most 60 a minute"));
        throttle.take(contest, vote("finals", ""), "192.0.2.8");
    }

    @Test
    void shouldNeverLimitAnExemptAddressNorALimitTurnedOff() throws Exception {
        for (int i = 0; i < 100; i++) {
            throttle.take(contest("finals", SMALL), vote("finals", ""), "10.9.3.4");
            throttle.take(contest("open", new RateLimits(RateLimits.Rate.NONE, RateLimits.Rate.NONE)),
                    vote("open", "same-voter"), "192.0.2.1");
        }
    }

    @Test
    void shouldExemptAnAddressAsClientAddressesWritesIt() throws Exception {
        // Given loopback exempt as the standalone has it, and the client named as the ingest names it
        VoteThrottle local = new VoteThrottle(AddressRanges.parse("OVATION_RATE_LIMIT_EXEMPT", "127.0.0.0/8,::1"));
        ClientAddresses clients = new ClientAddresses(AddressRanges.NONE);
        String ipv6 = clients.of(new InetSocketAddress(InetAddress.getByName("::1"), 40_000), null);
        String ipv4 = clients.of(new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 40_000), null);
        assertThat(ipv6).isEqualTo("0:0:0:0:0:0:0:1");

        // Then neither is ever held; an address outside the ranges is, after its burst of 5
        for (int i = 0; i < 100; i++) {
            local.take(contest("finals", SMALL), vote("finals", ""), ipv6);
            local.take(contest("finals", SMALL), vote("finals", ""), ipv4);
        }
        for (int i = 0; i < 5; i++) {
            local.take(contest("finals", SMALL), vote("finals", ""), "0:0:0:0:0:0:0:2");
        }
        assertThatThrownBy(() -> local.take(contest("finals", SMALL), vote("finals", ""), "0:0:0:0:0:0:0:2"))
                .isInstanceOf(VoteRefusedException.class);
    }

    @Test
    void shouldStartAFreshBucketWhenAContestsLimitsChange() throws Exception {
        Contest before = contest("finals", SMALL);
        for (int i = 0; i < 3; i++) {
            throttle.take(before, vote("finals", "v"), null);
        }
        assertThatThrownBy(() -> throttle.take(before, vote("finals", "v"), null))
                .isInstanceOf(VoteRefusedException.class);

        Contest after = contest("finals", new RateLimits(new RateLimits.Rate(600, 30), null));
        for (int i = 0; i < 30; i++) {
            throttle.take(after, vote("finals", "v"), null);
        }
    }

    @Test
    void shouldForgetABucketOnceItWouldBeFullAgain() throws Exception {
        // Given the default limits (a voter's bucket of 10 refills in 10 s, an address's of 3,000 in 30 s)
        AtomicLong now = new AtomicLong();
        VoteThrottle clocked = new VoteThrottle(AddressRanges.NONE, now::get);
        Contest contest = contest("finals", null);
        for (int i = 0; i < 1_000; i++) {
            clocked.take(contest, vote("finals", "voter-" + i), "192.0.2.1");
        }
        assertThat(clocked.bucketsHeld()).isEqualTo(1_001);

        // When 12 s pass, the voters' buckets are full again and forgotten; the address's is not yet
        now.addAndGet(TimeUnit.SECONDS.toNanos(12));
        assertThat(clocked.bucketsHeld()).isEqualTo(1);

        // And a voter coming back gets a full bucket, as it would have had anyway
        for (int i = 0; i < 10; i++) {
            clocked.take(contest, vote("finals", "voter-0"), "192.0.2.2");
        }
        assertThatThrownBy(() -> clocked.take(contest, vote("finals", "voter-0"), "192.0.2.2"))
                .isInstanceOf(VoteRefusedException.class);
    }

    @Test
    void shouldApplyTheDefaultsToAContestThatSaysNothing() throws Exception {
        Contest contest = contest("finals", null);
        assertThat(contest.limits()).isEqualTo(RateLimits.DEFAULTS);
        for (int i = 0; i < 10; i++) {
            throttle.take(contest, vote("finals", "v"), "192.0.2.1");
        }
        assertThatThrownBy(() -> throttle.take(contest, vote("finals", "v"), "192.0.2.1"))
                .isInstanceOf(VoteRefusedException.class);
    }

    private static Contest contest(String id, RateLimits limits) {
        return new Contest(id, id, Map.of(), null, null, Contest.SCHEDULED, 0, limits);
    }

    private static Vote vote(String contest, String voter) {
        return new Vote(UUID.randomUUID().toString(), contest, "Queen", "Jazz", "", "", voter);
    }
}
