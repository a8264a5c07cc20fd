package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.denied;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The users file, the 403 answers and login scoping on the IN line (§3, §5). */
class AuthTest {

    /** No guest line; one user per hash type (passwords secret1..secret7, DES user: "password"). */
    private static final String USERS = String.join(
            "\n",
            "# users for the e2e suite",
            "",
            "   " + E2eServer.USER_DES_LINE + "   ",
            "desuser:uT0CRVYtpEizA",
            "md5user:$1$abcdefgh$ywpTNDTYPzAT3Ohgseebp/",
            "sha256user:$5$abcdefghijkl$YmZHn.gah6HZCEt2YqJaK.Z7gfHu1KVeiZPXUIPsaa2",
            "sha512user:$6$abcdefghijkl$8r7ul9vCSeUQpwFuM5yLe9E6AeyLbEM21ZEl1CVmiH62HlWpTq/I.mu9pybfdiD9/qjLC6zyEkoZCZ3o4M0Nr0",
            "apr1user:$apr1$abcdefgh$ciJHPcCQrYc8PNlfymJ66.",
            "bcryptyuser:$2y$05$YjSGqzWwDE5o9xwzasG/mejZrhuOzQsHfCawwyleU8fo8ht6DDuuC",
            "bcryptauser:$2a$05$YjSGqzWwDE5o9xwzasG/mejZrhuOzQsHfCawwyleU8fo8ht6DDuuC",
            "bcryptbuser:$2b$05$YjSGqzWwDE5o9xwzasG/mejZrhuOzQsHfCawwyleU8fo8ht6DDuuC",
            "shauser:{SHA}NSIKr+5ZMMKFCatHd+QmGlIwagA=  # trailing comment",
            "bad_login:32qjML0Qsbo8o",
            "");

    private static E2eServer server() {
        return E2eServer.builder().users(USERS).start();
    }

    @Test
    void unknownLoginIsDeniedWithExactBytes() {
        try (E2eServer s = server()) {
            assertBytes(
                    denied("unknown login: nobody\n"),
                    Bytes.utf8(s.publishRaw("nobody:x@nobody_a", "\"x\"")),
                    "unknown login");
        }
    }

    @Test
    void wrongPasswordIsDeniedWithExactBytes() {
        try (E2eServer s = server()) {
            assertBytes(
                    denied("invalid password for login: user\n"),
                    Bytes.utf8(s.publishRaw("user:wrong@user_a", "\"x\"")),
                    "invalid password");
        }
    }

    @Test
    void guestIsDeniedWithoutAGuestLine() {
        try (E2eServer s = server()) {
            assertBytes(
                    denied("access denied for guest user\n"),
                    Bytes.utf8(s.publishRaw("user_a", "\"x\"")),
                    "guest publish");
            assertBytes(
                    denied("access denied for guest user\n"),
                    s.inExchange(E2eServer.commandRequest(null, "online")),
                    "guest command");
        }
    }

    @Test
    void loginWithNonAlphanumericCharactersIsSkippedSoUnknown() {
        try (E2eServer s = server()) {
            assertBytes(
                    denied("unknown login: bad_login\n"),
                    Bytes.utf8(s.publishRaw("bad_login:password@bad_login_a", "\"x\"")),
                    "a users-file login with `_` is skipped");
        }
    }

    @Test
    void deniedAnswerComesAsSoonAsTheIdentifierIsReadWithoutHalfClose() {
        try (E2eServer s = server();
                Conn c = s.inConn()) {
            c.send(
                    "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\nX-Realplexor: identifier=user:wrong@user_a\r\n\r\n");
            assertBytes(
                    denied("invalid password for login: user\n"),
                    c.readToEof(Duration.ofSeconds(3)),
                    "403 before the body ends");
        }
    }

    @Test
    void deniedPublishStoresNothing() {
        try (E2eServer s = server()) {
            s.publishRaw("user:wrong@user_store", "\"bad1\"");
            s.publishRaw("nobody:x@user_store", "\"bad2\"");
            s.publishRaw("user_store", "\"bad3\"");
            try (Poll p = s.listen("0:user_store")) {
                p.assertWaiting();
                String c = s.send("user:password@user_store", "\"good\"");
                assertBytes(answer(part("\"good\"", "user_store", c)), p.answerBytes(), "only the authorised message");
            }
        }
    }

    @Test
    void classicDesUsesOnlyTheFirstEightCharacters() {
        try (E2eServer s = server()) {
            assertEquals(
                    Set.of("user_a"),
                    s.publish("user:passwordXYZ@user_a", "\"x\"").keySet(),
                    "DES ignores characters after the 8th");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "desuser,secret7",
        "md5user,secret1",
        "sha256user,secret2",
        "sha512user,secret3",
        "apr1user,secret4",
        "bcryptyuser,secret5",
        "bcryptauser,secret5",
        "bcryptbuser,secret5",
        "shauser,secret6"
    })
    void everyHashTypeOfTheUsersFileWorks(String login, String password) {
        try (E2eServer s = server()) {
            Map<String, String> lines = s.publish(login + ":" + password + "@" + login + "_ch", "\"ok\"");
            assertEquals(Set.of(login + "_ch"), lines.keySet(), "accepted with the right password");
            assertBytes(
                    denied("invalid password for login: " + login + "\n"),
                    Bytes.utf8(s.publishRaw(login + ":" + password + "x@" + login + "_ch", "\"no\"")),
                    "wrong password");
        }
    }

    @Test
    void loggedInPublisherReachesOnlyItsOwnIds() {
        try (E2eServer s = server();
                Poll other = s.listen("0:other")) {
            Map<String, String> lines = s.publish("user:password@user_a,other,user_b,5:user_c,users_d", "\"mine\"");
            assertEquals(
                    Set.of("user_a", "user_b", "user_c"), lines.keySet(), "only ids starting with user_ are stored");
            other.assertWaiting();
        }
    }

    @Test
    void loggedInCommandsSeeOnlyTheirOwnPrefixes() {
        try (E2eServer s = server();
                Poll a = s.listen("user_a");
                Poll b = s.listen("user_b");
                Poll o = s.listen("other")) {
            String creds = "user:password";
            assertEquals("", s.commandAs(creds, "online"), "no prefix left: nothing matches");
            assertEquals("user_a 1\nuser_b 1\n", s.commandAs(creds, "online user_ other"), "foreign prefix dropped");
            assertEquals("", s.commandAs(creds, "online other"), "only foreign prefixes: nothing matches");
            assertEquals(
                    "online 10:user_a\nonline 11:user_b\n", s.commandAs(creds, "watch 9 user_ oth"), "watch scoped");
            assertEquals("", s.commandAs(creds, "watch 9"), "watch without own prefix: nothing");
        }
    }

    @Test
    void statsIsNotAnsweredToALoggedInUser() {
        try (E2eServer s = server();
                Conn c = s.inConn()) {
            byte[] got = c.send(E2eServer.commandRequest("user:password", "stats"))
                    .halfClose()
                    .readToEof(Duration.ofSeconds(3));
            assertFalse(
                    Bytes.str(got).contains("[data_to_send]"),
                    "stats must not be answered with a login: " + Bytes.visible(got));
        }
    }

    @Test
    void aFloodOfWrongPasswordsForASlowHashDoesNotStallTheWaitLine() throws Exception {
        // bcrypt at cost 12: a quarter of a second or more per check, by design
        String hash = at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(12, "right".toCharArray());
        try (E2eServer s = E2eServer.builder().users("slow:" + hash + "\n:\n").start()) {
            String c = s.send("ready", "\"r\"");
            java.util.List<Conn> flood = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Conn in = s.inConn();
                    flood.add(in);
                    in.send(E2eServer.phpRequest("slow:wrong" + i + "@slow_x", Bytes.utf8("\"w\"")))
                            .halfClose();
                }
                Thread.sleep(50); // the checks are under way
                long start = System.nanoTime();
                try (Poll p = s.listen("0:ready")) {
                    assertBytes(answer(part("\"r\"", "ready", c)), p.answerBytes(), "the queued message");
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 250, "a WAIT poll took " + ms + " ms while 8 bcrypt checks (2 s of work) ran");
                for (Conn in : flood) {
                    assertTrue(
                            Bytes.str(in.readToEof(Duration.ofSeconds(10))).startsWith("HTTP/1.0 403 Access Deined"),
                            "each wrong password is still refused");
                }
            } finally {
                flood.forEach(Conn::close);
            }
        }
    }
}
