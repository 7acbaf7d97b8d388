package dev.ovation.loadgen;

/** Milliseconds as a person reads them: three significant digits, "ms" or "s". */
final class Millis {

    private Millis() {
    }

    static String format(double ms) {
        if (ms >= 10_000) {
            return String.format("%.1f s", ms / 1_000);
        }
        if (ms >= 100) {
            return String.format("%.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format("%.1f ms", ms);
        }
        return String.format("%.2f ms", ms);
    }
}
