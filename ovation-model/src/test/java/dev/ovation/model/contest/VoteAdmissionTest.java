package dev.ovation.model.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ovation.model.Vote;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VoteAdmissionTest {

    private static final Instant NOW = Instant.parse("2026-11-27T20:00:00Z");

    private static final Contest FINALS = new Contest("finals", "Finals",
            Map.of("Alux Nahual", List.of(), "The Beatles", List.of("Abbey Road", "Revolver")),
            Instant.parse("2026-11-27T19:00:00Z"), Instant.parse("2026-11-27T21:00:00Z"), Contest.SCHEDULED, 2, null);

    private final VoteAdmission admission = new VoteAdmission(directory(FINALS), Clock.fixed(NOW, ZoneOffset.UTC));

    private static ContestDirectory directory(Contest... contests) {
        return new ContestDirectory() {
            @Override
            public Optional<Contest> find(String id) {
                return List.of(contests).stream().filter(c -> c.id().equals(id)).findFirst();
            }

            @Override
            public List<Contest> all() {
                return List.of(contests);
            }
        };
    }

    private static Vote vote(String contest, String band, String album) {
        return new Vote("v1", contest, band, album, "", "", "");
    }

    @Test
    void shouldAdmitAVoteForACatalogBandAndAlbumWhileOpen() throws Exception {
        assertThat(admission.admit(vote("finals", "The Beatles", "Revolver"))).isEqualTo(FINALS);
        assertThat(admission.admit(vote("finals", "Alux Nahual", "any album at all")).votesPerVoter()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnUnknownContest() {
        assertThatThrownBy(() -> admission.admit(vote("semis", "The Beatles", "Revolver")))
                .isInstanceOfSatisfying(VoteRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(VoteRefusedException.Reason.UNKNOWN_CONTEST);
                    assertThat(e.reason().httpStatus()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("there is no contest 'semis'");
                });
    }

    @Test
    void shouldRefuseABandOrAlbumOutsideTheCatalog() {
        assertThatThrownBy(() -> admission.admit(vote("finals", "Queen", "Jazz")))
                .isInstanceOfSatisfying(VoteRefusedException.class, e -> {
                    assertThat(e.field()).isEqualTo("band");
                    assertThat(e.reason().httpStatus()).isEqualTo(422);
                });
        assertThatThrownBy(() -> admission.admit(vote("finals", "The Beatles", "Help!")))
                .isInstanceOfSatisfying(VoteRefusedException.class, e -> {
                    assertThat(e.field()).isEqualTo("album");
                    assertThat(e.getMessage()).isEqualTo("'Help!' is not an album of The Beatles in contest 'finals';"
                            + " its albums are: Abbey Road, Revolver");
                });
    }

    @Test
    void shouldRefuseVotesOutsideTheWindow() {
        VoteAdmission early = new VoteAdmission(directory(FINALS),
                Clock.fixed(Instant.parse("2026-11-27T18:00:00Z"), ZoneOffset.UTC));
        VoteAdmission late = new VoteAdmission(directory(FINALS),
                Clock.fixed(Instant.parse("2026-11-27T21:00:00Z"), ZoneOffset.UTC));

        assertThatThrownBy(() -> early.admit(vote("finals", "Alux Nahual", "x")))
                .hasMessage("contest 'finals' is not yet open; it opens at 2026-11-27T19:00:00Z");
        assertThatThrownBy(() -> late.admit(vote("finals", "Alux Nahual", "x")))
                .isInstanceOfSatisfying(VoteRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(VoteRefusedException.Reason.CONTEST_CLOSED));
    }

    @Test
    void shouldLetAHandSetStateOverrideTheWindow() throws Exception {
        VoteAdmission closedByHand = new VoteAdmission(directory(FINALS.withState(Contest.CLOSED)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        VoteAdmission openedEarly = new VoteAdmission(directory(FINALS.withState(Contest.OPEN)),
                Clock.fixed(Instant.parse("2026-11-27T18:00:00Z"), ZoneOffset.UTC));

        assertThatThrownBy(() -> closedByHand.admit(vote("finals", "Alux Nahual", "x")))
                .hasMessage("contest 'finals' is closed");
        assertThat(openedEarly.admit(vote("finals", "Alux Nahual", "x")).id()).isEqualTo("finals");
    }
}
