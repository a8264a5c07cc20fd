package org.realplexor.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The poll request of the browser client: {@code GET /?identifier=ITEMS&ncrnd=N HTTP/1.1}; and the
 * requests of an EventSource and a WebSocket on the same URL.
 */
final class WaitRequest {
    private static final AtomicLong NCRND = new AtomicLong(System.currentTimeMillis());

    private WaitRequest() {}

    /** The request of a listener on {@code transport}. */
    static ByteBuf encode(Transport transport, ByteBufAllocator alloc, InetSocketAddress server, String items) {
        return switch (transport) {
            case LONGPOLL -> encode(alloc, server, items);
            case KEPTPOLL -> encodeKept(alloc, server, items);
            case EVENTSOURCE -> encodeStream(alloc, server, items);
            case WEBSOCKET -> encodeWebSocket(alloc, server, items);
        };
    }

    /** @param items the identifier list, e.g. {@code fan_1} or {@code 1700000000.5:fan_1} */
    static ByteBuf encode(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        return get(alloc, server, "/?identifier=" + items + "&ncrnd=" + NCRND.incrementAndGet(), "Accept: */*\r\n");
    }

    /** A poll that keeps its connection for the next (sdk-js's long-poll). */
    static ByteBuf encodeKept(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        return get(
                alloc,
                server,
                "/?identifier=" + items + "&keepalive=1&ncrnd=" + NCRND.incrementAndGet(),
                "Accept: */*\r\n");
    }

    /** As an EventSource opens it: the answer is a stream of events. */
    static ByteBuf encodeStream(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        return get(alloc, server, "/?identifier=" + items, "Accept: text/event-stream\r\nCache-Control: no-cache\r\n");
    }

    /** A WebSocket handshake (the key is fixed: the bench does not check the accept). */
    static ByteBuf encodeWebSocket(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        return get(
                alloc,
                server,
                "/?identifier=" + items,
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: cmVhbHBsZXhvci1iZW5jaA==\r\nSec-WebSocket-Version: 13\r\n");
    }

    private static ByteBuf get(ByteBufAllocator alloc, InetSocketAddress server, String target, String headers) {
        String req = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + headers
                + "\r\n";
        return ByteBufUtil.writeAscii(alloc, req);
    }
}
