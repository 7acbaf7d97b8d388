package dev.ovation.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, with axes, ticks and a legend: no script, no external resource, so an
 * HTML report opens anywhere, offline. The y axis may be logarithmic (latencies span decades); the x
 * axis may carry custom ticks.
 */
final class SvgChart {

    private static final int WIDTH = 880;
    private static final int HEIGHT = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 46;

    /** One line. */
    record Series(String name, String color, List<double[]> points) {
    }

    /** A tick at {@code value}, labelled {@code label}. */
    record Tick(double value, String label) {
    }

    /** An x range to shade (the warm-up), labelled. */
    record Band(double from, double to, String label) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private List<Tick> xTicks;
    private Band band;
    private Double xFrom;

    SvgChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    SvgChart xTicks(List<Tick> ticks) {
        this.xTicks = ticks;
        return this;
    }

    /** Starts the x axis at {@code x} even where no series has a point. */
    SvgChart xFrom(double x) {
        this.xFrom = x;
        return this;
    }

    SvgChart shade(Band b) {
        this.band = b;
        return this;
    }

    String render() {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (logY && p[1] <= 0) {
                    continue;
                }
                xMin = Math.min(xMin, p[0]);
                xMax = Math.max(xMax, p[0]);
                yMin = Math.min(yMin, p[1]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, Html.escape(title)));
        if (xMin > xMax) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text>%n</svg>%n", LEFT, HEIGHT / 2));
            return svg.toString();
        }
        if (xFrom != null) {
            xMin = Math.min(xMin, xFrom);
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        List<Tick> yTicks;
        if (logY) {
            yMin = Math.pow(10, Math.floor(Math.log10(yMin)));
            yMax = Math.pow(10, Math.ceil(Math.log10(yMax)));
            if (yMax <= yMin) {
                yMax = yMin * 10;
            }
            yTicks = new ArrayList<>();
            for (double v = yMin; v <= yMax * 1.0001; v *= 10) {
                yTicks.add(new Tick(v, number(v)));
            }
        } else {
            yMin = Math.min(0, yMin);
            double step = niceStep((yMax - yMin) / 5);
            yMax = Math.max(step, Math.ceil(yMax / step) * step);
            yTicks = new ArrayList<>();
            for (double v = yMin; v <= yMax + step / 2; v += step) {
                yTicks.add(new Tick(v, number(v)));
            }
        }
        List<Tick> xs = xTicks;
        if (xs == null) {
            xs = new ArrayList<>();
            double step = niceStep((xMax - xMin) / 8);
            for (double v = Math.ceil(xMin / step) * step; v <= xMax + step / 1000; v += step) {
                xs.add(new Tick(v, number(v)));
            }
        }
        Scale x = new Scale(xMin, xMax, LEFT, WIDTH - RIGHT, false);
        Scale y = new Scale(yMin, yMax, HEIGHT - BOTTOM, TOP, logY);
        if (band != null && band.to() > band.from()) {
            double from = x.at(Math.max(xMin, band.from()));
            double to = x.at(Math.min(xMax, band.to()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eee\"/>%n"
                    + "<text x=\"%.1f\" y=\"%d\" fill=\"#888\">%s</text>%n", from, TOP, Math.max(0, to - from),
                    HEIGHT - BOTTOM - TOP, from + 4, TOP + 14, Html.escape(band.label())));
        }
        for (Tick t : yTicks) {
            double py = y.at(t.value());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, WIDTH - RIGHT, py, py, LEFT - 6,
                    py + 4, Html.escape(t.label())));
        }
        for (Tick t : xs) {
            if (t.value() < xMin - 1e-9 || t.value() > xMax + 1e-9) {
                continue;
            }
            double px = x.at(t.value());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, px, TOP, HEIGHT - BOTTOM, px,
                    HEIGHT - BOTTOM + 16, Html.escape(t.label())));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, Html.escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">"
                + "%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, Html.escape(yLabel)));
        int legendX = WIDTH - RIGHT - 10;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"end\" fill=\"%s\">━ %s</text>%n",
                    legendX, s.color(), Html.escape(s.name())));
            legendX -= 14 + 7 * s.name().length() + 14;
        }
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                if (logY && p[1] <= 0) {
                    continue;
                }
                path.append(path.length() == 0 ? "M" : " L")
                        .append(String.format(Locale.ROOT, "%.1f %.1f", x.at(p[0]), y.at(Math.max(yMin, p[1]))));
            }
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"/>%n",
                    path, s.color()));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** A round step near {@code rough}: 1, 2 or 5 times a power of ten. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double r = rough / magnitude;
        return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
    }

    /** Maps data values onto pixels, linearly or logarithmically. */
    private record Scale(double min, double max, double from, double to, boolean log) {
        double at(double v) {
            double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
            return from + f * (to - from);
        }
    }
}
