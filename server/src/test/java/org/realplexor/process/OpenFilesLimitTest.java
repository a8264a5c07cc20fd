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
 * A server that runs out of file descriptors keeps serving the connections it has, says so in
 * its log, and accepts the waiting ones once descriptors are free again (the C++ original died
 * here). The server runs as its own process under a low open-files limit.
 */
class OpenFilesLimitTest {
    private static final int FD_LIMIT = 200;
    private static final int POLLS = 260;
    private static final String HEAD_END = "\r\n\r\n \r\n";

    @TempDir
    Path dir;

    @Test
    void keepsServingAtTheLimitAndAcceptsTheRestOnceFilesAreFree() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        Path log = dir.resolve("server.log");
        String java = javaBin();
        String cmd = "ulimit -n " + FD_LIMIT + " && exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' org.realplexor.Main --set WAIT_ADDR=127.0.0.1:" + waitPort + " --set IN_ADDR=127.0.0.1:" + inPort
                + " --set USERS_FILE=";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Socket> polls = new ArrayList<>();
        try (Socket publisher = new Socket()) {
            awaitPort(waitPort, p);
            // One whole delivery first, as a server that has been serving: run from classes on
            // disk (not the jar), a class loaded for the first time needs a descriptor too.
            try (Socket warm = new Socket("127.0.0.1", waitPort)) {
                warm.getOutputStream().write("GET /?identifier=warm HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(hasHead(warm, 5000));
                try (Socket in = new Socket("127.0.0.1", inPort)) {
                    in.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nX-Realplexor: identifier=warm\r\n\r\n1"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    in.shutdownOutput();
                    in.setSoTimeout(5000);
                    assertTrue(new String(in.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("HTTP/1.0 200 OK"));
                }
                assertTrue(readAll(warm).contains("\"data\": 1"));
            }
            // A publisher connected before the descriptors run out: its request is sent later.
            byte[] body = "\"still here\"".getBytes(StandardCharsets.UTF_8);
            publisher.connect(new java.net.InetSocketAddress("127.0.0.1", inPort));
            publisher.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                    + "\r\nX-Realplexor: identifier=fd0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < POLLS; i++) {
                Socket s = new Socket("127.0.0.1", waitPort);
                s.getOutputStream().write(("GET /?identifier=fd" + i + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                polls.add(s);
            }
            assertTrue(awaitLog(log, "WAIT line cannot accept a connection"), "the log says why");
            Thread.sleep(500);
            List<Socket> held = new ArrayList<>();
            List<Socket> waiting = new ArrayList<>();
            for (Socket s : polls) (s.getInputStream().available() > 0 ? held : waiting).add(s);
            assertTrue(waiting.size() > 0 && held.contains(polls.get(0)),
                    "the first polls are held, the rest wait for descriptors: " + held.size() + " held");
            for (Socket s : held) assertTrue(hasHead(s, 5000), "a held poll has its head");
            assertTrue(p.isAlive(), "still running at the limit");

            // The connections it has are still served: the publisher's request completes and
            // the first poll gets the message.
            publisher.getOutputStream().write(body);
            publisher.shutdownOutput();
            publisher.setSoTimeout(10_000);
            String answer = new String(publisher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.0 200 OK") && answer.contains("\nfd0 "),
                    "answer: " + answer + "\nserver log:\n" + Files.readString(log));
            assertTrue(readAll(polls.get(0)).contains("\"still here\""), "the held poll got its message");

            // Descriptors freed: the waiting polls are accepted and answered with their head.
            for (Socket s : held) s.close();
            for (Socket s : waiting) {
                assertTrue(hasHead(s, 10_000), "a waiting poll accepted once descriptors were free");
            }
            assertTrue(p.isAlive());
            assertTrue(!Files.readString(log).contains("\tat "), "no stack traces in the log:\n" + Files.readString(log));
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

    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }



}
