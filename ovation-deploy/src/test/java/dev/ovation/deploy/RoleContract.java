package dev.ovation.deploy;

import dev.ovation.counter.CounterConfig;
import dev.ovation.ingest.IngestConfig;
import dev.ovation.launcher.Main;
import dev.ovation.results.ResultsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What each role reads from its environment, taken from the code itself: the role's {@code --help}
 * text (rendered in process by picocli), its {@code *Config} record's source, the launcher's settings
 * that apply to every role (logging), and the ports docs/metrics.md fixes for every role.
 */
enum RoleContract {

    INGEST("ingest", "ovation-ingest/src/main/java/dev/ovation/ingest/IngestConfig.java"),
    COUNTER("counter", "ovation-counter/src/main/java/dev/ovation/counter/CounterConfig.java"),
    RESULTS("results", "ovation-results/src/main/java/dev/ovation/results/ResultsConfig.java");

    private static final Pattern VARIABLE = Pattern.compile("OVATION_[A-Z0-9_]*[A-Z0-9]");

    private final String command;
    private final String configSource;

    RoleContract(String command, String configSource) {
        this.command = command;
        this.configSource = configSource;
    }

    /** The subcommand, which is also the container's args and the name of its Deployment. */
    String command() {
        return command;
    }

    static RoleContract of(String command) {
        return Arrays.stream(values()).filter(r -> r.command.equals(command)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no role " + command));
    }

    /**
     * Reads {@code env} with the role's own configuration reader ({@code IngestConfig.from} and so on),
     * which fails on a value it does not accept: a port out of range, a bad address range, a number
     * that is not one.
     */
    Object readConfiguration(Map<String, String> env) {
        dev.ovation.model.Env vars = new dev.ovation.model.Env(env); // qualified: this package has its own Env
        return switch (this) {
            case INGEST -> IngestConfig.from(vars);
            case COUNTER -> CounterConfig.from(vars);
            case RESULTS -> ResultsConfig.from(vars);
        };
    }

    /** {@code ovation <role> --help}, as the launcher prints it. */
    String help() {
        CommandLine role = new CommandLine(new Main()).getSubcommands().get(command);
        if (role == null) {
            throw new IllegalStateException("the launcher has no subcommand " + command);
        }
        // wide enough that no line of the environment table wraps
        role.setUsageHelpWidth(400);
        return role.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** Every OVATION_* variable this role reads. */
    Set<String> variablesRead() {
        Set<String> read = new TreeSet<>(variablesIn(help()));
        read.addAll(variablesIn(Repository.read(configSource)));
        read.addAll(launcherWide());
        read.addAll(metricsContract());
        return read;
    }

    /**
     * The variables whose default is a server on this machine (127.0.0.1 or localhost), by the help
     * text's own words: in a container that default is always wrong, so each must be set.
     */
    Set<String> variablesDefaultingToLocalhost() {
        Set<String> local = new TreeSet<>();
        for (String line : help().split("\\R")) {
            if (line.contains("127.0.0.1") || line.contains("localhost")) {
                Matcher m = VARIABLE.matcher(line);
                if (m.find()) {
                    local.add(m.group());
                }
            }
        }
        return local;
    }

    /** The variables docs/metrics.md gives this role's row (its HTTP port). */
    Set<String> metricsContract() {
        Set<String> found = new TreeSet<>();
        for (String line : Repository.read("docs/metrics.md").split("\\R")) {
            if (line.startsWith("| " + command + " |")) {
                found.addAll(variablesIn(line));
            }
        }
        return found;
    }

    /** Settings the launcher reads for whichever role it runs (logging), outside the roles' commands. */
    static Set<String> launcherWide() {
        Path launcher = Repository.path("ovation-launcher/src/main");
        try (Stream<Path> files = Files.walk(launcher)) {
            Set<String> found = new TreeSet<>();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith("Command.java") || name.startsWith("Standalone") || name.startsWith("Infra")) {
                    continue;
                }
                found.addAll(variablesIn(Files.readString(file)));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> variablesIn(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    static List<String> commands() {
        return Arrays.stream(values()).map(RoleContract::command).toList();
    }
}
