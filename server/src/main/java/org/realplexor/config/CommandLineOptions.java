package org.realplexor.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The server's command line:
 * {@code realplexor [CONFIG_FILE] [-s KEY=VALUE]... [--wait-addr ...] [--in-addr ...]
 * [--users-file ...] [--verbosity N] [-h] [-V]}.
 */
@Command(
        name = "realplexor",
        mixinStandardHelpOptions = true,
        versionProvider = CommandLineOptions.Version.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = "Comet server speaking the Dklab Realplexor protocol.")
public final class CommandLineOptions {

    private static final Pattern KNOB_NAME = Pattern.compile("\\w+");

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CONFIG_FILE",
            description = "Config file: the original's Perl form or KEY = VALUE lines. "
                    + "Relative file knobs in it are relative to its folder.")
    private Path configFile;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Set a knob (repeatable), e.g. --set OFFLINE_TIMEOUT=0.5; lists comma-separated.")
    private Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--wait-addr", paramLabel = "HOST:PORT[,...]", description = "Same as --set WAIT_ADDR=...")
    private String waitAddr;

    @Option(names = "--in-addr", paramLabel = "HOST:PORT[,...]", description = "Same as --set IN_ADDR=...")
    private String inAddr;

    @Option(names = "--users-file", paramLabel = "FILE", description = "Same as --set USERS_FILE=...")
    private String usersFile;

    @Option(names = "--verbosity", paramLabel = "N", description = "Same as --set VERBOSITY=...")
    private String verbosity;

    @Option(
            names = "--check-config",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "FILE",
            description = "Read every source as a start would (FILE or CONFIG_FILE, environment, flags, users file,"
                    + " templates), print every problem, start nothing. Exit 0: usable (warnings may be printed);"
                    + " 2: errors.")
    private String checkConfig;

    @Option(
            names = "--print-config",
            description = "Print every effective knob with its value and where it came from (secrets masked),"
                    + " then exit.")
    private boolean printConfig;

    private String exitText;
    private Map<String, Object> knobs;

    private CommandLineOptions() {}

    /** @throws ConfigException for unknown options, a second CONFIG_FILE, a malformed --set */
    public static CommandLineOptions parse(String[] args) throws ConfigException {
        CommandLineOptions o = new CommandLineOptions();
        CommandLine cl = commandLine(o);
        CommandLine.ParseResult result;
        try {
            result = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(e.getMessage() + " (try --help)", e);
        }
        if (result.isUsageHelpRequested()) {
            o.exitText = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            return o;
        }
        if (result.isVersionHelpRequested()) {
            StringWriter out = new StringWriter();
            cl.printVersionHelp(new PrintWriter(out, true), CommandLine.Help.Ansi.OFF);
            o.exitText = out.toString();
            return o;
        }
        if (o.checkConfig != null && !o.checkConfig.isEmpty()) {
            if (o.configFile != null) {
                throw new ConfigException("--check-config " + o.checkConfig + " and CONFIG_FILE " + o.configFile
                        + ": name one config file (try --help)");
            }
            o.configFile = Path.of(o.checkConfig);
        }
        o.knobs = o.collectKnobs();
        return o;
    }

    /** Whether --check-config was given: check every source and exit without starting. */
    public boolean checkConfig() {
        return checkConfig != null;
    }

    /** Whether --print-config was given: print the effective knobs and exit without starting. */
    public boolean printConfig() {
        return printConfig;
    }

    /** The help text, as {@code --help} prints it. */
    public static String usage() {
        return commandLine(new CommandLineOptions()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** The text to print before exiting (help or version), or null when the server should run. */
    public String exitText() {
        return exitText;
    }

    /** The config file as given, or null. */
    public Path configFile() {
        return configFile;
    }

    /** Knobs set on the command line, names upper-cased; the dedicated flags win over --set. */
    public Map<String, Object> knobs() {
        return knobs == null ? Map.of() : knobs;
    }

    private Map<String, Object> collectKnobs() throws ConfigException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : set.entrySet()) {
            String key = e.getKey().strip();
            if (!KNOB_NAME.matcher(key).matches()) {
                throw new ConfigException("--set: bad knob name '" + e.getKey() + "' in '" + e.getKey() + "="
                        + e.getValue() + "' (expected KEY=VALUE, KEY of letters, digits and _)");
            }
            out.put(key.toUpperCase(Locale.ROOT), e.getValue());
        }
        putIfGiven(out, "WAIT_ADDR", waitAddr);
        putIfGiven(out, "IN_ADDR", inAddr);
        putIfGiven(out, "USERS_FILE", usersFile);
        putIfGiven(out, "VERBOSITY", verbosity);
        return out;
    }

    private static void putIfGiven(Map<String, Object> out, String knob, String value) {
        if (value != null) out.put(knob, value);
    }

    private static CommandLine commandLine(CommandLineOptions o) {
        CommandLine cl = new CommandLine(o);
        // A config path starting with '@' is a path, not a picocli argument file.
        cl.setExpandAtFiles(false);
        cl.getCommandSpec().usageMessage().footer(footer());
        return cl;
    }

    private static String[] footer() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Precedence, lowest first: built-in defaults < CONFIG_FILE < environment (REALPLEXOR_<KNOB>,");
        lines.add("e.g. REALPLEXOR_WAIT_ADDR) < command line. Relative file knobs from the environment or the");
        lines.add("command line are relative to the working directory. SIGHUP re-reads CONFIG_FILE.");
        lines.addAll(knobLines(
                "",
                "Read only at start (a SIGHUP that changes them logs that they need a restart): "
                        + String.join(", ", Knobs.restartOnly()) + "."));
        lines.add("");
        lines.add("Knobs (defaults):");
        for (Knobs.Knob k : Knobs.ALL) {
            String assignment = k.name() + "=" + defaultText(k.defaultValue());
            lines.addAll(knobLines(String.format("  %-30s ", assignment), k.help()));
        }
        // picocli formats help text with String.format: a literal % must be doubled.
        lines.replaceAll(l -> l.replace("%", "%%"));
        return lines.toArray(new String[0]);
    }

    /** Width of the help; picocli would break a longer footer line at column 0. */
    private static final int WIDTH = 100;

    /** {@code prefix} then the help, wrapped at word ends under the help's first column. */
    static List<String> knobLines(String prefix, String help) {
        List<String> out = new ArrayList<>();
        String indent = " ".repeat(Math.min(prefix.length(), 33));
        StringBuilder line = new StringBuilder(prefix);
        boolean empty = true;
        for (String word : help.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.add(line.toString());
                line = new StringBuilder(indent);
                empty = true;
            }
            if (!empty) line.append(' ');
            line.append(word);
            empty = false;
        }
        out.add(line.toString().stripTrailing());
        return out;
    }

    private static String defaultText(Object value) {
        if (value instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    /** The version and commit the build wrote into the jar (see BuildInfo). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {org.realplexor.BuildInfo.current().describe()};
        }
    }
}
