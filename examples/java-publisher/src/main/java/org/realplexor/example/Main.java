package org.realplexor.example;

import java.util.LinkedHashMap;
import java.util.Map;
import org.realplexor.client.Realplexor;
import org.realplexor.client.RealplexorException;
import org.realplexor.client.SendResult;

/**
 * Publishes {@code {"n":N,"time":...}} to the channel {@code demo_Alpha} once a second, the
 * channel the demo page listens to. Arguments: the IN line's host and port (default
 * {@code 127.0.0.1 10010}).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 10010;
        Realplexor rpl =
                Realplexor.builder().host(host).port(port).namespace("demo_").build();

        for (long n = 1; ; n++) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("n", n);
            message.put("time", System.currentTimeMillis());
            try {
                SendResult r = rpl.send("Alpha", message);
                System.out.println("sent " + n
                        + (r.reported() ? " at cursor " + r.cursor("Alpha").orElse("?") : ""));
            } catch (RealplexorException e) {
                // Keep going: the server may be restarting; the next second tries again.
                System.err.println("send " + n + " failed: " + e.getMessage());
            }
            Thread.sleep(1000);
        }
    }
}
