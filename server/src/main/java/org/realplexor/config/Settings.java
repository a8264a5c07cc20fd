package org.realplexor.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every knob of the server, immutable, built from a flat map of knob values.
 *
 * <p>Knob values arrive from the loaders as {@code String} (numbers as their decimal text) or
 * {@code List<String>} (Perl array refs, comma lists). Unknown knobs are kept: the IFRAME and
 * SCRIPT templates may refer to any knob by name ({@link #knobText(String)}).
 */
public final class Settings {

    /** The original's defaults, plus ours (CORS_ORIGINS, ENGINE, REDIS_URL, ADMIN_ADDR). */
    public static Map<String, Object> defaultKnobs() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("WAIT_ADDR", List.of("0.0.0.0:8088"));
        d.put("IN_ADDR", List.of("127.0.0.1:10010"));
        d.put("WAIT_TIMEOUT", "300");
        d.put("IN_TIMEOUT", "20");
        d.put("WAIT_MAXLEN", "5120");
        d.put("IN_MAXLEN", "204800");
        d.put("OFFLINE_TIMEOUT", "30");
        d.put("MAX_DATA_FOR_ID", "30");
        d.put("CLEAN_ID_AFTER", "3600");
        d.put("EVENT_CHAIN_LEN", "1000");
        d.put("USERS_FILE", "dklab_realplexor.htpasswd");
        d.put("IFRAME_FILE", "");
        d.put("SCRIPT_FILE", "");
        d.put("IFRAME_ID", "IFRAME");
        d.put("SCRIPT_ID", "SCRIPT");
        d.put("IDENTIFIER", "identifier");
        d.put("CHARSET", "utf-8");
        d.put("JS_MAX_BOUNCES", "10");
        d.put("JS_WAIT_RECONNECT_DELAY", "0.01");
        d.put("JS_WAIT_URI", "/");
        d.put("JS_DEBUG", "1");
        d.put("VERBOSITY", "3");
        d.put("CORS_ORIGINS", List.of("*"));
        d.put("ENGINE", "local");
        d.put("REDIS_URL", "redis://127.0.0.1:6379");
        d.put("REDIS_PREFIX", "realplexor:");
        d.put("REDIS_NODE_TTL", "10");
        d.put("REDIS_TIMEOUT", "5");
        d.put("ADMIN_ADDR", List.of());
        d.put("STREAM_HEARTBEAT", "25");
        d.put("IO_THREADS", "0");
        d.put("IN_BUFFERS", "0");
        d.put("WAIT_MAX_IDS", "256");
        d.put("ANSWER_MAX_BYTES", "1048576");
        d.put("SEND_TIMEOUT", "60");
        d.put("HEAD_TIMEOUT", "30");
        d.put("WAIT_MAX_CONN_PER_IP", "0");
        d.put("MAX_ID_LENGTH", "256");
        d.put("LOG_FORMAT", "plain");
        d.put("ADMIN_USERS", "");
        d.put("MAX_CONNECTIONS", "0");
        d.put("IN_MAX_CONNECTIONS", "0");
        d.put("DRAIN_SECONDS", "5");
        // TLS (README "TLS"): addresses served encrypted, next to the plain ones; empty: none.
        d.put("WAIT_TLS_ADDR", List.of());
        d.put("IN_TLS_ADDR", List.of());
        d.put("TLS_CERT_FILE", "");
        d.put("TLS_KEY_FILE", "");
        return d;
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

    private final List<String> waitAddr;
    private final List<String> inAddr;
    private final long waitTimeoutMs;
    private final long inTimeoutMs;
    private final int waitMaxlen;
    private final int inMaxlen;
    private final long offlineTimeoutMs;
    private final int maxDataForId;
    private final long cleanIdAfterMs;
    private final int eventChainLen;
    private final int verbosity;
    private final List<String> corsOrigins;
    private final long streamHeartbeatMs;
    /** Read on every WAIT request: kept as fields, not looked up in the knob map each time. */
    private final String iframeId;
    private final String scriptId;
    private final String charset;

    private Settings(Map<String, Object> knobs, Path baseDir) {
        this.knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        this.baseDir = baseDir;
        this.waitAddr = list("WAIT_ADDR");
        this.inAddr = list("IN_ADDR");
        this.waitTimeoutMs = millis("WAIT_TIMEOUT");
        this.inTimeoutMs = millis("IN_TIMEOUT");
        this.waitMaxlen = integer("WAIT_MAXLEN", 1);
        this.inMaxlen = integer("IN_MAXLEN", 1);
        this.offlineTimeoutMs = millis("OFFLINE_TIMEOUT");
        this.maxDataForId = integer("MAX_DATA_FOR_ID", 1);
        this.cleanIdAfterMs = millis("CLEAN_ID_AFTER");
        this.eventChainLen = integer("EVENT_CHAIN_LEN", 1);
        this.verbosity = integer("VERBOSITY", 0);
        this.corsOrigins = list("CORS_ORIGINS");
        this.streamHeartbeatMs = Math.max(100, millis("STREAM_HEARTBEAT"));
        this.iframeId = text("IFRAME_ID");
        this.scriptId = text("SCRIPT_ID");
        this.charset = text("CHARSET");
        if (waitAddr.isEmpty()) throw new IllegalArgumentException("WAIT_ADDR: at least one address is needed");
        if (inAddr.isEmpty()) throw new IllegalArgumentException("IN_ADDR: at least one address is needed");
        for (String a : waitAddr) HostPort.parse("WAIT_ADDR", a);
        for (String a : inAddr) HostPort.parse("IN_ADDR", a);
        for (String a : list("ADMIN_ADDR")) HostPort.parse("ADMIN_ADDR", a);
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

    public Map<String, Object> knobs() { return knobs; }
    public Path baseDir() { return baseDir; }

    /** The knob's value as text (lists joined by ", "), or null when there is no such knob. */
    public String knobText(String name) {
        Object v = knobs.get(name);
        if (v == null) return null;
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join(", ", parts);
        }
        return v.toString();
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

    public List<String> waitAddr() { return waitAddr; }
    public List<String> inAddr() { return inAddr; }
    public List<String> adminAddr() { return list("ADMIN_ADDR"); }
    public long waitTimeoutMs() { return waitTimeoutMs; }
    public long inTimeoutMs() { return inTimeoutMs; }
    public int waitMaxlen() { return waitMaxlen; }
    public int inMaxlen() { return inMaxlen; }
    public long offlineTimeoutMs() { return offlineTimeoutMs; }
    public int maxDataForId() { return maxDataForId; }
    public long cleanIdAfterMs() { return cleanIdAfterMs; }
    public int eventChainLen() { return eventChainLen; }
    /**
     * Presence events kept for WATCH. The original keeps three chains and starts a new one when
     * the newest holds EVENT_CHAIN_LEN + 1, dropping the oldest: between 2 and 3 chains' worth.
     * Keeping three full chains always gives a WATCH poller that fell behind at least what the
     * original would have given it.
     */
    public int eventsKept() { return (int) Math.min(Integer.MAX_VALUE, 3L * (eventChainLen + 1L)); }
    public int verbosity() { return verbosity; }
    public List<String> corsOrigins() { return corsOrigins; }
    public long streamHeartbeatMs() { return streamHeartbeatMs; }
    /** Event loops for both lines; 0 means one per CPU core. */
    public int ioThreads() { return integer("IO_THREADS", 0); }
    /** IN_BUFFERS: bytes all unfinished IN requests may hold together; 0 means a quarter of the heap. */
    public long inBuffersBytes() {
        long set = (long) number("IN_BUFFERS");
        return set > 0 ? set : Runtime.getRuntime().maxMemory() / 4;
    }
    /** WAIT_MAX_IDS: the most ids one WAIT connection may listen to. */
    public int waitMaxIds() { return integer("WAIT_MAX_IDS", 1); }
    /** SEND_TIMEOUT: how long a client may leave an answer it was sent unread. */
    public long sendTimeoutMs() { return millis("SEND_TIMEOUT"); }
    /** HEAD_TIMEOUT: how long a whole WAIT request may take to arrive; 0 for no deadline. */
    public long headTimeoutMs() { return millis("HEAD_TIMEOUT"); }
    /** WAIT_MAX_CONN_PER_IP: WAIT connections one address may hold; 0 for no cap. */
    public int waitMaxConnPerIp() { return integer("WAIT_MAX_CONN_PER_IP", 0); }
    /** ANSWER_MAX_BYTES: about how many bytes of messages one answer carries (at least one message). */
    public int answerMaxBytes() { return integer("ANSWER_MAX_BYTES", 1); }
    /** MAX_ID_LENGTH: the longest id accepted, in characters. */
    public int maxIdLength() { return integer("MAX_ID_LENGTH", 1); }
    public String identifier() { return text("IDENTIFIER"); }
    public String iframeId() { return iframeId; }
    public String scriptId() { return scriptId; }
    public String charset() { return charset; }
    public String engine() { return text("ENGINE").toLowerCase(Locale.ROOT); }
    public String redisUrl() { return text("REDIS_URL"); }
    public Path usersFile() { return path("USERS_FILE"); }
    /**
     * Whether a missing users file is an error: it is unless USERS_FILE is the original's own
     * name for it ({@link #ORIGINAL_FILE_NAMES}), which stands for the original's default file
     * (guests only) when it is not there. A file the operator named otherwise holds the
     * logins they asked for: starting without it would open the IN line to guests.
     */
    public boolean usersFileRequired() { return !isOriginalFileName("USERS_FILE"); }

    /** Whether the file knob holds exactly the name the original's own config gives it. */
    public boolean isOriginalFileName(String knob) {
        return text(knob).strip().equals(ORIGINAL_FILE_NAMES.get(knob));
    }
    public Path iframeFile() { return path("IFRAME_FILE"); }
    /** LOG_FORMAT: {@code plain} (one readable line per event) or {@code json} (one JSON object per line). */
    public String logFormat() {
        String f = text("LOG_FORMAT").strip().toLowerCase(Locale.ROOT);
        if (!f.equals("plain") && !f.equals("json")) {
            throw new IllegalArgumentException("LOG_FORMAT: expected plain or json, got '" + text("LOG_FORMAT") + "'");
        }
        return f;
    }
    /** ADMIN_USERS: the htpasswd file of who may open the admin status page; null when unset (no login). */
    public Path adminUsersFile() { return path("ADMIN_USERS"); }
    public Path scriptFile() { return path("SCRIPT_FILE"); }

    /** MAX_CONNECTIONS: WAIT connections the line holds at most; 0 for no cap (beyond the open files limit). */
    public int maxConnections() { return integer("MAX_CONNECTIONS", 0); }
    /** IN_MAX_CONNECTIONS: IN connections open at once at most; 0 for no cap. */
    public int inMaxConnections() { return integer("IN_MAX_CONNECTIONS", 0); }
    /** DRAIN_SECONDS: on SIGTERM, held polls are ended spread over this long. */
    public long drainMs() { return millis("DRAIN_SECONDS"); }
    /** WAIT_TLS_ADDR / IN_TLS_ADDR: addresses served over TLS, next to WAIT_ADDR / IN_ADDR. */
    public List<String> waitTlsAddr() { return list("WAIT_TLS_ADDR"); }
    public List<String> inTlsAddr() { return list("IN_TLS_ADDR"); }
    /** TLS_CERT_FILE / TLS_KEY_FILE: the PEM chain (server's own first) and its PEM private key. */
    public Path tlsCertFile() { return path("TLS_CERT_FILE"); }
    public Path tlsKeyFile() { return path("TLS_KEY_FILE"); }

    private List<String> list(String name) {
        Object v = knobs.get(name);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) if (o != null && !o.toString().isBlank()) out.add(o.toString().trim());
        } else if (v != null) {
            for (String s : v.toString().split("[,\\s]+")) if (!s.isBlank()) out.add(s.trim());
        }
        return List.copyOf(out);
    }

    private double number(String name) {
        String t = text(name).trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a number, got '" + t + "'");
        }
    }

    private long millis(String name) {
        double s = number(name);
        if (s < 0) throw new IllegalArgumentException(name + ": must not be negative, got " + text(name));
        return Math.round(s * 1000.0);
    }

    private int integer(String name, int min) {
        double d = number(name);
        if (d != Math.floor(d) || d < min || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected a whole number >= " + min + ", got " + text(name));
        }
        return (int) d;
    }
}
