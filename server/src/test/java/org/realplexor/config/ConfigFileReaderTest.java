package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

class ConfigFileReaderTest {

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of("$CONFIG{WAIT_TIMEOUT} = 5;\nreturn 1;\n", true),
                Arguments.of("%CONFIG = ( WAIT_TIMEOUT => 5 );", true),
                Arguments.of("# text mentions %CONFIG only in a comment", false),
                Arguments.of("# migrated; it was %CONFIG = (...)\nWAIT_ADDR = 127.0.0.1:1\n", false),
                Arguments.of("# nothing to override\nreturn 1;\n", true),
                Arguments.of("1;\n", true),
                Arguments.of("use strict;\n", true),
                Arguments.of("  $CONFIG {'A'} = 1;", true),
                Arguments.of("%CONFIG=(A=>1);", true),
                Arguments.of("$CONFIG{'A'} = 1;", true),
                Arguments.of("WAIT_TIMEOUT = 5", false),
                Arguments.of("", false),
                Arguments.of("# $CONFIG without a brace", false),
                Arguments.of("CONFIG = 1", false));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("formats")
    void detectsTheFormat(String text, boolean perl) {
        assertEquals(perl, ConfigFileReader.isPerl(text));
    }

    @Test
    void anOverlayThatOverridesNothingIsValid(@TempDir Path dir) throws Exception {
        for (String text : new String[] {
            "# all commented out\n# $CONFIG{WAIT_TIMEOUT} = 5;\nreturn 1;\n", "1;\n", "use strict;\nreturn 1;\n"
        }) {
            Path f = Files.writeString(dir.resolve("overlay.conf"), text);
            assertEquals(Map.of(), ConfigFileReader.read(f), text);
        }
    }

    @Test
    void readsEitherFormatFromDisk(@TempDir Path dir) throws Exception {
        Path perl = dir.resolve("old.conf");
        Files.writeString(
                perl,
                "$CONFIG{WAIT_ADDR} = [ '127.0.0.1:1', '127.0.0.1:2' ];\n$CONFIG{IN_MAXLEN} = 1024 * 2;\nreturn 1;\n");
        assertEquals(
                Map.of("WAIT_ADDR", List.of("127.0.0.1:1", "127.0.0.1:2"), "IN_MAXLEN", "2048"),
                ConfigFileReader.read(perl));

        Path ours = dir.resolve("new.conf");
        Files.writeString(ours, "WAIT_ADDR = 127.0.0.1:1,127.0.0.1:2\nIN_MAXLEN = 2048\n");
        assertEquals(Map.of("WAIT_ADDR", "127.0.0.1:1,127.0.0.1:2", "IN_MAXLEN", "2048"), ConfigFileReader.read(ours));

        // Both give the same settings.
        Settings a = Settings.from(ConfigFileReader.read(perl), dir);
        Settings b = Settings.from(ConfigFileReader.read(ours), dir);
        assertEquals(a.waitAddr(), b.waitAddr());
        assertEquals(a.inMaxlen(), b.inMaxlen());
    }

    @Test
    void errorsNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.conf");
        assertEquals(
                "config file not found: " + missing,
                assertThrows(ConfigException.class, () -> ConfigFileReader.read(missing))
                        .getMessage());

        ConfigException folder = assertThrows(ConfigException.class, () -> ConfigFileReader.read(dir));
        assertTrue(folder.getMessage().startsWith("cannot read config file " + dir + ": "), folder.getMessage());

        Path perl = dir.resolve("bad.conf");
        Files.writeString(perl, "$CONFIG{A} = 1;\n\n$CONFIG{B} = ;\n");
        assertEquals(
                perl + ":3: cannot read value of B: unexpected ';'",
                assertThrows(ConfigException.class, () -> ConfigFileReader.read(perl))
                        .getMessage());
    }

    @Test
    void toleratesBadBytesAndABom(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.conf");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("# caf".getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xE9);
        bytes.write("\nVERBOSITY = 2\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, bytes.toByteArray());
        assertEquals(Map.of("VERBOSITY", "2"), ConfigFileReader.read(file));
    }
}
