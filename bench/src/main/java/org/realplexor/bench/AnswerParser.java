package org.realplexor.bench;

import java.nio.charset.StandardCharsets;

/**
 * Reads the body of a WAIT answer (PROTOCOL.md section 4): a JSON array of parts
 * {@code {"ids": {ID: "CURSOR", ...}, "data": RAW}}. The bench publishes RAW as
 * {@code {"seq":N,"t":NANOTIME}}; for each part the sink gets the cursor of the listener's id
 * and those two numbers. Strict JSON: anything else is reported as malformed.
 */
final class AnswerParser {
    interface Sink {
        void part(String cursor, long seq, long publishNanos);
    }

    static final class MalformedAnswer extends Exception {

        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message);
        }
    }

    private final byte[] b;
    private final int end;
    private int pos;

    private AnswerParser(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    /**
     * Parses {@code b[from, to)}, which follows the answer head. Only whitespace (a poll that
     * timed out: just the head and {@code " \r\n"}) yields zero parts.
     */
    static int parse(byte[] b, int from, int to, String id, Sink sink) throws MalformedAnswer {
        AnswerParser p = new AnswerParser(b, from, to);
        p.ws();
        if (p.pos == p.end) {
            return 0;
        }
        int parts = 0;
        p.expect('[');
        p.ws();
        if (p.peek() == ']') {
            throw p.fail("empty array");
        }
        while (true) {
            p.part(id, sink);
            parts++;
            p.ws();
            byte c = p.next();
            if (c == ']') {
                break;
            }
            if (c != ',') {
                throw p.fail("expected , or ]");
            }
        }
        p.ws();
        if (p.pos != p.end) {
            throw p.fail("bytes after the array");
        }
        return parts;
    }

    private void part(String id, Sink sink) throws MalformedAnswer {
        ws();
        expect('{');
        String cursor = null;
        long seq = -1;
        Long t = null;
        boolean sawIds = false;
        boolean sawData = false;
        while (true) {
            ws();
            String key = string();
            ws();
            expect(':');
            ws();
            if (key.equals("ids")) {
                sawIds = true;
                expect('{');
                ws();
                if (peek() != '}') {
                    while (true) {
                        ws();
                        String name = string();
                        ws();
                        expect(':');
                        ws();
                        String value = string();
                        if (name.equals(id)) {
                            cursor = value;
                        }
                        ws();
                        byte c = next();
                        if (c == '}') {
                            break;
                        }
                        if (c != ',') {
                            throw fail("expected , or } in ids");
                        }
                    }
                } else {
                    next();
                }
            } else if (key.equals("data")) {
                sawData = true;
                if (peek() != '{') {
                    throw fail("data is not the bench's object");
                }
                next();
                while (true) {
                    ws();
                    String name = string();
                    ws();
                    expect(':');
                    ws();
                    long v = number();
                    if (name.equals("seq")) {
                        seq = v;
                    } else if (name.equals("t")) {
                        t = v;
                    }
                    ws();
                    byte c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw fail("expected , or } in data");
                    }
                }
            } else {
                throw fail("unknown key " + key);
            }
            ws();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw fail("expected , or } in part");
            }
        }
        if (!sawIds || !sawData || cursor == null || seq < 0 || t == null) {
            throw fail("part without ids/data/cursor of " + id + "/seq/t");
        }
        sink.part(cursor, seq, t);
    }

    private String string() throws MalformedAnswer {
        expect('"');
        int start = pos;
        while (pos < end && b[pos] != '"') {
            if (b[pos] == '\\') {
                throw fail("escape in a name or cursor");
            }
            pos++;
        }
        if (pos == end) {
            throw fail("unterminated string");
        }
        String s = new String(b, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return s;
    }

    private long number() throws MalformedAnswer {
        int start = pos;
        if (pos < end && b[pos] == '-') {
            pos++;
        }
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        try {
            return Long.parseLong(new String(b, start, pos - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw fail("expected an integer");
        }
    }

    private void ws() {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
            pos++;
        }
    }

    private byte peek() throws MalformedAnswer {
        if (pos >= end) {
            throw fail("truncated");
        }
        return b[pos];
    }

    private byte next() throws MalformedAnswer {
        byte c = peek();
        pos++;
        return c;
    }

    private void expect(char c) throws MalformedAnswer {
        if (next() != c) {
            pos--;
            throw fail("expected " + c);
        }
    }

    private MalformedAnswer fail(String what) {
        int from = Math.max(0, pos - 40);
        int to = Math.min(end, pos + 40);
        return new MalformedAnswer(what + " at byte " + pos + " near '"
                + new String(b, from, to - from, StandardCharsets.ISO_8859_1) + "'");
    }
}
