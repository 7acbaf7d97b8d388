package dev.ovation.web;

import dev.ovation.model.ConfigException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of address ranges in CIDR notation ({@code 10.0.0.0/8,::1/128}; a bare address is a range
 * of one), read from a setting. Addresses are literals only: nothing is looked up in DNS.
 */
public final class AddressRanges {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Range(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            BigInteger mask = all.shiftRight(prefix).not().and(all);
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    /** No range: contains nothing. */
    public static final AddressRanges NONE = new AddressRanges(List.of());

    private final List<Range> ranges;

    private AddressRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Parses a comma-separated list.
     *
     * @param setting the setting's name, for the error message
     * @throws ConfigException naming the setting and the bad entry
     */
    public static AddressRanges parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : value.split(",")) {
            String text = entry.strip();
            String[] parts = text.split("/", 2);
            byte[] network = literal(parts[0]);
            if (network == null) {
                throw new ConfigException(setting + ": '" + text + "' is not an address or a CIDR range"
                        + " (e.g. 10.0.0.0/8 or ::1)");
            }
            int prefix = network.length * 8;
            if (parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new ConfigException(setting + ": '" + text + "' has a bad prefix length (0 to "
                            + network.length * 8 + ")");
                }
            }
            ranges.add(new Range(network, prefix));
        }
        return new AddressRanges(List.copyOf(ranges));
    }

    /** Whether this literal address is in a range (false for anything that is not an address). */
    public boolean contains(String literal) {
        if (ranges.isEmpty()) {
            return false;
        }
        byte[] address = literal(literal);
        if (address == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The bytes of an IPv4 or IPv6 literal ({@code [::1]} too), or null for anything else. Never a
     * DNS lookup: a dotted quad is read here, and an IPv6 literal is given to {@link InetAddress}
     * in brackets, which it parses and never resolves.
     */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (IPV4.matcher(address).matches()) {
            String[] octets = address.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(octets[i]);
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (!address.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName("[" + address + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
