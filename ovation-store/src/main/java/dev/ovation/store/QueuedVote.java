package dev.ovation.store;

import dev.ovation.model.VoteEnvelope;

/** A vote read from the topic, with where it was read from. */
public record QueuedVote(VoteEnvelope envelope, int partition, long offset) {
}
