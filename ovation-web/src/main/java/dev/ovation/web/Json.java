package dev.ovation.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Writes JSON answers with one shared, thread-safe mapper. */
public final class Json {

    /** Shared and immutable once built; ISO-8601 dates. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    /** Answers {@code status} with {@code body} as JSON. */
    public static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why a request body of this {@code Content-Type} is not taken as JSON, or null when it is:
     * {@code application/json} or any {@code application/*+json}, in UTF-8 (the default; another
     * {@code charset} is refused). A request without the header is taken as JSON: no browser form
     * can send one, so this does not open the endpoint to cross-site form posts.
     */
    public static String notJson(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return "the body must be JSON, sent with Content-Type: application/json (this request has "
                    + printable(contentType) + ")";
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return "the body must be UTF-8 JSON (this request says charset=" + printable(charset) + ")";
                }
            }
        }
        return null;
    }

    /** At most 100 characters of a client's text, without control characters, to quote in a message. */
    private static String printable(String text) {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return shown.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
