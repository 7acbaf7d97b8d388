package dev.ovation.web;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's certificate chain and private key, read from PEM files named by
 * {@code OVATION_TLS_CERT} and {@code OVATION_TLS_KEY} (the key in PKCS#8: {@code BEGIN PRIVATE
 * KEY}, RSA or EC). The HTTP servers and the gRPC server then speak only TLS.
 *
 * @param certFile    the PEM certificate chain, the server's own first
 * @param keyFile     the PEM private key
 * @param keyStore    both, in memory, for Jetty
 * @param keyPassword the in-memory store's password (random; never leaves the process)
 */
public record Tls(Path certFile, Path keyFile, KeyStore keyStore, String keyPassword) {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    /** The files named in the environment, or null when neither is set. */
    public static Tls fromEnv(Env env) {
        String cert = env.string("OVATION_TLS_CERT", null);
        String key = env.string("OVATION_TLS_KEY", null);
        if (cert == null && key == null) {
            return null;
        }
        if (cert == null || key == null) {
            throw new ConfigException("OVATION_TLS_CERT and OVATION_TLS_KEY go together: set both PEM files, or"
                    + " neither for plain text");
        }
        return fromPem(Path.of(cert), Path.of(key));
    }

    /**
     * Reads a certificate chain and its key.
     *
     * @throws ConfigException naming the file and what is wrong with it
     */
    public static Tls fromPem(Path certFile, Path keyFile) {
        try {
            List<Certificate> chain = new ArrayList<>();
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            for (String[] block : blocks(certFile)) {
                if (block[0].equals("CERTIFICATE")) {
                    chain.add(certificates.generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder()
                            .decode(block[1]))));
                }
            }
            if (chain.isEmpty()) {
                throw new ConfigException("OVATION_TLS_CERT=" + certFile + " holds no PEM certificate");
            }
            PrivateKey key = null;
            for (String[] block : blocks(keyFile)) {
                if (block[0].equals("PRIVATE KEY")) {
                    key = privateKey(keyFile, Base64.getMimeDecoder().decode(block[1]));
                } else if (block[0].endsWith("PRIVATE KEY")) {
                    throw new ConfigException("OVATION_TLS_KEY=" + keyFile + " is a " + block[0] + "; give it in PKCS#8"
                            + " (openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem)");
                }
            }
            if (key == null) {
                throw new ConfigException("OVATION_TLS_KEY=" + keyFile + " holds no PEM private key (BEGIN PRIVATE KEY)");
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("ovation", key, password.toCharArray(), chain.toArray(Certificate[]::new));
            return new Tls(certFile, keyFile, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("OVATION_TLS_CERT=" + certFile + ", OVATION_TLS_KEY=" + keyFile
                    + ": cannot be read as a PEM certificate chain and its key (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path keyFile, byte[] pkcs8) throws GeneralSecurityException {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException notThisOne) {
                // try the next
            }
        }
        throw new ConfigException("OVATION_TLS_KEY=" + keyFile + " is not an RSA, EC or Ed25519 key");
    }

    private static List<String[]> blocks(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new ConfigException(file + " is not a readable file");
        }
        Matcher m = PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        List<String[]> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(new String[] {m.group(1), m.group(2)});
        }
        return blocks;
    }

    @Override
    public String toString() {
        return "Tls[" + certFile + ", " + keyFile + "]";
    }
}
