package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes BSON into the MongoDB-wire server's documents: the same documents as the server's own
 * {@link BsonDecoder}, read straight from an array. Field names and short strings that come again
 * and again (a vote log bucket's 14 names per vote, its contests, bands, albums, protocols) are
 * taken from a small cache of the strings made before, instead of a new string each time; other
 * kinds of values than strings, numbers, dates, booleans, sub-documents and arrays are read by the
 * server's decoder. A long array of sub-documents is read as a {@link LazyDocumentArray}: checked now,
 * each sub-document decoded when asked for. One instance per thread: it is not thread-safe.
 */
final class DocumentDecoder {

    /** The longest string kept in the cache, in bytes: names and short values, not ids. */
    private static final int CACHED_LENGTH = 32;
    private static final int CACHE_SLOTS = 1 << 10;

    private static final ThreadLocal<DocumentDecoder> OF_THREAD = ThreadLocal.withInitial(DocumentDecoder::new);

    private final String[] cachedStrings = new String[CACHE_SLOTS];
    private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];
    private byte[] bytes;
    private int at;

    /**
     * The decoder of the calling thread, for decodings that start and end within one call (no decoding
     * calls another). A connection's requests have a decoder of their own ({@link MessageDecoder}).
     */
    static DocumentDecoder ofThisThread() {
        return OF_THREAD.get();
    }

    /** Decodes the document at {@code offset} of {@code source}; {@link #position()} is then after it. */
    Document decode(byte[] source, int offset) {
        this.bytes = source;
        this.at = offset;
        return document();
    }

    /** Decodes the string ending with a zero byte at {@code offset}, as a field name is written. */
    String cstring(byte[] source, int offset) {
        this.bytes = source;
        this.at = offset;
        return cstring();
    }

    /** Where the last decoding ended. */
    int position() {
        return at;
    }

    private Document document() {
        int start = at;
        int length = int32() - 4;
        if (length > BsonConstants.MAX_BSON_OBJECT_SIZE) {
            throw new IllegalArgumentException("BSON object too large: " + length + " bytes");
        }
        if (bytes.length - at < length) {
            throw new IllegalArgumentException("Too few bytes to read: " + (bytes.length - at) + ". Expected: " + length);
        }
        int end = start + 4 + length;
        Document document = new Document();
        while (at < end) {
            byte type = bytes[at++];
            if (type == BsonConstants.TERMINATING_BYTE) {
                return document;
            }
            String name = cstring();
            if (document.put(name, value(type)) != null) {
                throw new IllegalArgumentException("Document already contains field '" + name + "'");
            }
        }
        throw new IllegalArgumentException("illegal BSON object. Terminating byte not found. totalObjectLength = "
                + (length + 4));
    }

    private List<Object> array() {
        int start = at;
        LazyDocumentArray lazy = LazyDocumentArray.read(bytes, start);
        if (lazy != null) {
            at = start + int32();
            return lazy;
        }
        int end = start + int32();
        List<Object> values = new ArrayList<>();
        while (at < end) {
            byte type = bytes[at++];
            if (type == BsonConstants.TERMINATING_BYTE) {
                return values;
            }
            while (bytes[at] != BsonConstants.STRING_TERMINATION) {
                at++;
            }
            at++;
            values.add(value(type));
        }
        throw new IllegalArgumentException("illegal BSON array: terminating byte not found");
    }

    private Object value(byte type) {
        switch (type) {
            case BsonConstants.TYPE_UTF8_STRING:
                return string();
            case BsonConstants.TYPE_INT32:
                return int32();
            case BsonConstants.TYPE_INT64:
                return int64();
            case BsonConstants.TYPE_UTC_DATETIME:
                return Instant.ofEpochMilli(int64());
            case BsonConstants.TYPE_EMBEDDED_DOCUMENT:
                return document();
            case BsonConstants.TYPE_ARRAY:
                return array();
            case BsonConstants.TYPE_DOUBLE:
                return Double.longBitsToDouble(int64());
            case BsonConstants.TYPE_BOOLEAN:
                byte b = bytes[at++];
                if (b == BsonConstants.BOOLEAN_VALUE_TRUE) {
                    return Boolean.TRUE;
                }
                if (b == BsonConstants.BOOLEAN_VALUE_FALSE) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("Illegal boolean value:" + b);
            case BsonConstants.TYPE_NULL:
            case BsonConstants.TYPE_UNDEFINED:
                return null;
            default:
                ByteBuf rest = Unpooled.wrappedBuffer(bytes, at, bytes.length - at);
                Object value = BsonDecoder.decodeValue(type, rest);
                at += rest.readerIndex();
                return value;
        }
    }

    private String string() {
        int length = int32() - 1;
        if (length < 0 || at + length >= bytes.length) {
            throw new IllegalArgumentException("Illegal BSON string length: " + (length + 1));
        }
        String value = text(at, length);
        at += length;
        byte trail = bytes[at++];
        if (trail != BsonConstants.STRING_TERMINATION) {
            throw new IllegalArgumentException("Unexpected trailing byte: " + trail);
        }
        return value;
    }

    private String cstring() {
        int start = at;
        while (bytes[at] != BsonConstants.STRING_TERMINATION) {
            at++;
        }
        String value = text(start, at - start);
        at++;
        return value;
    }

    /** The string of {@code length} UTF-8 bytes at {@code offset}: the one made before when cached. */
    private String text(int offset, int length) {
        if (length > CACHED_LENGTH) {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        int hash = length;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (CACHE_SLOTS - 1);
        byte[] cached = cachedBytes[slot];
        if (cached != null && Arrays.equals(cached, 0, cached.length, bytes, offset, offset + length)) {
            return cachedStrings[slot];
        }
        String value = new String(bytes, offset, length, StandardCharsets.UTF_8);
        cachedBytes[slot] = Arrays.copyOfRange(bytes, offset, offset + length);
        cachedStrings[slot] = value;
        return value;
    }

    private int int32() {
        int value = (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
        at += 4;
        return value;
    }

    private long int64() {
        long low = int32() & 0xffffffffL;
        long high = int32() & 0xffffffffL;
        return high << 32 | low;
    }
}
