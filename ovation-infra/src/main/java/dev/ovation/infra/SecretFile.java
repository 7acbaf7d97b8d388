package dev.ovation.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A secret kept in a file of its own: the embedded Redis's password, standalone's voter salt. */
public final class SecretFile {

    private SecretFile() {
    }

    /**
     * The secret of the file, made first when the file does not exist: 32 random bytes in hex, in
     * a file only its owner may read. Used for the Redis password and standalone's voter salt.
     */
    public static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (kept.matches("[0-9a-f]{64}")) {
                    return kept;
                }
                Files.delete(file);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Files.createDirectories(file.getParent());
            Files.createFile(file, OwnerOnly.FILE);
            Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Redis password in " + file, e);
        }
    }
}
