package org.realplexor.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests that run the server as a process of its own share. */
final class ServerProcesses {
    private ServerProcesses() {}

    /** The java binary of the JVM running the tests. */
    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Until {@code port} accepts, failing at once if the server process exits. */
    static void awaitPort(int port, Process p) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!p.isAlive()) throw new AssertionError("server exited with " + p.exitValue());
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("server did not listen on " + port);
    }

    /** Whether {@code log} comes to contain {@code text} within 10 s. */
    static boolean awaitLog(Path log, String text) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.readString(log).contains(text)) return true;
            Thread.sleep(50);
        }
        return false;
    }
}
