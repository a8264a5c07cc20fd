package org.realplexor.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the bodies of IN-line answers and takes the client's namespace off their ids. An id
 * outside the namespace is dropped: this client did not ask about it.
 */
final class Replies {

    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final Pattern PUBLISHED = Pattern.compile("(\\w+)\\s+(\\d+(?:\\.\\d+)?)\\s*");
    private static final Pattern ONLINE = Pattern.compile("(\\w+)(?:\\s+(\\d+))?\\s*");
    private static final Pattern EVENT = Pattern.compile("(\\w+)\\s+(\\d+):(\\S+)\\s*");

    private final String namespace;

    Replies(String namespace) {
        this.namespace = namespace;
    }

    /**
     * {@code ID CURSOR} lines. Other lines are skipped rather than failing a publish that
     * has happened: the original PHP API ignores this body altogether.
     */
    SendResult published(String body) {
        if (body == null) {
            return SendResult.unreported();
        }
        LinkedHashMap<String, String> cursors = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            Matcher m = PUBLISHED.matcher(line);
            if (m.matches()) {
                String id = strip(m.group(1));
                if (id != null) {
                    cursors.put(id, m.group(2));
                }
            }
        }
        return SendResult.reported(cursors);
    }

    /** {@code ID COUNT} lines, in the server's order. */
    Map<String, Integer> online(String body, String endpoint) {
        Map<String, Integer> counters = new LinkedHashMap<>();
        if (body == null) {
            return counters;
        }
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = ONLINE.matcher(line.strip());
            if (!m.matches()) {
                throw unparsable("ONLINE", line, endpoint);
            }
            String id = strip(m.group(1));
            if (id != null) {
                counters.put(id, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
            }
        }
        return counters;
    }

    /** {@code EVENT POS:ID} lines, oldest first. */
    List<WatchEvent> watch(String body, String endpoint) {
        List<WatchEvent> events = new ArrayList<>();
        if (body == null) {
            return events;
        }
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = EVENT.matcher(line.strip());
            if (!m.matches() || m.group(2).length() > 18) {
                throw unparsable("WATCH", line, endpoint);
            }
            String event = m.group(1);
            String id = "FAKE".equals(event) ? m.group(3) : strip(m.group(3));
            if (id != null) {
                events.add(new WatchEvent(event, Long.parseLong(m.group(2)), id));
            }
        }
        return events;
    }

    private String strip(String fullId) {
        return fullId.startsWith(namespace) ? fullId.substring(namespace.length()) : null;
    }

    private static RealplexorException unparsable(String command, String line, String endpoint) {
        return new RealplexorException("cannot parse a line of the " + command + " answer from " + endpoint + ": \""
                + SPACE.matcher(line).replaceAll(" ") + "\"");
    }
}
