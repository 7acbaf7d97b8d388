package dev.ovation.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of a contest's log ends: per topic partition with entries left, the bucket to go on
 * in and how many of its entries (from its start) are left to read. Handed out as an opaque
 * base64url string: {@code v1;<topic>/<partition>/<first>/<remaining>;...}.
 */
record LogCursor(List<Position> positions) {

    /** Every entry of the bucket is left. */
    static final int WHOLE_BUCKET = Integer.MAX_VALUE;

    private static final String VERSION = "v1";
    private static final Pattern POSITION = Pattern.compile("([A-Za-z0-9._-]+)/(\\d+)/(\\d+)/(\\d+)");

    /**
     * One partition's resume point.
     *
     * @param remaining entries {@code [0, remaining)} of bucket {@code first} are still to read
     */
    record Position(String topic, int partition, long first, int remaining) {

        String bucketId() {
            return LogBucket.id(topic, partition, first);
        }
    }

    String encode() {
        StringBuilder raw = new StringBuilder(VERSION);
        for (Position p : positions) {
            raw.append(';').append(p.topic()).append('/').append(p.partition()).append('/').append(p.first())
                    .append('/').append(p.remaining());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor this API handed out.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static LogCursor decode(String cursor) {
        LogCursor decoded;
        try {
            decoded = parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not base64url, or a number out of range
            throw notHandedOut(cursor, e);
        }
        if (decoded == null) {
            throw notHandedOut(cursor, null);
        }
        return decoded;
    }

    /** The cursor written in {@code raw}, or null when it is not one. */
    private static LogCursor parse(String raw) {
        String[] parts = raw.split(";", -1);
        if (parts.length < 2 || !parts[0].equals(VERSION)) {
            return null;
        }
        List<Position> positions = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            Matcher m = POSITION.matcher(parts[i]);
            if (!m.matches()) {
                return null;
            }
            int remaining = Integer.parseInt(m.group(4));
            if (remaining < 1) {
                return null;
            }
            positions.add(new Position(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), remaining));
        }
        return new LogCursor(positions);
    }

    static IllegalArgumentException notHandedOut(String cursor, Throwable cause) {
        return new IllegalArgumentException("the cursor '" + cursor + "' is not one this API handed out", cause);
    }
}
