package org.realplexor.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The benchmark's command line: starts the server (or targets a running one), runs the chosen
 * scenarios and prints one line of figures per scenario on stdout; progress notes go to stderr
 * prefixed with "#". Exits 1 if any scenario lost or duplicated messages, failed or timed out,
 * 2 if the server could not be started.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Load generator for Realplexor over loopback. Scenarios:",
            "  idle     N held polls, each on an id of its own: server RSS per poll",
            "  fanout   L listeners on one id reconnecting with their cursors, M",
            "           messages: deliveries/s, publish->receive latency, lost/dup,",
            "           server CPU per million deliveries",
            "  stream   fanout to L EventSource, then L WebSocket listeners (one",
            "           connection each for the whole run): the same figures",
            "  publish  IN publishes/s and server CPU per publish, with 0 and L listeners",
            "  kept     IN publishes on kept connections (keep-alive), single and in",
            "           batches of --batch: server CPU per message",
            "  cluster  fanout and publishes on one node, then on --nodes nodes",
            "           (ENGINE=redis) on a Redis the bench starts, per --redis-mode:",
            "           one redis-server, master + replica + 3 sentinels, or a 3-shard",
            "           Redis Cluster: the same figures, node CPU per delivery over one",
            "           node's (x_single_node), Redis CPU per publish per process",
            "  restart  N queued messages (DATA_DIR): SIGKILL, start from the journal,",
            "           SIGTERM, start from the snapshot: the times and sizes",
            "  all      idle, fanout, stream, publish (default)",
            "  smoke    idle, fanout, stream, publish, cluster at a few hundred connections",
            "With --tls every scenario runs over TLS (WAIT_TLS_ADDR, IN_TLS_ADDR).",
            "With --data-dir every server journals its state in a fresh folder there (DATA_DIR)."
        })
public final class Bench implements Callable<Integer> {
    static final String DEFAULT_JVM_FLAGS = "-Xms64m -Xmx512m -XX:+UseSerialGC";

    @Parameters(
            paramLabel = "SCENARIO",
            arity = "0..*",
            description = "idle, fanout, stream, publish, cluster, kept, all, smoke (default: all)")
    List<String> scenarios = new ArrayList<>(List.of("all"));

    @Option(names = "--jar", description = "server jar (default: server/target/realplexor-server.jar of this checkout)")
    Path jar;

    @Option(names = "--java", description = "java binary for the server (default: the bench's own)")
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Option(names = "--jvm-flags", description = "server JVM flags, space-separated (default: ${DEFAULT-VALUE})")
    String jvmFlags = DEFAULT_JVM_FLAGS;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "extra server knob, repeatable")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--wait",
            paramLabel = "HOST:PORT",
            description = "WAIT address of a running server (with --in; no server is started)")
    String waitAddr;

    @Option(names = "--in", paramLabel = "HOST:PORT", description = "IN address of a running server")
    String inAddr;

    @Option(names = "--pid", description = "pid of the running server, for CPU and RSS figures")
    long pid;

    @Option(
            names = "--tls",
            description =
                    "every client over TLS: the bench makes a throwaway CA and server "
                            + "certificate with openssl and starts the server with WAIT_TLS_ADDR, IN_TLS_ADDR, TLS_CERT_FILE and TLS_KEY_FILE")
    boolean tls;

    @Option(names = "--one-server", description = "one server for all scenarios instead of a fresh one each")
    boolean oneServer;

    @Option(names = "--polls", description = "idle: held polls (default: ${DEFAULT-VALUE})")
    int polls = 19_500;

    @Option(
            names = "--idle-warmup",
            description =
                    "idle: polls opened and closed before the baseline, "
                            + "so the JIT's one-time growth is not counted per poll (default: ${DEFAULT-VALUE}; 100 for a cold server)")
    int idleWarmup = 10_000;

    @Option(
            names = "--idle-transport",
            paramLabel = "T",
            description = "idle: hold longpoll (default), eventsource or " + "websocket connections")
    Transport idleTransport = Transport.LONGPOLL;

    @Option(
            names = "--histo",
            paramLabel = "N",
            description = "idle: note the N classes whose live heap grew most per poll")
    int histo;

    @Option(
            names = "--listeners",
            split = ",",
            description = "fanout: listener counts, one run each (default: 1000,10000)")
    List<Integer> fanoutListeners = new ArrayList<>(List.of(1000, 10_000));

    @Option(
            names = "--keepalive",
            description = "fanout: listeners poll with keepalive=1, each on one kept connection "
                    + "(the first poll of each is a plain one)")
    boolean keepalive;

    @Option(names = "--messages", description = "fanout: measured messages (default: 1,000,000 / listeners, 20..1000)")
    Integer messages;

    @Option(
            names = "--warmup",
            description = "fanout, stream, cluster: unmeasured messages first "
                    + "(default: 300,000 deliveries' worth, at least 20 messages: 300 at 1k listeners, 30 at 10k)")
    Integer warmup;

    @Option(
            names = "--rate",
            description = "fanout: messages per second; 0 = next message once all listeners are back (default)")
    double rate;

    @Option(names = "--nodes", description = "cluster: server nodes (default: ${DEFAULT-VALUE})")
    int nodes = 2;

    @Option(
            names = "--redis-mode",
            paramLabel = "MODE",
            description = "cluster: the nodes' REDIS_MODE, each its own "
                    + "Redis set-up: standalone (one redis-server), sentinel (master, 1 replica, 3 sentinels), cluster (3 masters), "
                    + "or all of them in turn (default: ${DEFAULT-VALUE})")
    String redisMode = "all";

    @Option(names = "--redis-server", description = "cluster: redis-server binary (default: ${DEFAULT-VALUE})")
    String redisServer = "redis-server";

    @Option(names = "--publishes", description = "publish: measured publishes per run (default: ${DEFAULT-VALUE})")
    int publishes = 100_000;

    @Option(
            names = "--publish-warmup",
            description = "publish: unmeasured publishes first, so that the JIT has "
                    + "compiled the IN path before it is measured (default: ${DEFAULT-VALUE})")
    int publishWarmup = 50_000;

    @Option(
            names = "--publish-listeners",
            split = ",",
            description = "publish: listener counts, one run each (default: 0,1000)")
    List<Integer> publishListeners = new ArrayList<>(List.of(0, 1000));

    @Option(names = "--publish-ids", description = "publish: ids the publishes rotate over (default: ${DEFAULT-VALUE})")
    int publishIds = 1000;

    @Option(names = "--batch", description = "kept: messages per batched request (default: ${DEFAULT-VALUE})")
    int batch = 100;

    @Option(names = "--kept-messages", description = "kept: measured messages per run (default: --publishes)")
    Integer keptMessages;

    @Option(
            names = "--concurrency",
            description = "publish: publisher connections in flight (default: ${DEFAULT-VALUE})")
    int concurrency = 64;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "each server keeps a journal (DATA_DIR) in a fresh "
                    + "folder under DIR, removed after it stops; restart needs it")
    Path dataDir;

    @Option(
            names = "--journal-fsync",
            paramLabel = "P",
            description = "JOURNAL_FSYNC with --data-dir: always, everysec, no " + "(default: the server's, everysec)")
    String journalFsync;

    @Option(
            names = "--restart-messages",
            description = "restart: messages queued before the restarts (default: ${DEFAULT-VALUE})")
    int restartMessages = 1_000_000;

    @Option(names = "--restart-ids", description = "restart: ids they are spread over (default: ${DEFAULT-VALUE})")
    int restartIds = 50_000;

    @Option(names = "--threads", description = "bench event-loop threads (default: ${DEFAULT-VALUE})")
    int threads = 2;

    @Option(
            names = "--sources",
            description = "source addresses 127.0.0.2.. to spread client sockets over (default: ${DEFAULT-VALUE})")
    int sources = 8;

    @Option(names = "--timeout", description = "seconds each scenario may take at most (default: ${DEFAULT-VALUE})")
    double timeout = 300;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    static void note(String s) {
        System.err.println("# " + s);
    }

    /** One scenario run with its parameters. */
    private interface Scenarios {
        Scenario.Result run(Scenario sc) throws Exception;
    }

    /**
     * A planned run: against one server (redisMode null), or against a cluster of {@link #nodes}
     * nodes on a Redis in that REDIS_MODE.
     */
    private record Run(String redisMode, Scenarios scenario, boolean ownServers) {
        Run(String redisMode, Scenarios scenario) {
            this(redisMode, scenario, false);
        }

        static Run single(Scenarios scenario) {
            return new Run(null, scenario, false);
        }

        boolean cluster() {
            return redisMode != null;
        }

        Scenario.Result run(Scenario sc) throws Exception {
            return scenario.run(sc);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Run> runs = plan();
        boolean external = waitAddr != null || inAddr != null;
        if (external && (waitAddr == null || inAddr == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--wait and --in go together");
        }
        Path serverJar = jar != null ? jar : defaultJar();
        List<String> flags =
                jvmFlags.isBlank() ? List.of() : Arrays.asList(jvmFlags.trim().split("\\s+"));
        if (external && tls) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--tls starts its own server (it makes the certificate): drop --wait/--in");
        }
        boolean allOk = true;
        TlsFiles tlsFiles;
        ClientTls clientTls;
        try {
            tlsFiles = tls ? TlsFiles.make() : null;
            clientTls = tls ? ClientTls.trusting(tlsFiles.ca) : null;
        } catch (java.io.IOException e) {
            note(e.getMessage());
            return 2;
        }
        try (tlsFiles;
                Loopback net = new Loopback(threads, sources, clientTls)) {
            note("bench: " + net.transport() + ", " + threads + " event loops, sources 127.0.0.2.." + (1 + sources)
                    + (external
                            ? ", server " + waitAddr + " / " + inAddr + " pid " + pid
                            : ", server jar " + serverJar + " " + flags)
                    + (tls ? ", TLS: " + clientTls.engines() + ", certificate " + tlsFiles.cert : ""));
            Servers shared = null;
            try {
                for (Run r : runs) {
                    if (r.ownServers()) {
                        if (external || dataDir == null) {
                            note(
                                    "restart: skipped, it starts its own servers with --data-dir (drop --wait/--in, give --data-dir)");
                            continue;
                        }
                        Path folder = Files.createTempDirectory(Files.createDirectories(dataDir), "restart-");
                        List<String> runSets = new ArrayList<>(sets);
                        if (journalFsync != null) {
                            runSets.add("JOURNAL_FSYNC=" + journalFsync);
                        }
                        try {
                            Scenario.Result res = new RestartScenario(
                                            net,
                                            Deadline.in(timeout),
                                            java,
                                            serverJar,
                                            flags,
                                            runSets,
                                            folder,
                                            restartMessages,
                                            restartIds,
                                            concurrency)
                                    .run();
                            System.out.println(res.line());
                            System.out.flush();
                            allOk &= res.ok();
                        } finally {
                            deleteTree(folder);
                        }
                        continue;
                    }
                    Servers server;
                    if (r.cluster()) {
                        if (external) {
                            note("cluster: skipped, it starts its own nodes (drop --wait/--in)");
                            continue;
                        }
                        try {
                            server = startCluster(r.redisMode(), serverJar, flags, tlsFiles);
                        } catch (java.io.IOException e) {
                            note(e.getMessage());
                            return 2;
                        }
                    } else if (external) {
                        server = Servers.single(ServerUnderTest.external(address(waitAddr), address(inAddr), pid));
                    } else if (oneServer && shared != null) {
                        server = shared;
                    } else {
                        try {
                            server = Servers.single(
                                    ServerUnderTest.start(java, serverJar, flags, journalSets(), tlsFiles, 60));
                        } catch (java.io.IOException e) {
                            note(e.getMessage());
                            return 2;
                        }
                        if (oneServer) {
                            shared = server;
                        }
                    }
                    Bystanders bystanders = new Bystanders(server);
                    String tag = HexFormat.of()
                            .toHexDigits(ThreadLocalRandom.current().nextInt());
                    Scenario.Result res;
                    try {
                        res = r.run(new Scenario(server, net, Deadline.in(timeout), tag));
                        bystanders.stop();
                    } finally {
                        if (server.managed() && (!oneServer || server != shared)) {
                            server.close();
                        }
                    }
                    System.out.println(res.line().num("other_cpu_s", bystanders.cpuSeconds(), 2));
                    System.out.flush();
                    allOk &= res.ok();
                }
            } finally {
                if (shared != null) {
                    shared.close();
                }
                journalFolders.forEach(Bench::deleteTree);
            }
        }
        return allOk ? 0 : 1;
    }

    /** Redis in {@code mode}, then the nodes on it; whatever started is stopped again if a later part fails. */
    private Servers startCluster(String mode, Path serverJar, List<String> flags, TlsFiles tlsFiles)
            throws java.io.IOException, InterruptedException {
        RedisSetup redis = RedisSetup.start(mode, redisServer);
        List<ServerUnderTest> started = new ArrayList<>();
        try {
            List<String> nodeSets = new ArrayList<>(redis.nodeSets());
            nodeSets.addAll(sets);
            for (int n = 0; n < nodes; n++) {
                started.add(ServerUnderTest.start(java, serverJar, flags, nodeSets, tlsFiles, 60));
            }
            return new Servers(started, redis);
        } catch (java.io.IOException | RuntimeException e) {
            new Servers(started, redis).close();
            throw e;
        }
    }

    private List<Run> plan() {
        List<String> names = new ArrayList<>();
        for (String s : scenarios) {
            switch (s) {
                case "all" -> names.addAll(List.of("idle", "fanout", "stream", "publish"));
                case "smoke" -> {
                    smokeSizes();
                    names.addAll(List.of("idle", "fanout", "stream", "publish", "cluster"));
                }
                case "idle", "fanout", "stream", "publish", "cluster", "restart", "kept" -> names.add(s);
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario: " + s);
            }
        }
        List<Run> runs = new ArrayList<>();
        // Single-node fan-out figures per listener count, for the cluster lines' comparison.
        Map<Integer, Double> singleCpu = new HashMap<>();
        for (String s : names) {
            switch (s) {
                case "idle" ->
                    runs.add(Run.single(sc -> new IdleScenario(sc, polls, histo, idleWarmup, idleTransport).run()));
                case "restart" -> runs.add(new Run(null, null, true));
                case "stream" -> {
                    for (int l : fanoutListeners) {
                        int m = messages != null ? messages : Math.max(20, Math.min(1000, 1_000_000 / Math.max(1, l)));
                        int warmup = warmupFor(l);
                        for (Transport t : List.of(Transport.EVENTSOURCE, Transport.WEBSOCKET)) {
                            runs.add(Run.single(sc -> new FanoutScenario(sc, l, m, warmup, rate, Double.NaN, t).run()));
                        }
                    }
                }
                case "fanout", "cluster" -> {
                    for (int l : fanoutListeners) {
                        int m = messages != null ? messages : Math.max(20, Math.min(1000, 1_000_000 / Math.max(1, l)));
                        int warmup = warmupFor(l);
                        if (s.equals("fanout") || !names.contains("fanout")) {
                            runs.add(Run.single(sc -> {
                                Scenario.Result r = new FanoutScenario(
                                                sc,
                                                l,
                                                m,
                                                warmup,
                                                rate,
                                                Double.NaN,
                                                keepalive ? Transport.KEPTPOLL : Transport.LONGPOLL)
                                        .run();
                                singleCpu.put(l, r.cpuPerMillion());
                                return r;
                            }));
                        }
                    }
                    if (s.equals("cluster")) {
                        // One node's publishes first, then each mode: fan-out per listener count, then publishes.
                        if (!names.contains("publish")) {
                            runs.add(Run.single(
                                    sc -> new PublishScenario(sc, 0, publishWarmup, publishes, publishIds, concurrency)
                                            .run()));
                        }
                        for (String mode : redisModes()) {
                            for (int l : fanoutListeners) {
                                int m = messages != null
                                        ? messages
                                        : Math.max(20, Math.min(1000, 1_000_000 / Math.max(1, l)));
                                int warmup = warmupFor(l);
                                runs.add(new Run(
                                        mode,
                                        sc -> new FanoutScenario(
                                                        sc, l, m, warmup, rate, singleCpu.getOrDefault(l, Double.NaN))
                                                .run()));
                            }
                            runs.add(new Run(
                                    mode,
                                    sc -> new PublishScenario(sc, 0, publishWarmup, publishes, publishIds, concurrency)
                                            .run()));
                        }
                    }
                }
                case "kept" -> {
                    int total = keptMessages != null ? keptMessages : publishes;
                    for (int b : List.of(1, batch)) {
                        runs.add(Run.single(sc ->
                                new KeptPublishScenario(sc, concurrency, b, total, publishWarmup, publishIds).run()));
                    }
                }
                default -> {
                    for (int l : publishListeners) {
                        runs.add(Run.single(sc ->
                                new PublishScenario(sc, l, publishWarmup, publishes, publishIds, concurrency).run()));
                    }
                }
            }
        }
        return runs;
    }

    private List<String> redisModes() {
        if (redisMode.equals("all")) {
            return RedisSetup.MODES;
        }
        if (!RedisSetup.MODES.contains(redisMode)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--redis-mode: standalone, sentinel, cluster or all, not " + redisMode);
        }
        return List.of(redisMode);
    }

    /**
     * Unmeasured fan-out messages. A server's JIT compiles its code during the first few hundred
     * thousand deliveries (about 3.5 CPU-seconds of compiler threads at 1k listeners, almost all
     * of it in the first 10 seconds); a warm-up of 300,000 deliveries keeps that one-time cost out
     * of the steady-state figures. The {@code jit_cpu_s} field shows what is left of it.
     */
    private int warmupFor(int listeners) {
        return warmup != null ? warmup : Math.max(20, 300_000 / Math.max(1, listeners));
    }

    /** The smoke run: every scenario, a few hundred connections, one server, seconds each. */
    private void smokeSizes() {
        polls = 300;
        idleWarmup = 300;
        fanoutListeners = List.of(100);
        messages = 20;
        warmup = 5;
        publishes = 1000;
        publishWarmup = 100;
        publishListeners = List.of(0, 100);
        publishIds = 100;
        concurrency = 16;
        oneServer = true;
        if (redisMode.equals("all")) {
            redisMode = "standalone";
        }
        timeout = Math.min(timeout, 15);
    }

    /**
     * The knobs of a server the bench starts: with --data-dir, a fresh DATA_DIR folder under it
     * (a server must not restore another run's queues) and --journal-fsync.
     */
    private List<String> journalSets() throws java.io.IOException {
        if (dataDir == null) {
            return sets;
        }
        List<String> out = new ArrayList<>(sets);
        Path folder = Files.createTempDirectory(Files.createDirectories(dataDir), "run-");
        journalFolders.add(folder);
        out.add("DATA_DIR=" + folder);
        if (journalFsync != null) {
            out.add("JOURNAL_FSYNC=" + journalFsync);
        }
        return out;
    }

    private final List<Path> journalFolders = new ArrayList<>();

    private static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            note("cannot remove " + root + ": " + e.getMessage());
        }
    }

    /** server/target/realplexor-server.jar next to this jar's bench/target/, else under the working dir. */
    private static Path defaultJar() {
        try {
            Path self = Path.of(Bench.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path candidate = self.getParent().getParent().getParent().resolve("server/target/realplexor-server.jar");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        } catch (URISyntaxException | NullPointerException e) {
            note("cannot locate the bench jar: " + e);
        }
        return Path.of("server/target/realplexor-server.jar").toAbsolutePath();
    }

    private InetSocketAddress address(String hostPort) throws UnknownHostException {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "expected HOST:PORT, got " + hostPort);
        }
        InetSocketAddress a = new InetSocketAddress(
                InetAddress.getByName(hostPort.substring(0, colon)), Integer.parseInt(hostPort.substring(colon + 1)));
        if (!Loopback.isLoopback(a)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "the bench only sends to 127.0.0.0/8: " + hostPort);
        }
        return a;
    }
}
