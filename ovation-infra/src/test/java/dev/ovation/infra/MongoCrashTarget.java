package dev.ovation.infra;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A file-backed MongoDB-wire server in a process of its own, for tests that kill it: {@code
 * MongoCrashTarget <file> <port>} prints {@code ready} once it listens and runs until killed.
 */
public final class MongoCrashTarget {

    private MongoCrashTarget() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedMongo mongo = EmbeddedMongo.start("127.0.0.1", Integer.parseInt(args[1]), Path.of(args[0]));
        System.out.println("ready " + mongo.uri());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
