package org.realplexor.example.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import org.realplexor.client.Realplexor;
import org.realplexor.client.RealplexorException;
import org.realplexor.client.SendResult;

/**
 * {@code POST /send}: publishes one {@link ChatMessage} to every chosen channel with a single
 * send, so all of them carry it under the same cursor. Answers {@code {"channels":[..],
 * "cursors":{..}}}, or {@code {"error":..}} with 400 (bad post) or 502 (Realplexor failed).
 */
final class SendHandler implements HttpHandler {

    private static final int MAX_BODY = 16 * 1024;

    private final Realplexor rpl;

    SendHandler(Realplexor rpl) {
        this.rpl = rpl;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!Exchanges.method(ex, "POST")) {
            return;
        }
        byte[] body = Exchanges.body(ex, MAX_BODY);
        if (body == null) {
            Exchanges.error(ex, 413, "the post is larger than " + MAX_BODY + " bytes");
            return;
        }
        SendRequest req;
        try {
            req = SendRequest.parse(ex.getRequestHeaders().getFirst("Content-Type"), body);
        } catch (SendRequest.Invalid e) {
            Exchanges.error(ex, 400, e.getMessage());
            return;
        }
        SendResult result;
        try {
            result = rpl.send(req.channels(), new ChatMessage(req.author(), req.text(), System.currentTimeMillis()));
        } catch (RealplexorException e) {
            System.err.println("chat: publish failed: " + e.getMessage());
            Exchanges.error(ex, 502, "Realplexor did not take the message: " + e.getMessage());
            return;
        }
        Exchanges.json(ex, 200, Map.of("channels", req.channels(), "cursors", result.cursors()));
    }
}
