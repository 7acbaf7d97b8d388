package dev.ovation.infra;

import java.nio.file.Path;

/**
 * The password of an embedded Redis exposed beyond loopback: 32 random bytes in hex, made once and
 * kept in {@code <data dir>/redis/password} (mode 0600, {@link SecretFile}), so restarts keep it and clients read it
 * from the file, never from a log or a command line.
 */
public final class RedisPassword {

    private RedisPassword() {
    }

    /** The file that holds it. */
    public static Path file(InfraSettings settings) {
        return settings.redisDir().resolve("password");
    }
}
