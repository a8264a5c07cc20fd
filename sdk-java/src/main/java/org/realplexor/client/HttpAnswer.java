package org.realplexor.client;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an IN-line answer the way the original PHP API does: zero bytes is success with
 * nothing to say (the original server), otherwise it must be an HTTP 200 whose
 * Content-Length matches the body's size in bytes.
 */
final class HttpAnswer {

    private static final Pattern STATUS = Pattern.compile("\\A(HTTP/[\\d.]+\\s+(\\d{3})[^\\r\\n]*)");
    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("^Content-Length:[ \\t]*(\\d+)", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final int QUOTE_LIMIT = 2000;

    private HttpAnswer() {}

    /**
     * The body of an acceptable answer, or {@code null} when the server answered zero bytes.
     *
     * @param endpoint {@code host:port}, for the messages
     */
    static String body(byte[] answer, String endpoint) {
        if (answer.length == 0) {
            return null;
        }
        int split = headEnd(answer);
        int bodyStart = split < 0 ? answer.length : split;
        String head = new String(
                answer, 0, split < 0 ? answer.length : headLength(answer, split), StandardCharsets.ISO_8859_1);
        String body = new String(answer, bodyStart, answer.length - bodyStart, StandardCharsets.UTF_8);

        Matcher status = STATUS.matcher(head);
        if (!status.find()) {
            throw new RealplexorException(
                    "non-HTTP answer from " + endpoint + ": " + limit(new String(answer, StandardCharsets.UTF_8)));
        }
        int code = Integer.parseInt(status.group(2));
        if (code != 200) {
            throw new RealplexorException(
                    "request to " + endpoint + " failed: " + status.group(1).trim() + "\n"
                            + limit(body.stripTrailing()),
                    code,
                    body);
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (!length.find()) {
            throw new RealplexorException("answer from " + endpoint
                    + " has no Content-Length header, so it may be cut short:\n" + limit(head));
        }
        long declared = Long.parseLong(length.group(1));
        long received = answer.length - bodyStart;
        if (declared != received) {
            throw new RealplexorException(
                    "answer from " + endpoint + " has a " + received + "-byte body but Content-Length says " + declared
                            + ": the answer is broken",
                    code,
                    body);
        }
        return body;
    }

    /** Index just after the first blank line (CRLF or LF line ends), or -1. */
    private static int headEnd(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\n') {
                continue;
            }
            int j = i + 1;
            if (j < b.length && b[j] == '\r') {
                j++;
            }
            if (j < b.length && b[j] == '\n') {
                return j + 1;
            }
        }
        return -1;
    }

    /** Length of the head without the blank line that ends it. */
    private static int headLength(byte[] b, int split) {
        int i = split - 1; // the blank line's '\n'
        if (i > 0 && b[i - 1] == '\r') {
            i--;
        }
        return i;
    }

    private static String limit(String s) {
        return s.length() <= QUOTE_LIMIT ? s : s.substring(0, QUOTE_LIMIT) + "... (" + s.length() + " chars)";
    }
}
