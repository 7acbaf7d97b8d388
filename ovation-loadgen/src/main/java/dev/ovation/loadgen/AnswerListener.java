package dev.ovation.loadgen;

/**
 * Told how each sent vote was answered, exactly once per vote, on the client's I/O thread: must
 * not block.
 */
interface AnswerListener {

    /** The server acknowledged the vote: it will be counted. */
    void acknowledged(Send send);

    /**
     * The vote was not acknowledged.
     *
     * @param kind what went wrong, short and stable so that errors group by it: {@code http 503
     *             unavailable}, {@code grpc UNAVAILABLE}, {@code timeout}...
     */
    void failed(Send send, String kind);
}
