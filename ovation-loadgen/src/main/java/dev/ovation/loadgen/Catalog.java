package dev.ovation.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bands and albums a contest can be voted for, most popular first: generated votes pick the
 * item of popularity rank k with a probability that falls with k (see {@link CatalogBallots}).
 *
 * @param items  every (band, album) pair, most popular first
 * @param origin where the catalog came from, for the summary
 */
record Catalog(List<Item> items, String origin) {

    private static final Pattern SYNTHETIC = Pattern.compile("(\\d{1,4})x(\\d{1,4})");

    /** One band and album that can be voted for. */
    record Item(String band, String album) {
    }

    Catalog {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the catalog (" + origin + ") has no band and album to vote for");
        }
        items = List.copyOf(items);
    }

    /** The distinct (band, album) pairs of some ballots, the most voted first (ties in order of appearance). */
    static Catalog of(List<Ballot> ballots, String origin) {
        Map<Item, Integer> counts = new LinkedHashMap<>();
        for (Ballot b : ballots) {
            counts.merge(new Item(b.band(), b.album()), 1, Integer::sum);
        }
        List<Item> items = new ArrayList<>(counts.keySet());
        items.sort(Comparator.comparing(counts::get, Comparator.reverseOrder()));
        return new Catalog(items, "the bands and albums of " + origin);
    }

    /** {@code BxA}: B bands ("Band 1"...) with A albums each ("Album 1"...), or {@code null} when not that shape. */
    static Catalog synthetic(String spec) {
        Matcher m = SYNTHETIC.matcher(spec);
        if (!m.matches()) {
            return null;
        }
        int bands = Integer.parseInt(m.group(1));
        int albums = Integer.parseInt(m.group(2));
        List<Item> items = new ArrayList<>(bands * albums);
        for (int b = 1; b <= bands; b++) {
            for (int a = 1; a <= albums; a++) {
                items.add(new Item("Band " + b, "Album " + a));
            }
        }
        return new Catalog(items, bands + " bands x " + albums + " albums");
    }

    /**
     * A catalog file: a JSON array of {@code {"band": "...", "albums": ["...", ...]}} in order of
     * popularity, or a votes file in the seed's shape (its distinct pairs, the most voted first).
     *
     * @throws IllegalArgumentException naming the entry at fault
     */
    static Catalog read(JsonNode root, String origin) {
        if (!root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException(origin + ": a catalog is a non-empty JSON array");
        }
        if (!root.get(0).has("albums")) {
            return of(BallotFile.read(root, origin), origin);
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            JsonNode band = entry.get("band");
            JsonNode albums = entry.get("albums");
            if (band == null || !band.isTextual() || band.asText().isBlank() || albums == null || !albums.isArray()) {
                throw new IllegalArgumentException(origin + ": entry " + i
                        + " must be {\"band\": \"...\", \"albums\": [\"...\", ...]}");
            }
            for (JsonNode album : albums) {
                if (!album.isTextual() || album.asText().isBlank()) {
                    throw new IllegalArgumentException(origin + ": entry " + i + " has an album that is not a name");
                }
                items.add(new Item(band.asText(), album.asText()));
            }
        }
        return new Catalog(items, origin);
    }
}
