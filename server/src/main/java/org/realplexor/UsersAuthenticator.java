package org.realplexor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.realplexor.auth.AuthResult;
import org.realplexor.auth.Authenticator;
import org.realplexor.auth.LoginGuard;
import org.realplexor.auth.UsersFile;
import org.realplexor.config.HostPort;
import org.realplexor.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The IN line's credential check over the users file named by USERS_FILE. */
final class UsersAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(UsersAuthenticator.class);

    private UsersAuthenticator() {}

    /** Reads the users file in force (at start and on every reload) and says in one line which it is. */
    static Authenticator load(Settings settings) throws IOException {
        Path file = settings.usersFile();
        UsersFile users;
        String inForce;
        if (file == null) {
            users = UsersFile.defaultFile();
            inForce = "none: guests only (USERS_FILE is empty)";
        } else if (!settings.usersFileRequired() && Files.notExists(file)) {
            // The original's own name for the file, left behind in its folder: its default
            // file (a ':' line) allowed guests, and so does a start without it.
            users = UsersFile.defaultFile();
            inForce = "none: guests only (" + file + " is not there; the original's default users file allows guests)";
        } else {
            users = UsersFile.load(file);
            inForce = users.toString();
        }
        log.info("users file: {}", inForce);
        String open = beyondLoopback(settings);
        if (users.guestsAllowed() && open != null) {
            log.warn(
                    "guests may publish from any host that reaches the IN line on {}: name a users file without"
                            + " a ':' line (USERS_FILE), or listen on loopback only (IN_ADDR)",
                    open);
        }
        LoginGuard guard = new LoginGuard(users);
        return new Authenticator() {
            @Override
            public String denial(String login, String password) {
                AuthResult r = users.check(login, password);
                return r.granted() ? null : r.denial();
            }

            @Override
            public LoginGuard guard() {
                return guard;
            }
        };
    }

    /** The first IN address that listens beyond loopback, or null when all are loopback. */
    private static String beyondLoopback(Settings settings) {
        for (String a : settings.inAddr()) {
            String host = HostPort.parse("IN_ADDR", a).host();
            try {
                if (!InetAddress.getByName(host).isLoopbackAddress()) return a;
            } catch (UnknownHostException e) {
                return a; // binding will fail and say so; do not hide a possibly open line
            }
        }
        return null;
    }
}
