package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes the MongoDB-wire server's documents into BSON: the same bytes as the server's own
 * {@link BsonEncoder}, written straight into an array, the common values (strings, numbers, dates,
 * sub-documents, arrays) without a lookup per field or a string's bytes copied twice. The server's
 * encoder writes every other kind of value. The H2 file stores every document it is given in this
 * form (bench/profile.sh: it costs about half the server's encoder, for a vote log bucket).
 */
final class DocumentEncoder {

    private byte[] bytes;
    private int at;

    private DocumentEncoder(int capacity) {
        this.bytes = new byte[capacity];
    }

    /** The BSON of {@code document}. */
    static byte[] encode(Document document) {
        DocumentEncoder encoder = new DocumentEncoder(1_024);
        encoder.document(document);
        return Arrays.copyOf(encoder.bytes, encoder.at);
    }

    private void document(Map<String, ?> document) {
        int start = at;
        int32(0);
        for (Map.Entry<String, ?> field : document.entrySet()) {
            field(field.getKey(), field.getValue());
        }
        end(start);
    }

    private void array(Collection<?> values) {
        int start = at;
        int32(0);
        int index = 0;
        for (Object value : values) {
            field(Integer.toString(index++), value);
        }
        end(start);
    }

    /** Ends the document or array begun at {@code start}: its terminating byte, then its length at its start. */
    private void end(int start) {
        put(BsonConstants.TERMINATING_BYTE);
        int end = at;
        at = start;
        int32(end - start);
        at = end;
    }

    private void field(String name, Object value) {
        if (value instanceof String s) {
            head(BsonConstants.TYPE_UTF8_STRING, name);
            string(s);
        } else if (value instanceof Integer i) {
            head(BsonConstants.TYPE_INT32, name);
            int32(i);
        } else if (value instanceof Long l) {
            head(BsonConstants.TYPE_INT64, name);
            int64(l);
        } else if (value instanceof Instant instant) {
            head(BsonConstants.TYPE_UTC_DATETIME, name);
            int64(instant.toEpochMilli());
        } else if (value instanceof Map<?, ?> map) {
            head(BsonConstants.TYPE_EMBEDDED_DOCUMENT, name);
            @SuppressWarnings("unchecked")
            Map<String, ?> document = (Map<String, ?>) map;
            document(document);
        } else if (value instanceof LazyDocumentArray lazy) {
            head(BsonConstants.TYPE_ARRAY, name);
            byte[] read = lazy.bson();
            if (read != null) {
                put(read); // as it was read: it was not changed since
            } else {
                array(lazy);
            }
        } else if (value instanceof Collection<?> values) {
            head(BsonConstants.TYPE_ARRAY, name);
            array(values);
        } else if (value instanceof Double d) {
            head(BsonConstants.TYPE_DOUBLE, name);
            int64(Double.doubleToRawLongBits(d));
        } else if (value instanceof Boolean b) {
            head(BsonConstants.TYPE_BOOLEAN, name);
            put(b ? BsonConstants.BOOLEAN_VALUE_TRUE : BsonConstants.BOOLEAN_VALUE_FALSE);
        } else if (value == null) {
            head(BsonConstants.TYPE_NULL, name);
        } else {
            byte type = BsonEncoder.determineType(value);
            head(type, name);
            ByteBuf encoded = Unpooled.buffer();
            try {
                BsonEncoder.encodeValue(type, value, encoded);
                put(ByteBufUtil.getBytes(encoded));
            } finally {
                encoded.release();
            }
        }
    }

    private void head(byte type, String name) {
        put(type);
        if (!ascii(name)) {
            put(name.getBytes(StandardCharsets.UTF_8));
        }
        put(BsonConstants.STRING_TERMINATION);
    }

    private void string(String value) {
        int lengthAt = at;
        int32(0);
        int start = at;
        if (!ascii(value)) {
            put(value.getBytes(StandardCharsets.UTF_8));
        }
        put(BsonConstants.STRING_TERMINATION);
        int end = at;
        at = lengthAt;
        int32(end - start);
        at = end;
    }

    /** Writes {@code text} when it is all ASCII (its UTF-8 bytes are its chars), else writes nothing. */
    private boolean ascii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            bytes[at + i] = (byte) c;
        }
        at += length;
        return true;
    }

    private void int32(int value) {
        ensure(4);
        bytes[at++] = (byte) value;
        bytes[at++] = (byte) (value >>> 8);
        bytes[at++] = (byte) (value >>> 16);
        bytes[at++] = (byte) (value >>> 24);
    }

    private void int64(long value) {
        int32((int) value);
        int32((int) (value >>> 32));
    }

    private void put(byte value) {
        ensure(1);
        bytes[at++] = value;
    }

    private void put(byte[] values) {
        ensure(values.length);
        System.arraycopy(values, 0, bytes, at, values.length);
        at += values.length;
    }

    private void ensure(int more) {
        if (at + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + more));
        }
    }
}
