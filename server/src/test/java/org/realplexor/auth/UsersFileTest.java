package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsersFileTest {

    /** Hashes made with htpasswd (Apache 2.4); the password is in each comment. */
    private static final String USERS = """
            # publishers
            alice:$apr1$tojzadYQ$HbikVlgg273hIHh67QuKS1        # S3cr3t pass
            bob:32qjML0Qsbo8o                                  # password (DES: 8 chars count)
              carol:{SHA}Vufdz+n8Rgg93rEyOhFnq1JPddA=          # S3cr3t pass
            dave:$2y$04$PMOgjetISVfvwoVoOkCnGOkQXJkZ0t7kv6PwFzNU.nN/CGs6V7LEu   # hunter2
            frank:$6$rounds=1000$YHMb0pu9V3S7MoTl$mDeLeqmHiwlCO1W6kGIYOV0Qkhxr6FNt5PQeKWqEkkOedKB3MCYJMUk7jcGVgKhWWVE7kV/GSd0HIhwz5ogBy.
            erin:
            bad_login:32qjML0Qsbo8o
            """;

    private static final UsersFile NO_GUESTS = UsersFile.parse(USERS, "users");
    private static final UsersFile WITH_GUESTS = UsersFile.parse(USERS + "\n:\n", "users");

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("", List.of(), false),
                Arguments.of(":", List.of(), true),
                Arguments.of("  :  ", List.of(), true),
                Arguments.of(":\n", List.of(), true),
                Arguments.of(":anything", List.of(), true),
                Arguments.of("#:", List.of(), false),
                Arguments.of("# only a comment\n\n   \n", List.of(), false),
                Arguments.of("alice:h", List.of("alice"), false),
                Arguments.of("alice:h\nbob:h2\n:", List.of("alice", "bob"), true),
                Arguments.of("  alice:h  # comment", List.of("alice"), false),
                Arguments.of("alice:a\r\nbob:b\r\n", List.of("alice", "bob"), false),
                Arguments.of("al_ice:h", List.of(), false),
                Arguments.of("al-ice:h\nbob:x", List.of("bob"), false),
                Arguments.of("\u00e4:x", List.of(), false),
                Arguments.of("alice", List.of(), false),
                Arguments.of("alice:", List.of("alice"), false),
                Arguments.of("Alice:x\nalice:y", List.of("Alice", "alice"), false),
                Arguments.of("123:x", List.of("123"), false),
                Arguments.of("alice:x\nalice:y", List.of("alice"), false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("files")
    void readsLoginsAndTheGuestLine(String text, List<String> logins, boolean guests) {
        UsersFile f = UsersFile.parse(text, "users");
        assertEquals(logins, List.copyOf(f.logins()));
        assertEquals(guests, f.guestsAllowed());
    }

    static Stream<Arguments> checks() {
        AuthResult guestDenied = AuthResult.denied("access denied for guest user");
        return Stream.of(
                Arguments.of(NO_GUESTS, null, null, guestDenied),
                Arguments.of(NO_GUESTS, null, "ignored", guestDenied),
                Arguments.of(WITH_GUESTS, null, null, AuthResult.guest()),
                Arguments.of(NO_GUESTS, "alice", "S3cr3t pass", AuthResult.user("alice")),
                Arguments.of(NO_GUESTS, "alice", "S3cr3t", AuthResult.denied("invalid password for login: alice")),
                Arguments.of(NO_GUESTS, "alice", null, AuthResult.denied("invalid password for login: alice")),
                Arguments.of(NO_GUESTS, "bob", "password", AuthResult.user("bob")),
                Arguments.of(NO_GUESTS, "bob", "password-and-more", AuthResult.user("bob")),
                Arguments.of(NO_GUESTS, "bob", "passwor", AuthResult.denied("invalid password for login: bob")),
                Arguments.of(NO_GUESTS, "carol", "S3cr3t pass", AuthResult.user("carol")),
                Arguments.of(NO_GUESTS, "dave", "hunter2", AuthResult.user("dave")),
                Arguments.of(NO_GUESTS, "dave", "hunter3", AuthResult.denied("invalid password for login: dave")),
                Arguments.of(NO_GUESTS, "frank", "x", AuthResult.user("frank")),
                Arguments.of(NO_GUESTS, "erin", "", AuthResult.denied("invalid password for login: erin")),
                Arguments.of(NO_GUESTS, "erin", null, AuthResult.denied("invalid password for login: erin")),
                Arguments.of(NO_GUESTS, "zed", "x", AuthResult.denied("unknown login: zed")),
                Arguments.of(NO_GUESTS, "bad_login", "password", AuthResult.denied("unknown login: bad_login")),
                Arguments.of(NO_GUESTS, "ALICE", "S3cr3t pass", AuthResult.denied("unknown login: ALICE")),
                Arguments.of(NO_GUESTS, "", "x", AuthResult.denied("unknown login: ")),
                // The guest line lets requests without credentials in; it does not excuse bad ones.
                Arguments.of(WITH_GUESTS, "zed", "x", AuthResult.denied("unknown login: zed")),
                Arguments.of(WITH_GUESTS, "", "", AuthResult.denied("unknown login: ")),
                Arguments.of(WITH_GUESTS, "alice", "nope", AuthResult.denied("invalid password for login: alice")),
                Arguments.of(WITH_GUESTS, "alice", "S3cr3t pass", AuthResult.user("alice")));
    }

    @ParameterizedTest(name = "[{index}] {1}:{2}")
    @MethodSource("checks")
    void checksCredentials(UsersFile users, String login, String password, AuthResult expected) {
        assertEquals(expected, users.check(login, password));
    }

    @Test
    void theDefaultFileAllowsGuestsOnly() {
        UsersFile f = UsersFile.defaultFile();
        assertTrue(f.guestsAllowed());
        assertTrue(f.logins().isEmpty());
        assertEquals(AuthResult.guest(), f.check(null, null));
        assertEquals(AuthResult.denied("unknown login: alice"), f.check("alice", "x"));
    }

    @Test
    void aRememberedPasswordNeverLetsAWrongOneIn() {
        UsersFile f = UsersFile.parse("dave:$2y$04$PMOgjetISVfvwoVoOkCnGOkQXJkZ0t7kv6PwFzNU.nN/CGs6V7LEu\n", "u");
        for (int i = 0; i < 3; i++) {
            assertEquals(AuthResult.user("dave"), f.check("dave", "hunter2"));
            assertEquals(AuthResult.denied("invalid password for login: dave"), f.check("dave", "hunter22"));
            assertEquals(AuthResult.denied("invalid password for login: dave"), f.check("dave", ""));
        }
        // A reloaded file with a new hash does not remember the old password.
        UsersFile changed = UsersFile.parse("dave:$2y$05$oJAsbw2jnDpvrcODJmLowuHB2V.69DXjAGVliPZI3sHQWTlCNPgbe\n", "u");
        assertEquals(AuthResult.denied("invalid password for login: dave"), changed.check("dave", "hunter2"));
        assertEquals(AuthResult.user("dave"), changed.check("dave", "S3cr3t pass"));
    }

    @Test
    void checksAreSafeFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        boolean right = i % 3 != 0;
                        AuthResult r = NO_GUESTS.check("bob", right ? "password" : "wrong" + i);
                        if (r.granted() != right) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) assertTrue(r.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("dklab_realplexor.htpasswd"), USERS);
        UsersFile f = UsersFile.load(file);
        assertEquals(List.of("alice", "bob", "carol", "dave", "frank", "erin"), List.copyOf(f.logins()));
        assertFalse(f.guestsAllowed());
        assertEquals(file + " (6 logins)", f.toString(), "named by its file in the log");
        assertEquals(AuthResult.user("bob"), f.check("bob", "password"));
    }

    @Test
    void warnsAboutSkippedLines() throws Exception {
        List<String> warnings = captureWarnings(() -> UsersFile.parse("ok:x\nbad_login:x\nnocolon\n", "users.txt"));
        assertEquals(
                List.of(
                        "users.txt:2: login \"bad_login\" is not alphanumeric, skipped",
                        "users.txt:3: no ':' in users line, skipped"),
                warnings);
    }

    @Test
    void aMissingFileThatWasNamedIsAnErrorNotAnOpenDoor(@TempDir Path dir) {
        Path missing = dir.resolve("absent.htpasswd");
        IOException e = assertThrows(IOException.class, () -> UsersFile.load(missing));
        assertTrue(e.getMessage().startsWith("USERS_FILE " + missing + " not found."), e.getMessage());
    }

    @Test
    void aFolderIsNotAUsersFile(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> UsersFile.load(dir));
        assertTrue(e.getMessage().startsWith("USERS_FILE " + dir + ": cannot read it"), e.getMessage());
    }

    private static List<String> captureWarnings(Supplier<UsersFile> action) {
        try {
            return org.realplexor.testing.LogCapture.warnings(UsersFile.class, action::get);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
