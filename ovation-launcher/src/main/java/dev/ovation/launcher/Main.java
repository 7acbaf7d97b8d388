package dev.ovation.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ovation} command: every role of Ovation as a subcommand of one executable jar. */
@Command(name = "ovation", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Live audience voting at scale: votes over gRPC and HTTP, queued in Kafka, counted into"
                + " Redis, logged to MongoDB.",
        subcommands = {StandaloneCommand.class, InfraCommand.class, IngestCommand.class, CounterCommand.class,
                ResultsCommand.class, RecountCommand.class, dev.ovation.loadgen.LoadgenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for {@link #main} and for tests. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ovation " + commandLine.getCommandName() + ": " + e.getMessage());
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
