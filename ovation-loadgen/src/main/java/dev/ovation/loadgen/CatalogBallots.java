package dev.ovation.loadgen;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ballots drawn from a {@link Catalog} with a Zipf popularity skew: the item of rank k (1 = most
 * popular) is chosen with probability proportional to {@code 1 / k^skew}. Skew 0 is uniform; skew 1
 * gives the first item twice the votes of the second; larger skews concentrate on the head.
 */
final class CatalogBallots implements BallotSource {

    private final Catalog catalog;
    private final double skew;
    private final double[] cumulative;
    private final SplittableRandom random;

    CatalogBallots(Catalog catalog, double skew, SplittableRandom random) {
        if (skew < 0 || Double.isNaN(skew)) {
            throw new IllegalArgumentException("skew must be 0 or more, not " + skew);
        }
        this.catalog = catalog;
        this.skew = skew;
        this.random = random;
        this.cumulative = cumulativeShares(catalog.items().size(), skew);
    }

    /** The probability of each rank, summed up to it; the last is exactly 1. */
    static double[] cumulativeShares(int items, double skew) {
        double[] cdf = new double[items];
        double sum = 0;
        for (int k = 1; k <= items; k++) {
            sum += 1 / Math.pow(k, skew);
            cdf[k - 1] = sum;
        }
        for (int i = 0; i < items; i++) {
            cdf[i] /= sum;
        }
        cdf[items - 1] = 1.0;
        return cdf;
    }

    /** The index of the item a uniform draw in [0, 1) falls on. */
    static int pick(double[] cumulative, double draw) {
        int i = Arrays.binarySearch(cumulative, draw);
        // an exact hit on a boundary belongs to the next item; a miss gives -(insertion point) - 1
        return i >= 0 ? Math.min(i + 1, cumulative.length - 1) : -i - 1;
    }

    @Override
    public Ballot next() {
        Catalog.Item item = catalog.items().get(pick(cumulative, random.nextDouble()));
        return new Ballot(item.band(), item.album(), "2024", "1");
    }

    @Override
    public String describe() {
        return "generated over " + catalog.origin() + " (" + catalog.items().size() + " band/album pairs, Zipf skew "
                + skew + ")";
    }
}
