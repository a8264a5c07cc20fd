package org.realplexor.example.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** Serves the page's files from the jar's {@code static/} folder; {@code /} is index.html. */
final class StaticFiles implements HttpHandler {

    // Flat names only: nothing outside static/ can be reached.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+\\.[a-z]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!Exchanges.method(ex, "GET", "HEAD")) {
            return;
        }
        String path = ex.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        byte[] body = null;
        if (NAME.matcher(name).matches() && type != null) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("/static/" + name)) {
                body = in == null ? null : in.readAllBytes();
            }
        }
        if (body == null) {
            Exchanges.send(
                    ex,
                    404,
                    "text/plain; charset=utf-8",
                    ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        Exchanges.send(ex, 200, type, body);
    }
}
