package org.realplexor.net.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The head of an HTTP/1.x answer as the WAIT handler writes it, read for an HTTP/2 HEADERS
 * frame: the status code and the header fields, names in lower case (HTTP/2 requires it), with
 * the fields that only mean something to an HTTP/1.1 connection left out (RFC 9113, 8.2.2).
 * Pure: bytes in, a value out.
 */
public record ResponseHead(int status, List<String[]> headers, long contentLength, boolean chunked) {

    /** A head longer than this is no answer of ours (the largest, with CORS headers, is under 1 KB). */
    public static final int MAX_HEAD = 16 * 1024;

    /** Connection-specific fields: an HTTP/2 message must not carry them. */
    static final Set<String> HOP_BY_HOP =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

    /** Thrown for bytes that are not an HTTP/1.x answer's head. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** Where the head of {@code b[0, len)} ends (just after its blank line), or -1 while it has not. */
    public static int end(byte[] b, int len) {
        for (int i = 3; i < len; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    /** Reads the head {@code b[0, headLen)} (up to and including its blank line). */
    public static ResponseHead parse(byte[] b, int headLen) throws Malformed {
        String text = new String(b, 0, headLen, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n", -1);
        String statusLine = lines[0];
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new Malformed("not an HTTP/1.x status line: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new Malformed("no status code: " + abbreviate(statusLine));
        }
        if (status < 200 || status > 599) throw new Malformed("status " + status + " has no HTTP/2 form here");
        List<String[]> headers = new ArrayList<>();
        long contentLength = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new Malformed("not a header line: " + abbreviate(line));
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
            if (HOP_BY_HOP.contains(name)) continue;
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new Malformed("Content-Length is no number: " + abbreviate(value));
                }
            }
            headers.add(new String[] {name, value});
        }
        return new ResponseHead(status, List.copyOf(headers), contentLength, chunked);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
