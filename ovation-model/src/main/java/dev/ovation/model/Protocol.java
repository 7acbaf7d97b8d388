package dev.ovation.model;

/** How a vote reached Ovation; recorded with it in the log and used by the load generator. */
public enum Protocol {
    HTTP("http"),
    HTTP_BATCH("http-batch"),
    SEED_HTTP("seed-http"),
    GRPC("grpc"),
    GRPC_STREAM("grpc-stream"),
    SEED_GRPC("seed-grpc");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The name used on the wire, in the log and on the command line. */
    public String label() {
        return label;
    }

    /** The protocol with this label, or {@code null}. */
    public static Protocol ofLabel(String label) {
        for (Protocol p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        return null;
    }
}
