package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsLoaderTest {

    private static final Path WORK_DIR = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    private static Settings load(Map<String, String> env, String... args) throws ConfigException {
        SettingsLoader loader = SettingsLoader.fromArgs(args, env);
        assertFalse(loader.exitRequested());
        return loader.load();
    }

    @Test
    void noArgumentsGiveTheDefaults() throws Exception {
        SettingsLoader loader = SettingsLoader.fromArgs(new String[0], Map.of());
        assertFalse(loader.exitRequested());
        assertNull(loader.exitText());
        assertNull(loader.configFile());
        Settings s = loader.load();
        assertEquals(List.of("0.0.0.0:8088"), s.waitAddr());
        assertEquals(List.of("127.0.0.1:10010"), s.inAddr());
        assertEquals(300_000, s.waitTimeoutMs());
        assertEquals(WORK_DIR, s.baseDir());
        assertEquals(WORK_DIR.resolve("dklab_realplexor.htpasswd"), s.usersFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help"})
    void helpListsEveryKnobWithItsDefaultAndThePrecedence(String flag) throws Exception {
        SettingsLoader loader = SettingsLoader.fromArgs(new String[] {flag, "--set", "bad key=1"}, Map.of());
        assertTrue(loader.exitRequested());
        String help = loader.exitText();
        assertEquals(CommandLineOptions.usage(), help);
        for (String part : List.of(
                "Usage: realplexor",
                "[CONFIG_FILE]",
                "-s, --set=KEY=VALUE",
                "--wait-addr",
                "--in-addr",
                "--users-file",
                "--verbosity",
                "-V, --version",
                "Perl form",
                "built-in defaults < CONFIG_FILE < environment (REALPLEXOR_<KNOB>",
                "< command line",
                "WAIT_ADDR=0.0.0.0:8088",
                "IN_ADDR=127.0.0.1:10010",
                "IN_MAXLEN=204800",
                "JS_WAIT_RECONNECT_DELAY=0.01",
                "USERS_FILE=dklab_realplexor.htpasswd")) {
            assertTrue(help.contains(part), () -> "help lacks '" + part + "':\n" + help);
        }
        for (String knob : Settings.defaultKnobs().keySet()) {
            assertTrue(help.contains("\n  " + knob + "="), () -> "help lacks knob " + knob + ":\n" + help);
        }
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 100, () -> "help line wider than 100 columns: " + line);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-V", "--version"})
    void versionIsPrinted(String flag) throws Exception {
        SettingsLoader loader = SettingsLoader.fromArgs(new String[] {flag}, Map.of());
        assertTrue(loader.exitRequested());
        assertEquals(org.realplexor.BuildInfo.current().describe() + System.lineSeparator(), loader.exitText());
        assertTrue(
                loader.exitText().matches("realplexor \\d+\\.\\d+\\.\\d+\\S* \\(commit \\S+\\)\\R"), loader.exitText());
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("--nope"), "Unknown option: '--nope' (try --help)"),
                Arguments.of(List.of("a.conf", "b.conf"), "Unmatched argument at index 1: 'b.conf' (try --help)"),
                Arguments.of(
                        List.of("--set"), "Missing required parameter for option '--set' (KEY=VALUE) (try --help)"),
                Arguments.of(List.of("--set", "WAIT_ADDR"), "should be in KEY=VALUE format but was WAIT_ADDR"),
                Arguments.of(
                        List.of("--set", "bad key=1"),
                        "--set: bad knob name 'bad key' in 'bad key=1' (expected KEY=VALUE, KEY of letters, digits and _)"),
                Arguments.of(List.of("-s", "=1"), "--set: bad knob name ''"),
                Arguments.of(List.of("--wait-addr"), "Missing required parameter for option '--wait-addr'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badArguments")
    void badArgumentsAreConfigErrors(List<String> args, String message) {
        ConfigException e = assertThrows(
                ConfigException.class, () -> SettingsLoader.fromArgs(args.toArray(new String[0]), Map.of()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    static Stream<Arguments> flags() {
        return Stream.of(
                Arguments.of(List.of("--set", "WAIT_TIMEOUT=5"), "WAIT_TIMEOUT", "5"),
                Arguments.of(List.of("-s", "WAIT_TIMEOUT=5"), "WAIT_TIMEOUT", "5"),
                Arguments.of(List.of("--set=WAIT_TIMEOUT=5"), "WAIT_TIMEOUT", "5"),
                Arguments.of(List.of("-sWAIT_TIMEOUT=5"), "WAIT_TIMEOUT", "5"),
                Arguments.of(List.of("--set", "wait_timeout=6"), "WAIT_TIMEOUT", "6"),
                Arguments.of(List.of("--set", "WAIT_TIMEOUT=1", "--set", "WAIT_TIMEOUT=2"), "WAIT_TIMEOUT", "2"),
                Arguments.of(List.of("--set", "OFFLINE_TIMEOUT=0.5"), "OFFLINE_TIMEOUT", "0.5"),
                Arguments.of(List.of("--set", "JS_WAIT_URI=/a=b"), "JS_WAIT_URI", "/a=b"),
                Arguments.of(List.of("--set", "IFRAME_ID="), "IFRAME_ID", ""),
                Arguments.of(List.of("--set", "CUSTOM=x"), "CUSTOM", "x"),
                Arguments.of(
                        List.of("--set", "WAIT_ADDR=127.0.0.1:18088,127.0.0.1:18089"),
                        "WAIT_ADDR",
                        "127.0.0.1:18088,127.0.0.1:18089"),
                Arguments.of(List.of("--wait-addr", "127.0.0.1:1"), "WAIT_ADDR", "127.0.0.1:1"),
                Arguments.of(List.of("--wait-addr=127.0.0.1:1,[::1]:2"), "WAIT_ADDR", "127.0.0.1:1,[::1]:2"),
                Arguments.of(List.of("--in-addr", "127.0.0.1:2"), "IN_ADDR", "127.0.0.1:2"),
                Arguments.of(List.of("--verbosity", "0"), "VERBOSITY", "0"),
                Arguments.of(List.of("--users-file", "/etc/u.htpasswd"), "USERS_FILE", "/etc/u.htpasswd"),
                // The dedicated flag wins over --set, whatever the order.
                Arguments.of(List.of("--verbosity", "1", "--set", "VERBOSITY=2"), "VERBOSITY", "1"),
                Arguments.of(List.of("--set", "VERBOSITY=2", "--verbosity", "1"), "VERBOSITY", "1"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("flags")
    void commandLineFlagsSetKnobs(List<String> args, String knob, String value) throws Exception {
        assertEquals(value, load(Map.of(), args.toArray(new String[0])).knobText(knob));
    }

    @Test
    void flagsReachTheTypedAccessors() throws Exception {
        Settings s = load(
                Map.of(),
                "--wait-addr",
                "127.0.0.1:18088,127.0.0.1:18089",
                "--in-addr",
                "127.0.0.1:0",
                "--verbosity",
                "0",
                "--set",
                "OFFLINE_TIMEOUT=0.5",
                "-s",
                "MAX_DATA_FOR_ID=7");
        assertEquals(List.of("127.0.0.1:18088", "127.0.0.1:18089"), s.waitAddr());
        assertEquals(List.of("127.0.0.1:0"), s.inAddr());
        assertEquals(0, s.verbosity());
        assertEquals(500, s.offlineTimeoutMs());
        assertEquals(7, s.maxDataForId());
    }

    @Test
    void environmentSetsKnobs() throws Exception {
        Settings s = load(Map.of(
                "REALPLEXOR_WAIT_ADDR",
                "127.0.0.1:9",
                "REALPLEXOR_wait_timeout",
                "7",
                "PATH",
                "/bin",
                "WAIT_ADDR",
                "ignored:1"));
        assertEquals(List.of("127.0.0.1:9"), s.waitAddr());
        assertEquals(7000, s.waitTimeoutMs());
    }

    /** Each source below overrides the one before it, one knob per depth. */
    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("native", "WAIT_TIMEOUT = 11\nIN_TIMEOUT = 12\nOFFLINE_TIMEOUT = 13\nVERBOSITY = 1\n"),
                Arguments.of(
                        "perl",
                        "$CONFIG{WAIT_TIMEOUT} = 11;\n$CONFIG{IN_TIMEOUT} = 12;\n"
                                + "$CONFIG{OFFLINE_TIMEOUT} = 13;\n$CONFIG{'VERBOSITY'} = 1;\nreturn 1;\n"),
                Arguments.of(
                        "perl defaults form",
                        "%CONFIG = (\n  WAIT_TIMEOUT => 11, IN_TIMEOUT => 12,\n"
                                + "  OFFLINE_TIMEOUT => 13, verbosity => 1,\n);\n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("precedence")
    void defaultsThenFileThenEnvironmentThenCommandLine(String format, String conf) throws Exception {
        Path file = Files.writeString(dir.resolve("rpl.conf"), conf);
        Map<String, String> env =
                Map.of("REALPLEXOR_IN_TIMEOUT", "22", "REALPLEXOR_OFFLINE_TIMEOUT", "23", "REALPLEXOR_VERBOSITY", "2");
        Settings s = load(env, file.toString(), "--set", "OFFLINE_TIMEOUT=33", "--verbosity", "3");
        assertEquals(3_600_000, s.cleanIdAfterMs(), "default");
        assertEquals(11_000, s.waitTimeoutMs(), "file over default");
        assertEquals(22_000, s.inTimeoutMs(), "environment over file");
        assertEquals(33_000, s.offlineTimeoutMs(), "command line over environment");
        assertEquals(3, s.verbosity(), "command line over environment over file");
    }

    @Test
    void undefInTheFileMeansTheDefault() throws Exception {
        Path file = Files.writeString(dir.resolve("rpl.conf"), "$CONFIG{WAIT_TIMEOUT} = undef;\nreturn 1;\n");
        assertEquals(300_000, load(Map.of(), file.toString()).waitTimeoutMs());
        assertEquals(
                5_000,
                load(Map.of("REALPLEXOR_WAIT_TIMEOUT", "5"), file.toString()).waitTimeoutMs());
    }

    @Test
    void reloadRereadsTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("rpl.conf"), "$CONFIG{OFFLINE_TIMEOUT} = 30;\nreturn 1;\n");
        SettingsLoader loader = SettingsLoader.fromArgs(
                new String[] {file.toString(), "--set", "VERBOSITY=0"}, Map.of("REALPLEXOR_MAX_DATA_FOR_ID", "9"));
        Settings first = loader.load();
        assertEquals(30_000, first.offlineTimeoutMs());

        Files.writeString(file, "$CONFIG{OFFLINE_TIMEOUT} = 2.5;\n$CONFIG{VERBOSITY} = 3;\nreturn 1;\n");
        Settings second = loader.load();
        assertEquals(2_500, second.offlineTimeoutMs());
        assertEquals(0, second.verbosity(), "the command line still wins after a reload");
        assertEquals(9, second.maxDataForId(), "the environment still applies after a reload");

        // A broken file fails the reload; the caller keeps the settings it has.
        Files.writeString(file, "$CONFIG{OFFLINE_TIMEOUT} = ;\n");
        ConfigException e = assertThrows(ConfigException.class, loader::load);
        assertEquals(file + ":1: cannot read value of OFFLINE_TIMEOUT: unexpected ';'", e.getMessage());

        Files.delete(file);
        assertEquals(
                "config file not found: " + file,
                assertThrows(ConfigException.class, loader::load).getMessage());
    }

    @Test
    void aMissingConfigFileIsNamed() throws Exception {
        Path missing = dir.resolve("missing.conf");
        SettingsLoader loader = SettingsLoader.fromArgs(new String[] {missing.toString()}, Map.of());
        assertEquals(missing, loader.configFile());
        assertEquals(
                "config file not found: " + missing,
                assertThrows(ConfigException.class, loader::load).getMessage());
    }

    @Test
    void aRelativeConfigFileIsResolvedAgainstTheWorkingDirectory() throws Exception {
        SettingsLoader loader = SettingsLoader.fromArgs(new String[] {"sub/../rpl.conf"}, Map.of());
        assertEquals(WORK_DIR.resolve("rpl.conf"), loader.configFile());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(
                        List.of("--set", "WAIT_ADDR=nonsense"),
                        Map.of(),
                        "invalid setting: WAIT_ADDR: expected host:port, got 'nonsense' (from the command line)"),
                Arguments.of(
                        List.of("--verbosity", "loud"),
                        Map.of(),
                        "invalid setting: VERBOSITY: expected a number, got 'loud' (from the command line)"),
                Arguments.of(
                        List.of(),
                        Map.of("REALPLEXOR_WAIT_TIMEOUT", "-1"),
                        "invalid setting: WAIT_TIMEOUT: must not be negative, got -1 (from the environment: REALPLEXOR_WAIT_TIMEOUT)"),
                Arguments.of(
                        List.of("--in-addr", ""),
                        Map.of(),
                        "invalid setting: IN_ADDR: at least one address is needed (from the command line)"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("badValues")
    void badKnobValuesAreConfigErrors(List<String> args, Map<String, String> env, String message) throws Exception {
        SettingsLoader loader = SettingsLoader.fromArgs(args.toArray(new String[0]), env);
        ConfigException e = assertThrows(ConfigException.class, loader::load);
        assertEquals(message, e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void aBadValueInTheConfigFileNamesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("bad-value.conf"), "$CONFIG{WAIT_TIMEOUT} = \"five\";\nreturn 1;\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), file.toString()));
        assertEquals(
                "invalid setting: WAIT_TIMEOUT: expected a number, got 'five' (from " + file + ":1)", e.getMessage());
    }

    @Test
    void relativeFilesInTheConfigFileAreRelativeToItsFolder() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(
                sub.resolve("rpl.conf"),
                "$CONFIG{USERS_FILE} = 'users.htpasswd';\n$CONFIG{IFRAME_FILE} = '../share/iframe.html';\n"
                        + "$CONFIG{SCRIPT_FILE} = '/abs/script.js';\nreturn 1;\n");
        Settings s = load(Map.of(), file.toString());
        assertEquals(sub, s.baseDir());
        assertEquals(sub.resolve("users.htpasswd"), s.usersFile());
        assertEquals(dir.resolve("share/iframe.html"), s.iframeFile());
        assertEquals(Path.of("/abs/script.js"), s.scriptFile());
    }

    @Test
    void relativeFilesFromTheCommandLineOrEnvironmentAreRelativeToTheWorkingDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("rpl.conf"), "USERS_FILE = in-file.htpasswd\n");
        Settings s = load(
                Map.of("REALPLEXOR_IFRAME_FILE", "pages/iframe.html", "REALPLEXOR_SCRIPT_FILE", ""),
                file.toString(),
                "--users-file",
                "flag.htpasswd");
        assertEquals(WORK_DIR.resolve("flag.htpasswd"), s.usersFile());
        assertEquals(WORK_DIR.resolve("pages/iframe.html"), s.iframeFile());
        assertNull(s.scriptFile(), "empty stays empty (the bundled template)");

        Settings fromSet = load(Map.of(), file.toString(), "--set", "USERS_FILE=/etc/abs.htpasswd");
        assertEquals(Path.of("/etc/abs.htpasswd"), fromSet.usersFile());
        assertEquals(
                dir.resolve("in-file.htpasswd"), load(Map.of(), file.toString()).usersFile());
    }

    @Test
    void aLowerCaseCommandLineKnobOverridesAnUpperCaseFileKnob() throws Exception {
        Path file =
                Files.writeString(dir.resolve("rpl.conf"), "$CONFIG{WAIT_TIMEOUT} = 1;\n$CONFIG{wait_timeout} = 2;\n");
        assertEquals(2_000, load(Map.of(), file.toString()).waitTimeoutMs());
        assertEquals(
                3_000,
                load(Map.of(), file.toString(), "--set", "Wait_Timeout=3").waitTimeoutMs());
    }

    @Test
    void knobsThisServerDoesNotUseAreNamedInAWarning(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(
                dir.resolve("old.conf"),
                "$CONFIG{WAIT_TIMOUT} = 5;\n$CONFIG{SU_USER} = 'nobody';\n$CONFIG{WAIT_TIMEOUT} = 6;\nreturn 1;\n");
        Files.writeString(dir.resolve("dklab_realplexor.htpasswd"), ":\n");
        Settings[] s = new Settings[1];
        List<String> warnings = org.realplexor.testing.LogCapture.warnings(
                SettingsLoader.class, () -> s[0] = load(Map.of(), conf.toString()));
        assertEquals(6000, s[0].waitTimeoutMs());
        assertEquals(
                List.of(
                        conf
                                + ":1: WAIT_TIMOUT is not a setting of this server (misspelt?); it is kept only for templates",
                        conf
                                + ":2: SU_USER (the original's) is not used by this server: the server keeps the user it was started as;"
                                + " start it as that user instead (for example systemd's User=)"),
                warnings);
    }

    @Test
    void theOriginalsFullConfigIsUnderstoodKnobByKnob(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("dklab_realplexor.conf");
        Files.copy(SettingsLoaderTest.class.getResourceAsStream("/migration/full.conf"), conf);
        Settings[] s = new Settings[1];
        List<String> lines = org.realplexor.testing.LogCapture.lines(
                SettingsLoader.class, () -> s[0] = load(Map.of(), conf.toString()));
        String why = " (the original's) is not used by this server: ";
        assertEquals(
                List.of(
                        "WARN " + conf + ":6: SU_USER" + why
                                + "the server keeps the user it was started as; start it as that user"
                                + " instead (for example systemd's User=)",
                        "WARN " + conf + ":17: ID_BINDINGS_SERVERS" + why
                                + "the original's memcached online notification is not built;"
                                + " ask the IN line (ONLINE, WATCH) instead",
                        "WARN " + conf + ":20: ID_BINDINGS_SERVER_NAME" + why
                                + "the original's memcached online notification is not"
                                + " built; ask the IN line (ONLINE, WATCH) instead",
                        "INFO " + conf + ":22: HOOK_CHECK_VISIBILITY" + why
                                + "this server runs no Perl hooks; limit who sees a message"
                                + " with *ID limiters when publishing",
                        "INFO " + conf + ":38: MAX_MEM_MB" + why
                                + "the heap is capped by the JVM (REALPLEXOR_JAVA_OPTS, -Xmx), and a"
                                + " server whose heap runs out exits for its supervisor to restart"),
                lines);
        assertEquals(5120, s[0].waitMaxlen());
        assertEquals(List.of("0.0.0.0:8088"), s[0].waitAddr());
        // The original's own file names, left behind in its folder, stand for its defaults.
        assertFalse(s[0].usersFileRequired());
        assertTrue(s[0].isOriginalFileName("IFRAME_FILE"));
        assertTrue(s[0].isOriginalFileName("SCRIPT_FILE"));
    }

    @Test
    void aUsersFileNamedOtherwiseIsRequiredFromEverySource(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("rpl.conf"), "$CONFIG{USERS_FILE} = 'logins.htpasswd';\nreturn 1;\n");
        assertTrue(load(Map.of(), conf.toString()).usersFileRequired());
        assertTrue(
                load(Map.of(), "--users-file", "dklab_realplexor.htpasswd").usersFileRequired(),
                "a flag names a path from the working directory: the operator asked for that file");
        assertTrue(load(Map.of("REALPLEXOR_USERS_FILE", "/etc/u.htpasswd")).usersFileRequired());
        Path overlay = Files.writeString(dir.resolve("overlay.conf"), "$CONFIG{WAIT_TIMEOUT} = 5;\nreturn 1;\n");
        assertFalse(load(Map.of(), overlay.toString()).usersFileRequired(), "an overlay that does not name it");
        assertFalse(load(Map.of()).usersFileRequired(), "embedded defaults");
    }

    @Test
    void unknownKnobsAreWarnedAboutFromTheEnvironmentAndTheCommandLine() throws Exception {
        List<String> warnings = org.realplexor.testing.LogCapture.warnings(
                SettingsLoader.class,
                () -> load(
                        Map.of("REALPLEXOR_WAIT_ADR", "x", "REALPLEXOR_JAVA_OPTS", "-Xmx1g"),
                        "--set",
                        "WAIT_TIMOUT=5"));
        assertEquals(
                List.of(
                        "the environment: REALPLEXOR_WAIT_ADR is not a setting of this server (misspelt?); it is kept only for templates",
                        "the command line: WAIT_TIMOUT is not a setting of this server (misspelt?); it is kept only for templates"),
                warnings);
    }
}
