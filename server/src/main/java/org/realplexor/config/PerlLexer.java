package org.realplexor.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the Perl subset {@link PerlConfReader} understands into tokens, on demand, so that
 * an error names what was being read when it happened. Strings are decoded here: {@code '...'}
 * and {@code q()} keep backslashes except before the delimiter or a backslash, {@code "..."}
 * and {@code qq()} decode the usual escapes and refuse variable interpolation, {@code qw()}
 * yields its words.
 */
final class PerlLexer {

    enum Kind {
        NUM,
        STR,
        WORDS,
        WORD,
        HASH_VAR,
        SCALAR_VAR,
        PUNCT,
        EOF
    }

    /**
     * @param raw   the token's source text (for a variable: with its sigil)
     * @param value BigDecimal for NUM, the decoded String for STR, List&lt;String&gt; for WORDS
     */
    record Token(Kind kind, String raw, Object value, int line) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && raw.equals(punct);
        }

        /** How an error message shows the token. */
        String describe() {
            if (kind == Kind.EOF) return "end of file";
            String shown = raw.length() > 30 ? raw.substring(0, 30) + "..." : raw;
            // A string token already shows its quotes.
            return kind == Kind.STR && shown.equals(raw) ? shown : "'" + shown + "'";
        }
    }

    /** Builds the error for a bad token; the reader adds file name and context. */
    interface Failure {
        ConfigException at(int line, String detail);
    }

    private final String text;
    private final Failure failure;
    private int pos;
    private int line = 1;
    private Token peeked;
    private int lastLine = 1;

    PerlLexer(String text, Failure failure) {
        this.text = text;
        this.failure = failure;
    }

    Token peek() throws ConfigException {
        if (peeked == null) peeked = lex();
        return peeked;
    }

    Token next() throws ConfigException {
        Token t = peek();
        peeked = null;
        lastLine = t.line;
        return t;
    }

    /** The line of the last token taken with {@link #next()}. */
    int lastLine() {
        return lastLine;
    }

    private Token lex() throws ConfigException {
        skipSpaceAndComments();
        int start = pos;
        int startLine = line;
        if (pos >= text.length()) return new Token(Kind.EOF, "", null, line);
        char c = text.charAt(pos);
        if (isDigit(c)) return numberToken(start);
        if (c == '\'' || c == '"') {
            pos++;
            String s = quoted(c, c, c == '"', startLine);
            return new Token(Kind.STR, text.substring(start, pos), s, startLine);
        }
        if (isWordStart(c)) return wordToken(start);
        if ((c == '$' || c == '%') && pos + 1 < text.length() && isWordStart(text.charAt(pos + 1))) {
            pos++;
            readWord();
            return new Token(c == '$' ? Kind.SCALAR_VAR : Kind.HASH_VAR, text.substring(start, pos), null, startLine);
        }
        if (text.startsWith("=>", pos)) {
            pos += 2;
            return new Token(Kind.PUNCT, "=>", null, startLine);
        }
        if ("=,;()[]{}+-*/.".indexOf(c) >= 0) {
            pos++;
            return new Token(Kind.PUNCT, String.valueOf(c), null, startLine);
        }
        throw failure.at(startLine, "unexpected character '" + c + "'");
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else {
                return;
            }
        }
    }

    private Token numberToken(int start) throws ConfigException {
        while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
            pos++;
            while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int e = pos + 1;
            if (e < text.length() && (text.charAt(e) == '+' || text.charAt(e) == '-')) e++;
            if (e < text.length() && isDigit(text.charAt(e))) {
                pos = e;
                while (pos < text.length() && isDigit(text.charAt(pos))) pos++;
            }
        }
        String raw = text.substring(start, pos);
        BigDecimal value;
        try {
            value = new BigDecimal(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw failure.at(line, "number out of range: " + raw);
        }
        return new Token(Kind.NUM, raw, value, line);
    }

    private Token wordToken(int start) throws ConfigException {
        int startLine = line;
        readWord();
        String word = text.substring(start, pos);
        if (word.equals("q") || word.equals("qq") || word.equals("qw")) {
            int save = pos;
            int saveLine = line;
            skipSpaceAndComments();
            if (pos < text.length() && isQuoteDelimiter(text.charAt(pos))) {
                char open = text.charAt(pos++);
                char close = closing(open);
                String body = quoted(open, close, word.equals("qq"), startLine);
                String raw = text.substring(start, pos);
                if (!word.equals("qw")) return new Token(Kind.STR, raw, body, startLine);
                List<String> words = new ArrayList<>();
                for (String w : body.trim().split("\\s+")) if (!w.isEmpty()) words.add(w);
                return new Token(Kind.WORDS, raw, List.copyOf(words), startLine);
            }
            pos = save;
            line = saveLine;
        }
        return new Token(Kind.WORD, word, null, startLine);
    }

    private void readWord() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isWordStart(c) || isDigit(c)) {
                pos++;
            } else if (c == ':'
                    && text.startsWith("::", pos)
                    && pos + 2 < text.length()
                    && isWordStart(text.charAt(pos + 2))) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    /**
     * The body of a quoted string; {@code pos} is just past the opening delimiter. Without
     * interpolation only the delimiters and the backslash can be escaped (Perl's '...').
     */
    private String quoted(char open, char close, boolean interpolating, int startLine) throws ConfigException {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        while (true) {
            if (pos >= text.length()) throw failure.at(startLine, "unterminated string");
            char c = text.charAt(pos++);
            if (c == '\n') line++;
            if (c == '\\' && pos < text.length()) {
                char e = text.charAt(pos++);
                if (e == '\n') line++;
                if (interpolating) {
                    escape(e, out);
                } else {
                    if (e != '\\' && e != open && e != close) out.append('\\');
                    out.append(e);
                }
            } else if (c == close && depth == 0) {
                return out.toString();
            } else {
                if (open != close && c == open) depth++;
                if (open != close && c == close) depth--;
                if (interpolating
                        && (c == '$' || c == '@')
                        && pos < text.length()
                        && (isWordStart(text.charAt(pos)) || text.charAt(pos) == '{' || text.charAt(pos) == ':')) {
                    throw failure.at(
                            line, "variables inside \"...\" are not supported; write '...' or escape the " + c);
                }
                out.append(c);
            }
        }
    }

    /** A backslash escape inside "...": the common ones, hex, and "any other char is itself". */
    private void escape(char e, StringBuilder out) throws ConfigException {
        switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'f' -> out.append('\f');
            case 'a' -> out.append('\u0007');
            case 'e' -> out.append('\u001b');
            case '0' -> out.append('\0');
            case 'x' -> hexEscape(out);
            default -> out.append(e);
        }
    }

    private void hexEscape(StringBuilder out) throws ConfigException {
        String hex;
        if (pos < text.length() && text.charAt(pos) == '{') {
            int end = text.indexOf('}', pos);
            if (end < 0) throw failure.at(line, "unterminated \\x{...}");
            hex = text.substring(pos + 1, end).trim();
            pos = end + 1;
        } else {
            int end = pos;
            while (end < text.length() && end < pos + 2 && Character.digit(text.charAt(end), 16) >= 0) end++;
            hex = text.substring(pos, end);
            pos = end;
        }
        try {
            out.appendCodePoint(hex.isEmpty() ? 0 : Integer.parseInt(hex, 16));
        } catch (IllegalArgumentException e) {
            throw failure.at(line, "bad \\x escape '" + hex + "'");
        }
    }

    private static boolean isQuoteDelimiter(char c) {
        return !Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && c != '_' && "=,;)]}>".indexOf(c) < 0;
    }

    private static char closing(char open) {
        return switch (open) {
            case '(' -> ')';
            case '[' -> ']';
            case '{' -> '}';
            case '<' -> '>';
            default -> open;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }
}
