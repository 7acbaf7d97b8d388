package dev.ovation.loadgen;

import java.util.List;

/**
 * A way of casting votes at Ovation's ingest: one protocol over one set of connections. Sends
 * without blocking and reports every answer to the {@link AnswerListener} it was built with.
 */
interface VoteTarget extends AutoCloseable {

    /**
     * Sends the votes in one request: a batch for the batch protocols, one vote otherwise. Called
     * from the one sending thread; returns at once.
     */
    void send(List<Send> sends);

    /** What is sent where, for the summary, e.g. "POST http://127.0.0.1:8080/api/votes". */
    String describe();

    /** Ends the target's calls and closes its connections. */
    @Override
    void close() throws InterruptedException;
}
