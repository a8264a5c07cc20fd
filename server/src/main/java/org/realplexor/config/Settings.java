package org.realplexor.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.realplexor.auth.SignedIds;

/**
 * Every knob of the server, immutable, built from a flat map of knob values.
 *
 * <p>Knob values arrive from the loaders as {@code String} (numbers as their decimal text) or
 * {@code List<String>} (Perl array refs, comma lists). Unknown knobs are kept: the IFRAME and
 * SCRIPT templates may refer to any knob by name ({@link #knobText(String)}). Every knob of
 * {@link Knobs} is read and checked by its kind when the settings are built, so a bad value
 * fails the start or the reload at once, naming the knob; the typed accessors read those values.
 */
public final class Settings {

    /** Every knob's default (the original's, plus ours), from {@link Knobs}: a new modifiable map. */
    public static Map<String, Object> defaultKnobs() {
        return Knobs.defaults();
    }

    /**
     * The file names the original's own config gives USERS_FILE, IFRAME_FILE and SCRIPT_FILE.
     * Its install keeps those files beside the daemon; a migrated config names them while the
     * files stay behind. Such a name that is not found means the original's default: guests
     * only, or the bundled page. Any other name must exist.
     */
    public static final Map<String, String> ORIGINAL_FILE_NAMES = Map.of(
            "USERS_FILE", "dklab_realplexor.htpasswd",
            "IFRAME_FILE", "dklab_realplexor.html",
            "SCRIPT_FILE", "dklab_realplexor.js");

    private final Map<String, Object> knobs;
    private final Path baseDir;

    /** Every knob of {@link Knobs} read and checked by its kind: the typed accessors read these. */
    private final Map<String, Object> values;
    /** Read on every WAIT request: kept as fields, not looked up in the knob map each time. */
    private final String iframeId;

    private final String scriptId;
    private final String charset;
    /** Checked on every WAIT request: built (and its key set up) once per settings. */
    private final SignedIds signedIds;

    private Settings(Map<String, Object> knobs, Path baseDir) {
        this.knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        this.baseDir = baseDir;
        this.values = Knobs.parseAll(this.knobs);
        this.iframeId = text("IFRAME_ID");
        this.scriptId = text("SCRIPT_ID");
        this.charset = text("CHARSET");
        this.signedIds = SignedIds.of(list("SIGNED_PREFIXES"), text("SUBSCRIBE_SECRET"));
    }

    /**
     * Builds settings from the defaults overlaid with {@code overrides} (later loaders already
     * merged in). A {@code null} value removes a knob (Perl's {@code undef}), which then falls
     * back to its default.
     *
     * @param baseDir folder against which relative file knobs (USERS_FILE, IFRAME_FILE,
     *                SCRIPT_FILE) are resolved: the config file's folder, or the working dir
     * @throws IllegalArgumentException naming the knob when a value has the wrong form
     */
    public static Settings from(Map<String, Object> overrides, Path baseDir) {
        Map<String, Object> all = defaultKnobs();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            if (e.getValue() != null) all.put(e.getKey().toUpperCase(Locale.ROOT), e.getValue());
        }
        return new Settings(all, baseDir);
    }

    public static Settings defaults() {
        return from(Map.of(), Path.of("").toAbsolutePath());
    }

    /** A copy with some knobs replaced (used by tests and by SIGHUP reload). */
    public Settings with(Map<String, Object> overrides) {
        Map<String, Object> all = new LinkedHashMap<>(knobs);
        all.putAll(overrides);
        return from(all, baseDir);
    }

    public Map<String, Object> knobs() {
        return knobs;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** The knob's value as text (lists joined by ", "), or null when there is no such knob. */
    public String knobText(String name) {
        Object v = knobs.get(name);
        return v == null ? null : KnobKind.text(v);
    }

    public String text(String name) {
        String t = knobText(name);
        return t == null ? "" : t;
    }

    /** A file knob resolved against the base dir; null when the knob is empty. */
    public Path path(String name) {
        String t = text(name).trim();
        if (t.isEmpty()) return null;
        Path p = Path.of(t);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    public List<String> waitAddr() {
        return list("WAIT_ADDR");
    }

    public List<String> inAddr() {
        return list("IN_ADDR");
    }

    public List<String> adminAddr() {
        return list("ADMIN_ADDR");
    }

    public long waitTimeoutMs() {
        return millis("WAIT_TIMEOUT");
    }

    public long inTimeoutMs() {
        return millis("IN_TIMEOUT");
    }

    public int waitMaxlen() {
        return integer("WAIT_MAXLEN");
    }

    public int inMaxlen() {
        return integer("IN_MAXLEN");
    }

    public long offlineTimeoutMs() {
        return millis("OFFLINE_TIMEOUT");
    }

    public int maxDataForId() {
        return integer("MAX_DATA_FOR_ID");
    }

    public long cleanIdAfterMs() {
        return millis("CLEAN_ID_AFTER");
    }

    public int eventChainLen() {
        return integer("EVENT_CHAIN_LEN");
    }
    /**
     * Presence events kept for WATCH. The original keeps three chains and starts a new one when
     * the newest holds EVENT_CHAIN_LEN + 1, dropping the oldest: between 2 and 3 chains' worth.
     * Keeping three full chains always gives a WATCH poller that fell behind at least what the
     * original would have given it.
     */
    public int eventsKept() {
        return (int) Math.min(Integer.MAX_VALUE, 3L * (eventChainLen() + 1L));
    }

    public int verbosity() {
        return integer("VERBOSITY");
    }

    public List<String> corsOrigins() {
        return list("CORS_ORIGINS");
    }

    public long streamHeartbeatMs() {
        return Math.max(100, millis("STREAM_HEARTBEAT"));
    }
    /** Event loops for both lines; 0 means one per CPU core. */
    public int ioThreads() {
        return integer("IO_THREADS");
    }
    /** IN_BUFFERS: bytes all unfinished IN requests may hold together; 0 means a quarter of the heap. */
    public long inBuffersBytes() {
        long set = (long) (double) (Double) values.get("IN_BUFFERS");
        return set > 0 ? set : Runtime.getRuntime().maxMemory() / 4;
    }
    /** WAIT_MAX_IDS: the most ids one WAIT connection may listen to. */
    public int waitMaxIds() {
        return integer("WAIT_MAX_IDS");
    }
    /** SEND_TIMEOUT: how long a client may leave an answer it was sent unread. */
    public long sendTimeoutMs() {
        return millis("SEND_TIMEOUT");
    }
    /** HEAD_TIMEOUT: how long a whole WAIT request may take to arrive; 0 for no deadline. */
    public long headTimeoutMs() {
        return millis("HEAD_TIMEOUT");
    }
    /** WAIT_MAX_CONN_PER_IP: WAIT connections one address may hold; 0 for no cap. */
    public int waitMaxConnPerIp() {
        return integer("WAIT_MAX_CONN_PER_IP");
    }
    /** ANSWER_MAX_BYTES: about how many bytes of messages one answer carries (at least one message). */
    public int answerMaxBytes() {
        return integer("ANSWER_MAX_BYTES");
    }
    /** MAX_ID_LENGTH: the longest id accepted, in characters. */
    public int maxIdLength() {
        return integer("MAX_ID_LENGTH");
    }

    public String identifier() {
        return text("IDENTIFIER");
    }

    public String iframeId() {
        return iframeId;
    }

    public String scriptId() {
        return scriptId;
    }

    public String charset() {
        return charset;
    }

    public String engine() {
        return text("ENGINE").toLowerCase(Locale.ROOT);
    }

    public String redisUrl() {
        return text("REDIS_URL");
    }

    public Path usersFile() {
        return path("USERS_FILE");
    }
    /**
     * Whether a missing users file is an error: it is unless USERS_FILE is the original's own
     * name for it ({@link #ORIGINAL_FILE_NAMES}), which stands for the original's default file
     * (guests only) when it is not there. A file the operator named otherwise holds the
     * logins they asked for: starting without it would open the IN line to guests.
     */
    public boolean usersFileRequired() {
        return !isOriginalFileName("USERS_FILE");
    }

    /** Whether the file knob holds exactly the name the original's own config gives it. */
    public boolean isOriginalFileName(String knob) {
        return text(knob).strip().equals(ORIGINAL_FILE_NAMES.get(knob));
    }

    public Path iframeFile() {
        return path("IFRAME_FILE");
    }
    /** LOG_FORMAT: {@code plain} (one readable line per event) or {@code json} (one JSON object per line). */
    public String logFormat() {
        return (String) values.get("LOG_FORMAT");
    }
    /** ADMIN_USERS: the htpasswd file of who may open the admin status page; null when unset (no login). */
    public Path adminUsersFile() {
        return path("ADMIN_USERS");
    }

    public Path scriptFile() {
        return path("SCRIPT_FILE");
    }

    /** MAX_CONNECTIONS: WAIT connections the line holds at most; 0 for no cap (beyond the open files limit). */
    public int maxConnections() {
        return integer("MAX_CONNECTIONS");
    }
    /** IN_MAX_CONNECTIONS: IN connections open at once at most; 0 for no cap. */
    public int inMaxConnections() {
        return integer("IN_MAX_CONNECTIONS");
    }
    /** DRAIN_SECONDS: on SIGTERM, held polls are ended spread over this long. */
    public long drainMs() {
        return millis("DRAIN_SECONDS");
    }
    /** WAIT_TLS_ADDR / IN_TLS_ADDR: addresses served over TLS, next to WAIT_ADDR / IN_ADDR. */
    public List<String> waitTlsAddr() {
        return list("WAIT_TLS_ADDR");
    }

    public List<String> inTlsAddr() {
        return list("IN_TLS_ADDR");
    }
    /** TLS_CERT_FILE / TLS_KEY_FILE: the PEM chain (server's own first) and its PEM private key. */
    public Path tlsCertFile() {
        return path("TLS_CERT_FILE");
    }

    public Path tlsKeyFile() {
        return path("TLS_KEY_FILE");
    }

    /** REDIS_NODE_TTL: a node not heard from for this long has its listeners taken off the counts. */
    public long redisNodeTtlMs() {
        return millis("REDIS_NODE_TTL");
    }
    /** REDIS_TIMEOUT: a Redis command not answered within this is failed and the connection made again. */
    public long redisTimeoutMs() {
        return millis("REDIS_TIMEOUT");
    }

    /** IDEMPOTENCY_WINDOW: how long a publish's idempotency key is remembered. */
    public long idempotencyWindowMs() {
        return millis("IDEMPOTENCY_WINDOW");
    }
    /** IDEMPOTENCY_BYTES: the estimated bytes the embedded engine's remembered keys may hold. */
    public long idempotencyBytes() {
        return integer("IDEMPOTENCY_BYTES");
    }
    /** SUBSCRIBE_SECRET: the key of subscription tokens (never print it: see ConfigPrint.masked). */
    public String subscribeSecret() {
        return text("SUBSCRIBE_SECRET");
    }
    /** SIGNED_PREFIXES: ids starting with one of these need a subscription token on the WAIT line. */
    public List<String> signedPrefixes() {
        return list("SIGNED_PREFIXES");
    }
    /** Both, as the WAIT line checks them: {@link SignedIds#OFF} without prefixes. */
    public SignedIds signedIds() {
        return signedIds;
    }
    /** REDIS_MODE: standalone, sentinel or cluster (RedisKnobs checks it). */
    public String redisMode() {
        return text("REDIS_MODE").strip().toLowerCase(Locale.ROOT);
    }
    /** REDIS_MASTER_NAME: the master's name in Sentinel. */
    public String redisMasterName() {
        return text("REDIS_MASTER_NAME").strip();
    }
    /** REDIS_REPLICA_ACKS: replicas a publish waits for (Redis WAIT) in sentinel mode; 0 for none. */
    public int redisReplicaAcks() {
        return integer("REDIS_REPLICA_ACKS");
    }
    /** REDIS_REPLICA_ACK_TIMEOUT: how long a publish waits for them before answering 503. */
    public long redisReplicaAckTimeoutMs() {
        return millis("REDIS_REPLICA_ACK_TIMEOUT");
    }
    /** REDIS_REPLICA_ACK_STRICT: refuse publishes while the master has fewer replicas than asked. */
    public boolean redisReplicaAckStrict() {
        return integer("REDIS_REPLICA_ACK_STRICT") > 0;
    }
    /** DATA_DIR: where ENGINE=local journals its state (relative to the config's folder); null when off. */
    public Path dataDir() {
        return path("DATA_DIR");
    }
    /** JOURNAL_FSYNC: always, everysec or no. */
    public String journalFsync() {
        return (String) values.get("JOURNAL_FSYNC");
    }
    /** H2_ENABLED: WAIT_TLS_ADDR offers h2 in ALPN next to http/1.1. */
    public boolean h2Enabled() {
        return integer("H2_ENABLED") != 0;
    }
    /** H2_MAX_CONCURRENT_STREAMS: streams one HTTP/2 connection may hold at once. */
    public int h2MaxConcurrentStreams() {
        return integer("H2_MAX_CONCURRENT_STREAMS");
    }

    /** The typed value of a knob of {@link Knobs} (a list, millis, an int, ...), as its kind reads it. */
    Object value(String name) {
        return values.get(name);
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String name) {
        return (List<String>) values.get(name);
    }

    private long millis(String name) {
        return (Long) values.get(name);
    }

    private int integer(String name) {
        return (Integer) values.get(name);
    }
}
