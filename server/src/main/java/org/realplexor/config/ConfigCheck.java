package org.realplexor.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.realplexor.auth.UsersFile;
import org.realplexor.engine.EngineFactory;
import org.slf4j.LoggerFactory;

/**
 * {@code --check-config}: reads every source as a start would and lists every problem found,
 * not only the first, without binding a port. Errors are what would stop a start (or, for
 * listen addresses that do not resolve, its bind); warnings are what a start would log and go
 * on with (a knob this server does not use, a skipped users line).
 */
public final class ConfigCheck {

    public enum Level {
        ERROR,
        WARNING,
        INFO
    }

    /**
     * One finding.
     *
     * @param where the file and line, "the environment: REALPLEXOR_X", "the command line",
     *              "default", or "" when the text says it
     * @param knob  the knob concerned, or null
     */
    public record Problem(Level level, String where, String knob, String text) {
        /** {@code error: FILE:LINE: KNOB: text}, as the check prints it. */
        public String line() {
            return level.name().toLowerCase(java.util.Locale.ROOT) + ": " + (where.isEmpty() ? "" : where + ": ")
                    + (knob == null || where.endsWith(knob) ? "" : knob + ": ") + text;
        }
    }

    /** Knobs that name listen addresses (TLS ones too): each must resolve, and none serve two lines. */
    private static final List<String> ADDRESS_KNOBS = Knobs.addressKnobs();
    /** Settings methods that are not knob accessors. */
    private static final Set<String> NOT_ACCESSORS = Set.of("knobs", "baseDir", "hashCode", "toString");

    private ConfigCheck() {}

    /** Every problem of every source, in the order found; nothing is started or logged. */
    public static List<Problem> run(SettingsLoader loader) {
        List<Problem> out = new ArrayList<>();
        List<ConfigException> fileErrors = new ArrayList<>();
        SettingsLoader.Sources sources;
        try {
            sources = loader.read(fileErrors);
        } catch (ConfigException e) {
            out.add(new Problem(Level.ERROR, "", null, e.getMessage()));
            return out;
        }
        for (ConfigException e : fileErrors) out.add(new Problem(Level.ERROR, "", null, e.getMessage()));
        for (UnusedKnobs.Note n : sources.notes()) {
            out.add(new Problem(n.warning() ? Level.WARNING : Level.INFO, "", null, n.text()));
        }
        // Each knob on its own over the defaults: one bad value does not hide the next.
        Map<String, Object> valid = new LinkedHashMap<>();
        sources.knobs().forEach((knob, value) -> {
            if (value == null) return;
            String bad = badValue(knob, value, sources.baseDir());
            if (bad == null) valid.put(knob, value);
            else out.add(new Problem(Level.ERROR, sources.origin(knob), knob, bad));
        });
        Settings s;
        try {
            s = Settings.from(valid, sources.baseDir());
            accessAll(s);
        } catch (IllegalArgumentException e) {
            // Knobs fine alone but not together: name it and stop here.
            out.add(new Problem(Level.ERROR, "", null, e.getMessage()));
            return out;
        }
        addresses(s, sources, out);
        engine(s, sources, out);
        usersFile(s, sources, out);
        adminUsers(s, sources, out);
        template(s, sources, "IFRAME_FILE", s.iframeFile(), out);
        template(s, sources, "SCRIPT_FILE", s.scriptFile(), out);
        return out;
    }

    public static boolean hasErrors(List<Problem> problems) {
        return problems.stream().anyMatch(p -> p.level() == Level.ERROR);
    }

    /** What is wrong with this one value over the defaults, or null. */
    private static String badValue(String knob, Object value, Path baseDir) {
        try {
            accessAll(Settings.from(Map.of(knob, value), baseDir));
            return null;
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            return m.startsWith(knob + ": ") ? m.substring(knob.length() + 2) : m;
        }
    }

    /**
     * Calls every typed accessor. Settings checks every knob of {@link Knobs} when it is built;
     * an accessor that adds a check of its own (reading knobs together) must show here too.
     * Reflection keeps accessors added later covered without a list to forget.
     */
    static void accessAll(Settings s) {
        for (Method m : Settings.class.getMethods()) {
            if (m.getDeclaringClass() != Settings.class
                    || m.getParameterCount() != 0
                    || Modifier.isStatic(m.getModifiers())
                    || NOT_ACCESSORS.contains(m.getName())) continue;
            try {
                m.invoke(s);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof IllegalArgumentException iae) throw iae;
            } catch (IllegalAccessException e) {
                // public methods of a public class: cannot happen
            }
        }
    }

    private static void addresses(Settings s, SettingsLoader.Sources src, List<Problem> out) {
        Map<String, String> seen = new HashMap<>();
        for (String knob : ADDRESS_KNOBS) {
            for (String a : listOf(s, knob)) {
                HostPort hp = HostPort.parse(knob, a);
                try {
                    InetAddress.getByName(hp.host());
                } catch (UnknownHostException e) {
                    out.add(new Problem(
                            Level.ERROR, src.origin(knob), knob, "host '" + hp.host() + "' does not resolve"));
                    continue;
                }
                if (hp.port() == 0) continue;
                String other = seen.putIfAbsent(hp.toString(), knob);
                if (other != null) {
                    out.add(new Problem(
                            Level.ERROR,
                            src.origin(knob),
                            knob,
                            hp + " is also in " + other + ": one address can serve one line"));
                }
            }
        }
        if (!s.adminAddr().isEmpty() && s.adminUsersFile() == null) {
            for (String a : s.adminAddr()) {
                if (!HostPort.parse("ADMIN_ADDR", a).loopback()) {
                    out.add(new Problem(Level.ERROR, src.origin("ADMIN_ADDR"), "ADMIN_ADDR", adminBeyondLoopback(a)));
                }
            }
        }
    }

    /** The start error for an admin address beyond loopback without ADMIN_USERS. */
    public static String adminBeyondLoopback(String addr) {
        return addr + " listens beyond loopback, and the status page lists channel ids: set ADMIN_USERS"
                + " (an htpasswd file of who may log in) or listen on 127.0.0.1";
    }

    @SuppressWarnings("unchecked")
    private static List<String> listOf(Settings s, String knob) {
        return (List<String>) s.value(knob);
    }

    private static void engine(Settings s, SettingsLoader.Sources src, List<Problem> out) {
        try {
            EngineFactory.forSettings(s);
        } catch (IllegalArgumentException e) {
            out.add(new Problem(Level.ERROR, src.origin("ENGINE"), null, e.getMessage()));
            return;
        }
        if (s.engine().equals("redis")) {
            for (String one : s.redisUrl().split(",")) { // several: the sentinels (REDIS_MODE)
                try {
                    java.net.URI u = java.net.URI.create(one.strip());
                    if (u.getHost() == null) throw new IllegalArgumentException("no host");
                } catch (IllegalArgumentException e) {
                    out.add(new Problem(
                            Level.ERROR,
                            src.origin("REDIS_URL"),
                            "REDIS_URL",
                            "not a redis://[:password@]host:port URL (" + e.getMessage() + ")"));
                }
            }
        }
    }

    /** As the start reads USERS_FILE (see UsersAuthenticator): missing, unreadable, bad lines. */
    private static void usersFile(Settings s, SettingsLoader.Sources src, List<Problem> out) {
        Path file = s.usersFile();
        String where = src.origin("USERS_FILE");
        if (file == null) {
            out.add(new Problem(Level.INFO, where, "USERS_FILE", "empty: guests only"));
            return;
        }
        if (!s.usersFileRequired() && Files.notExists(file)) {
            out.add(new Problem(
                    Level.INFO,
                    where,
                    "USERS_FILE",
                    file + " is not there: guests only, as the" + " original's default users file"));
            return;
        }
        UsersFile users = readUsers(file, "USERS_FILE", where, out);
        if (users == null || !users.guestsAllowed()) return;
        for (String a : s.inAddr()) {
            if (!HostPort.parse("IN_ADDR", a).loopback()) {
                out.add(new Problem(
                        Level.WARNING,
                        src.origin("IN_ADDR"),
                        "IN_ADDR",
                        "guests may publish from any host" + " that reaches " + a + " (" + file + " has a ':' line)"));
                return;
            }
        }
    }

    private static void adminUsers(Settings s, SettingsLoader.Sources src, List<Problem> out) {
        Path file = s.adminUsersFile();
        if (file == null) return;
        String where = src.origin("ADMIN_USERS");
        UsersFile users = readUsers(file, "ADMIN_USERS", where, out);
        if (users != null && users.logins().isEmpty()) {
            out.add(new Problem(
                    Level.WARNING, where, "ADMIN_USERS", file + " has no login: nobody can open the status page"));
        }
    }

    /** Reads a users file; its skipped lines (logged by UsersFile) become warnings. */
    private static UsersFile readUsers(Path file, String knob, String where, List<Problem> out) {
        ListAppender<ILoggingEvent> caught = new ListAppender<>();
        Logger logger = usersFileLogger();
        if (logger != null) {
            caught.setContext(logger.getLoggerContext());
            caught.start();
            logger.addAppender(caught);
            logger.setAdditive(false);
        }
        try {
            if (Files.notExists(file)) {
                out.add(new Problem(Level.ERROR, where, knob, file + " not found"));
                return null;
            }
            return UsersFile.load(file);
        } catch (IOException e) {
            out.add(new Problem(Level.ERROR, where, knob, e.getMessage()));
            return null;
        } finally {
            if (logger != null) {
                logger.detachAppender(caught);
                logger.setAdditive(true);
                for (ILoggingEvent e : caught.list)
                    out.add(new Problem(Level.WARNING, "", knob, e.getFormattedMessage()));
            }
        }
    }

    private static Logger usersFileLogger() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext lc ? lc.getLogger(UsersFile.class) : null;
    }

    /** As the start reads a template (see StaticPages): a name other than the original's must exist. */
    private static void template(Settings s, SettingsLoader.Sources src, String knob, Path file, List<Problem> out) {
        if (file == null) return;
        String where = src.origin(knob);
        if (Files.notExists(file)) {
            if (s.isOriginalFileName(knob)) {
                out.add(new Problem(Level.INFO, where, knob, file + " is not there: the bundled page is served"));
            } else {
                out.add(new Problem(Level.ERROR, where, knob, file + " not found"));
            }
        } else if (!Files.isReadable(file) || Files.isDirectory(file)) {
            out.add(new Problem(Level.ERROR, where, knob, file + ": cannot read it"));
        }
    }
}
