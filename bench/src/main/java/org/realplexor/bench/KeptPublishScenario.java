package org.realplexor.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (c') IN publishes on kept connections (HTTP/1.1, Connection: keep-alive): C connections, each
 * sending its requests one after the other, each request one message or a batch of B messages
 * (X-Realplexor-Batch), to ids rotating as in the publish scenario. No listeners: the figure is
 * the server's CPU per message stored, beside the publish scenario's one connection per message.
 * Plain TCP only (the scenario's own blocking sockets).
 */
final class KeptPublishScenario {
    private final Scenario sc;
    private final int connections;
    private final int batch;
    private final int messages;
    private final int warmup;
    private final int ids;
    private final AtomicInteger errors = new AtomicInteger();
    private final Scenario.FirstError firstError = new Scenario.FirstError();

    KeptPublishScenario(Scenario sc, int connections, int batch, int messages, int warmup, int ids) {
        this.sc = sc;
        this.connections = Math.max(1, connections);
        this.batch = Math.max(1, batch);
        this.messages = messages;
        this.warmup = warmup;
        this.ids = ids;
    }

    private String id(long k) {
        return "kept_" + sc.tag() + "_" + (k % ids);
    }

    private byte[] request(long first) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String extra = "";
        String identifier;
        if (batch == 1) {
            body.writeBytes(Scenario.payload(first));
            identifier = "X-Realplexor: identifier=" + id(first) + "\r\n";
        } else {
            for (long k = first; k < first + batch; k++) {
                byte[] p = Scenario.payload(k);
                body.writeBytes((id(k) + " " + p.length + "\n").getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(p);
                body.write('\n');
            }
            identifier = "";
            extra = "X-Realplexor-Batch: " + batch + "\r\n";
        }
        byte[] b = body.toByteArray();
        String head = "POST / HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\nContent-Length: " + b.length + "\r\n"
                + identifier + extra + "\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream(head.length() + b.length);
        all.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        all.writeBytes(b);
        return all.toByteArray();
    }

    /** Sends {@code requests} requests on {@code s}, each after the answer to the one before. */
    private void send(Socket s, int requests, AtomicInteger next) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        for (int r = 0; r < requests; r++) {
            out.write(request((long) next.getAndIncrement() * batch));
            out.flush();
            // The head, then Content-Length bytes.
            int got = 0;
            int headEnd = -1;
            long need = -1;
            while (need < 0 || got < need) {
                int n = in.read(buf, got, buf.length - got);
                if (n < 0) throw new IOException("the server closed the connection after " + got + " bytes");
                got += n;
                if (headEnd < 0) {
                    String text = new String(buf, 0, got, StandardCharsets.ISO_8859_1);
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0) {
                        if (!text.startsWith("HTTP/1.1 200 ")) throw new IOException("answer: " + text);
                        int at = text.indexOf("Content-Length: ");
                        need = headEnd + 4 + Long.parseLong(text.substring(at + 16, text.indexOf('\r', at)));
                    }
                }
            }
        }
    }

    private long runPhase(int totalMessages) throws InterruptedException {
        int perConnection = Math.max(1, totalMessages / batch / connections);
        AtomicInteger next = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(connections);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                try (Socket s =
                        new Socket(sc.server().in.getAddress(), sc.server().in.getPort())) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(30_000);
                    start.await();
                    send(s, perConnection, next);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.offer(e.toString());
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        return (long) perConnection * connections * batch;
    }

    Scenario.Result run() throws InterruptedException {
        runPhase(warmup);
        ProcStats.Sample before = sc.server().sample();
        double benchBefore = Scenario.benchCpu();
        long t0 = System.nanoTime();
        long sent = runPhase(messages);
        long t1 = System.nanoTime();
        ProcStats.Sample after = sc.server().sample();
        double cpu = Scenario.cpu(before, after);
        Line line = new Line("kept");
        line.put("connections", connections)
                .put("batch", batch)
                .put("ids", ids)
                .put("messages", sent)
                .put("warmup", warmup)
                .num("messages_per_s", sent / ((t1 - t0) / 1e9), 0)
                .num("cpu_s", cpu, 2)
                .num("cpu_sys_share", Scenario.sysShare(before, after), 2)
                .num("jit_cpu_s", Scenario.jitCpu(before, after), 2)
                .num("cpu_us_per_message", cpu * 1e6 / sent, 2)
                .num("cpu_us_per_request", cpu * 1e6 / (sent / batch), 1)
                .mb("rss_total", Scenario.rss(after))
                .num("bench_cpu_s", Scenario.benchCpu() - benchBefore, 2)
                .put("errors", errors.get());
        if (firstError.get() != null) Bench.note("kept first error: " + firstError.get());
        line.put("status", errors.get() == 0 ? "ok" : "error");
        return new Scenario.Result(line, errors.get() == 0);
    }
}
