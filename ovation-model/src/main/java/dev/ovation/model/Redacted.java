package dev.ovation.model;

import java.util.regex.Pattern;

/** Connection strings as they may be shown or logged: without the password they may carry. */
public final class Redacted {

    /** {@code scheme://user:password@} or {@code scheme://:password@}, in each of a comma-separated list. */
    private static final Pattern USER_INFO = Pattern.compile("(://[^:/@,\\s]*):[^@/,\\s]*@");

    private Redacted() {
    }

    /** {@code redis://:secret@host:6379} becomes {@code redis://:<password>@host:6379}; others are unchanged. */
    public static String uri(String uri) {
        return uri == null ? null : USER_INFO.matcher(uri).replaceAll("$1:<password>@");
    }
}
