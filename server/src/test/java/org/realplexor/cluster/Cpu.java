package org.realplexor.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from /proc/PID/stat (utime + stime, in clock ticks of 10 ms). */
final class Cpu {
    private static final long MILLIS_PER_TICK = 10;

    private Cpu() {}

    static long millisOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long millisOfThisProcess() {
        return millisOf(ProcessHandle.current().pid());
    }
}
