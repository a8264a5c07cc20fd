package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --check-config and --print-config over real files, and the readers' line numbers they rest on. */
class ConfigCheckTest {
    @TempDir
    Path dir;

    private List<String> check(Map<String, String> env, String... args) throws Exception {
        return ConfigCheck.run(SettingsLoader.fromArgs(args, env)).stream()
                .map(ConfigCheck.Problem::line)
                .toList();
    }

    @Test
    void perlReaderNotesTheLineOfEachAssignmentInBothForms() throws Exception {
        Map<String, Integer> lines = new LinkedHashMap<>();
        PerlConfReader.parse(
                "# c\n%CONFIG = (\n  WAIT_ADDR => [ '1.2.3.4:80' ],\n\n  IN_TIMEOUT =>\n 5,\n);\n"
                        + "$CONFIG{IN_TIMEOUT} = 6;\nreturn 1;\n",
                "x.conf", lines);
        assertEquals(Map.of("WAIT_ADDR", 3, "IN_TIMEOUT", 8), lines);
    }

    @Test
    void everyBadLineOfOurFormatIsReportedWithTheOtherSources() throws Exception {
        Path conf = Files.writeString(
                dir.resolve("rpl.conf"), "WAIT_TIMEOUT = 5\nno equals here\n9BAD = 1\nIN_MAXLEN = -3\nUSERS_FILE =\n");
        List<String> out = check(
                Map.of("REALPLEXOR_WAIT_MAXLEN", "big", "REALPLEXOR_TYPO", "1"),
                conf.toString(),
                "--set",
                "LOG_FORMAT=yaml",
                "--set",
                "ENGINE=memcached");
        assertEquals(
                List.of(
                        "error: " + conf + ":2: expected KEY = value, found 'no equals here'",
                        "error: " + conf + ":3: bad knob name '9BAD' (letters, digits and _ only)",
                        "warning: the environment: REALPLEXOR_TYPO is not a setting of this server (misspelt?); it is kept only for templates",
                        "error: " + conf + ":4: IN_MAXLEN: expected a whole number >= 1, got -3",
                        "error: the environment: REALPLEXOR_WAIT_MAXLEN: expected a number, got 'big'",
                        "error: the command line: LOG_FORMAT: expected plain or json, got 'yaml'",
                        "error: the command line: ENGINE: unknown engine 'memcached' (this build has: local, redis)",
                        "info: " + conf + ":5: USERS_FILE: empty: guests only"),
                out);
    }

    @Test
    void aCleanConfigHasNoErrorAndNamesMissingAdminUsers() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "pub:{SHA}x\n");
        Path conf = Files.writeString(dir.resolve("ok.conf"), "USERS_FILE = users\nADMIN_ADDR = 127.0.0.1:9090\n");
        List<ConfigCheck.Problem> problems =
                ConfigCheck.run(SettingsLoader.fromArgs(new String[] {conf.toString()}, Map.of()));
        assertFalse(ConfigCheck.hasErrors(problems), problems.toString());
        List<String> out = check(Map.of(), conf.toString(), "--set", "ADMIN_USERS=nowhere");
        assertEquals(
                List.of("error: the command line: ADMIN_USERS: "
                        + Path.of("").toAbsolutePath().resolve("nowhere") + " not found"),
                out,
                "a file named on the command line is relative to the working directory");
        out = check(Map.of(), conf.toString(), "--set", "ADMIN_ADDR=0.0.0.0:9090", "--set", "WAIT_ADDR=127.0.0.1:9090");
        assertEquals(
                List.of(
                        "error: the command line: ADMIN_ADDR: 0.0.0.0:9090 listens beyond loopback, and the status"
                                + " page lists channel ids: set ADMIN_USERS (an htpasswd file of who may log in) or listen on 127.0.0.1"),
                out);
        out = check(Map.of(), conf.toString(), "--set", "IN_ADDR=127.0.0.1:9090");
        assertEquals(
                List.of("error: " + conf + ":2: ADMIN_ADDR: 127.0.0.1:9090 is also in IN_ADDR: one address can"
                        + " serve one line"),
                out);
        assertTrue(users.toFile().exists());
    }

    /** The TLS addresses are listen addresses like the others (their list comes from the knob table). */
    @Test
    void aTlsAddressIsCheckedAgainstThePlainOnesAndForItsForm() throws Exception {
        assertEquals(
                List.of("error: the command line: WAIT_TLS_ADDR: 127.0.0.1:9443 is also in WAIT_ADDR: one address"
                        + " can serve one line"),
                check(
                                Map.of(),
                                "--set",
                                "WAIT_ADDR=127.0.0.1:9443",
                                "--set",
                                "WAIT_TLS_ADDR=127.0.0.1:9443",
                                "--set",
                                "USERS_FILE=",
                                "--set",
                                "TLS_CERT_FILE=c.pem",
                                "--set",
                                "TLS_KEY_FILE=k.pem")
                        .stream()
                        .filter(l -> !l.startsWith("info:"))
                        .toList());
        assertEquals(
                List.of("error: the command line: IN_TLS_ADDR: expected host:port, got 'nowhere'"),
                check(Map.of(), "--set", "IN_TLS_ADDR=nowhere", "--set", "USERS_FILE=").stream()
                        .filter(l -> !l.startsWith("info:"))
                        .toList());
    }

    @Test
    void printShowsOriginsAndMasksSecrets() throws Exception {
        Path conf = Files.writeString(dir.resolve("p.conf"), "\nWAIT_TIMEOUT = 9\nAPI_SECRET = abc\n");
        SettingsLoader loader = SettingsLoader.fromArgs(
                new String[] {conf.toString(), "--set", "REDIS_URL=redis://user:pw@10.0.0.1:6379"},
                Map.of("REALPLEXOR_IN_TIMEOUT", "3"));
        String out = ConfigPrint.render(loader.read(null));
        assertTrue(
                out.matches("(?s)(.*\n)?WAIT_TIMEOUT = 9 +# " + java.util.regex.Pattern.quote(conf + ":2") + "\n.*"),
                out);
        assertTrue(out.matches("(?s).*\nIN_TIMEOUT = 3 +# the environment: REALPLEXOR_IN_TIMEOUT\n.*"), out);
        assertTrue(
                out.matches(
                        "(?s).*\nREDIS_URL = redis://user:\\*\\*\\*\\*@10\\.0\\.0\\.1:6379 +# the command line\n.*"),
                out);
        assertTrue(out.matches("(?s).*\nAPI_SECRET = \\*\\*\\*\\* +# .*"), out);
        assertFalse(out.contains("pw@") || out.contains("abc"), out);
    }
}
