package org.realplexor.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.realplexor.config.PerlLexer.Kind;
import org.realplexor.config.PerlLexer.Token;

/**
 * Reads the original server's Perl config files without a Perl interpreter.
 *
 * <p>Understood: {@code %CONFIG = ( KEY => VALUE, ... );} (the defaults file),
 * {@code $CONFIG{KEY} = VALUE;} / {@code $CONFIG{'KEY'}} / {@code $CONFIG{"KEY"}} (override
 * files), {@code use ...;}, {@code 1;}, {@code return 1;} (nothing after it takes effect, as in
 * Perl), {@code __END__}, {@code #} comments. Values: numbers, {@code '...'} / {@code "..."} /
 * {@code q()} / {@code qq()} strings, {@code + - * /} arithmetic with parentheses, {@code .}
 * concatenation, array refs {@code [ ... ]} (also with {@code qw()}), {@code undef}, and the
 * idiom the original's own test configs use to name a file next to the config:
 * {@code dirname(abs_path(__FILE__)) . "/users.htpasswd"}.
 *
 * <p>The result maps each key, as written, to a {@code String} (numbers as decimal text,
 * {@code 1024 * 200} gives {@code "204800"}), a {@code List<String>} or {@code null} (undef).
 * Anything else is an error naming the file and line, never a guess.
 */
public final class PerlConfReader {

    private PerlConfReader() {}

    public static Map<String, Object> read(Path file) throws ConfigException {
        return parse(ConfigFileReader.readText(file), file.toString());
    }

    /** @param sourceName the name used in error messages and as Perl's {@code __FILE__} */
    public static Map<String, Object> parse(String text, String sourceName) throws ConfigException {
        return parse(text, sourceName, new LinkedHashMap<>());
    }

    /**
     * As {@link #parse(String, String)}, also noting in {@code lines} the line of the
     * assignment that set each knob (for --print-config and --check-config).
     */
    public static Map<String, Object> parse(String text, String sourceName, Map<String, Integer> lines)
            throws ConfigException {
        return new Parser(ConfigFileReader.withoutBom(text), sourceName, lines).program();
    }

    /** A Perl array ref: only ever holds scalars here. */
    private record ArrayRef(List<String> items) {}

    /** Perl's undef, distinct from "no value yet". */
    private enum Undef {
        UNDEF
    }

    private static final Pattern NUMERIC_STRING =
            Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");
    /**
     * Perl computes in doubles and prints 15 significant digits; rounding divisions and the
     * printed result the same way gives the text Perl would ({@code 2 / 3 * 3} is {@code 2}).
     */
    private static final MathContext PERL_PRECISION = new MathContext(15, RoundingMode.HALF_EVEN);
    /** Far beyond any knob; keeps {@code 1e999999} from printing a million digits. */
    private static final int MAX_DIGITS = 40;

    private static final class Parser {
        private final PerlLexer lexer;
        private final String source;
        private final Map<String, Object> knobs = new LinkedHashMap<>();
        /** The line where each knob in {@link #knobs} was assigned. */
        private final Map<String, Integer> lines;
        /** What is being read, for messages: "statement", "key", "value of WAIT_ADDR". */
        private String context = "statement";

        Parser(String text, String source, Map<String, Integer> lines) {
            this.lexer = new PerlLexer(text, this::fail);
            this.source = source;
            this.lines = lines;
        }

        Map<String, Object> program() throws ConfigException {
            while (true) {
                context = "statement";
                Token t = peek();
                if (t.kind() == Kind.EOF) return knobs;
                if (t.is(";")) {
                    next();
                } else if (t.kind() == Kind.WORD
                        && (t.raw().equals("use") || t.raw().equals("no"))) {
                    skipStatement();
                } else if (t.kind() == Kind.WORD && t.raw().equals("return")) {
                    next();
                    if (!peek().is(";") && peek().kind() != Kind.EOF) expr();
                    endStatement("return");
                    return knobs;
                } else if (t.kind() == Kind.WORD
                        && (t.raw().equals("__END__") || t.raw().equals("__DATA__"))) {
                    return knobs;
                } else if (t.kind() == Kind.NUM) {
                    next();
                    endStatement(t.raw());
                } else if (t.kind() == Kind.HASH_VAR && t.raw().equals("%CONFIG")) {
                    hashAssignment();
                } else if (t.kind() == Kind.SCALAR_VAR && t.raw().equals("$CONFIG")) {
                    elementAssignment();
                } else {
                    throw fail(
                            t.line(),
                            "unexpected " + t.describe()
                                    + " (expected $CONFIG{KEY} = VALUE; or %CONFIG = (KEY => VALUE, ...);)");
                }
            }
        }

        private void skipStatement() throws ConfigException {
            while (peek().kind() != Kind.EOF && !peek().is(";")) next();
            endStatement("use");
        }

        private void endStatement(String what) throws ConfigException {
            if (peek().is(";")) {
                next();
            } else if (peek().kind() != Kind.EOF) {
                throw fail(lexer.lastLine(), "missing ';' after " + what + " (found " + peek().describe() + ")");
            }
        }

        private void hashAssignment() throws ConfigException {
            next();
            expect("=");
            expect("(");
            // Assigning the whole hash replaces it, as in Perl.
            knobs.clear();
            lines.clear();
            while (true) {
                context = "%CONFIG list";
                if (peek().is(")")) break;
                context = "key";
                int line = peek().line();
                String key = key();
                context = "value of " + key;
                if (!peek().is("=>") && !peek().is(",")) {
                    throw fail(peek().line(), "expected '=>' after " + key + ", found " + peek().describe());
                }
                next();
                knobs.put(key, knob(expr()));
                lines.put(key, line);
                if (peek().is(",") || peek().is("=>")) {
                    next();
                } else if (!peek().is(")")) {
                    throw fail(peek().line(), "expected ',' or ')' after the value, found " + peek().describe());
                }
            }
            next();
            context = "statement";
            endStatement("%CONFIG = (...)");
        }

        private void elementAssignment() throws ConfigException {
            int line = next().line();
            expect("{");
            context = "key";
            String key = key();
            expect("}");
            context = "value of " + key;
            expect("=");
            knobs.put(key, knob(expr()));
            lines.put(key, line);
            context = "statement";
            endStatement("the value of " + key);
        }

        private String key() throws ConfigException {
            Token t = next();
            if (t.kind() == Kind.WORD || t.kind() == Kind.STR)
                return t.kind() == Kind.WORD ? t.raw() : (String) t.value();
            throw fail(t.line(), "expected a knob name, found " + t.describe());
        }

        private Object expr() throws ConfigException {
            Object left = term();
            while (peek().is("+") || peek().is("-") || peek().is(".")) {
                Token op = next();
                Object right = term();
                left = op.is(".") ? text(left, op) + text(right, op) : arithmetic(op, left, right);
            }
            return left;
        }

        private Object term() throws ConfigException {
            Object left = unary();
            while (peek().is("*") || peek().is("/")) {
                Token op = next();
                left = arithmetic(op, left, unary());
            }
            return left;
        }

        private Object unary() throws ConfigException {
            if (peek().is("-") || peek().is("+")) {
                Token op = next();
                BigDecimal n = number(unary(), op);
                return op.is("-") ? n.negate() : n;
            }
            return primary();
        }

        private Object primary() throws ConfigException {
            Token t = next();
            switch (t.kind()) {
                case NUM:
                    return inRange((BigDecimal) t.value(), t.line());
                case STR:
                    return t.value();
                case WORD:
                    switch (t.raw()) {
                        case "undef":
                            return Undef.UNDEF;
                        case "__FILE__":
                            return source;
                        case "dirname":
                            return dirname(pathArgument(t));
                        case "abs_path":
                            return absPath(pathArgument(t), t);
                        default:
                            throw fail(t.line(), "unexpected " + t.describe());
                    }
                case PUNCT:
                    if (t.is("(")) {
                        Object v = expr();
                        expect(")");
                        return v;
                    }
                    if (t.is("[")) return array();
                    throw fail(t.line(), "unexpected " + t.describe());
                case WORDS:
                    throw fail(t.line(), "qw() is only understood inside [ ]");
                default:
                    throw fail(t.line(), "unexpected " + t.describe());
            }
        }

        private String pathArgument(Token function) throws ConfigException {
            expect("(");
            Object v = expr();
            expect(")");
            return text(v, function);
        }

        private ArrayRef array() throws ConfigException {
            List<String> items = new ArrayList<>();
            while (!peek().is("]")) {
                if (peek().kind() == Kind.WORDS) {
                    @SuppressWarnings("unchecked")
                    List<String> words = (List<String>) next().value();
                    items.addAll(words);
                } else {
                    Token first = peek();
                    Object v = expr();
                    if (v instanceof ArrayRef) throw fail(first.line(), "nested arrays are not supported");
                    if (v == Undef.UNDEF) throw fail(first.line(), "undef inside [ ] is not supported");
                    items.add(text(v, first));
                }
                if (peek().is(",") || peek().is("=>")) {
                    next();
                } else if (!peek().is("]")) {
                    throw fail(peek().line(), "expected ',' or ']' in the array, found " + peek().describe());
                }
            }
            next();
            return new ArrayRef(List.copyOf(items));
        }

        private Object arithmetic(Token op, Object left, Object right) throws ConfigException {
            BigDecimal a = number(left, op);
            BigDecimal b = number(right, op);
            BigDecimal r;
            switch (op.raw()) {
                case "+" -> r = a.add(b);
                case "-" -> r = a.subtract(b);
                case "*" -> r = a.multiply(b);
                default -> {
                    if (b.signum() == 0) throw fail(op.line(), "division by zero");
                    r = a.divide(b, PERL_PRECISION);
                }
            }
            return inRange(r, op.line());
        }

        private BigDecimal number(Object v, Token op) throws ConfigException {
            if (v instanceof BigDecimal n) return n;
            if (v instanceof String s && NUMERIC_STRING.matcher(s).matches()) {
                return inRange(new BigDecimal(s.trim().replaceFirst("^\\+", "")), op.line());
            }
            throw fail(op.line(), kindOf(v) + " cannot be used with '" + op.raw() + "'");
        }

        private String text(Object v, Token where) throws ConfigException {
            if (v instanceof BigDecimal n) return decimal(n);
            if (v instanceof String s) return s;
            throw fail(where.line(), kindOf(v) + " cannot be used with '" + where.raw() + "'");
        }

        private Object knob(Object v) {
            if (v == Undef.UNDEF) return null;
            if (v instanceof BigDecimal n) return decimal(n);
            if (v instanceof ArrayRef a) return a.items;
            return v;
        }

        private static String kindOf(Object v) {
            if (v instanceof ArrayRef) return "an array";
            if (v == Undef.UNDEF) return "undef";
            return "'" + v + "' (not a number)";
        }

        private BigDecimal inRange(BigDecimal n, int at) throws ConfigException {
            BigDecimal s = n.stripTrailingZeros();
            if (s.precision() - s.scale() > MAX_DIGITS || s.scale() > MAX_DIGITS) {
                throw fail(at, "number out of range");
            }
            return s;
        }

        private static String decimal(BigDecimal n) {
            return n.round(PERL_PRECISION).stripTrailingZeros().toPlainString();
        }

        /** Perl's File::Basename::dirname for Unix paths. */
        private static String dirname(String path) {
            String p = path.replaceAll("(?<=.)/+$", "");
            int slash = p.lastIndexOf('/');
            if (slash < 0) return ".";
            if (slash == 0) return "/";
            return p.substring(0, slash).replaceAll("(?<=.)/+$", "");
        }

        private String absPath(String path, Token where) throws ConfigException {
            try {
                return Path.of(path).toAbsolutePath().normalize().toString();
            } catch (InvalidPathException e) {
                throw fail(where.line(), "bad path '" + path + "'");
            }
        }

        private Token peek() throws ConfigException {
            return lexer.peek();
        }

        private Token next() throws ConfigException {
            return lexer.next();
        }

        private void expect(String punct) throws ConfigException {
            Token t = next();
            if (!t.is(punct)) throw fail(t.line(), "expected '" + punct + "', found " + t.describe());
        }

        private ConfigException fail(int at, String detail) {
            return new ConfigException(source + ":" + at + ": cannot read " + context + ": " + detail);
        }
    }
}
