package org.realplexor.example.chat;

import java.net.URI;
import java.util.Locale;

/**
 * The back end's command line: {@code [--host H] [--port P] [--rpl-in HOST:PORT] [--rpl-wait URL]},
 * each also accepted as {@code --name=value}.
 *
 * @param host address the page and API are served on
 * @param port port for the page and API (0: any free port, printed at start)
 * @param inHost host of Realplexor's IN line, where messages are published
 * @param inPort port of the IN line
 * @param waitUrl the WAIT line's URL as the browser reaches it (the page connects there directly)
 */
record ChatOptions(String host, int port, String inHost, int inPort, String waitUrl) {

    static final String USAGE = String.join(
            "\n",
            "usage: java -jar realplexor-example-chat.jar [options]",
            "  --host HOST          address to serve the page on (default 127.0.0.1)",
            "  --port PORT          port to serve the page on (default 8090; 0 picks a free one)",
            "  --rpl-in HOST:PORT   Realplexor's IN line, for publishing (default 127.0.0.1:10010)",
            "  --rpl-wait URL       Realplexor's WAIT line as browsers reach it (default http://127.0.0.1:8088/)");

    /** Parses the arguments; throws {@link IllegalArgumentException} with a message for the user. */
    static ChatOptions parse(String[] args) {
        String host = "127.0.0.1";
        int port = 8090;
        String in = "127.0.0.1:10010";
        String wait = "http://127.0.0.1:8088/";
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for " + name);
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = port(value, name);
                case "--rpl-in" -> in = value;
                case "--rpl-wait" -> wait = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        int colon = in.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--rpl-in wants HOST:PORT, got " + in);
        }
        String scheme = URI.create(wait).getScheme();
        if (scheme == null || !scheme.toLowerCase(Locale.ROOT).matches("https?")) {
            throw new IllegalArgumentException("--rpl-wait wants an http(s) URL, got " + wait);
        }
        return new ChatOptions(host, port, in.substring(0, colon), port(in.substring(colon + 1), "--rpl-in"), wait);
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(option + " wants a port number, got " + text);
    }
}
