package dev.ovation.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record of the votes topic that the counter could not count, set aside with where it was and
 * why: bytes that are not a vote envelope ({@code undecodable}), or a vote that breaks the vote
 * rules ({@code invalid_vote}, with the field at fault). Its key in the dead-letter topic is its
 * position, so a counter that sets it aside twice (a replay after a crash) leaves it once.
 *
 * @param topic     the votes topic
 * @param partition its partition
 * @param offset    its offset
 * @param contest   the vote's contest when it could be read (null otherwise)
 * @param reason    {@code undecodable} or {@code invalid_vote}
 * @param detail    what is wrong, for a person
 * @param record    the record's value, base64
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(String topic, int partition, long offset, String contest, String reason, String detail,
                         String record) {

    public static final String UNDECODABLE = "undecodable";
    public static final String INVALID_VOTE = "invalid_vote";

    /** The key in the dead-letter topic: {@code <topic>/<partition>@<offset>}. */
    public String key() {
        return topic + "/" + partition + "@" + offset;
    }
}
