package dev.ovation.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log event as one line of JSON, for {@code OVATION_LOG_FORMAT=json}:
 *
 * <pre>
 * {"timestamp":"2026-12-01T14:20:03.512Z","level":"ERROR","logger":"dev.ovation.counter.CounterService",
 *  "thread":"counter-0","message":"...","stack_trace":"java.io.IOException: ...\n\tat ..."}
 * </pre>
 *
 * <p>{@code timestamp} is ISO-8601 in UTC with milliseconds; {@code stack_trace} is there only when the
 * event carries an exception, with its causes, as logback prints it in text. Line breaks inside the
 * message or the stack trace are escaped, so that every event stays on one line.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            // a StringWriter does not fail; should Jackson, the appender reports it in logback's status
            throw new UncheckedIOException(e);
        }
        return line.append('\n').toString();
    }
}
