package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A server's timer wheel and password threads are its own: they end when it closes, so servers
 * started and closed in one JVM (tests, embedding) leave no threads behind, and no server's
 * deadlines or password checks queue behind another's.
 */
class ServerThreadsTest {

    private static Set<Thread> realplexorThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("realplexor-timer") || t.getName().startsWith("realplexor-passwords"))
                out.add(t);
        }
        return out;
    }

    @Test
    void theTimerAndPasswordThreadsStartWithTheirServerAndEndWithIt() {
        Set<Thread> before = realplexorThreads();
        Set<Thread> started;
        try (E2eServer s =
                E2eServer.builder().users(E2eServer.USER_DES_LINE + "\n").start()) {
            s.send("user:password@user_threads", "\"x\""); // a hash on a password thread; IN_TIMEOUT on the wheel
            started = realplexorThreads();
            started.removeAll(before);
        }
        Set<String> kinds = new TreeSet<>();
        for (Thread t : started) kinds.add(t.getName().replaceAll("-\\d+-\\d+$", ""));
        assertEquals(
                Set.of("realplexor-passwords", "realplexor-timer"), kinds, "this server's own threads: " + started);
        Await.until(
                "the closed server's threads to end",
                () -> started.stream().filter(Thread::isAlive).toList(),
                java.util.List::isEmpty,
                Duration.ofSeconds(10));
    }
}
