package dev.ovation.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a vote's voter becomes at the edge, before anything stores it: {@code v1:} and 22 characters
 * of HMAC-SHA256 keyed by a secret salt ({@code OVATION_VOTER_SALT}). The same voter always gets the
 * same pseudonym, so the per-voter limit and the per-voter rate limit stay exact; Kafka, Redis, the
 * log, the results page and the recount never see a phone number in clear, and without the salt a
 * pseudonym cannot be turned back into one by trying every number.
 */
final class VoterPseudonyms {

    private static final Logger LOG = LoggerFactory.getLogger(VoterPseudonyms.class);
    static final String PREFIX = "v1:";

    private final SecretKeySpec key;

    /** @param salt the secret; null or blank: an unkeyed hash, with a warning (guessable for phone numbers) */
    VoterPseudonyms(String salt) {
        if (salt == null || salt.isBlank()) {
            LOG.warn("OVATION_VOTER_SALT is not set: voters are hashed without a secret, and a hashed phone number"
                    + " can be found again by trying every number; set OVATION_VOTER_SALT (the same on every ingest)");
            salt = "ovation-unsalted";
        }
        this.key = new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The voter's pseudonym; an empty voter stays empty (an anonymous vote). */
    String of(String voter) {
        if (voter.isEmpty()) {
            return voter;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(voter.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
