package dev.ovation.launcher;

import ch.qos.logback.classic.LoggerContext;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.ovation.chaos.ChaosCommand;
import dev.ovation.loadgen.LoadgenCommand;
import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.model.ExitCodes;
import dev.ovation.model.UnreachableException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ovation} command: every role of Ovation as a subcommand of one executable jar. */
@Command(name = "ovation", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Live audience voting at scale: votes over gRPC and HTTP, queued in Kafka, counted into"
                + " Redis, logged to MongoDB.",
        subcommands = {StandaloneCommand.class, InfraCommand.class, IngestCommand.class, CounterCommand.class,
                ResultsCommand.class, RecountCommand.class, LoadgenCommand.class, ChaosCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Environment, for every role:",
                "  " + LogFormat.ENV + "  " + LogFormat.HELP,
                "", "Exit codes, for every command:",
                "  0  done (recount: the tallies agree)",
                "  1  failed (recount: they differ)",
                "  2  a bad option or setting",
                "  3  Kafka, Redis or MongoDB could not be reached"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // before anything logs, so that every line of the run comes out in one format
        LogFormat logFormat;
        try {
            logFormat = LogFormat.from(Env.system());
        } catch (ConfigException e) {
            System.err.println("ovation: " + e.getMessage());
            System.exit(ExitCodes.USAGE);
            return;
        }
        logFormat.configure((LoggerContext) LoggerFactory.getILoggerFactory());
        System.exit(commandLine(logFormat).execute(args));
    }

    /** The command line with text logs, for tests. */
    static CommandLine commandLine() {
        return commandLine(LogFormat.TEXT);
    }

    /**
     * The command line. A role that fails prints why on standard error, as one line of text; with JSON
     * logs, as a log event with its stack trace instead, so that standard error stays JSON. A word
     * where an option was expected is answered with the option it probably belongs to
     * ({@link StrayWords}); every help's footer is laid out in columns ({@link FooterLayout}).
     */
    static CommandLine commandLine(LogFormat logFormat) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(new StrayWords(cli.getParameterExceptionHandler()));
        FooterLayout.apply(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String failure = "ovation " + commandLine.getCommandName() + ": " + e.getMessage();
            if (logFormat == LogFormat.JSON) {
                LoggerFactory.getLogger(Main.class).error(failure, e);
            } else {
                commandLine.getErr().println(failure);
            }
            return exitCode(e);
        });
        return cli;
    }

    /**
     * How a command that threw ends ({@link ExitCodes}): 2 for a bad setting, 3 when Kafka, Redis
     * or MongoDB could not be reached, 1 for anything else.
     */
    static int exitCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return ExitCodes.USAGE;
            }
            if (t instanceof UnreachableException || t instanceof RedisConnectionException
                    || t instanceof RedisCommandTimeoutException
                    || t instanceof TimeoutException
                    || t instanceof MongoTimeoutException || t instanceof MongoSocketException) {
                return ExitCodes.UNREACHABLE;
            }
        }
        return ExitCodes.FAILED;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
