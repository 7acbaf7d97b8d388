package dev.ovation.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The address a vote comes from, for the per-address rate limit. It is the connection's peer,
 * unless that peer is a trusted proxy ({@code OVATION_TRUSTED_PROXIES}, such as the cluster's
 * ingress controller): then it is the nearest address of {@code X-Forwarded-For} that is not a
 * trusted proxy. A client cannot spoof it by sending its own {@code X-Forwarded-For}: hops are read
 * from the right, and only past proxies that are trusted.
 */
final class ClientAddresses {

    private final AddressRanges trustedProxies;

    ClientAddresses(AddressRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The client's address as text.
     *
     * @param peer          the connection's remote address
     * @param forwardedFor  the {@code X-Forwarded-For} header or metadata (null: none)
     */
    String of(SocketAddress peer, String forwardedFor) {
        InetAddress direct = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        String client = direct == null ? "unknown" : direct.getHostAddress();
        if (direct == null || forwardedFor == null || !trustedProxies.contains(direct)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            client = hop.length() > 64 ? hop.substring(0, 64) : hop;
            if (!trustedProxies.contains(hop)) {
                return client;
            }
        }
        return client;
    }
}
