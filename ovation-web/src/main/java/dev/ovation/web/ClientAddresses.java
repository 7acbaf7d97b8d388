package dev.ovation.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The address a request comes from, for limits per client address. It is the connection's peer,
 * unless that peer is a trusted proxy ({@code OVATION_TRUSTED_PROXIES}, such as the cluster's
 * ingress controller): then it is the nearest address of {@code X-Forwarded-For} that is not a
 * trusted proxy. A client cannot spoof it by sending its own {@code X-Forwarded-For}: hops are read
 * from the right, and only past proxies that are trusted.
 */
public final class ClientAddresses {

    /** The client of a connection whose peer is not known (not an IP socket). */
    public static final String UNKNOWN = "unknown";

    private static final int MAX_HOP = 64;

    private final AddressRanges trustedProxies;

    public ClientAddresses(AddressRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The client's address as text, from the connection's own peer: the votes' path (Jetty's and
     * gRPC's remote address), where the peer is checked as an address and never parsed from text.
     *
     * @param peer         the connection's remote address ({@link #UNKNOWN} unless an
     *                     {@link InetSocketAddress} with an address)
     * @param forwardedFor the {@code X-Forwarded-For} header or metadata (null: none)
     */
    public String of(SocketAddress peer, String forwardedFor) {
        InetAddress direct = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (direct == null) {
            return UNKNOWN;
        }
        String client = direct.getHostAddress();
        if (forwardedFor == null || !trustedProxies.contains(direct)) {
            return client;
        }
        return nearestUntrustedHop(forwardedFor, client);
    }

    /**
     * The client's address as text, from a peer given as text (a servlet's {@code getRemoteAddr}).
     *
     * @param peer         the connection's remote address as a literal ({@code 192.0.2.1},
     *                     {@code [::1]}); null: unknown
     * @param forwardedFor the {@code X-Forwarded-For} header (null: none)
     */
    public String of(String peer, String forwardedFor) {
        if (peer == null || peer.isEmpty()) {
            return UNKNOWN;
        }
        if (forwardedFor == null || !trustedProxies.contains(peer)) {
            return peer;
        }
        return nearestUntrustedHop(forwardedFor, peer);
    }

    /** Reads the hops from the right past trusted proxies; all trusted: the leftmost (else the proxy). */
    private String nearestUntrustedHop(String forwardedFor, String proxy) {
        String client = proxy;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            client = hop.length() > MAX_HOP ? hop.substring(0, MAX_HOP) : hop;
            if (!trustedProxies.contains(hop)) {
                return client;
            }
        }
        return client;
    }
}
