package org.realplexor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Many long-poll clients on one event loop, each behaving like the JS client behind a balancer:
 * poll, take the answer, reconnect with the newest cursor it got (to the next node in turn),
 * again on a timeout. Message data is {@code {"n":NUMBER,...}}; each listener records which
 * numbers it got and counts repeats.
 */
final class ListenerFleet implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD_END = "\r\n\r\n \r\n";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    private final List<Integer> ports;
    private final List<One> listeners = new ArrayList<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final LongConsumer onNumber;
    private volatile boolean stopping;

    /** {@code onNumber} hears every message number received (on the fleet's thread). */
    ListenerFleet(List<Integer> waitPorts, LongConsumer onNumber) {
        this.ports = waitPorts;
        this.onNumber = onNumber;
    }

    /** Starts a listener of {@code id} from {@code cursor} ("" = from now), first on node {@code first}. */
    void add(String id, String cursor, int first) {
        One l = new One(id, cursor, first);
        listeners.add(l);
        vertx.runOnContext(v -> l.poll());
    }

    long deliveries() {
        return deliveries.get();
    }

    long repeats() {
        return repeats.get();
    }

    long polls() {
        return polls.get();
    }

    List<One> listeners() {
        return listeners;
    }

    @Override
    public void close() {
        stopping = true;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("closing the fleet", e);
        }
    }

    /** One client. Its fields are touched on the fleet's thread only, read by the test once quiet. */
    final class One {
        final String id;
        private String cursor;
        private int next;
        private final BitSet numbers = new BitSet();

        private One(String id, String cursor, int first) {
            this.id = id;
            this.cursor = cursor;
            this.next = first;
        }

        synchronized BitSet numbers() {
            return (BitSet) numbers.clone();
        }

        private void poll() {
            if (stopping) return;
            int port = ports.get(next++ % ports.size());
            String items = cursor.isEmpty() ? id : cursor + ":" + id;
            polls.incrementAndGet();
            client.connect(port, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    if (!stopping) vertx.setTimer(20, t -> poll());
                    return;
                }
                Buffer acc = Buffer.buffer();
                ar.result().handler(acc::appendBuffer);
                ar.result().closeHandler(v -> answered(acc.toString(StandardCharsets.UTF_8)));
                ar.result()
                        .write("GET /?identifier=" + items + "&ncrnd=" + polls.get()
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            });
        }

        private void answered(String all) {
            int at = all.indexOf(HEAD_END);
            String body = at < 0 ? "" : all.substring(at + HEAD_END.length());
            if (!body.isEmpty()) take(body);
            poll();
        }

        private void take(String body) {
            JsonNode parts;
            try {
                parts = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not a WAIT answer: " + body, e);
            }
            for (JsonNode p : parts) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.get("ids").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().equals(id)
                            && (cursor.isEmpty()
                                    || new BigDecimal(e.getValue().asText()).compareTo(new BigDecimal(cursor)) > 0)) {
                        cursor = e.getValue().asText();
                    }
                }
                int n = p.get("data").get("n").asInt();
                synchronized (this) {
                    if (numbers.get(n)) repeats.incrementAndGet();
                    numbers.set(n);
                }
                deliveries.incrementAndGet();
                onNumber.accept(n);
            }
        }
    }
}
