package dev.ovation.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of one Markdown page, as {@link ConsoleDocsIT} runs them: each {@code ```console}
 * block's commands ({@code $ } lines, continued by a trailing {@code \}) with the output shown under
 * each, and each {@code ```sh} block's commands (no output shown), in the page's order, with the
 * {@code <!-- docs-test: ... -->} marking that precedes a block. The grammar is in docs/testing.md.
 */
record ConsoleDoc(String name, Optional<String> skipPage, List<Block> blocks) {

    private static final Pattern MARKING = Pattern.compile("^<!--\\s*docs-test:\\s*(.*?)\\s*-->$");
    private static final Pattern SKIP = Pattern.compile("^skip \\((.+)\\)$");
    private static final Pattern SKIP_PAGE = Pattern.compile("^skip page \\((.+)\\)$");
    private static final Pattern BACKGROUND = Pattern.compile("^background(?: (.+?))?, ready when (https?://\\S+|printed)$");
    private static final Pattern RETRY = Pattern.compile("^retry reads for (\\d+) s \\((.+)\\)$");

    /** One fenced block: where it starts (1-based line of its fence), its language, its marking and commands. */
    record Block(int line, String language, Marking marking, List<Command> commands) {

        /** The command that runs in the background by {@code marking}, if any. */
        Optional<Background> background(Command command) {
            return marking.backgrounds().stream()
                    .filter(b -> b.commandStart().map(start -> command.text().startsWith(start))
                            .orElse(command == commands.get(0)))
                    .findFirst();
        }
    }

    /** A command as written (continuation lines joined with their backslash and newline) and the output shown. */
    record Command(int line, String text, List<String> sample) {
    }

    /**
     * What a marking says of the block after it: skipped with a reason; some commands in the background;
     * how long its reads are retried, when longer than the usual (with a reason).
     */
    record Marking(Optional<String> skip, List<Background> backgrounds, Optional<Duration> retryReads) {

        static final Marking NONE = new Marking(Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * A command that runs until stopped, started in the background and awaited until {@code readyUrl}
     * answers 200, or without one ({@code ready when printed}) until it printed the output shown under it:
     * the block's first command, or the one that starts with {@code commandStart}.
     */
    record Background(Optional<String> commandStart, Optional<String> readyUrl) {
    }

    /** Parses {@code markdown}; a marking that cannot be read, or that marks no shell block, is an error. */
    static ConsoleDoc parse(String name, String markdown) {
        String[] lines = markdown.split("\n", -1);
        List<Block> blocks = new ArrayList<>();
        Optional<String> skipPage = Optional.empty();
        String pending = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            Matcher marking = MARKING.matcher(line);
            if (marking.matches()) {
                Matcher page = SKIP_PAGE.matcher(marking.group(1));
                if (page.matches()) {
                    skipPage = Optional.of(page.group(1));
                    continue;
                }
                if (pending != null) {
                    throw new IllegalArgumentException(name + ":" + pendingLine + ": a docs-test marking marks no shell block");
                }
                pending = marking.group(1);
                pendingLine = i + 1;
                continue;
            }
            if (!line.startsWith("```")) {
                if (!line.isEmpty() && pending != null) {
                    throw new IllegalArgumentException(name + ":" + pendingLine + ": a docs-test marking must come just"
                            + " before a ```console or ```sh fence");
                }
                continue;
            }
            String language = line.substring(3).strip();
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.length && !lines[i].strip().equals("```"); i++) {
                body.add(lines[i]);
            }
            if (language.equals("console") || language.equals("sh")) {
                Marking read = pending == null ? Marking.NONE : marking(name, pendingLine, pending);
                blocks.add(new Block(start + 1, language, read, commands(language, start + 2, body)));
            } else if (pending != null) {
                throw new IllegalArgumentException(name + ":" + pendingLine + ": a docs-test marking before a ```"
                        + language + " block, which is never run");
            }
            pending = null;
        }
        if (pending != null) {
            throw new IllegalArgumentException(name + ":" + pendingLine + ": a docs-test marking marks no shell block");
        }
        return new ConsoleDoc(name, skipPage, List.copyOf(blocks));
    }

    private static Marking marking(String name, int line, String text) {
        Matcher skip = SKIP.matcher(text);
        if (skip.matches()) {
            return new Marking(Optional.of(skip.group(1)), List.of(), Optional.empty());
        }
        List<Background> backgrounds = new ArrayList<>();
        Optional<Duration> retryReads = Optional.empty();
        for (String clause : text.split(";")) {
            Matcher background = BACKGROUND.matcher(clause.strip());
            Matcher retry = RETRY.matcher(clause.strip());
            if (background.matches()) {
                backgrounds.add(new Background(Optional.ofNullable(background.group(1)),
                        Optional.of(background.group(2)).filter(when -> !when.equals("printed"))));
            } else if (retry.matches()) {
                retryReads = Optional.of(Duration.ofSeconds(Long.parseLong(retry.group(1))));
            } else {
                throw new IllegalArgumentException(name + ":" + line + ": cannot read the docs-test marking '" + text
                        + "': expected 'skip (reason)', 'skip page (reason)', 'background [command start], ready when"
                        + " URL|printed' or 'retry reads for N s (reason)' (several of the last two joined by ';')");
            }
        }
        return new Marking(Optional.empty(), List.copyOf(backgrounds), retryReads);
    }

    /**
     * The commands of a block's body: in a console block, {@code $ } lines and the output lines under
     * each; in an sh block, every line that is not blank or a comment. A line ending with a backslash
     * continues on the next.
     */
    private static List<Command> commands(String language, int firstLine, List<String> body) {
        List<Command> commands = new ArrayList<>();
        boolean console = language.equals("console");
        for (int i = 0; i < body.size(); i++) {
            String line = body.get(i);
            if (console ? !line.startsWith("$ ") : line.isBlank() || line.stripLeading().startsWith("#")) {
                if (console && !commands.isEmpty()) {
                    commands.get(commands.size() - 1).sample().add(line);
                }
                continue;
            }
            int at = firstLine + i;
            StringBuilder text = new StringBuilder(console ? line.substring(2) : line);
            while (text.toString().endsWith("\\") && i + 1 < body.size()) {
                text.append('\n').append(body.get(++i));
            }
            commands.add(new Command(at, text.toString(), new ArrayList<>()));
        }
        return commands.stream().map(c -> new Command(c.line(), c.text(), List.copyOf(c.sample()))).toList();
    }
}
