package org.realplexor.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The htpasswd-style users file (USERS_FILE): {@code login:hash} lines, {@code #} starts a
 * comment anywhere on a line, whitespace around a line is dropped, blank lines are ignored.
 * Logins must be {@code [A-Za-z0-9]+} (an underscore would blur the {@code LOGIN_} scope); other
 * lines are skipped with a warning. A line {@code :} (empty login) lets guests publish.
 * A later line for the same login replaces an earlier one.
 *
 * <p>Immutable and safe to share between threads; a reload builds a new instance.
 */
public final class UsersFile {

    private static final Logger LOG = LoggerFactory.getLogger(UsersFile.class);
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9]+");

    private final String sourceName;
    private final Map<String, String> hashes;
    private final boolean guestsAllowed;
    /**
     * Digest of the last password that verified per login. bcrypt and SHA-crypt cost
     * milliseconds by design, and publishers send their credentials with every message; a
     * keyed SHA-256 of a known-good password lets repeats skip the slow hash. Failures are
     * never cached, so guessing still pays full price.
     */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    private final byte[] cacheKey = new byte[32];

    private UsersFile(String sourceName, Map<String, String> hashes, boolean guestsAllowed) {
        this.sourceName = sourceName;
        this.hashes = Collections.unmodifiableMap(hashes);
        this.guestsAllowed = guestsAllowed;
        new SecureRandom().nextBytes(cacheKey);
    }

    /** What the original ships: only {@code :}, guests allowed, no logins. */
    public static UsersFile defaultFile() {
        return new UsersFile("(default users file)", Map.of(), true);
    }

    /**
     * Reads the file.
     *
     * @throws IOException naming USERS_FILE and the file when it is missing or cannot be read:
     *                     an IN line must not silently open to guests
     */
    public static UsersFile load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            // Lenient decoding: a stray Latin-1 comment must not make the whole file unreadable.
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("USERS_FILE " + file + " not found. The original looked for its users file in its"
                    + " own folder: set USERS_FILE to your htpasswd file, or create this one (a line ':' alone"
                    + " allows guests), or set USERS_FILE to an empty value for guests only");
        } catch (IOException e) {
            throw new IOException("USERS_FILE " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        return parse(text, file.toString());
    }

    /** @param sourceName the name used in log messages */
    public static UsersFile parse(String text, String sourceName) {
        Map<String, String> hashes = new LinkedHashMap<>();
        boolean guests = false;
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon < 0) {
                LOG.warn("{}:{}: no ':' in users line, skipped", sourceName, i + 1);
                continue;
            }
            String login = line.substring(0, colon).strip();
            String pwHash = line.substring(colon + 1).strip();
            if (login.isEmpty()) {
                guests = true;
            } else if (!LOGIN.matcher(login).matches()) {
                LOG.warn("{}:{}: login \"{}\" is not alphanumeric, skipped", sourceName, i + 1, login);
            } else {
                hashes.put(login, pwHash);
            }
        }
        return new UsersFile(sourceName, hashes, guests);
    }

    /**
     * Checks credentials as the IN line does.
     *
     * @param login    null when the request carried no credentials (guest)
     * @param password the password given with the login (null counts as empty)
     */
    public AuthResult check(String login, String password) {
        if (login == null) {
            return guestsAllowed ? AuthResult.guest() : AuthResult.denied("access denied for guest user");
        }
        String hash = hashes.get(login);
        if (hash == null) return AuthResult.denied("unknown login: " + login);
        String pw = password == null ? "" : password;
        byte[] digest = digest(pw);
        byte[] known = verified.get(login);
        if (known != null && MessageDigest.isEqual(known, digest)) return AuthResult.user(login);
        if (!PasswordHashes.verify(pw, hash)) return AuthResult.denied("invalid password for login: " + login);
        verified.put(login, digest);
        return AuthResult.user(login);
    }

    /**
     * Whether this is the password that last verified for this login: one SHA-256, cheap enough
     * for an event loop, so a known publisher never waits behind checks that must hash.
     */
    public boolean verifiedBefore(String login, String password) {
        byte[] known = login == null ? null : verified.get(login);
        return known != null && MessageDigest.isEqual(known, digest(password == null ? "" : password));
    }

    /** Whether the file has this login (a check of an unknown one costs nothing). */
    public boolean knows(String login) {
        return login != null && hashes.containsKey(login);
    }

    public boolean guestsAllowed() {
        return guestsAllowed;
    }

    /** The logins that may log in, in file order. */
    public Set<String> logins() {
        return hashes.keySet();
    }

    private byte[] digest(String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(cacheKey);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return sourceName + " (" + hashes.size() + " logins" + (guestsAllowed ? ", guests allowed)" : ")");
    }
}
