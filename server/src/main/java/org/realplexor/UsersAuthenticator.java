package org.realplexor;

import java.io.IOException;
import java.nio.file.Path;
import org.realplexor.auth.AuthResult;
import org.realplexor.auth.UsersFile;
import org.realplexor.config.Settings;
import org.realplexor.net.Authenticator;

/** The IN line's credential check over the users file named by USERS_FILE. */
final class UsersAuthenticator {
    private UsersAuthenticator() {
    }

    static Authenticator load(Settings settings) throws IOException {
        Path file = settings.usersFile();
        UsersFile users = file == null ? UsersFile.defaultFile() : UsersFile.load(file, settings.usersFileRequired());
        return (login, password) -> {
            AuthResult r = users.check(login, password);
            return r.granted() ? null : r.denial();
        };
    }
}
