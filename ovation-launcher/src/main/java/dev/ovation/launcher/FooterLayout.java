package dev.ovation.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Lays out the footer of a command's {@code --help} (its environment variables, exit codes and
 * notes) within the usage width, as picocli lays out the options: picocli wraps a footer line's
 * overflow to column 0, under the names. Here an indented line of the form {@code NAME  text} is
 * a row of a table: the consecutive rows share the column where their text starts, and text that
 * wraps continues in that column; a name that ends past column {@value #WIDEST_NAME} has its text
 * start on the next line. Any other line that wraps continues two columns to the right of where it
 * starts. Footer lines are written one per source line, unwrapped, in the commands' annotations.
 */
final class FooterLayout implements IHelpSectionRenderer {

    /** The last column of a name that keeps its text beside it: a wider one would leave the text too little room. */
    static final int WIDEST_NAME = 32;
    private static final Pattern ROW = Pattern.compile("( +)(\\S(?:.*?\\S)?) {2,}(\\S.*)");
    private static final int HANGING_INDENT = 2;

    /** Lays out the footer of every command of {@code root}, the root's included. */
    static void apply(CommandLine root) {
        root.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, new FooterLayout());
        root.getSubcommands().values().forEach(FooterLayout::apply);
    }

    @Override
    public String render(Help help) {
        return layout(List.of(help.commandSpec().usageMessage().footer()), help.commandSpec().usageMessage().width());
    }

    /** The footer lines laid out within {@code width} columns, each output line ending in a line break. */
    static String layout(List<String> lines, int width) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); ) {
            if (!ROW.matcher(lines.get(i)).matches()) {
                String line = lines.get(i++);
                int indent = line.length() - line.stripLeading().length();
                wrap(out, line.strip(), indent, indent + HANGING_INDENT, width);
                continue;
            }
            List<Matcher> rows = new ArrayList<>();
            for (; i < lines.size(); i++) {
                Matcher row = ROW.matcher(lines.get(i));
                if (!row.matches()) {
                    break;
                }
                rows.add(row);
            }
            int names = rows.stream().mapToInt(r -> r.group(1).length() + r.group(2).length())
                    .filter(end -> end <= WIDEST_NAME).max().orElse(WIDEST_NAME);
            int column = names + 2;
            for (Matcher row : rows) {
                String name = row.group(1) + row.group(2);
                if (name.length() + 2 > column) {
                    out.append(name).append('\n');
                    wrap(out, row.group(3), column, column, width);
                } else {
                    String first = name + " ".repeat(column - name.length());
                    wrap(out, first, row.group(3), column, width);
                }
            }
        }
        return out.toString();
    }

    /** {@code text} from column {@code first}, wrapped at word breaks, continued from column {@code next}. */
    private static void wrap(StringBuilder out, String text, int first, int next, int width) {
        wrap(out, " ".repeat(first), text, next, width);
    }

    private static void wrap(StringBuilder out, String start, String text, int next, int width) {
        StringBuilder line = new StringBuilder(start);
        boolean empty = true;
        for (String word : text.split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!empty && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(" ".repeat(next));
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
