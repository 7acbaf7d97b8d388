package dev.ovation.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Names an HTTP error answer by its status and Ovation's error code: {@code http 503 unavailable}. */
final class HttpErrors {

    private static final JsonFactory JSON = new JsonFactory();

    private HttpErrors() {
    }

    /** {@code http <status>}, followed by the {@code "error"} field of the JSON body when there is one. */
    static String kind(int status, String body) {
        String code = errorCode(body);
        return code == null ? "http " + status : "http " + status + " " + code;
    }

    private static String errorCode(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("error") && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            // not JSON: the status alone names the error
            return null;
        }
    }
}
