package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NativeConfReaderTest {

    @Test
    void readsATypicalFile() throws Exception {
        String text = """
                # realplexor.conf
                WAIT_ADDR = 0.0.0.0:8088, 0.0.0.0:8089
                IN_ADDR=127.0.0.1:10010

                   OFFLINE_TIMEOUT   =   0.5
                USERS_FILE = users.htpasswd
                JS_WAIT_URI = /rpl/#frag
                IFRAME_FILE =
                custom_knob = kept as written
                """;
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("WAIT_ADDR", "0.0.0.0:8088, 0.0.0.0:8089");
        expected.put("IN_ADDR", "127.0.0.1:10010");
        expected.put("OFFLINE_TIMEOUT", "0.5");
        expected.put("USERS_FILE", "users.htpasswd");
        expected.put("JS_WAIT_URI", "/rpl/#frag");
        expected.put("IFRAME_FILE", "");
        expected.put("custom_knob", "kept as written");
        Map<String, Object> knobs = NativeConfReader.parse(text, "rpl.conf");
        assertEquals(expected, knobs);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(knobs.keySet()));

        Settings s = Settings.from(knobs, Path.of("/srv"));
        assertEquals(List.of("0.0.0.0:8088", "0.0.0.0:8089"), s.waitAddr());
        assertEquals(500, s.offlineTimeoutMs());
        assertEquals(Path.of("/srv/users.htpasswd"), s.usersFile());
    }

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("", Map.of()),
                Arguments.of("\n\n   \n\t\n", Map.of()),
                Arguments.of("# comment\n  # indented comment", Map.of()),
                Arguments.of("A=1", Map.of("A", "1")),
                Arguments.of("A = 1\r\nB = 2\r\n", Map.of("A", "1", "B", "2")),
                Arguments.of("A = 1\rB = 2", Map.of("A", "1", "B", "2")),
                Arguments.of("\uFEFFA = 1", Map.of("A", "1")),
                Arguments.of("A = a=b=c", Map.of("A", "a=b=c")),
                Arguments.of("A = 1\nA = 2", Map.of("A", "2")),
                Arguments.of("A =", Map.of("A", "")),
                Arguments.of("_x9 = y", Map.of("_x9", "y")),
                Arguments.of("A = 'quoted'", Map.of("A", "'quoted'")),
                Arguments.of("A = value # not a comment", Map.of("A", "value # not a comment")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("lines")
    void readsEveryLineForm(String text, Map<String, Object> expected) throws Exception {
        assertEquals(expected, NativeConfReader.parse(text, "rpl.conf"));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(
                        "WAIT_ADDR 0.0.0.0:8088", "rpl.conf:1: expected KEY = value, found 'WAIT_ADDR 0.0.0.0:8088'"),
                Arguments.of("A = 1\n\n# c\njunk", "rpl.conf:4: expected KEY = value, found 'junk'"),
                Arguments.of("= 5", "rpl.conf:1: bad knob name '' (letters, digits and _ only)"),
                Arguments.of("A B = 5", "rpl.conf:1: bad knob name 'A B' (letters, digits and _ only)"),
                Arguments.of("1A = 5", "rpl.conf:1: bad knob name '1A' (letters, digits and _ only)"),
                Arguments.of("A\r\nWAIT-ADDR = x", "rpl.conf:1: expected KEY = value, found 'A'"),
                Arguments.of(
                        "A = 1\r\nWAIT-ADDR = x", "rpl.conf:2: bad knob name 'WAIT-ADDR' (letters, digits and _ only)"),
                Arguments.of("$CONFIG = 1", "rpl.conf:1: bad knob name '$CONFIG' (letters, digits and _ only)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void rejectsMalformedLinesNamingFileAndLine(String text, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> NativeConfReader.parse(text, "rpl.conf"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void readsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rpl.conf");
        Files.writeString(file, "VERBOSITY = 0\nbad line\n");
        ConfigException e = assertThrows(ConfigException.class, () -> NativeConfReader.read(file));
        assertEquals(file + ":2: expected KEY = value, found 'bad line'", e.getMessage());
        Files.writeString(file, "VERBOSITY = 0\n");
        assertEquals(Map.of("VERBOSITY", "0"), NativeConfReader.read(file));
    }
}
