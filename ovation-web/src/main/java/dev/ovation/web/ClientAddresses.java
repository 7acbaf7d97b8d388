package dev.ovation.web;

/**
 * The address a request comes from, for limits per client address. It is the connection's peer,
 * unless that peer is a trusted proxy ({@code OVATION_TRUSTED_PROXIES}, such as the cluster's
 * ingress controller): then it is the nearest address of {@code X-Forwarded-For} that is not a
 * trusted proxy. A client cannot spoof it by sending its own {@code X-Forwarded-For}: hops are read
 * from the right, and only past proxies that are trusted.
 */
public final class ClientAddresses {

    private final AddressRanges trustedProxies;

    public ClientAddresses(AddressRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The client's address as text.
     *
     * @param peer         the connection's remote address as a literal ({@code 192.0.2.1},
     *                     {@code [::1]}); null: unknown
     * @param forwardedFor the {@code X-Forwarded-For} header (null: none)
     */
    public String of(String peer, String forwardedFor) {
        String client = peer == null || peer.isEmpty() ? "unknown" : peer;
        if (peer == null || forwardedFor == null || !trustedProxies.contains(peer)) {
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
