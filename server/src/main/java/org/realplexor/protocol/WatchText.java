package org.realplexor.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The WATCH answer: its position argument read, and its body, one {@code TYPE POS:ID} line per id
 * (that id's newest event after the position), in position order. Events are added in log order;
 * {@link #text} prints them. Pure: the Hub collects the events, this only formats.
 */
public final class WatchText {
    private static final Pattern POSITION = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");

    private final Map<String, Event> newest = new LinkedHashMap<>();

    private record Event(long pos, String type, String id) {}

    /** Adds an event of the log (in log order): a later one of the same id replaces its earlier one. */
    public void add(long pos, String type, String id) {
        newest.remove(id);
        newest.put(id, new Event(pos, type, id));
    }

    public String text() {
        List<Event> out = new ArrayList<>(newest.values());
        out.sort((a, b) -> Long.compare(a.pos(), b.pos()));
        StringBuilder sb = new StringBuilder();
        for (Event e : out)
            sb.append(e.type())
                    .append(' ')
                    .append(e.pos())
                    .append(':')
                    .append(e.id())
                    .append('\n');
        return sb.toString();
    }

    /** The answer to a position that asks for none ({@link #parsePosition} gave -1): where the log goes on. */
    public static String fake(long nextPosition) {
        return "FAKE " + nextPosition + ":FAKE\n";
    }

    /**
     * A WATCH position: events after it are wanted. Any non-negative decimal counts (positions are
     * whole, so events after 10.5 are those after 10; one past every position means none); -1
     * for empty, zero or non-numeric, which get the FAKE line.
     */
    public static long parsePosition(String pos) {
        if (pos == null || !POSITION.matcher(pos).matches()) return -1;
        BigDecimal v = new BigDecimal(pos.endsWith(".") ? pos + "0" : pos);
        if (v.signum() == 0) return -1;
        BigInteger whole = v.toBigInteger();
        return whole.bitLength() < 64 ? whole.longValue() : Long.MAX_VALUE;
    }
}
