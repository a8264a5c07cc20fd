package org.realplexor.config;

import static org.realplexor.config.KnobKind.ADDRESSES;
import static org.realplexor.config.KnobKind.COUNT;
import static org.realplexor.config.KnobKind.FSYNC_POLICY;
import static org.realplexor.config.KnobKind.LIST;
import static org.realplexor.config.KnobKind.LOG_FORMAT;
import static org.realplexor.config.KnobKind.NUMBER;
import static org.realplexor.config.KnobKind.POSITIVE_COUNT;
import static org.realplexor.config.KnobKind.POSITIVE_SECONDS;
import static org.realplexor.config.KnobKind.REQUIRED_ADDRESSES;
import static org.realplexor.config.KnobKind.SECONDS;
import static org.realplexor.config.KnobKind.TEXT;
import static org.realplexor.config.Knobs.Origin.ORIGINAL;
import static org.realplexor.config.Knobs.Origin.OURS;
import static org.realplexor.config.Knobs.Reload.RELOADABLE;
import static org.realplexor.config.Knobs.Reload.RESTART_ONLY;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the server in one table: its name, default, how its value is read and checked,
 * whether a SIGHUP reload applies it, whether the original has it, and its one-line help. The
 * defaults map, the {@code --help} knob lines, the restart-only list a reload warns about, the
 * knobs {@code --check-config} treats as listen addresses and the validation of every value come
 * from here; tests hold the README's knob table and the shipped config to it.
 *
 * <p>A new knob is one row here (and its typed accessor in {@link Settings}, its README row and
 * its line in the shipped config, which tests ask for).
 */
public final class Knobs {

    /** What a SIGHUP reload does with a changed value. */
    public enum Reload {
        /** Applied by the reload (new connections, or everything, as the README says). */
        RELOADABLE,
        /** Read only at start: a reload that changes it logs that it takes effect only on restart. */
        RESTART_ONLY
    }

    /** Whether the original server has the knob (the README marks ours with "(ours)"). */
    public enum Origin {
        ORIGINAL,
        OURS
    }

    /**
     * One knob.
     *
     * @param defaultValue as the loaders give values: {@code String}, or {@code List<String>}
     */
    public record Knob(String name, Object defaultValue, KnobKind kind, Reload reload, Origin origin, String help) {
        /** The typed value of {@code raw} (see {@link KnobKind}); throws naming the knob when it is bad. */
        public Object parse(Object raw) {
            return kind.parse(name, raw, defaultValue);
        }

        public boolean ours() {
            return origin == OURS;
        }
    }

    private static Knob knob(String name, Object dflt, KnobKind kind, Reload reload, Origin origin, String help) {
        return new Knob(name, dflt, kind, reload, origin, help);
    }

    /** In the order --help and --print-config list them; one row per knob, a table kept as one. */
    // spotless:off
    public static final List<Knob> ALL = List.of(
            knob("WAIT_ADDR", List.of("0.0.0.0:8088"), REQUIRED_ADDRESSES, RESTART_ONLY, ORIGINAL,
                    "WAIT line (browsers) listen addresses, comma-separated"),
            knob("IN_ADDR", List.of("127.0.0.1:10010"), REQUIRED_ADDRESSES, RESTART_ONLY, ORIGINAL,
                    "IN line (publishers) listen addresses"),
            knob("WAIT_TIMEOUT", "300", SECONDS, RELOADABLE, ORIGINAL,
                    "seconds a poll may stay idle before it is closed"),
            knob("IN_TIMEOUT", "20", SECONDS, RELOADABLE, ORIGINAL, "seconds to receive an IN request"),
            knob("WAIT_MAXLEN", "5120", POSITIVE_COUNT, RELOADABLE, ORIGINAL, "bytes of a WAIT request without an identifier"),
            knob("IN_MAXLEN", "204800", POSITIVE_COUNT, RELOADABLE, ORIGINAL, "bytes of an IN request"),
            knob("OFFLINE_TIMEOUT", "30", SECONDS, RELOADABLE, ORIGINAL,
                    "seconds an id stays online after its last listener left"),
            knob("MAX_DATA_FOR_ID", "30", POSITIVE_COUNT, RELOADABLE, ORIGINAL, "messages kept per id"),
            knob("CLEAN_ID_AFTER", "3600", SECONDS, RELOADABLE, ORIGINAL,
                    "seconds from an id's last publish until its queue is dropped"),
            knob("EVENT_CHAIN_LEN", "1000", POSITIVE_COUNT, RELOADABLE, ORIGINAL, "online/offline events kept for WATCH"),
            knob("USERS_FILE", "dklab_realplexor.htpasswd", TEXT, RELOADABLE, ORIGINAL,
                    "htpasswd-style users file; a line ':' allows guests"),
            knob("IFRAME_FILE", "", TEXT, RELOADABLE, ORIGINAL, "IFRAME page template; empty: the bundled one"),
            knob("SCRIPT_FILE", "", TEXT, RELOADABLE, ORIGINAL, "SCRIPT template; empty: the bundled one"),
            knob("IFRAME_ID", "IFRAME", TEXT, RELOADABLE, ORIGINAL, "id that asks for the IFRAME page"),
            knob("SCRIPT_ID", "SCRIPT", TEXT, RELOADABLE, ORIGINAL, "id that asks for the script"),
            knob("IDENTIFIER", "identifier", TEXT, RELOADABLE, ORIGINAL, "name of the identifier= marker on both lines"),
            knob("CHARSET", "utf-8", TEXT, RELOADABLE, ORIGINAL,
                    "charset in the Content-Type of WAIT answers and static pages"),
            knob("JS_MAX_BOUNCES", "10", TEXT, RELOADABLE, ORIGINAL, "substituted into the IFRAME template"),
            knob("JS_WAIT_RECONNECT_DELAY", "0.01", TEXT, RELOADABLE, ORIGINAL, "substituted into the IFRAME template"),
            knob("JS_WAIT_URI", "/", TEXT, RELOADABLE, ORIGINAL, "substituted into the IFRAME template"),
            knob("JS_DEBUG", "1", TEXT, RELOADABLE, ORIGINAL, "substituted into the IFRAME template"),
            knob("VERBOSITY", "3", COUNT, RELOADABLE, ORIGINAL, "log detail, 0 = silent"),
            knob("CORS_ORIGINS", List.of("*"), LIST, RELOADABLE, OURS, "origins whose pages may poll the WAIT line, * = any"),
            knob("ENGINE", "local", TEXT, RESTART_ONLY, OURS, "where the state lives: local or redis"),
            knob("REDIS_URL", "redis://127.0.0.1:6379", TEXT, RESTART_ONLY, OURS, "the Redis server for ENGINE=redis"),
            knob("REDIS_PREFIX", "realplexor:", TEXT, RESTART_ONLY, OURS,
                    "key prefix in Redis (several clusters may share one Redis)"),
            // Both are held by the Redis links, reads and timers made at start (RedisKnobs).
            knob("REDIS_NODE_TTL", "10", POSITIVE_SECONDS, RESTART_ONLY, OURS,
                    "seconds before a silent node's listeners are taken off"),
            knob("REDIS_TIMEOUT", "5", POSITIVE_SECONDS, RESTART_ONLY, OURS,
                    "seconds a Redis command may take before the node reconnects"),
            knob("ADMIN_ADDR", List.of(), ADDRESSES, RESTART_ONLY, OURS,
                    "admin listener (metrics, health, status page); empty: none"),
            knob("STREAM_HEARTBEAT", "25", SECONDS, RELOADABLE, OURS, "seconds between SSE comments / WebSocket pings"),
            knob("IO_THREADS", "0", COUNT, RESTART_ONLY, OURS, "event loops for both lines; 0 = one per CPU core"),
            knob("IN_BUFFERS", "0", NUMBER, RELOADABLE, OURS,
                    "bytes all unfinished IN requests may hold together (503 past it); 0 = a quarter of the heap"),
            knob("WAIT_MAX_IDS", "256", POSITIVE_COUNT, RELOADABLE, OURS,
                    "the most distinct ids one WAIT connection may listen to (400 past it)"),
            knob("ANSWER_MAX_BYTES", "1048576", POSITIVE_COUNT, RELOADABLE, OURS,
                    "about how many bytes of queued messages one answer carries (at least one message)"),
            knob("SEND_TIMEOUT", "60", SECONDS, RELOADABLE, OURS, "seconds a client may take to read an answer it was sent"),
            knob("HEAD_TIMEOUT", "30", SECONDS, RELOADABLE, OURS,
                    "seconds for a whole WAIT request to arrive (408 after); 0 = no deadline"),
            knob("WAIT_MAX_CONN_PER_IP", "0", COUNT, RELOADABLE, OURS,
                    "WAIT connections one address may hold (503 past it); 0 = no cap"),
            knob("MAX_ID_LENGTH", "256", POSITIVE_COUNT, RELOADABLE, OURS, "the longest id accepted, in characters (400 past it)"),
            // Logging.format runs once, before the first line is logged.
            knob("LOG_FORMAT", "plain", LOG_FORMAT, RESTART_ONLY, OURS, "plain or json (one JSON object a line)"),
            // The admin server is given the file at start (it re-reads that file when it changes).
            knob("ADMIN_USERS", "", TEXT, RESTART_ONLY, OURS,
                    "htpasswd file of who may open the admin status page; needed beyond loopback"),
            knob("MAX_CONNECTIONS", "0", COUNT, RELOADABLE, OURS, "WAIT connections held at most (503 past it); 0 = no cap"),
            knob("IN_MAX_CONNECTIONS", "0", COUNT, RELOADABLE, OURS, "IN connections open at once at most (503 past it); 0 = no cap"),
            knob("DRAIN_SECONDS", "5", SECONDS, RELOADABLE, OURS,
                    "on SIGTERM, held polls and streams end spread over this many seconds"),
            knob("WAIT_TLS_ADDR", List.of(), ADDRESSES, RESTART_ONLY, OURS,
                    "WAIT addresses served over TLS, next to WAIT_ADDR; empty: none"),
            knob("IN_TLS_ADDR", List.of(), ADDRESSES, RESTART_ONLY, OURS,
                    "IN addresses served over TLS, next to IN_ADDR; empty: none"),
            // Re-read on SIGHUP by the TLS contexts (a certificate that cannot serve keeps the old one).
            knob("TLS_CERT_FILE", "", TEXT, RELOADABLE, OURS, "PEM certificate chain, the server's own first"),
            knob("TLS_KEY_FILE", "", TEXT, RELOADABLE, OURS, "PEM private key of that certificate, unencrypted"),
            // Read at each keyed publish: a new window applies to keys stored after the reload.
            knob("IDEMPOTENCY_WINDOW", "300", POSITIVE_SECONDS, RELOADABLE, OURS,
                    "seconds a publish's idempotency key is remembered; a repeat within it is answered, not stored"),
            knob("IDEMPOTENCY_BYTES", "33554432", POSITIVE_COUNT, RELOADABLE, OURS,
                    "bytes (estimated) the remembered idempotency keys may hold, embedded engine (503 past it)"),
            // Signed subscriptions: read per WAIT request from the Settings in force (SignedIds).
            knob("SUBSCRIBE_SECRET", "", TEXT, RELOADABLE, OURS,
                    "key of the subscription tokens SIGNED_PREFIXES ask for, 16 characters or more; never printed"),
            knob("SIGNED_PREFIXES", List.of(), LIST, RELOADABLE, OURS,
                    "id prefixes a WAIT request needs a subscription token for, comma-separated; empty: none"),
            // Redis high availability (issue #18): read once by RedisKnobs, when the engine starts.
            knob("REDIS_MODE", "standalone", TEXT, RESTART_ONLY, OURS,
                    "standalone, sentinel or cluster: what REDIS_URL's comma-separated endpoints are"),
            knob("REDIS_MASTER_NAME", "mymaster", TEXT, RESTART_ONLY, OURS,
                    "the master's name in Sentinel (REDIS_MODE=sentinel)"),
            knob("REDIS_REPLICA_ACKS", "1", COUNT, RESTART_ONLY, OURS,
                    "replicas a publish waits for (Redis WAIT) in sentinel and cluster mode (per shard); 0 = none"),
            knob("REDIS_REPLICA_ACK_TIMEOUT", "0.5", POSITIVE_SECONDS, RESTART_ONLY, OURS,
                    "seconds a publish waits for those acknowledgements (503 after)"),
            knob("REDIS_REPLICA_ACK_STRICT", "0", COUNT, RESTART_ONLY, OURS,
                    "1 refuses publishes (503) while the master has fewer replicas than REDIS_REPLICA_ACKS"),
            // The local engine's journal (engine/journal): where, and how often it is forced to disk.
            knob("DATA_DIR", "", TEXT, RESTART_ONLY, OURS,
                    "folder where ENGINE=local keeps its queues across restarts; empty: in memory only"),
            knob("JOURNAL_FSYNC", "everysec", FSYNC_POLICY, RESTART_ONLY, OURS,
                    "when the journal in DATA_DIR is forced to disk: always, everysec or no"),
            // ALPN is fixed when the TLS listeners are bound.
            knob("H2_ENABLED", "1", COUNT, RESTART_ONLY, OURS,
                    "1: WAIT_TLS_ADDR offers HTTP/2 (h2) next to http/1.1 in ALPN; 0: HTTP/1.1 only"),
            // Read by each new HTTP/2 connection.
            knob("H2_MAX_CONCURRENT_STREAMS", "100", POSITIVE_COUNT, RELOADABLE, OURS,
                    "streams (polls) one HTTP/2 connection may hold open at once (SETTINGS_MAX_CONCURRENT_STREAMS)"));
    // spotless:on

    private static final Map<String, Knob> BY_NAME = byName();

    private Knobs() {}

    private static Map<String, Knob> byName() {
        Map<String, Knob> m = new LinkedHashMap<>();
        for (Knob k : ALL) {
            if (m.put(k.name(), k) != null) throw new IllegalStateException("knob listed twice: " + k.name());
        }
        return m;
    }

    /** The knob of that name, or null when it is not a setting of this server. */
    public static Knob get(String name) {
        return BY_NAME.get(name);
    }

    public static boolean known(String name) {
        return BY_NAME.containsKey(name);
    }

    /** A new modifiable map of every knob's default, in table order. */
    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Knob k : ALL) d.put(k.name(), k.defaultValue());
        return d;
    }

    /** The knobs a reload does not apply, in table order. */
    public static List<String> restartOnly() {
        return ALL.stream()
                .filter(k -> k.reload() == Reload.RESTART_ONLY)
                .map(Knob::name)
                .toList();
    }

    /** The knobs that name listen addresses. */
    public static List<String> addressKnobs() {
        return ALL.stream()
                .filter(k -> k.kind() == ADDRESSES || k.kind() == REQUIRED_ADDRESSES)
                .map(Knob::name)
                .toList();
    }

    /**
     * Every knob's typed value, checked in table order.
     *
     * @param values every knob's raw value (defaults already filled in); other names are ignored
     * @throws IllegalArgumentException naming the first knob whose value is bad
     */
    static Map<String, Object> parseAll(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Knob k : ALL)
            out.put(k.name(), k.parse(values.containsKey(k.name()) ? values.get(k.name()) : k.defaultValue()));
        return out;
    }
}
