package dev.ovation.loadgen;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads a rate in votes per second: {@code 20000}, {@code 20k}, {@code 1.5k}, {@code 0.5}. */
final class Rates implements CommandLine.ITypeConverter<Double> {

    private static final Pattern SHAPE = Pattern.compile("(\\d+(?:\\.\\d+)?)([km])?");

    @Override
    public Double convert(String value) {
        return parse(value);
    }

    static double parse(String value) {
        Matcher m = SHAPE.matcher(value.trim().toLowerCase().replace("_", "").replace(",", ""));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a rate; write votes per second, e.g. 20000 or 20k");
        }
        double rate = Double.parseDouble(m.group(1));
        if (m.group(2) != null) {
            rate *= m.group(2).equals("k") ? 1e3 : 1e6;
        }
        return rate;
    }
}
