package org.realplexor.ops;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import org.realplexor.auth.AuthResult;
import org.realplexor.auth.LoginGuard;
import org.realplexor.auth.UsersFile;
import org.realplexor.config.ConfigCheck;
import org.realplexor.config.HostPort;

/**
 * The admin listener's optional login (ADMIN_USERS): HTTP Basic against an htpasswd file in the
 * forms USERS_FILE takes, with the IN line's guard against guessing (a login and an address get
 * ten wrong passwords a minute). Guest lines ({@code :}) let nobody in here. The file is read
 * again when it changes, so adding an operator needs no restart.
 *
 * <p>Without ADMIN_USERS the admin line must stay on loopback: the status page and {@code /status}
 * list channel ids, which often are read capabilities.
 */
final class AdminAuth implements Handler<RoutingContext> {
    static final String REALM = "realplexor admin";

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(FileTime modified, long size, UsersFile users, LoginGuard guard) {}

    private AdminAuth(Path file) throws IOException {
        this.file = file;
        this.loaded = read(file);
    }

    /**
     * The login for the admin routes, or null when ADMIN_USERS is unset.
     *
     * @throws IllegalStateException when an address is beyond loopback without ADMIN_USERS
     * @throws IOException           when ADMIN_USERS cannot be read
     */
    static AdminAuth forSettings(List<String> addrs, Path adminUsers) throws IOException {
        if (adminUsers == null) {
            for (String a : addrs) {
                if (!HostPort.parse("ADMIN_ADDR", a).loopback()) {
                    throw new IllegalStateException("ADMIN_ADDR " + ConfigCheck.adminBeyondLoopback(a));
                }
            }
            return null;
        }
        return new AdminAuth(adminUsers);
    }

    private static Loaded read(Path file) throws IOException {
        if (Files.notExists(file)) throw new IOException("ADMIN_USERS " + file + " not found");
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        UsersFile users = UsersFile.load(file);
        return new Loaded(modified, size, users, new LoginGuard(users));
    }

    /** The file as it is now; the last good one when it cannot be read (a login is not lost to a half-written file). */
    private Loaded current() {
        Loaded l = loaded;
        try {
            if (!Files.getLastModifiedTime(file).equals(l.modified()) || Files.size(file) != l.size()) {
                loaded = l = read(file);
            }
        } catch (IOException | UncheckedIOException e) {
            // keep the last good file
        }
        return l;
    }

    @Override
    public void handle(RoutingContext rc) {
        String[] cred = basic(rc.request().getHeader("Authorization"));
        if (cred == null || cred[0].isEmpty()) {
            deny(rc, 401, "log in to see the admin pages");
            return;
        }
        Loaded l = current();
        String address = rc.request().remoteAddress() == null
                ? "?"
                : rc.request().remoteAddress().hostAddress();
        AuthResult quick = l.guard().atOnce(cred[0], cred[1], address);
        if (quick != null) {
            answer(rc, quick);
            return;
        }
        // bcrypt and SHA-crypt take milliseconds by design: never on the event loop.
        Vertx vertx = rc.vertx();
        vertx.executeBlocking(() -> l.guard().hashed(cred[0], cred[1], address), false)
                .onComplete(ar -> answer(rc, ar.succeeded() ? ar.result() : AuthResult.denied("check failed")));
    }

    private static void answer(RoutingContext rc, AuthResult r) {
        if (r.granted() && r.login() != null) {
            rc.next();
        } else if (r.throttled()) {
            deny(rc, 429, "too many wrong passwords; try again later");
        } else {
            deny(rc, 401, "wrong login or password");
        }
    }

    private static void deny(RoutingContext rc, int status, String text) {
        rc.response()
                .setStatusCode(status)
                .putHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(text + "\n");
    }

    /** {@code [login, password]} of a Basic header, or null. */
    static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
