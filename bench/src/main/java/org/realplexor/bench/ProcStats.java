package org.realplexor.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from Linux /proc. */
final class ProcStats {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every mainstream Linux build. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    /**
     * One reading: CPU seconds (all threads) in user and kernel mode, VmRSS in bytes, and the CPU
     * seconds of the JVM's JIT compiler threads among them (0 for a process that has none).
     */
    record Sample(double userSeconds, double sysSeconds, long rssBytes, double jitSeconds) {
        double cpuSeconds() {
            return userSeconds + sysSeconds;
        }

        /** Two processes taken as one (a cluster's nodes): CPU and RSS added. */
        Sample plus(Sample other) {
            return new Sample(
                    userSeconds + other.userSeconds,
                    sysSeconds + other.sysSeconds,
                    rssBytes + other.rssBytes,
                    jitSeconds + other.jitSeconds);
        }
    }

    private ProcStats() {}

    static Sample read(long pid) {
        try {
            double[] cpu = cpu(Path.of("/proc/" + pid + "/stat"));
            return new Sample(cpu[0], cpu[1], rssBytes(pid), jitSeconds(pid));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Busy CPU seconds of the whole machine (first line of /proc/stat: user + nice + system + irq +
     * softirq). Interrupt time is included because loopback packet processing is booked there
     * while the same time also shows in the stime of the process it interrupted.
     */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double cpuSeconds(long pid) throws IOException {
        double[] cpu = cpu(Path.of("/proc/" + pid + "/stat"));
        return cpu[0] + cpu[1];
    }

    /**
     * CPU seconds of HotSpot's compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...;
     * the kernel keeps 15 characters of a thread's name). They compile the server's code during
     * its first seconds of load: a one-time cost that a run's figures should show apart. A thread
     * that ends between the listing and the reading is skipped.
     */
    private static double jitSeconds(long pid) throws IOException {
        double sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        double[] cpu = cpu(task.resolve("stat"));
                        sum += cpu[0] + cpu[1];
                    }
                } catch (IOException e) {
                    // the thread ended
                }
            }
        }
        return sum;
    }

    /** {user, system} CPU seconds from a /proc stat file (a process's or one thread's). */
    private static double[] cpu(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // After the name, field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
        return new double[] {
            Long.parseLong(f[11]) / CLOCK_TICKS_PER_SECOND, Long.parseLong(f[12]) / CLOCK_TICKS_PER_SECOND
        };
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split(" +");
                return Long.parseLong(f[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS line in /proc/" + pid + "/status");
    }
}
