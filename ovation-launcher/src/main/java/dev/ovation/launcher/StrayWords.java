package dev.ovation.launcher;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Usage errors caused by a word where an option was expected, as in {@code ovation recount seed}:
 * Ovation's commands (but {@code help}) take no positional arguments, every value follows the name
 * of its option. picocli alone reports what it then misses ("Missing required option:
 * '--contest=ID'"), not the word it could not place; this names the word and says what to type:
 * the option the word probably belongs to (one whose listed values hold the word, else the one
 * required option missing, else the only option that takes a value), or else the options that
 * take one, and where the help is; a role whose settings all come from the environment says so.
 * Every other usage error goes to picocli's own handler.
 */
final class StrayWords implements IParameterExceptionHandler {

    /** Past this many options that take a value, they are not listed: the help lists them better. */
    private static final int MOST_LISTED = 12;

    private final IParameterExceptionHandler otherwise;

    /** @param otherwise the handler of the usage errors that are not a stray word (picocli's own) */
    StrayWords(IParameterExceptionHandler otherwise) {
        this.otherwise = otherwise;
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) throws Exception {
        CommandLine command = error.getCommandLine();
        CommandSpec spec = command.getCommandSpec();
        ParseResult parsed = command.getParseResult();
        if (parsed == null || !spec.positionalParameters().isEmpty() || !spec.subcommands().isEmpty()) {
            return otherwise.handleParseException(error, args);
        }
        List<String> words = parsed.unmatched().stream().filter(arg -> !arg.startsWith("-")).toList();
        if (words.isEmpty()) {
            return otherwise.handleParseException(error, args);
        }
        PrintWriter err = command.getErr();
        String name = spec.qualifiedName();
        List<OptionSpec> valued = spec.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && o.arity().max() > 0 && !parsed.hasMatchedOption(o))
                .toList();
        OptionSpec owner = words.size() == 1 ? likelyOwner(words.get(0), valued, error) : null;
        String quoted = words.stream().map(w -> "'" + w + "'").collect(Collectors.joining(", "));
        if (spec.options().stream().noneMatch(o -> !o.usageHelp() && !o.versionHelp() && o.arity().max() > 0)) {
            err.printf("%s: unexpected %s %s: %s takes no arguments; its settings come from the environment,"
                            + " which '%s --help' lists.%n", name, words.size() == 1 ? "argument" : "arguments", quoted,
                    spec.name(), name);
            return spec.exitCodeOnInvalidInput();
        }
        String what = (words.size() == 1 ? "unexpected argument " : "unexpected arguments ") + quoted + ": "
                + spec.name() + " takes no positional arguments, every value goes after the name of its option";
        if (owner != null) {
            err.printf("%s: %s. Did you mean:%n  %s%n", name, what,
                    typed(name, parsed.originalArgs(), words.get(0), owner.longestName() + " " + words.get(0)));
        } else if (valued.isEmpty()) {
            err.printf("%s: %s.%n", name, what);
        } else if (valued.size() > MOST_LISTED) {
            err.printf("%s: %s, as in %s.%n", name, what, example(valued.get(0)));
        } else {
            err.printf("%s: %s, one of: %s.%n", name, what,
                    valued.stream().map(OptionSpec::longestName).collect(Collectors.joining(", ")));
        }
        err.printf("'%s --help' describes the options.%n", name);
        return spec.exitCodeOnInvalidInput();
    }

    /**
     * The option {@code word} was probably meant for: the one whose listed values hold it, else the
     * one required option missing, else the only option that takes a value; null when none stands out.
     */
    private static OptionSpec likelyOwner(String word, List<OptionSpec> valued, ParameterException error) {
        List<OptionSpec> listing = valued.stream().filter(o -> o.completionCandidates() != null
                && StreamSupport.stream(o.completionCandidates().spliterator(), false).anyMatch(word::equals)).toList();
        if (listing.size() == 1) {
            return listing.get(0);
        }
        if (error instanceof CommandLine.MissingParameterException missing) {
            List<OptionSpec> required = missing.getMissing().stream().filter(OptionSpec.class::isInstance)
                    .map(OptionSpec.class::cast).filter(valued::contains).toList();
            if (required.size() == 1) {
                return required.get(0);
            }
        }
        return valued.size() == 1 ? valued.get(0) : null;
    }

    /** The command line as typed, with {@code word} replaced by {@code replacement}. */
    private static String typed(String name, List<String> originalArgs, String word, String replacement) {
        // the arguments after the command's own name (the parse result of a subcommand holds only its own)
        List<String> args = new ArrayList<>(originalArgs);
        String[] names = name.split(" ");
        String last = names[names.length - 1];
        int start = args.indexOf(last) + 1;
        List<String> own = new ArrayList<>(args.subList(start, args.size()));
        own.set(own.indexOf(word), replacement);
        return name + (own.isEmpty() ? "" : " " + String.join(" ", own));
    }

    private static String example(OptionSpec option) {
        return option.longestName() + " " + option.paramLabel();
    }
}
