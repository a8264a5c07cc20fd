package org.realplexor;

import java.util.concurrent.CountDownLatch;
import org.realplexor.config.ConfigException;
import org.realplexor.config.Settings;
import org.realplexor.config.SettingsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code realplexor [CONFIG_FILE] [--set KEY=VALUE]...}: reads settings, starts both lines,
 * re-reads settings, users file and templates on SIGHUP, and stops cleanly on SIGTERM / SIGINT
 * (exit status 0).
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SettingsLoader loader;
        Settings settings;
        try {
            loader = SettingsLoader.fromArgs(args, System.getenv());
            if (loader.exitRequested()) {
                System.out.print(loader.exitText());
                return;
            }
            settings = loader.load();
        } catch (ConfigException e) {
            System.err.println("realplexor: " + e.getMessage());
            System.exit(2);
            return;
        }
        RealplexorServer server;
        try {
            server = RealplexorServer.start(settings);
        } catch (Exception e) {
            System.err.println("realplexor: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("realplexor: WAIT on " + shown(server.waitAddresses()) + ", IN on " + shown(server.inAddresses())
                + (loader.configFile() == null ? " (embedded defaults)" : " (config " + loader.configFile() + ")"));

        Signal.handle(new Signal("HUP"), sig -> {
            try {
                server.reload(loader.load());
            } catch (Exception e) {
                log.error("reload failed, keeping the current settings: {}", e.getMessage());
            }
        });
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), sig -> stop.countDown());
        Signal.handle(new Signal("INT"), sig -> stop.countDown());
        stop.await();
        log.info("stopping");
        server.drain();
        System.exit(0);
    }

    /** Addresses as an operator writes them: {@code 0.0.0.0:8088, [::1]:8088}. */
    static String shown(java.util.List<java.net.InetSocketAddress> addrs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (java.net.InetSocketAddress a : addrs) {
            String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
            out.add((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
        }
        return String.join(", ", out);
    }
}
