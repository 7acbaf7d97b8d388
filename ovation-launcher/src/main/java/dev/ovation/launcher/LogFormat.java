package dev.ovation.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import java.net.URL;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How every role writes its logs, chosen by {@value #ENV}: {@code text} (the default, for people) or
 * {@code json} (one object per line, for log collectors; see {@link JsonLogLayout}). Both go to
 * standard error.
 */
enum LogFormat {

    /** logback's own configuration: {@code logback.xml}, or {@code -Dlogback.configurationFile}. */
    TEXT(null),
    /** {@code logback-json.xml}. */
    JSON("/logback-json.xml");

    static final String ENV = "OVATION_LOG_FORMAT";

    /** What {@code --help} says of {@value #ENV}. */
    static final String HELP = "text (default) or json: one JSON object per line";

    private final String configuration;

    LogFormat(String configuration) {
        this.configuration = configuration;
    }

    /**
     * The format named by {@value #ENV}, {@link #TEXT} when unset.
     *
     * @throws ConfigException naming the variable and the formats, for any other value
     */
    static LogFormat from(Env env) {
        String value = env.string(ENV, "text");
        for (LogFormat format : values()) {
            if (format.label().equalsIgnoreCase(value)) {
                return format;
            }
        }
        throw new ConfigException(ENV + "=" + value + " is not a log format; expected "
                + Arrays.stream(values()).map(LogFormat::label).collect(Collectors.joining(" or ")));
    }

    /** The value of {@value #ENV} that selects this format. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Configures logback for this format, replacing the configuration it loaded on its own; {@link #TEXT}
     * leaves that one in place. Call it before anything logs, so that no line comes out in the other format.
     *
     * @throws IllegalStateException when the configuration file is missing or logback reports an error in it
     */
    void configure(LoggerContext context) {
        if (configuration == null) {
            return;
        }
        URL file = LogFormat.class.getResource(configuration);
        if (file == null) {
            throw new IllegalStateException(configuration + " is missing from the classpath");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure the " + label() + " logs from " + file, e);
        }
        if (new StatusUtil(context).getHighestLevel(0) >= Status.ERROR) {
            throw new IllegalStateException("cannot configure the " + label() + " logs from " + file + ": "
                    + context.getStatusManager().getCopyOfStatusList());
        }
    }
}
