package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.message.ClientRequest;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the MongoDB-wire server's requests: the commands of today's drivers ({@code OP_MSG}) with
 * {@link DocumentDecoder}, everything else, and any message this one does not take as it is, with
 * the server's own decoder. Decoding the vote log's buckets, 14 fields a vote, was about half the
 * embedded server's CPU per vote with the server's decoder (bench/profile.sh).
 *
 * <p>An {@code OP_MSG}: a 16-byte header (length, request id, response to, op code 2013), flag bits,
 * then sections up to the end, or to a 4-byte checksum when flag bit 0 says so: a body (kind 0, one
 * document), or a sequence (kind 1: its size, an identifier, documents), which joins the body as a
 * field named by its identifier.
 */
final class MessageDecoder extends MongoWireProtocolHandler {

    private static final int OP_MSG = 2013;
    private static final int HEADER_AND_FLAGS = 20;
    private static final int CHECKSUM_PRESENT = 1;
    private static final byte SECTION_BODY = 0;
    private static final byte SECTION_SEQUENCE = 1;

    private final DocumentDecoder documents = new DocumentDecoder();

    @Override
    protected ClientRequest decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        int start = in.readerIndex();
        if (in.readableBytes() < HEADER_AND_FLAGS) {
            return super.decode(ctx, in);
        }
        int length = in.getIntLE(start);
        if (length < HEADER_AND_FLAGS || length > MAX_MESSAGE_SIZE_BYTES || in.readableBytes() < length
                || in.getIntLE(start + 12) != OP_MSG || (in.getIntLE(start + 16) & ~CHECKSUM_PRESENT) != 0) {
            // incomplete, or not one this decoder takes: the server's decoder waits, reads or refuses it
            return super.decode(ctx, in);
        }
        byte[] frame = new byte[length];
        in.readBytes(frame);
        return message(ctx.channel(), frame);
    }

    private MongoMessage message(Channel channel, byte[] frame) {
        int length = frame.length;
        MessageHeader header = new MessageHeader(length, int32(frame, 4), int32(frame, 8));
        int end = (int32(frame, 16) & CHECKSUM_PRESENT) != 0 ? length - 4 : length;
        Document body = null;
        Document sequences = new Document();
        int at = HEADER_AND_FLAGS;
        while (at < end) {
            byte kind = frame[at++];
            if (kind == SECTION_BODY) {
                if (body != null) {
                    throw new IllegalArgumentException("a message with two bodies");
                }
                body = documents.decode(frame, at);
                at = documents.position();
            } else if (kind == SECTION_SEQUENCE) {
                int sectionEnd = at + int32(frame, at);
                String identifier = documents.cstring(frame, at + 4);
                at = documents.position();
                List<Document> sequence = new ArrayList<>();
                do {
                    sequence.add(documents.decode(frame, at));
                    at = documents.position();
                } while (at < sectionEnd);
                if (sequences.put(identifier, sequence) != null) {
                    throw new IllegalArgumentException("two sequences named " + identifier);
                }
            } else {
                throw new IllegalArgumentException("Unexpected section kind: " + kind);
            }
        }
        if (body == null) {
            throw new IllegalArgumentException("a message without a body");
        }
        for (Map.Entry<String, Object> sequence : sequences.entrySet()) {
            if (body.put(sequence.getKey(), sequence.getValue()) != null) {
                throw new IllegalArgumentException("a sequence named as a field of the body: " + sequence.getKey());
            }
        }
        return new MongoMessage(channel, header, body);
    }

    private static int int32(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
    }
}
