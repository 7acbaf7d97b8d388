package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {

    private static ByteBuf opMsg(int requestId, int flags, Document body, String sequenceName, List<Document> sequence) {
        ByteBuf message = Unpooled.buffer();
        message.writeIntLE(0).writeIntLE(requestId).writeIntLE(0).writeIntLE(2013).writeIntLE(flags);
        message.writeByte(0).writeBytes(DocumentEncoder.encode(body));
        if (sequenceName != null) {
            int sizeAt = message.writerIndex() + 1;
            message.writeByte(1).writeIntLE(0).writeBytes(sequenceName.getBytes(StandardCharsets.UTF_8)).writeByte(0);
            sequence.forEach(d -> message.writeBytes(DocumentEncoder.encode(d)));
            message.setIntLE(sizeAt, message.writerIndex() - sizeAt);
        }
        if ((flags & 1) != 0) {
            message.writeIntLE(0xCAFE);
        }
        message.setIntLE(0, message.writerIndex());
        return message;
    }

    @Test
    void shouldReadACommandWithItsDocumentSequenceAndChecksumInPieces() {
        // Given an insert of two documents, as a driver sends it, arriving in two pieces
        EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder());
        Document body = new Document("insert", "log_buckets").append("ordered", true).append("$db", "ovation");
        List<Document> buckets = List.of(new Document("_id", "votes/0/0").append("n", 2),
                new Document("_id", "votes/1/0").append("n", 1));
        ByteBuf message = opMsg(42, 1, body, "documents", buckets);
        int half = message.readableBytes() / 2;

        // When the first piece comes, then the rest
        channel.writeInbound(message.readRetainedSlice(half));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(message);

        // Then one message: its body with the sequence as a field, its header as sent
        MongoMessage read = channel.readInbound();
        assertThat(read.getDocument()).isEqualTo(new Document(body).append("documents", buckets));
        assertThat(read.getHeader().getRequestID()).isEqualTo(42);
        assertThat(read.getHeader().getTotalLength()).isEqualTo(message.writerIndex());
        assertThat(read.getDatabaseName()).isEqualTo("ovation");
    }

    @Test
    void shouldLeaveOtherOperationsToTheServersDecoder() {
        // Given a legacy OP_QUERY, as a driver's first handshake may be
        ByteBuf query = Unpooled.buffer();
        query.writeIntLE(0).writeIntLE(7).writeIntLE(0).writeIntLE(2004).writeIntLE(0)
                .writeBytes("admin.$cmd".getBytes(StandardCharsets.UTF_8)).writeByte(0).writeIntLE(0).writeIntLE(-1)
                .writeBytes(DocumentEncoder.encode(new Document("isMaster", 1)));
        query.setIntLE(0, query.writerIndex());
        EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder());

        channel.writeInbound(query);

        MongoQuery read = channel.readInbound();
        assertThat(read.getQuery()).isEqualTo(new Document("isMaster", 1));
        assertThat(read.getFullCollectionName()).isEqualTo("admin.$cmd");
    }
}
