package dev.ovation.launcher;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what a documented command printed with the sample the page shows, ignoring what
 * legitimately varies from run to run and nothing else (the rules, in docs/testing.md):
 * <ul>
 * <li>a line of JSON (with any text after it, such as curl's status code) is compared as JSON: the same
 * keys (in any order), the same values;</li>
 * <li>ids (UUIDs) match any id, the same one each time: the first time a sample's id is seen it is tied
 * to the one printed, and a later command that quotes the sample's id is given the printed one
 * ({@link #substitute});</li>
 * <li>instants and HTTP dates, numbers with a decimal point (times, rates, latencies, sizes in MB) and
 * durations in ms match any of their kind; so do the masked voters ({@code Qx3k…}), and in JSON the
 * values of {@code partition}, {@code offset} (a vote's place in the topic, chosen by the hash of a
 * random id or of a salted pseudonym) and {@code next} (a cursor);</li>
 * <li>every other number is compared exactly: counts, totals, status codes, ports;</li>
 * <li>a sample line in square brackets, such as {@code [...]}, stands for any lines, none included;
 * {@code [exit N]} as the last line says the command exits N (otherwise it must exit 0).</li>
 * </ul>
 * One matcher per page: the ids it ties hold for the whole page.
 */
final class SampleMatcher {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern EXIT = Pattern.compile("^\\[exit (\\d+)]$");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** The kinds of text that vary, as alternatives of one pattern; the group that matched names the kind. */
    private static final Pattern VARYING = Pattern.compile(String.join("|",
            "(?<uuid>" + UUID.pattern() + ")",
            "(?<instant>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d))",
            "(?<httpdate>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT)",
            "(?<decimal>(?<![\\d.])\\d+\\.\\d+(?![\\d.]))",
            "(?<millis>(?<![\\d.])\\d+ ?ms\\b)",
            "(?<voter>(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{4}…)"));
    private static final List<String> KINDS = List.of("uuid", "instant", "httpdate", "decimal", "millis", "voter");
    private static final Set<String> ANY_VALUE_KEYS = Set.of("partition", "offset", "next");

    /** Sample id to printed id, and the reverse, so that two sample ids never stand for one printed id. */
    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, String> idsPrinted = new HashMap<>();

    /** {@code command} with each sample id tied so far replaced by the id it stands for. */
    String substitute(String command) {
        Matcher id = UUID.matcher(command);
        StringBuilder out = new StringBuilder();
        while (id.find()) {
            id.appendReplacement(out, Matcher.quoteReplacement(ids.getOrDefault(id.group(), id.group())));
        }
        return id.appendTail(out).toString();
    }

    /** The exit status {@code sample} expects: {@code [exit N]} as its last line, else 0. */
    static int expectedExit(List<String> sample) {
        if (!sample.isEmpty()) {
            Matcher exit = EXIT.matcher(sample.get(sample.size() - 1).strip());
            if (exit.matches()) {
                return Integer.parseInt(exit.group(1));
            }
        }
        return 0;
    }

    /**
     * Why {@code printed} does not match {@code sample}, or empty when it does. Ids are tied only on a
     * match, so that a retried read does not keep a tie from an output it rejected.
     */
    Optional<String> mismatch(List<String> sample, List<String> printed) {
        List<String> expected = new ArrayList<>(sample);
        if (!expected.isEmpty() && EXIT.matcher(expected.get(expected.size() - 1).strip()).matches()) {
            expected.remove(expected.size() - 1);
        }
        Ties ties = new Ties();
        Optional<String> why = match(strip(expected), 0, strip(printed), 0, ties);
        if (why.isEmpty()) {
            ids.putAll(ties.ids);
            ties.ids.forEach((sampleId, printedId) -> idsPrinted.put(printedId, sampleId));
        }
        return why;
    }

    private static List<String> strip(List<String> lines) {
        List<String> stripped = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
        while (!stripped.isEmpty() && stripped.get(stripped.size() - 1).isEmpty()) {
            stripped.remove(stripped.size() - 1);
        }
        return stripped;
    }

    private Optional<String> match(List<String> sample, int s, List<String> printed, int p, Ties ties) {
        if (s == sample.size()) {
            return p == printed.size() ? Optional.empty()
                    : Optional.of("printed more lines than the sample shows, from: " + printed.get(p));
        }
        String expected = sample.get(s);
        if (isElision(expected)) {
            Optional<String> first = Optional.empty();
            for (int skip = p; skip <= printed.size(); skip++) {
                Ties tried = ties.copy();
                Optional<String> rest = match(sample, s + 1, printed, skip, tried);
                if (rest.isEmpty()) {
                    ties.ids.putAll(tried.ids);
                    return rest;
                }
                first = first.or(() -> rest);
            }
            return first;
        }
        if (p == printed.size()) {
            return Optional.of("the sample shows more lines than were printed, from: " + expected);
        }
        Optional<String> line = matchLine(expected, printed.get(p), ties);
        if (line.isPresent()) {
            return Optional.of("line " + (p + 1) + " differs: " + line.get() + "\n    sample:  " + expected
                    + "\n    printed: " + printed.get(p));
        }
        return match(sample, s + 1, printed, p + 1, ties);
    }

    /** {@code [...]}, {@code [the same seven stderr lines]}: a line in brackets that is no JSON array. */
    private static boolean isElision(String line) {
        String text = line.strip();
        return text.startsWith("[") && text.endsWith("]") && !EXIT.matcher(text).matches() && json(text).isEmpty();
    }

    private Optional<String> matchLine(String expected, String printed, Ties ties) {
        Optional<Parsed> sampleJson = json(expected);
        if (sampleJson.isPresent()) {
            Optional<Parsed> printedJson = json(printed);
            if (printedJson.isEmpty()) {
                return Optional.of("the sample shows JSON, the command printed something else");
            }
            Optional<String> why = matchJson("$", sampleJson.get().value(), printedJson.get().value(), ties);
            return why.isPresent() ? why : matchText(sampleJson.get().rest(), printedJson.get().rest(), ties);
        }
        return matchText(expected, printed, ties);
    }

    private Optional<String> matchJson(String path, JsonNode expected, JsonNode printed, Ties ties) {
        if (expected.isObject() && printed.isObject()) {
            Set<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            Set<String> printedKeys = new TreeSet<>();
            printed.fieldNames().forEachRemaining(printedKeys::add);
            if (!keys.equals(printedKeys)) {
                Set<String> missing = new TreeSet<>(printedKeys);
                missing.removeAll(keys);
                Set<String> extra = new TreeSet<>(keys);
                extra.removeAll(printedKeys);
                return Optional.of(path + ": keys differ; printed but not in the sample " + missing
                        + ", in the sample but not printed " + extra);
            }
            for (String key : keys) {
                JsonNode e = expected.get(key);
                JsonNode p = printed.get(key);
                if (ANY_VALUE_KEYS.contains(key) && !e.isNull() && e.getNodeType() == p.getNodeType()) {
                    continue;
                }
                Optional<String> why = matchJson(path + "." + key, e, p, ties);
                if (why.isPresent()) {
                    return why;
                }
            }
            return Optional.empty();
        }
        if (expected.isArray() && printed.isArray()) {
            if (expected.size() != printed.size()) {
                return Optional.of(path + ": " + expected.size() + " elements in the sample, " + printed.size() + " printed");
            }
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> p = printed.elements();
            for (int i = 0; e.hasNext(); i++) {
                Optional<String> why = matchJson(path + "[" + i + "]", e.next(), p.next(), ties);
                if (why.isPresent()) {
                    return why;
                }
            }
            return Optional.empty();
        }
        if (expected.isTextual() && printed.isTextual()) {
            return matchText(expected.textValue(), printed.textValue(), ties).map(why -> path + ": " + why);
        }
        if (expected.isFloatingPointNumber() && printed.isNumber()) {
            return Optional.empty();
        }
        if (expected.getNodeType() != printed.getNodeType() || !expected.equals(printed)
                || expected.getNodeType() == JsonNodeType.MISSING) {
            return Optional.of(path + ": " + expected + " in the sample, " + printed + " printed");
        }
        return Optional.empty();
    }

    /** Text: equal once each varying part (ids, instants, decimals, ...) is matched by a part of its kind. */
    private Optional<String> matchText(String expected, String printed, Ties ties) {
        List<Part> sampleParts = parts(expected);
        List<Part> printedParts = parts(printed);
        if (sampleParts.size() != printedParts.size()) {
            return Optional.of("'" + expected + "' in the sample, '" + printed + "' printed");
        }
        for (int i = 0; i < sampleParts.size(); i++) {
            Part e = sampleParts.get(i);
            Part p = printedParts.get(i);
            if (!e.kind().equals(p.kind()) || e.kind().equals("text") && !e.text().equals(p.text())) {
                return Optional.of("'" + expected + "' in the sample, '" + printed + "' printed");
            }
            if (e.kind().equals("uuid") && !ties.tie(e.text(), p.text(), ids, idsPrinted)) {
                return Optional.of("the id " + e.text() + " of the sample stands for "
                        + ties.tiedTo(e.text(), ids) + " already, not " + p.text());
            }
        }
        return Optional.empty();
    }

    private record Part(String kind, String text) {
    }

    private static List<Part> parts(String text) {
        List<Part> parts = new ArrayList<>();
        Matcher varying = VARYING.matcher(text);
        int at = 0;
        while (varying.find()) {
            parts.add(new Part("text", text.substring(at, varying.start())));
            String kind = KINDS.stream().filter(k -> varying.group(k) != null).findFirst().orElseThrow();
            parts.add(new Part(kind, varying.group()));
            at = varying.end();
        }
        parts.add(new Part("text", text.substring(at)));
        return parts;
    }

    private record Parsed(JsonNode value, String rest) {
    }

    /** The JSON object or array a line starts with, and the text after it; empty when it starts with none. */
    private static Optional<Parsed> json(String line) {
        if (!line.startsWith("{") && !line.startsWith("[")) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.getFactory().createParser(line)) {
            JsonNode value = JSON.readTree(parser);
            int end = (int) parser.currentLocation().getCharOffset();
            return Optional.of(new Parsed(value, line.substring(end)));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids tied while matching one output, kept only when the whole output matches. */
    private static final class Ties {

        final Map<String, String> ids = new HashMap<>();

        Ties copy() {
            Ties copy = new Ties();
            copy.ids.putAll(ids);
            return copy;
        }

        boolean tie(String sampleId, String printedId, Map<String, String> kept, Map<String, String> keptPrinted) {
            String tied = ids.getOrDefault(sampleId, kept.get(sampleId));
            if (tied != null) {
                return tied.equals(printedId);
            }
            String other = keptPrinted.get(printedId);
            if (other != null || ids.containsValue(printedId)) {
                return false;
            }
            ids.put(sampleId, printedId);
            return true;
        }

        String tiedTo(String sampleId, Map<String, String> kept) {
            return ids.getOrDefault(sampleId, kept.getOrDefault(sampleId, "another id"));
        }
    }
}
