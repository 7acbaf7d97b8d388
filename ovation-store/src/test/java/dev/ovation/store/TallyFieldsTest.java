package dev.ovation.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tally hash's fields: written, read back, named for a reader and sorted for a report. */
class TallyFieldsTest {

    @Test
    void shouldReadBackTheBandAlbumAndReasonOfTheFieldsItWrites() {
        assertThat(TallyFields.band("Queen")).isEqualTo("b\u001fQueen");
        assertThat(TallyFields.album("Queen", "Jazz")).isEqualTo("a\u001fQueen\u001fJazz");
        assertThat(TallyFields.rejected("voter_limit")).isEqualTo("r\u001fvoter_limit");

        assertThat(TallyFields.bandOf(TallyFields.band("Queen"))).contains("Queen");
        assertThat(TallyFields.albumOf(TallyFields.album("Queen", "Jazz")))
                .contains(new TallyFields.Album("Queen", "Jazz"));
        assertThat(TallyFields.albumOf(TallyFields.album("AC/DC", ""))).contains(new TallyFields.Album("AC/DC", ""));
        assertThat(TallyFields.reasonOf(TallyFields.rejected("voter_limit"))).contains("voter_limit");
    }

    @Test
    void shouldReadNoBandAlbumOrReasonFromAnyOtherField() {
        for (String field : Stream.of(TallyFields.TOTAL, TallyFields.DUPLICATES, "b", "bQueen", "x\u001fy",
                "a\u001fno album").toList()) {
            assertThat(TallyFields.bandOf(field)).as(field).isEmpty();
            assertThat(TallyFields.albumOf(field)).as(field).isEmpty();
            assertThat(TallyFields.reasonOf(field)).as(field).isEmpty();
        }
        assertThat(TallyFields.bandOf(TallyFields.album("Queen", "Jazz"))).isEmpty();
        assertThat(TallyFields.reasonOf(TallyFields.band("Queen"))).isEmpty();
    }

    @Test
    void shouldNameTallyFieldsForAReader() {
        assertThat(TallyFields.label(TallyFields.TOTAL)).isEqualTo("total");
        assertThat(TallyFields.label(TallyFields.band("Queen"))).isEqualTo("band Queen");
        assertThat(TallyFields.label(TallyFields.album("Queen", "A Night at the Opera")))
                .isEqualTo("album Queen / A Night at the Opera");
        assertThat(TallyFields.label(TallyFields.rejected("voter_limit"))).isEqualTo("rejected voter_limit");
        assertThat(TallyFields.label("x\u001fy")).isEqualTo("x/y");
    }

    @Test
    void shouldSortEachBandBeforeItsAlbumsAndAfterThePreviousBandsAlbums() {
        assertThat(Stream.of(TallyFields.album("Queens", "B"), TallyFields.rejected("voter_limit"),
                        TallyFields.album("Queen", "Jazz"), TallyFields.band("Queens"), TallyFields.DUPLICATES,
                        TallyFields.band("Queen"), TallyFields.TOTAL)
                .sorted(Comparator.comparing(TallyFields::sortKey))
                .map(TallyFields::label))
                .containsExactly("total", "duplicates", "band Queen", "album Queen / Jazz", "band Queens",
                        "album Queens / B", "rejected voter_limit");
    }
}
