package dev.ovation.infra;

/**
 * Thrown when an embedded server cannot start. The message names the server and the address it was
 * meant to listen on, for example {@code "Kafka could not start on 127.0.0.1:19092: port in use"}.
 */
public final class InfrastructureStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param component the server's name as an operator knows it ("Kafka", "Redis", "MongoDB")
     * @param host the address it was meant to listen on
     * @param port the port it was meant to listen on
     * @param reason why it could not start
     * @param cause the underlying failure, or {@code null}
     */
    public InfrastructureStartException(String component, String host, int port, String reason, Throwable cause) {
        super(component + " could not start on " + host + ":" + port + ": " + reason, cause);
    }
}
