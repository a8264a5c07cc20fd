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

    /** @param items the identifier list, e.g. {@code fan_1} or {@code 1700000000.5:fan_1} */
    static ByteBuf encode(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        String req = "GET /?identifier=" + items + "&ncrnd=" + NCRND.incrementAndGet() + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "Accept: */*\r\n"
                + "\r\n";
        return ByteBufUtil.writeAscii(alloc, req);
    }

    /** The same URL as a WebSocket handshake (the key is fixed: the bench does not check the accept). */
    static ByteBuf encodeWebSocket(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        String req = "GET /?identifier=" + items + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: cmVhbHBsZXhvci1iZW5jaA==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
        return ByteBufUtil.writeAscii(alloc, req);
    }

    /** The same as an EventSource opens it: the answer is a stream of events. */
    static ByteBuf encodeStream(ByteBufAllocator alloc, InetSocketAddress server, String items) {
        String req = "GET /?identifier=" + items + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Cache-Control: no-cache\r\n"
                + "\r\n";
        return ByteBufUtil.writeAscii(alloc, req);
    }
}
