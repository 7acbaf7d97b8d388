package dev.ovation.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.ovation.store.ContestTally;
import dev.ovation.store.LogEntry;
import dev.ovation.store.LogFilter;
import dev.ovation.store.LogPage;
import dev.ovation.store.VoteLog;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * Results and the vote log as CSV (RFC 4180, UTF-8, a header row), written by Jackson's CSV
 * module. A cell that a spreadsheet would run as a formula (starting with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) is written with a leading {@code '}: band
 * names are the audience's text.
 */
final class CsvExport {

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema RESULTS = CSV.schemaFor(ResultRow.class).withHeader();
    private static final CsvSchema LOG = CSV.schemaFor(LogRow.class).withHeader();
    /**
     * Entries read from the log per page while exporting it. Each page reads again, whole, the
     * bucket (up to 500 entries) where each partition's chain stopped, so with pages of 500 over six
     * partitions an export decoded up to six buckets for every 500 entries it wrote; pages of 5,000
     * make that a tenth, and still hold only a few MB.
     */
    static final int PAGE = 5_000;

    private CsvExport() {
    }

    /** One row per album: its band with the band's votes, and the album's votes. */
    @JsonPropertyOrder({"band", "band_votes", "album", "album_votes"})
    record ResultRow(String band, long band_votes, String album, long album_votes) {
    }

    /** One row per vote of the log, newest first. */
    @JsonPropertyOrder({"counted_at", "received_at", "id", "band", "album", "year", "rank", "protocol", "voter",
            "status", "reason", "partition", "offset"})
    record LogRow(String counted_at, String received_at, String id, String band, String album, String year,
                  String rank, String protocol, String voter, String status, String reason, int partition,
                  long offset) {

        static LogRow of(LoggedVote v) {
            return new LogRow(time(v.countedAt()), time(v.receivedAt()), v.id(), cell(v.band()),
                    cell(v.album()), cell(v.year()), cell(v.rank()), cell(v.protocol()), cell(v.voter()),
                    v.status(), v.reason(), v.partition(), v.offset());
        }
    }

    /** Writes a contest's results. */
    static void results(ContestTally tally, OutputStream out) throws IOException {
        try (SequenceWriter writer = CSV.writer(RESULTS).writeValues(out)) {
            for (ContestTally.BandTally band : tally.bands()) {
                for (ContestTally.AlbumTally album : band.albums()) {
                    writer.write(new ResultRow(cell(band.band()), band.votes(), cell(album.album()), album.votes()));
                }
            }
        }
    }

    /**
     * Writes every entry {@code filter} takes, newest first, as of the first page: votes counted
     * while it is written are left for the next export. Pages through the log, so memory does not
     * grow with its size.
     */
    static void log(VoteLog log, LogFilter filter, OutputStream out) throws IOException {
        try (SequenceWriter writer = CSV.writer(LOG).writeValues(out)) {
            String cursor = null;
            do {
                LogPage page = log.latest(filter, PAGE, cursor);
                for (LogEntry e : page.entries()) {
                    writer.write(LogRow.of(LoggedVote.of(e)));
                }
                writer.flush();
                cursor = page.next();
            } while (cursor != null);
        }
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    /** The text of a cell, defused when a spreadsheet would read it as a formula. */
    static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + text : text;
    }
}
