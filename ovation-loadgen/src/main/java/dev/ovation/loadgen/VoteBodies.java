package dev.ovation.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON bodies of the HTTP protocols: Ovation's vote shape, a batch of them, and the seed's shape. */
final class VoteBodies {

    private final JsonFactory json = new JsonFactory();

    /** {@code {"id", "contest", "band", "album", "year", "rank", "voter"}}, for {@code POST /api/votes}. */
    byte[] ovation(PlannedVote vote) {
        return write(g -> writeOvation(g, vote));
    }

    /** A JSON array of votes in Ovation's shape, for {@code POST /api/votes/batch}. */
    byte[] batch(List<Send> sends) {
        return write(g -> {
            g.writeStartArray();
            for (Send s : sends) {
                writeOvation(g, s.vote());
            }
            g.writeEndArray();
        });
    }

    /** {@code {"name", "album", "year", "rank"}}, for the seed's {@code POST /insert}. */
    byte[] seed(PlannedVote vote) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", vote.ballot().band());
            g.writeStringField("album", vote.ballot().album());
            g.writeStringField("year", vote.ballot().year());
            g.writeStringField("rank", vote.ballot().rank());
            g.writeEndObject();
        });
    }

    private static void writeOvation(JsonGenerator g, PlannedVote vote) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", vote.id());
        g.writeStringField("contest", vote.contest());
        g.writeStringField("band", vote.ballot().band());
        g.writeStringField("album", vote.ballot().album());
        g.writeStringField("year", vote.ballot().year());
        g.writeStringField("rank", vote.ballot().rank());
        if (!vote.voter().isEmpty()) {
            g.writeStringField("voter", vote.voter());
        }
        g.writeEndObject();
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] write(Writer writer) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256); JsonGenerator g = json.createGenerator(out)) {
            writer.write(g);
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a vote as JSON", e);
        }
    }
}
