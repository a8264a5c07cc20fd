package org.realplexor;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.realplexor.config.ConfigCheck;
import org.realplexor.config.ConfigException;
import org.realplexor.config.ConfigPrint;
import org.realplexor.config.HostPort;
import org.realplexor.config.Settings;
import org.realplexor.config.SettingsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code realplexor [CONFIG_FILE] [--set KEY=VALUE]...}: reads settings, starts both lines,
 * re-reads settings, users file and templates on SIGHUP, and stops cleanly on SIGTERM / SIGINT
 * (exit status 0). {@code --check-config} and {@code --print-config} read the settings and exit
 * without starting anything.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        SettingsLoader loader;
        Settings settings;
        boolean logsReady = false;
        try {
            loader = SettingsLoader.fromArgs(args, System.getenv());
            if (loader.exitRequested()) {
                System.out.print(loader.exitText());
                return;
            }
            if (loader.options().checkConfig() || loader.options().printConfig()) {
                System.exit(checkOrPrint(loader));
                return;
            }
            SettingsLoader.Sources sources = loader.read(null);
            settings = sources.settings();
            // Format and level before the first line: a json log is json from its first line.
            Logging.format(settings.logFormat());
            logsReady = true;
            Logging.apply(settings.verbosity());
            log.info("{}", BuildInfo.current().startLine(System.getProperty("realplexor.launcher")));
            sources.logNotes();
        } catch (ConfigException | IllegalArgumentException e) {
            String why = e instanceof ConfigException ? e.getMessage() : "invalid setting: " + e.getMessage();
            if (logsReady) log.error("{}", why);
            else System.err.println("realplexor: " + why);
            System.exit(2);
            return;
        }
        RealplexorServer server;
        try {
            server = RealplexorServer.start(settings);
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        log.info("{}", startLine(version(), server, settings, loader.configFile()));

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

    /** --check-config and/or --print-config: prints to stdout, returns the exit status. */
    private static int checkOrPrint(SettingsLoader loader) throws ConfigException {
        int status = 0;
        if (loader.options().checkConfig()) {
            List<ConfigCheck.Problem> problems = ConfigCheck.run(loader);
            for (ConfigCheck.Problem p : problems) System.out.println(p.line());
            long errors = problems.stream()
                    .filter(p -> p.level() == ConfigCheck.Level.ERROR)
                    .count();
            long warnings = problems.stream()
                    .filter(p -> p.level() == ConfigCheck.Level.WARNING)
                    .count();
            System.out.println(
                    errors == 0
                            ? "config OK (" + warnings + " warning(s))"
                            : "config has " + errors + " error(s), " + warnings + " warning(s)");
            if (errors > 0) return 2;
        }
        if (loader.options().printConfig()) {
            SettingsLoader.Sources sources = loader.read(null);
            sources.settings();
            System.out.print(ConfigPrint.render(sources));
        }
        return status;
    }

    /**
     * The one line that says what started: {@code realplexor 1.2.0: WAIT on ..., IN on ..., admin
     * on ..., engine local, users file ... (config ...)}.
     */
    static String startLine(String version, RealplexorServer server, Settings s, Path configFile) {
        List<String> admin = new ArrayList<>();
        List<Integer> ports = server.adminPorts();
        for (int i = 0; i < ports.size() && i < s.adminAddr().size(); i++) {
            HostPort hp = HostPort.parse("ADMIN_ADDR", s.adminAddr().get(i));
            admin.add(new HostPort(hp.host(), ports.get(i)).toString());
        }
        return "realplexor " + version + ": WAIT on " + shown(server.waitAddresses()) + ", IN on "
                + shown(server.inAddresses())
                + ", admin " + (admin.isEmpty() ? "off" : "on " + String.join(", ", admin))
                + ", engine " + s.engine() + ", users file " + usersInForce(s)
                + (configFile == null ? " (embedded defaults)" : " (config " + configFile + ")");
    }

    /** The users file the IN line checks, as UsersAuthenticator decides it. */
    private static String usersInForce(Settings s) {
        Path file = s.usersFile();
        if (file == null) return "none (guests only)";
        if (!s.usersFileRequired() && Files.notExists(file)) return "none (guests only; " + file + " is not there)";
        return file.toString();
    }

    /** The build's version and commit, as --version prints them. */
    static String version() {
        BuildInfo b = BuildInfo.current();
        return b.version() + " (commit " + b.commit() + ")";
    }

    /** Addresses as an operator writes them: {@code 0.0.0.0:8088, [::1]:8088}. */
    static String shown(List<InetSocketAddress> addrs) {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress a : addrs) {
            String host =
                    a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
            out.add((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
        }
        return String.join(", ", out);
    }
}
