package org.realplexor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.process.ServerProcesses.awaitLog;
import static org.realplexor.process.ServerProcesses.awaitPort;
import static org.realplexor.process.ServerProcesses.freePort;
import static org.realplexor.process.ServerProcesses.javaBin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server under its open-files limit keeps a reserve for publishes: the WAIT line refuses polls
 * beyond its share with a 503 while the IN line still accepts. Pushed past the limit anyway, it
 * keeps serving the connections it has, says so in its log, and accepts again once descriptors
 * are free (the C++ original died here). The server runs as its own process under a low limit.
 */
class OpenFilesLimitTest {
    private static final int FD_LIMIT = 200;
    private static final int POLLS = 260;
    private static final String HEAD_END = "\r\n\r\n \r\n";

    @TempDir
    Path dir;

    @Test
    void keepsAReserveForPublishesAndServesAtTheLimit() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        Path log = dir.resolve("server.log");
        String java = javaBin();
        String cmd = "ulimit -n " + FD_LIMIT + " && exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' org.realplexor.Main --set WAIT_ADDR=127.0.0.1:" + waitPort + " --set IN_ADDR=127.0.0.1:" + inPort
                + " --set USERS_FILE=";
        Process p = new ProcessBuilder("bash", "-c", cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<Socket> polls = new ArrayList<>();
        try {
            awaitPort(waitPort, p);
            // One whole delivery first, as a server that has been serving: run from classes on
            // disk (not the jar), a class loaded for the first time needs a descriptor too.
            try (Socket warm = new Socket("127.0.0.1", waitPort)) {
                warm.getOutputStream()
                        .write("GET /?identifier=warm HTTP/1.1\r\nHost: x\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(hasHead(warm, 5000));
                try (Socket in = new Socket("127.0.0.1", inPort)) {
                    in.getOutputStream()
                            .write(
                                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nX-Realplexor: identifier=warm\r\n\r\n1"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                    in.shutdownOutput();
                    in.setSoTimeout(5000);
                    assertTrue(new String(in.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .startsWith("HTTP/1.0 200 OK"));
                }
                assertTrue(readAll(warm).contains("\"data\": 1"));
            }
            // Polls fill the WAIT line's share of descriptors; the rest get a 503 at once
            // instead of waiting, unaccepted, for descriptors that IN publishes need too.
            for (int i = 0; i < POLLS; i++) {
                Socket s = new Socket("127.0.0.1", waitPort);
                s.getOutputStream()
                        .write(("GET /?identifier=fd" + i + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                polls.add(s);
            }
            List<Socket> held = new ArrayList<>();
            List<Socket> refused = new ArrayList<>();
            for (Socket s : polls) {
                String status = status(s);
                if (status.equals("HTTP/1.1 200")) held.add(s);
                else if (status.equals("HTTP/1.1 503")) refused.add(s);
                else throw new AssertionError("a poll got neither its head nor a 503: '" + status + "'");
            }
            assertTrue(
                    held.size() > 10 && refused.size() > 0 && held.contains(polls.get(0)),
                    held.size() + " held, " + refused.size() + " refused");
            for (Socket s : refused) {
                String rest = readAll(s);
                assertTrue(rest.contains("\r\nRetry-After: 5\r\n") && rest.endsWith("try again shortly\n"), rest);
            }
            assertTrue(
                    awaitLog(
                            log,
                            "refusing new WAIT connections (503): the WAIT line holds its share of the open files limit"),
                    "the log says why");
            assertTrue(awaitLog(log, "open files limit " + FD_LIMIT + ": at most "), "the start log names the limit");

            // With WAIT full, a new publisher still gets in, and the first poll gets its message.
            try (Socket in = new Socket("127.0.0.1", inPort)) {
                in.getOutputStream()
                        .write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nX-Realplexor: identifier=fd0"
                                        + "\r\n\r\n\"still here\"")
                                .getBytes(StandardCharsets.ISO_8859_1));
                in.shutdownOutput();
                in.setSoTimeout(10_000);
                String answer = new String(in.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(
                        answer.startsWith("HTTP/1.0 200 OK") && answer.contains("\nfd0 "),
                        "answer: " + answer + "\nserver log:\n" + Files.readString(log));
            }
            assertTrue(readAll(polls.get(0)).contains("\"still here\""), "the held poll got its message");

            // Past the reserve too (idle IN connections take the last descriptors): the server
            // says so, keeps serving, and accepts again once descriptors are free.
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0;
                        i < FD_LIMIT && !Files.readString(log).contains("IN line cannot accept a connection");
                        i++) {
                    idle.add(new Socket("127.0.0.1", inPort));
                    if (i % 20 == 19) Thread.sleep(100);
                }
                assertTrue(awaitLog(log, "IN line cannot accept a connection"), "the log says why");
                assertTrue(p.isAlive(), "still running at the limit");
            } finally {
                for (Socket s : idle) s.close();
            }
            for (Socket s : held) s.close();
            Thread.sleep(1500); // the listening socket tries again after a second
            try (Socket again = new Socket("127.0.0.1", waitPort)) {
                again.getOutputStream()
                        .write("GET /?identifier=again HTTP/1.1\r\nHost: x\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(hasHead(again, 10_000), "a poll accepted once descriptors were free");
            }
            assertTrue(p.isAlive());
            assertTrue(
                    !Files.readString(log).contains("\tat "), "no stack traces in the log:\n" + Files.readString(log));
        } finally {
            for (Socket s : polls) s.close();
            p.destroyForcibly();
        }
    }

    private static boolean hasHead(Socket s, int timeoutMs) throws IOException {
        s.setSoTimeout(timeoutMs);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            while (!got.toString(StandardCharsets.ISO_8859_1).endsWith(HEAD_END)) {
                int b = in.read();
                if (b < 0) return false;
                got.write(b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            assertEquals(0, got.size(), "a head arrived only in part");
            return false;
        }
    }

    /** The first 12 bytes: "HTTP/1.1 200" (a held poll's head) or "HTTP/1.1 503". */
    private static String status(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        byte[] b = s.getInputStream().readNBytes(12);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
