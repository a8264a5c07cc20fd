package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Prints the IN line's answers: always HTTP/1.0, text/plain, a byte-exact Content-Length, and
 * {@code Connection: close}. The original's clients read only the status and Content-Length;
 * without the last header Java's HttpClient keeps the connection for its next request, which
 * then meets our close and is lost.
 */
public final class InAnswer {
    private InAnswer() {}

    public static byte[] ok(String body) {
        return answer("200 OK", body);
    }

    /** The original's 403, status text typo included: the PHP API copies it into its exceptions. */
    public static byte[] denied(String reasonLine) {
        return answer("403 Access Deined", reasonLine + "\n");
    }

    /** IN_MAX_CONNECTIONS reached: a short 503 that says when to come back. */
    public static byte[] busy() {
        String s = new String(
                answer(
                        "503 Service Unavailable",
                        "the IN line holds as many connections as it may (IN_MAX_CONNECTIONS); nothing was published, try again shortly\n"),
                StandardCharsets.ISO_8859_1);
        return s.replaceFirst("\r\n", "\r\nRetry-After: 1\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final byte[] CLOSING_HEAD_START = "HTTP/1.0 ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CLOSING_HEAD_END = "Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] KEPT_HEAD_END = "Connection: keep-alive\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * The same answer for a client that keeps its connection ({@code Connection: keep-alive}):
     * {@code HTTP/1.1} and {@code Connection: keep-alive}, the rest byte for byte.
     */
    public static byte[] keptAlive(byte[] closing) {
        int headEnd = indexOf(closing, CLOSING_HEAD_END);
        if (headEnd < 0) throw new IllegalArgumentException("not an IN answer");
        int bodyStart = headEnd + CLOSING_HEAD_END.length;
        byte[] out = new byte[closing.length - CLOSING_HEAD_END.length + KEPT_HEAD_END.length];
        System.arraycopy(closing, 0, out, 0, headEnd);
        out[7] = '1';
        System.arraycopy(KEPT_HEAD_END, 0, out, headEnd, KEPT_HEAD_END.length);
        System.arraycopy(closing, bodyStart, out, headEnd + KEPT_HEAD_END.length, closing.length - bodyStart);
        return out;
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = CLOSING_HEAD_START.length; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) if (b[i + k] != what[k]) continue outer;
            return i;
        }
        return -1;
    }

    public static byte[] answer(String status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.0 " + status + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + b.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }
}
