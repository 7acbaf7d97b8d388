package dev.ovation.infra;

import de.bwaldvogel.mongo.wire.BsonConstants;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A long array of sub-documents as the MongoDB-wire server read it (a vote log bucket's entries):
 * its BSON, checked when read, and each sub-document decoded only when first asked for. Storing
 * the document again copies the BSON as it came ({@link #bson()}), and a reader of a few elements
 * (a page of the latest votes takes 32 of a bucket's 500) decodes those only. Decoding every entry
 * of every bucket inserted, then encoding them again to store them, was most of the embedded
 * server's CPU per vote (bench/profile.sh).
 *
 * <p>Read only the arrays whose elements are sub-documents of strings, numbers, dates, booleans,
 * nulls, sub-documents and arrays of those, each of at most 64 fields with ASCII names, each field
 * named once; anything else is decoded at
 * once as before ({@link #read} answers null), so that a sub-document this one takes can always be
 * decoded later. Changed in any way, it becomes an ordinary list of its decoded elements; an element
 * it handed out must not be changed in place (the server's updates, projections and comparisons work
 * on copies), or the BSON kept would no longer be the array. Thread-safe: the server keeps decoded
 * documents for every connection to read.
 */
final class LazyDocumentArray extends AbstractList<Object> implements RandomAccess, Serializable {

    /** The shortest array read lazily, in bytes: shorter ones are decoded at once. */
    static final int SHORTEST_BYTES = 4 * 1024;
    /** The most fields of a sub-document read lazily (each name is compared with the others). */
    private static final int MOST_FIELDS = 64;
    private static final long serialVersionUID = 1L;

    /** The array's BSON: its length, its elements, its terminating byte. */
    private final byte[] bson;
    /** Where each element's sub-document starts in {@link #bson}. */
    private final int[] starts;
    private transient Object[] decoded;
    /** Once changed: every element, decoded, and {@link #bson} no longer the array. */
    private transient List<Object> changed;

    private LazyDocumentArray(byte[] bson, int[] starts) {
        this.bson = bson;
        this.starts = starts;
    }

    /**
     * The array whose BSON starts at {@code offset} of {@code source}, when it is one this class
     * takes; null when it is to be decoded at once (too short, or other kinds of elements).
     *
     * @throws IllegalArgumentException when its BSON is malformed
     */
    static LazyDocumentArray read(byte[] source, int offset) {
        int length = int32(source, within(offset, 4, source.length));
        if (length < SHORTEST_BYTES) {
            return null;
        }
        if (length > source.length - offset || source[offset + length - 1] != BsonConstants.TERMINATING_BYTE) {
            throw new IllegalArgumentException("illegal BSON array of " + length + " bytes at " + offset);
        }
        int end = offset + length;
        int[] starts = new int[Math.max(16, length / 128)];
        int count = 0;
        int at = offset + 4;
        while (at < end - 1) {
            if (source[at++] != BsonConstants.TYPE_EMBEDDED_DOCUMENT) {
                return null;
            }
            at = skipName(source, at, end);
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = at - offset;
            at = checkedDocument(source, at, end);
            if (at < 0) {
                return null;
            }
        }
        if (at != end - 1) {
            throw new IllegalArgumentException("illegal BSON array: its elements run past its end");
        }
        return new LazyDocumentArray(Arrays.copyOfRange(source, offset, end), Arrays.copyOf(starts, count));
    }

    /** Serialized (H2 keeps a document's value so when it is part of an index key) as the list it is. */
    private Object writeReplace() {
        return new ArrayList<>(this);
    }

    /** The array's BSON as it was read; null once it was changed. */
    synchronized byte[] bson() {
        return changed == null ? bson : null;
    }

    @Override
    public synchronized Object get(int index) {
        if (changed != null) {
            return changed.get(index);
        }
        if (decoded == null) {
            decoded = new Object[starts.length];
        }
        Object element = decoded[index];
        if (element == null) {
            element = DocumentDecoder.ofThisThread().decode(bson, starts[index]);
            decoded[index] = element;
        }
        return element;
    }

    @Override
    public synchronized int size() {
        return changed != null ? changed.size() : starts.length;
    }

    @Override
    public synchronized Object set(int index, Object element) {
        return change().set(index, element);
    }

    @Override
    public synchronized void add(int index, Object element) {
        change().add(index, element);
        modCount++;
    }

    @Override
    public synchronized Object remove(int index) {
        modCount++;
        return change().remove(index);
    }

    private List<Object> change() {
        if (changed == null) {
            List<Object> all = new ArrayList<>(starts.length);
            for (int i = 0; i < starts.length; i++) {
                all.add(get(i));
            }
            changed = all;
            decoded = null;
        }
        return changed;
    }

    /**
     * Checks the sub-document at {@code at} as {@link DocumentDecoder} will read it: where it ends;
     * -1 when it holds a kind of value this class leaves to be decoded at once.
     */
    private static int checkedDocument(byte[] source, int at, int limit) {
        int length = length(source, at, limit);
        int end = at + length;
        int[] names = new int[16];
        int fields = 0;
        at += 4;
        while (at < end - 1) {
            byte type = source[at++];
            int name = at;
            at = skipName(source, at, end);
            if (!ascii(source, name, at) || fields == MOST_FIELDS) {
                // compared here byte by byte, names are compared decoded when read: other than ASCII,
                // or too many to compare each with each, the document is decoded at once
                return -1;
            }
            for (int i = 0; i < fields; i++) {
                if (sameName(source, names[i], name)) {
                    return -1; // decoded at once, which refuses it
                }
            }
            if (fields == names.length) {
                names = Arrays.copyOf(names, fields * 2);
            }
            names[fields++] = name;
            at = checkedValue(source, type, at, end);
            if (at < 0) {
                return -1;
            }
        }
        if (at != end - 1 || source[at] != BsonConstants.TERMINATING_BYTE) {
            throw new IllegalArgumentException("illegal BSON object: its fields run past its end");
        }
        return end;
    }

    /** Where the value of {@code type} at {@code at} ends; -1 for a kind left to be decoded at once. */
    private static int checkedValue(byte[] source, byte type, int at, int limit) {
        switch (type) {
            case BsonConstants.TYPE_UTF8_STRING: {
                int length = int32(source, within(at, 4, limit));
                if (length < 1 || length > limit - at - 4 || source[at + 3 + length] != BsonConstants.STRING_TERMINATION) {
                    throw new IllegalArgumentException("Illegal BSON string length: " + length);
                }
                return at + 4 + length;
            }
            case BsonConstants.TYPE_INT32:
                return within(at, 4, limit) + 4;
            case BsonConstants.TYPE_INT64:
            case BsonConstants.TYPE_UTC_DATETIME:
            case BsonConstants.TYPE_DOUBLE:
                return within(at, 8, limit) + 8;
            case BsonConstants.TYPE_BOOLEAN: {
                byte value = source[within(at, 1, limit)];
                if (value != BsonConstants.BOOLEAN_VALUE_TRUE && value != BsonConstants.BOOLEAN_VALUE_FALSE) {
                    throw new IllegalArgumentException("Illegal boolean value:" + value);
                }
                return at + 1;
            }
            case BsonConstants.TYPE_NULL:
            case BsonConstants.TYPE_UNDEFINED:
                return at;
            case BsonConstants.TYPE_EMBEDDED_DOCUMENT:
                return checkedDocument(source, at, limit);
            case BsonConstants.TYPE_ARRAY:
                return checkedArray(source, at, limit);
            default:
                return -1;
        }
    }

    private static int checkedArray(byte[] source, int at, int limit) {
        int length = length(source, at, limit);
        int end = at + length;
        at += 4;
        while (at < end - 1) {
            byte type = source[at++];
            at = skipName(source, at, end);
            at = checkedValue(source, type, at, end);
            if (at < 0) {
                return -1;
            }
        }
        if (at != end - 1 || source[at] != BsonConstants.TERMINATING_BYTE) {
            throw new IllegalArgumentException("illegal BSON array: its elements run past its end");
        }
        return end;
    }

    /** The length of the document or array at {@code at}, checked to end within {@code limit}. */
    private static int length(byte[] source, int at, int limit) {
        int length = int32(source, within(at, 4, limit));
        if (length < 5 || length > limit - at) {
            throw new IllegalArgumentException("illegal BSON object of " + length + " bytes");
        }
        return length;
    }

    /** Where the name at {@code at} (ending with a zero byte before {@code limit}) ends. */
    private static int skipName(byte[] source, int at, int limit) {
        while (at < limit && source[at] != BsonConstants.STRING_TERMINATION) {
            at++;
        }
        if (at == limit) {
            throw new IllegalArgumentException("illegal BSON: a field name without its end");
        }
        return at + 1;
    }

    /** Whether the bytes from {@code from} to {@code to} are ASCII. */
    private static boolean ascii(byte[] source, int from, int to) {
        for (int i = from; i < to; i++) {
            if (source[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameName(byte[] source, int a, int b) {
        while (source[a] == source[b]) {
            if (source[a] == BsonConstants.STRING_TERMINATION) {
                return true;
            }
            a++;
            b++;
        }
        return false;
    }

    private static int within(int at, int size, int limit) {
        if (size > limit - at) {
            throw new IllegalArgumentException("illegal BSON: a value runs past its document's end");
        }
        return at;
    }

    private static int int32(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
    }
}
