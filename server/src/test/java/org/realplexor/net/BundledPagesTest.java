package org.realplexor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.config.Settings;

/** The bundled templates: the SCRIPT answer is the browser SDK unchanged, the IFRAME fully filled in. */
class BundledPagesTest {

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = StaticPages.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] body(byte[] answer) {
        String s = new String(answer, StandardCharsets.ISO_8859_1);
        int start = s.indexOf("\r\n\r\n") + 4;
        return Arrays.copyOfRange(answer, start, answer.length);
    }

    @Test
    void scriptIsTheBrowserClientByteForByte() throws Exception {
        StaticPages pages = StaticPages.load(Settings.defaults());
        byte[] bundled = resource(StaticPages.SCRIPT_RESOURCE);
        assertTrue(new String(bundled, StandardCharsets.UTF_8).contains("Dklab_Realplexor"));
        assertArrayEquals(bundled, body(pages.script("")), "no $name in the client may be substituted");
    }

    @Test
    void iframeHasEveryPlaceholderFilled() throws Exception {
        String page = new String(body(StaticPages.load(Settings.defaults()).iframe("")), StandardCharsets.UTF_8);
        assertFalse(page.matches("(?s).*undefined-\\w.*"), "every $name in the bundled IFRAME page is a knob");
        assertFalse(page.matches("(?s).*\\$[A-Za-z].*"), "no placeholder left");
    }

    @Test
    void aTemplateThatCannotBeReadNamesItsKnobAndFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.html");
        IOException e = assertThrows(
                IOException.class,
                () -> StaticPages.load(Settings.defaults().with(Map.of("IFRAME_FILE", missing.toString()))));
        assertEquals("IFRAME_FILE " + missing + ": not found", e.getMessage());
        e = assertThrows(
                IOException.class,
                () -> StaticPages.load(Settings.defaults().with(Map.of("SCRIPT_FILE", dir.toString()))));
        assertTrue(e.getMessage().startsWith("SCRIPT_FILE " + dir + ": cannot read it ("), e.getMessage());
    }
}
