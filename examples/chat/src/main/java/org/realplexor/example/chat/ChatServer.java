package org.realplexor.example.chat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.realplexor.client.Realplexor;

/**
 * The chat sandbox's back end: serves the page, publishes posts through Realplexor's IN line
 * and reports which channels are online. Browsers never talk to it for messages: they listen
 * on Realplexor's WAIT line, whose URL they get from {@code /config.json}.
 */
public final class ChatServer {

    /** Ids on the wire are {@code chat_Alpha}, {@code chat_Beta}, ...; the page uses the same. */
    static final String NAMESPACE = "chat_";

    private ChatServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ChatOptions.USAGE);
            return;
        }
        ChatOptions options;
        try {
            options = ChatOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chat: " + e.getMessage() + "\n" + ChatOptions.USAGE);
            System.exit(2);
            return;
        }
        HttpServer server = start(options);
        System.out.println("chat: serving http://" + options.host() + ":"
                + server.getAddress().getPort()
                + "/ (publishing to " + options.inHost() + ":" + options.inPort()
                + ", browsers listen on " + options.waitUrl() + ")");
    }

    /** Starts serving; the returned server's address has the port actually bound. */
    static HttpServer start(ChatOptions options) throws IOException {
        Realplexor rpl = Realplexor.builder()
                .host(options.inHost())
                .port(options.inPort())
                .namespace(NAMESPACE)
                .build();
        HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        byte[] config = Exchanges.JSON.writeValueAsBytes(Map.of("waitUrl", options.waitUrl(), "namespace", NAMESPACE));
        server.createContext("/config.json", ex -> {
            if (Exchanges.method(ex, "GET", "HEAD")) {
                Exchanges.send(ex, 200, "application/json; charset=utf-8", config);
            }
        });
        server.createContext("/send", new SendHandler(rpl));
        server.createContext("/online", new OnlineHandler(rpl));
        server.createContext("/", new StaticFiles());
        // Publishing blocks on the IN line for a moment: a few threads keep the page responsive.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        server.setExecutor(pool);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            pool.shutdownNow();
        }));
        return server;
    }
}
