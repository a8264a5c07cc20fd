package org.realplexor.example.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import org.realplexor.client.Realplexor;
import org.realplexor.client.RealplexorException;

/**
 * {@code GET /online}: the chat's channels that are online, each with the number of browser
 * connections listening now ({@code {"Alpha":2,"Beta":0}}; 0 while a channel's last listener
 * is gone but its OFFLINE_TIMEOUT has not run out), in the server's order.
 */
final class OnlineHandler implements HttpHandler {

    private final Realplexor rpl;

    OnlineHandler(Realplexor rpl) {
        this.rpl = rpl;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!Exchanges.method(ex, "GET", "HEAD")) {
            return;
        }
        Map<String, Integer> online;
        try {
            online = rpl.onlineWithCounters();
        } catch (RealplexorException e) {
            Exchanges.error(ex, 502, "Realplexor did not answer: " + e.getMessage());
            return;
        }
        Exchanges.json(ex, 200, online);
    }
}
