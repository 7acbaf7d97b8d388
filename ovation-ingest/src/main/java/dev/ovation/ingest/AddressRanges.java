package dev.ovation.ingest;

import com.google.common.net.InetAddresses;
import dev.ovation.model.ConfigException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of address ranges in CIDR notation ({@code 10.0.0.0/8,::1/128}; a bare address is a range
 * of one), read from a setting. Addresses are literals only: nothing is looked up in DNS.
 */
final class AddressRanges {

    private record Range(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not().and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    static final AddressRanges NONE = new AddressRanges(List.of());

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
    static AddressRanges parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : value.split(",")) {
            String text = entry.strip();
            String[] parts = text.split("/", 2);
            if (!InetAddresses.isInetAddress(parts[0])) {
                throw new ConfigException(setting + ": '" + text + "' is not an address or a CIDR range"
                        + " (e.g. 10.0.0.0/8 or ::1)");
            }
            byte[] network = InetAddresses.forString(parts[0]).getAddress();
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

    boolean contains(InetAddress address) {
        if (address == null || ranges.isEmpty()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this literal address is in a range (false for anything that is not an address). */
    boolean contains(String literal) {
        return literal != null && InetAddresses.isInetAddress(literal) && contains(InetAddresses.forString(literal));
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }
}
