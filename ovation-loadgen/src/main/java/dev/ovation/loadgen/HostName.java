package dev.ovation.loadgen;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The name of this machine, for reports. */
final class HostName {

    private HostName() {
    }

    static String get() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
