package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PerlConfReaderTest {

    /** Shaped like the defaults file the original shipped (comments inside lists, undef, arithmetic). */
    private static final String DEFAULTS_CONF = """
            ##
            ## Built-in settings. Put your changes into a separate file and name
            ## that file on the command line.
            ##
            %CONFIG = (
                # Drop privileges to this account after binding.
                SU_USER => "nobody",

                # Browsers' side.
                WAIT_TIMEOUT => 300,
                WAIT_MAXLEN => 1024 * 5,
                WAIT_ADDR => [
                    '0.0.0.0:8088',
                    # More addresses here for more than 64k clients.
                ],

                # Publishers' side.
                IN_TIMEOUT => 20,
                IN_MAXLEN => 1024 * 200,
                IN_ADDR => [
                    '127.0.0.1:10010'
                ],

                ID_BINDINGS_SERVERS => [ '127.0.0.1:11211' ],
                ID_BINDINGS_SERVER_NAME => "default",
                EVENT_CHAIN_LEN => 1000,

                # No hook by default.
                HOOK_CHECK_VISIBILITY => undef,

                OFFLINE_TIMEOUT => 30,
                MAX_DATA_FOR_ID => 30,
                CLEAN_ID_AFTER => 3600,
                CHARSET => "utf-8",
                USERS_FILE => "dklab_realplexor.htpasswd",
                IFRAME_FILE => "dklab_realplexor.html",
                IFRAME_ID => "IFRAME",
                SCRIPT_FILE => "dklab_realplexor.js",
                SCRIPT_ID => "SCRIPT",
                IDENTIFIER => "identifier",
                JS_MAX_BOUNCES => 10,
                JS_WAIT_RECONNECT_DELAY => 0.01,
                JS_WAIT_URI => '/',
                JS_DEBUG => 1,
                VERBOSITY => 3,
                MAX_MEM_MB => 0,
            );

            return 1;
            """;

    @Test
    void readsADefaultsFileOfTheOriginalsShape() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("SU_USER", "nobody");
        expected.put("WAIT_TIMEOUT", "300");
        expected.put("WAIT_MAXLEN", "5120");
        expected.put("WAIT_ADDR", List.of("0.0.0.0:8088"));
        expected.put("IN_TIMEOUT", "20");
        expected.put("IN_MAXLEN", "204800");
        expected.put("IN_ADDR", List.of("127.0.0.1:10010"));
        expected.put("ID_BINDINGS_SERVERS", List.of("127.0.0.1:11211"));
        expected.put("ID_BINDINGS_SERVER_NAME", "default");
        expected.put("EVENT_CHAIN_LEN", "1000");
        expected.put("HOOK_CHECK_VISIBILITY", null);
        expected.put("OFFLINE_TIMEOUT", "30");
        expected.put("MAX_DATA_FOR_ID", "30");
        expected.put("CLEAN_ID_AFTER", "3600");
        expected.put("CHARSET", "utf-8");
        expected.put("USERS_FILE", "dklab_realplexor.htpasswd");
        expected.put("IFRAME_FILE", "dklab_realplexor.html");
        expected.put("IFRAME_ID", "IFRAME");
        expected.put("SCRIPT_FILE", "dklab_realplexor.js");
        expected.put("SCRIPT_ID", "SCRIPT");
        expected.put("IDENTIFIER", "identifier");
        expected.put("JS_MAX_BOUNCES", "10");
        expected.put("JS_WAIT_RECONNECT_DELAY", "0.01");
        expected.put("JS_WAIT_URI", "/");
        expected.put("JS_DEBUG", "1");
        expected.put("VERBOSITY", "3");
        expected.put("MAX_MEM_MB", "0");
        assertEquals(expected, PerlConfReader.parse(DEFAULTS_CONF, "dklab_realplexor.conf"));
    }

    @Test
    void defaultsFileFeedsSettings() throws Exception {
        Settings s = Settings.from(PerlConfReader.parse(DEFAULTS_CONF, "d.conf"), Path.of("/opt/rpl"));
        assertEquals(List.of("0.0.0.0:8088"), s.waitAddr());
        assertEquals(204800, s.inMaxlen());
        assertEquals(5120, s.waitMaxlen());
        assertEquals(Path.of("/opt/rpl/dklab_realplexor.htpasswd"), s.usersFile());
        assertEquals("nobody", s.knobText("SU_USER"));
    }

    @Test
    void readsAnOverrideFileEndingInReturn1() throws Exception {
        String conf = """
                # Local overrides.
                use strict;

                $CONFIG{WAIT_ADDR} = [ '0.0.0.0:80', "0.0.0.0:8088", ];
                $CONFIG{'IN_ADDR'} = ['127.0.0.1:10010'];
                $CONFIG{"OFFLINE_TIMEOUT"} = 0.5;   # fractional seconds
                $CONFIG{ IN_MAXLEN } = 1024 * 1024;
                $CONFIG{USERS_FILE} = "/etc/realplexor/users.htpasswd";
                $CONFIG{HOOK_CHECK_VISIBILITY} = undef;
                $CONFIG{verbosity} = 1;
                $CONFIG{WAIT_TIMEOUT} = 10;
                $CONFIG{WAIT_TIMEOUT} = 20;

                return 1;
                $CONFIG{NEVER} = "after return: not executed";
                """;
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("WAIT_ADDR", List.of("0.0.0.0:80", "0.0.0.0:8088"));
        expected.put("IN_ADDR", List.of("127.0.0.1:10010"));
        expected.put("OFFLINE_TIMEOUT", "0.5");
        expected.put("IN_MAXLEN", "1048576");
        expected.put("USERS_FILE", "/etc/realplexor/users.htpasswd");
        expected.put("HOOK_CHECK_VISIBILITY", null);
        expected.put("verbosity", "1");
        expected.put("WAIT_TIMEOUT", "20");
        assertEquals(expected, PerlConfReader.parse(conf, "local.conf"));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                // numbers
                Arguments.of("300", "300"),
                Arguments.of("0.01", "0.01"),
                Arguments.of("2.50", "2.5"),
                Arguments.of("1_000", "1000"),
                Arguments.of("1e3", "1000"),
                Arguments.of("1.5E-1", "0.15"),
                Arguments.of("007", "7"),
                Arguments.of("-5", "-5"),
                Arguments.of("+7", "7"),
                Arguments.of("- (2 + 3)", "-5"),
                // arithmetic
                Arguments.of("1024 * 200", "204800"),
                Arguments.of("1024*5", "5120"),
                Arguments.of("1 + 2 * 3", "7"),
                Arguments.of("(1 + 2) * 3", "9"),
                Arguments.of("10 - 2 - 3", "5"),
                Arguments.of("100 / 8", "12.5"),
                Arguments.of("1 / 3", "0.333333333333333"),
                Arguments.of("2 / 3 * 3", "2"),
                Arguments.of("0.5 * 2", "1"),
                Arguments.of("0.1 + 0.2", "0.3"),
                Arguments.of("60 * 60 * 24", "86400"),
                Arguments.of("((((1))))", "1"),
                Arguments.of("\"10\" * 2", "20"),
                Arguments.of("' 1.5 ' + 1", "2.5"),
                // single-quoted strings: only \\ and \' are escapes
                Arguments.of("'0.0.0.0:8088'", "0.0.0.0:8088"),
                Arguments.of("''", ""),
                Arguments.of("'it\\'s'", "it's"),
                Arguments.of("'a\\\\b'", "a\\b"),
                Arguments.of("'a\\nb'", "a\\nb"),
                Arguments.of("'$no @interpolation'", "$no @interpolation"),
                Arguments.of("'two\nlines'", "two\nlines"),
                Arguments.of("'# not a comment'", "# not a comment"),
                // double-quoted strings
                Arguments.of("\"utf-8\"", "utf-8"),
                Arguments.of("\"\"", ""),
                Arguments.of("\"a\\nb\"", "a\nb"),
                Arguments.of("\"tab\\there\\r\"", "tab\there\r"),
                Arguments.of("\"q\\\"uote\"", "q\"uote"),
                Arguments.of("\"back\\\\slash\"", "back\\slash"),
                Arguments.of("\"cost \\$5 \\@home\"", "cost $5 @home"),
                Arguments.of("\"it's\"", "it's"),
                Arguments.of("\"50% off, $ alone, a@\"", "50% off, $ alone, a@"),
                Arguments.of("\"\\x41\\x{263A}\"", "A\u263A"),
                Arguments.of("\"\\q\"", "q"),
                // quote-like operators
                Arguments.of("q(single 'quoted' (nested))", "single 'quoted' (nested)"),
                Arguments.of("q{a\\}b}", "a}b"),
                Arguments.of("qq{x\\ty}", "x\ty"),
                Arguments.of("qq|pipe|", "pipe"),
                // concatenation
                Arguments.of("\"ab\" . 'cd'", "abcd"),
                Arguments.of("'/var/' . 5 * 2", "/var/10"),
                Arguments.of("'x' . 1.50", "x1.5"),
                Arguments.of("1 . 2", "12"),
                // undef
                Arguments.of("undef", null),
                // array refs
                Arguments.of("[ 'a:1', \"b:2\", ]", List.of("a:1", "b:2")),
                Arguments.of("['127.0.0.1:10010']", List.of("127.0.0.1:10010")),
                Arguments.of("[]", List.of()),
                Arguments.of("[ ]", List.of()),
                Arguments.of("[ 80 + 8, 'x' . 'y' ]", List.of("88", "xy")),
                Arguments.of("[ qw(a:1 b:2) ]", List.of("a:1", "b:2")),
                Arguments.of("[ qw/a:1\n   b:2/, 'c:3' ]", List.of("a:1", "b:2", "c:3")),
                Arguments.of("[\n  'a', # first\n  # between\n  'b'\n]", List.of("a", "b")),
                Arguments.of("[ 'a' => 'b' ]", List.of("a", "b")),
                // paths
                Arguments.of("dirname('/etc/rpl/conf.pl')", "/etc/rpl"),
                Arguments.of("dirname('/etc/rpl/')", "/etc"),
                Arguments.of("dirname('conf.pl')", "."),
                Arguments.of("dirname('/conf.pl')", "/"),
                Arguments.of("abs_path('/a/./b/../c')", "/a/c"),
                Arguments.of("__FILE__", "/etc/rpl/local.conf"),
                Arguments.of("dirname(abs_path(__FILE__)) . \"/users.htpasswd\"", "/etc/rpl/users.htpasswd"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("values")
    void readsEveryValueForm(String perl, Object expected) throws Exception {
        Map<String, Object> knobs = PerlConfReader.parse("$CONFIG{K} = " + perl + ";\n", "/etc/rpl/local.conf");
        assertTrue(knobs.containsKey("K"), knobs.toString());
        assertEquals(expected, knobs.get("K"));
        // The same value in the defaults form.
        assertEquals(
                expected,
                PerlConfReader.parse("%CONFIG = ( K => " + perl + " );", "/etc/rpl/local.conf")
                        .get("K"));
    }

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("", Map.of()),
                Arguments.of("\n\n# only comments\n   # indented\n", Map.of()),
                Arguments.of("1;", Map.of()),
                Arguments.of("$CONFIG{A} = 1;\n1;\n", Map.of("A", "1")),
                Arguments.of("$CONFIG{A} = 1", Map.of("A", "1")),
                Arguments.of("$CONFIG{A} = 1;;", Map.of("A", "1")),
                Arguments.of("$CONFIG{A}=1;$CONFIG{B}=2;", Map.of("A", "1", "B", "2")),
                Arguments.of(
                        "use strict;\nuse warnings;\nuse File::Basename;\nuse Cwd 'abs_path';\n$CONFIG{A} = 1;",
                        Map.of("A", "1")),
                Arguments.of("no warnings;\n$CONFIG{A} = 2;", Map.of("A", "2")),
                Arguments.of("$CONFIG{A} = 2;\nuse strict", Map.of("A", "2")),
                Arguments.of("$CONFIG{A} = 1;\nreturn 1;", Map.of("A", "1")),
                Arguments.of("$CONFIG{A} = 1;\nreturn;\n$CONFIG{B} = 2;", Map.of("A", "1")),
                Arguments.of("$CONFIG{A} = 1;\n__END__\nanything at all $CONFIG{B}", Map.of("A", "1")),
                Arguments.of("\uFEFF$CONFIG{A} = 1;", Map.of("A", "1")),
                Arguments.of("$CONFIG{A} = 1;\r\n$CONFIG{B} = 2;\r\n", Map.of("A", "1", "B", "2")),
                Arguments.of("$CONFIG{'weird key'} = 1;", Map.of("weird key", "1")),
                Arguments.of("$CONFIG{lower} = 1;", Map.of("lower", "1")),
                Arguments.of("$CONFIG{UNKNOWN_KNOB} = 'kept';", Map.of("UNKNOWN_KNOB", "kept")),
                Arguments.of("%CONFIG = ();", Map.of()),
                Arguments.of("%CONFIG = ( 'A', 1, \"B\" => 2 );", Map.of("A", "1", "B", "2")),
                Arguments.of("%CONFIG = ( A => 1, A => 2, );", Map.of("A", "2")),
                // Assigning the whole hash drops what was set before, as Perl does.
                Arguments.of("$CONFIG{OLD} = 1;\n%CONFIG = ( NEW => 2 );", Map.of("NEW", "2")),
                Arguments.of("%CONFIG = ( A => 1 );\n$CONFIG{B} = 2;\nreturn 1;\n", Map.of("A", "1", "B", "2")),
                Arguments.of("%CONFIG = (q => 1, qw => 2);", Map.of("q", "1", "qw", "2")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("files")
    void readsEveryStatementForm(String text, Map<String, Object> expected) throws Exception {
        assertEquals(expected, PerlConfReader.parse(text, "conf.pl"));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(
                        "$CONFIG{WAIT_TIMEOUT} = 300;\n$CONFIG{HOOK} = sub { 1 };",
                        "conf.pl:2: cannot read value of HOOK: unexpected 'sub'"),
                Arguments.of("$CONFIG{CHARSET} = utf8;", "conf.pl:1: cannot read value of CHARSET: unexpected 'utf8'"),
                Arguments.of(
                        "$CONFIG{A} = 1;\n$CONFIG{CHARSET} = \"utf-8;\n\n",
                        "conf.pl:2: cannot read value of CHARSET: unterminated string"),
                Arguments.of("$CONFIG{A} = 'abc\n\n\n", "conf.pl:1: cannot read value of A: unterminated string"),
                Arguments.of(
                        "$CONFIG{A} = 1\n$CONFIG{B} = 2;",
                        "conf.pl:1: cannot read statement: missing ';' after the value of A (found '$CONFIG')"),
                Arguments.of(
                        "$CONFIG{A} = 1 2;",
                        "conf.pl:1: cannot read statement: missing ';' after the value of A (found '2')"),
                Arguments.of("# c\n\n# c\n$CONFIG{A} = foo;", "conf.pl:4: cannot read value of A: unexpected 'foo'"),
                Arguments.of("\n\n$CONFIG{X} = 1 / (2 - 2);", "conf.pl:3: cannot read value of X: division by zero"),
                Arguments.of(
                        "$CONFIG{X} = 'abc' * 2;",
                        "conf.pl:1: cannot read value of X: 'abc' (not a number) cannot be used with '*'"),
                Arguments.of(
                        "$CONFIG{X} = [1] + 1;", "conf.pl:1: cannot read value of X: an array cannot be used with '+'"),
                Arguments.of(
                        "$CONFIG{X} = undef . 'a';",
                        "conf.pl:1: cannot read value of X: undef cannot be used with '.'"),
                Arguments.of(
                        "$CONFIG{X} = -undef;", "conf.pl:1: cannot read value of X: undef cannot be used with '-'"),
                Arguments.of(
                        "$CONFIG{X} = [\n  [1]\n];",
                        "conf.pl:2: cannot read value of X: nested arrays are not supported"),
                Arguments.of(
                        "$CONFIG{X} = [ undef ];",
                        "conf.pl:1: cannot read value of X: undef inside [ ] is not supported"),
                Arguments.of(
                        "$CONFIG{X} = [ 'a' 'b' ];",
                        "conf.pl:1: cannot read value of X: expected ',' or ']' in the array, found 'b'"),
                Arguments.of(
                        "$CONFIG{X} = \"user@example.com\";",
                        "conf.pl:1: cannot read value of X: variables inside \"...\" are not supported; write '...' or escape the @"),
                Arguments.of(
                        "$CONFIG{X} = \"$HOME/x\";",
                        "conf.pl:1: cannot read value of X: variables inside \"...\" are not supported; write '...' or escape the $"),
                Arguments.of(
                        "$CONFIG{X} = qq{${y}};",
                        "conf.pl:1: cannot read value of X: variables inside \"...\" are not supported; write '...' or escape the $"),
                Arguments.of(
                        "print \"hi\";",
                        "conf.pl:1: cannot read statement: unexpected 'print'"
                                + " (expected $CONFIG{KEY} = VALUE; or %CONFIG = (KEY => VALUE, ...);)"),
                Arguments.of(
                        "%OTHER = (A => 1);",
                        "conf.pl:1: cannot read statement: unexpected '%OTHER'"
                                + " (expected $CONFIG{KEY} = VALUE; or %CONFIG = (KEY => VALUE, ...);)"),
                Arguments.of(
                        "\n$OTHER{A} = 1;",
                        "conf.pl:2: cannot read statement: unexpected '$OTHER'"
                                + " (expected $CONFIG{KEY} = VALUE; or %CONFIG = (KEY => VALUE, ...);)"),
                Arguments.of("$CONFIG{X} = ;", "conf.pl:1: cannot read value of X: unexpected ';'"),
                Arguments.of("$CONFIG{X} 5;", "conf.pl:1: cannot read value of X: expected '=', found '5'"),
                Arguments.of("$CONFIG{X} == 5;", "conf.pl:1: cannot read value of X: unexpected '='"),
                Arguments.of("$CONFIG{[} = 1;", "conf.pl:1: cannot read key: expected a knob name, found '['"),
                Arguments.of("$CONFIG{X = 1;", "conf.pl:1: cannot read key: expected '}', found '='"),
                Arguments.of("$CONFIG = 1;", "conf.pl:1: cannot read statement: expected '{', found '='"),
                Arguments.of(
                        "%CONFIG = (\n  A => 1,\n  B\n);",
                        "conf.pl:4: cannot read value of B: expected '=>' after B, found ')'"),
                Arguments.of(
                        "%CONFIG = (\n  A => 1\n  B => 2\n);",
                        "conf.pl:3: cannot read value of A: expected ',' or ')' after the value, found 'B'"),
                Arguments.of(
                        "%CONFIG = (A => 1,", "conf.pl:1: cannot read key: expected a knob name, found end of file"),
                Arguments.of(
                        "%CONFIG = (A => 1)\n$CONFIG{B} = 2;",
                        "conf.pl:1: cannot read statement: missing ';' after %CONFIG = (...) (found '$CONFIG')"),
                Arguments.of("%CONFIG = [A => 1];", "conf.pl:1: cannot read statement: expected '(', found '['"),
                Arguments.of("$CONFIG{X} = 5 ^ 2;", "conf.pl:1: cannot read value of X: unexpected character '^'"),
                Arguments.of("$CONFIG{X} = 1e999;", "conf.pl:1: cannot read value of X: number out of range"),
                Arguments.of(
                        "$CONFIG{X} = 1e99999999999;",
                        "conf.pl:1: cannot read value of X: number out of range: 1e99999999999"),
                Arguments.of("$CONFIG{X} = 1e30 * 1e30;", "conf.pl:1: cannot read value of X: number out of range"),
                Arguments.of(
                        "$CONFIG{X} = 0x10;",
                        "conf.pl:1: cannot read statement: missing ';' after the value of X (found 'x10')"),
                Arguments.of("$CONFIG{X} = [ , ];", "conf.pl:1: cannot read value of X: unexpected ','"),
                Arguments.of(
                        "$CONFIG{X} = qw(a b);",
                        "conf.pl:1: cannot read value of X: qw() is only understood inside [ ]"),
                Arguments.of(
                        "$CONFIG{X} = \"\\x{110000}\";", "conf.pl:1: cannot read value of X: bad \\x escape '110000'"),
                Arguments.of("$CONFIG{X} = dirname 'a';", "conf.pl:1: cannot read value of X: expected '(', found 'a'"),
                Arguments.of(
                        "$CONFIG{X} = dirname([1]);",
                        "conf.pl:1: cannot read value of X: an array cannot be used with 'dirname'"),
                Arguments.of("$CONFIG{X} = (1;", "conf.pl:1: cannot read value of X: expected ')', found ';'"),
                Arguments.of("return 1 2;", "conf.pl:1: cannot read statement: missing ';' after return (found '2')"),
                Arguments.of("1 2;", "conf.pl:1: cannot read statement: missing ';' after 1 (found '2')"),
                Arguments.of(
                        "$CONFIG{X} = '" + "y".repeat(40) + "' 1;",
                        "conf.pl:1: cannot read statement: missing ';' after the value of X (found '1')"),
                Arguments.of(
                        "$CONFIG{X} = 1 " + "\"" + "z".repeat(40) + "\";",
                        "conf.pl:1: cannot read statement: missing ';' after the value of X (found '\"" + "z".repeat(29)
                                + "...')"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void rejectsWhatItCannotReadNamingFileAndLine(String text, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> PerlConfReader.parse(text, "conf.pl"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void theOriginalsTestIdiomNamesAFileNextToTheConfig(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("non_anonymous.conf");
        Files.writeString(conf, """
                use File::Basename;
                use Cwd 'abs_path';

                $CONFIG{USERS_FILE} = dirname(abs_path(__FILE__)) . "/non_anonymous.htpasswd";

                return 1;
                """);
        assertEquals(Map.of("USERS_FILE", dir.resolve("non_anonymous.htpasswd").toString()), PerlConfReader.read(conf));
    }

    @Test
    void errorsFromAFileNameThePath(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("broken.conf");
        Files.writeString(conf, "$CONFIG{A} = 1;\n$CONFIG{B} = oops;\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PerlConfReader.read(conf));
        assertEquals(conf + ":2: cannot read value of B: unexpected 'oops'", e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path conf = dir.resolve("absent.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> PerlConfReader.read(conf));
        assertEquals("config file not found: " + conf, e.getMessage());
    }

    @Test
    void everyLineOfALongFileIsCounted() {
        String[] lines = new String[200];
        Arrays.fill(lines, "$CONFIG{A} = 1;   # fine");
        lines[149] = "$CONFIG{B} = [ 'x', ];  $CONFIG{C} = nope;";
        ConfigException e =
                assertThrows(ConfigException.class, () -> PerlConfReader.parse(String.join("\n", lines), "big.conf"));
        assertEquals("big.conf:150: cannot read value of C: unexpected 'nope'", e.getMessage());
    }
}
