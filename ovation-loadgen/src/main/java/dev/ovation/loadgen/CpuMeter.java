package dev.ovation.loadgen;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU used by this process (the load generator) and by the whole machine (Linux {@code /proc/stat};
 * unknown elsewhere), so a run shows how much of the box the generator took from the system under
 * test.
 */
final class CpuMeter {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    private final OperatingSystemMXBean os;
    private final int cores = Runtime.getRuntime().availableProcessors();

    CpuMeter() {
        this.os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    /**
     * CPU counters at one moment.
     *
     * @param wallNanos    {@link System#nanoTime()}
     * @param processNanos CPU time of this process
     * @param machineBusy  busy jiffies of all CPUs, or -1 when unknown
     * @param machineAll   all jiffies of all CPUs, or -1 when unknown
     */
    record Sample(long wallNanos, long processNanos, long machineBusy, long machineAll) {
    }

    int cores() {
        return cores;
    }

    Sample sample() {
        long busy = -1;
        long all = -1;
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            if (!lines.isEmpty() && lines.get(0).startsWith("cpu ")) {
                long[] busyAndAll = parseCpuLine(lines.get(0));
                busy = busyAndAll[0];
                all = busyAndAll[1];
            }
        } catch (IOException e) {
            // not Linux, or /proc unreadable: the machine's CPU is reported as unknown (-1)
            busy = -1;
        }
        return new Sample(System.nanoTime(), os.getProcessCpuTime(), busy, all);
    }

    /** Busy and total jiffies of the {@code cpu} line of /proc/stat (idle and iowait are not busy). */
    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        long all = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            all += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {all - idle, all};
    }

    /** Cores this process kept busy between two samples, on average (1.0 = one core). */
    static double processCores(Sample from, Sample to) {
        long wall = to.wallNanos() - from.wallNanos();
        return wall <= 0 ? 0 : (double) (to.processNanos() - from.processNanos()) / wall;
    }

    /** The fraction (0 to 1) of the whole machine's CPU that was busy between two samples, or -1 when unknown. */
    static double machineBusy(Sample from, Sample to) {
        if (from.machineAll() < 0 || to.machineAll() < 0 || to.machineAll() == from.machineAll()) {
            return -1;
        }
        return (double) (to.machineBusy() - from.machineBusy()) / (to.machineAll() - from.machineAll());
    }
}
