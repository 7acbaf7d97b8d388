package dev.ovation.results;

import dev.ovation.model.ConfigException;
import dev.ovation.model.Env;
import dev.ovation.store.StoreSettings;
import dev.ovation.web.AddressRanges;
import dev.ovation.web.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the results role, read once from the environment.
 *
 * @param stores        the settings the roles share ({@link StoreSettings}): {@code OVATION_KAFKA}, where the
 *                      contests topic, the dead letters and the votes are read from; {@code OVATION_REDIS};
 *                      {@code OVATION_MONGO}; {@code OVATION_MONGO_DATABASE}; {@code OVATION_TOPIC}, the votes
 *                      topic, whose dead letters are shown; {@code OVATION_TOPIC_REPLICATION}, of the contests
 *                      topic, should this service be the first to create it
 * @param host          {@code OVATION_HOST}
 * @param port          {@code OVATION_RESULTS_PORT}
 * @param tls           {@code OVATION_TLS_CERT}, {@code OVATION_TLS_KEY}: PEM files; the API and page are
 *                      then served only over TLS (null: plain text)
 * @param reads         how many heavy reads are served at once ({@link Reads})
 * @param managementPort {@code OVATION_MANAGEMENT_PORT}: the port of {@code /metrics} and the health
 *                      checks, which the results port then does not serve (health excepted); {@code same}
 *                      ({@link Env#SAME_PORT}): all on the results port (default 8089; the standalone: same)
 */
public record ResultsConfig(StoreSettings stores, String host, int port, Tls tls, Reads reads, int managementPort) {

    public static final int DEFAULT_PORT = 8088;
    public static final int DEFAULT_MANAGEMENT_PORT = 8089;

    /**
     * At most how many reads of one kind run at once, on this server and from one client address.
     */
    public record Bounds(int inAll, int perAddress) {
    }

    /**
     * The bounds on the reads that cost the most, so that they cannot starve votes counted or
     * acknowledged in the same process, nor each other; a read past a bound is answered {@code 429}.
     *
     * @param trustedProxies  {@code OVATION_TRUSTED_PROXIES}: addresses or CIDR ranges of proxies whose
     *                        {@code X-Forwarded-For} names the client, as on the ingest (default: none)
     * @param exports         {@code OVATION_EXPORTS_MAX} (default 2), {@code OVATION_EXPORTS_PER_ADDRESS}
     *                        (default 1): CSV exports of the vote log; as many threads write them
     * @param voteChecks      {@code OVATION_VOTE_CHECKS_MAX} (default 16),
     *                        {@code OVATION_VOTE_CHECKS_PER_ADDRESS} (default 4): "was my vote counted?"
     * @param streams         {@code OVATION_STREAMS_MAX} (default 2000), {@code OVATION_STREAMS_PER_ADDRESS}
     *                        (default 200): live pages' event streams open
     * @param exportBytesPerSecond {@code OVATION_EXPORT_MB_PER_SECOND} (default 8; 0: as fast as it goes):
     *                        the pace of one export
     * @param exportCacheBytes {@code OVATION_EXPORT_CACHE_MB} (default 48; 0: no cache): the most disk the
     *                        exports of closed contests take, compressed
     * @param exportCacheDir  {@code OVATION_EXPORT_CACHE_DIR}: where they are kept (null: a new directory
     *                        under the JVM's temporary directory, deleted at stop)
     */
    public record Reads(String trustedProxies, Bounds exports, Bounds voteChecks, Bounds streams,
                        long exportBytesPerSecond, long exportCacheBytes, Path exportCacheDir) {

        public Reads {
            AddressRanges.parse("OVATION_TRUSTED_PROXIES", trustedProxies);
        }

        /** The defaults: what {@link #from(Env)} reads from an empty environment. */
        public static final Reads DEFAULTS = from(new Env(Map.of()));

        /** Reads the settings, failing fast on a bad value. */
        public static Reads from(Env env) {
            return new Reads(
                    env.string("OVATION_TRUSTED_PROXIES", ""),
                    new Bounds(env.intInRange("OVATION_EXPORTS_MAX", 2, 1, 64),
                            env.intInRange("OVATION_EXPORTS_PER_ADDRESS", 1, 1, 64)),
                    new Bounds(env.intInRange("OVATION_VOTE_CHECKS_MAX", 16, 1, 1_000),
                            env.intInRange("OVATION_VOTE_CHECKS_PER_ADDRESS", 4, 1, 1_000)),
                    new Bounds(env.intInRange("OVATION_STREAMS_MAX", 2_000, 1, 10_000),
                            env.intInRange("OVATION_STREAMS_PER_ADDRESS", 200, 1, 10_000)),
                    env.intInRange("OVATION_EXPORT_MB_PER_SECOND", 8, 0, 10_000) * 1024L * 1024L,
                    env.intInRange("OVATION_EXPORT_CACHE_MB", 48, 0, 1_048_576) * 1024L * 1024L,
                    cacheDir(env));
        }

        private static Path cacheDir(Env env) {
            String dir = env.string("OVATION_EXPORT_CACHE_DIR", null);
            if (dir == null) {
                return null;
            }
            Path path = Path.of(dir);
            if (!Files.isDirectory(path) || !Files.isWritable(path)) {
                throw new ConfigException("OVATION_EXPORT_CACHE_DIR=" + dir + " is not a writable directory");
            }
            return path;
        }
    }

    /** Reads the settings, failing fast on a bad value. */
    public static ResultsConfig from(Env env) {
        return new ResultsConfig(
                StoreSettings.from(env),
                env.string("OVATION_HOST", "0.0.0.0"),
                env.port("OVATION_RESULTS_PORT", DEFAULT_PORT),
                Tls.fromEnv(env),
                Reads.from(env),
                env.portOrSame("OVATION_MANAGEMENT_PORT", DEFAULT_MANAGEMENT_PORT));
    }

    /** The same settings, for these shared settings (the standalone's servers) and where to listen. */
    public ResultsConfig at(StoreSettings shared, String bindHost, int resultsPort) {
        return new ResultsConfig(shared, bindHost, resultsPort, tls, reads, managementPort);
    }

    /** The same settings, with {@code /metrics} on this port ({@link Env#SAME_PORT}: the results port). */
    public ResultsConfig managementPort(int port) {
        return new ResultsConfig(stores, host, this.port, tls, reads, port);
    }
}
