package dev.ovation.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the project's Markdown (README, BENCHMARKS, docs/, bench/results' READMEs)
 * reaches a file of the repository, and every {@code #anchor} a heading of the file it names.
 * Links to other sites are not followed (the build has no network to them).
 */
class DocsLinksTest {

    /** {@code [text](target)}, not an image's; the target up to a space or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    @Test
    void shouldReachEveryFileAndHeadingItLinksTo() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdownFiles()) {
            String text = withoutCode(Files.readString(file));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.startsWith("//")) {
                    continue;
                }
                String where = Repository.root().relativize(file) + ": " + target;
                int hash = target.indexOf('#');
                String pathPart = hash < 0 ? target : target.substring(0, hash);
                Path linked = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
                if (!Files.exists(linked)) {
                    broken.add(where + " (no such file)");
                    continue;
                }
                if (hash >= 0 && linked.toString().endsWith(".md")
                        && !MarkdownAnchors.of(Files.readString(linked)).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void shouldFindABrokenLinkWhenThereIsOne() {
        Matcher link = LINK.matcher("see [the flood](BENCHMARKS.md#a-flood-from-one-address) and ![x](y.png)");
        assertThat(link.find()).isTrue();
        assertThat(link.group(1)).isEqualTo("BENCHMARKS.md#a-flood-from-one-address");
        assertThat(link.find()).isFalse();
        assertThat(MarkdownAnchors.of("## A flood from one address: `bench/flood.sh`\n"))
                .containsExactly("a-flood-from-one-address-benchfloodsh");
    }

    private static List<Path> markdownFiles() throws IOException {
        Path root = Repository.root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("BENCHMARKS.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        try (Stream<Path> results = Files.walk(root.resolve("bench"))) {
            results.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The text with fenced and inline code blanked, so a link shown as code is not checked. */
    private static String withoutCode(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                out.append('\n');
                continue;
            }
            out.append(fenced ? "" : line.replaceAll("`[^`]*`", "``")).append('\n');
        }
        return out.toString();
    }
}
