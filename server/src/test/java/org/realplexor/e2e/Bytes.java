package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte helpers: the protocol is byte-exact, so comparisons are on bytes, shown escaped. */
final class Bytes {
    private Bytes() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** CR, LF and non-printable bytes escaped so a failure message shows the exact bytes. */
    static String visible(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n\n");
            else if (c == '\\') sb.append("\\\\");
            else if (c < 0x20 || c >= 0x7f) sb.append(String.format("\\x%02x", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }

    static void assertBytes(byte[] expected, byte[] actual, String what) {
        assertEquals(visible(expected), visible(actual), what);
    }

    static void assertBytes(String expected, byte[] actual, String what) {
        assertBytes(utf8(expected), actual, what);
    }
}
