package dev.ovation.web;

import dev.ovation.model.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of address ranges in CIDR notation ({@code 10.0.0.0/8,::1/128}; a bare address is a range
 * of one), read from a setting. Addresses are literals only: nothing is looked up in DNS.
 */
public final class AddressRanges {

    /** Longer than any address literal, with brackets and a zone: what is longer is not one. */
    private static final int MAX_LITERAL = 64;

    private record Range(byte[] network, int prefix) {

        /** Compares the first {@code prefix} bits byte by byte: it runs per vote, so it allocates nothing. */
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return ((address[whole] ^ network[whole]) & mask) == 0;
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

    /**
     * Whether this address is in a range: for a connection's peer, which is an address already, so
     * nothing is parsed (false for null).
     */
    public boolean contains(InetAddress address) {
        return address != null && !ranges.isEmpty() && contains(address.getAddress());
    }

    /** Whether this literal address is in a range (false for anything that is not an address). */
    public boolean contains(String literal) {
        return !ranges.isEmpty() && contains(literal(literal));
    }

    private boolean contains(byte[] address) {
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
     * in brackets, which it parses and never resolves. An octet with a leading zero is no address
     * (some read {@code 010} as octal 8, others as 10); an IPv6 zone ({@code %eth0}) is dropped, as
     * a range holds addresses, not interfaces.
     */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LITERAL) {
            return null;
        }
        boolean bracketed = text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']' && text.length() > 2;
        int start = bracketed ? 1 : 0;
        int end = bracketed ? text.length() - 1 : text.length();
        if (text.indexOf(':', start) < 0) {
            return dottedQuad(text, start, end);
        }
        int zone = text.indexOf('%', start);
        if (zone >= 0) {
            if (zone == start || zone == end - 1) {
                return null;
            }
            end = zone;
        }
        try {
            return InetAddress.getByName("[" + text.substring(start, end) + "]").getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Four decimal octets of one to three ASCII digits, no leading zero, each at most 255. */
    private static byte[] dottedQuad(String text, int start, int end) {
        byte[] bytes = new byte[4];
        int octets = 0;
        int i = start;
        while (i < end && octets < 4) {
            int from = i;
            int octet = 0;
            while (i < end && i - from < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - from;
            if (digits == 0 || octet > 255 || (digits > 1 && text.charAt(from) == '0')) {
                return null;
            }
            bytes[octets++] = (byte) octet;
            if (octets < 4) {
                if (i >= end || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return octets == 4 && i == end ? bytes : null;
    }
}
